"""Two-way lead referral (线索双向移送) between a procuratorate and a discipline inspection and
supervision commission (docs/domain.md, Referrals).

Outgoing (procuratorate → commission): suspected misconduct of officials found in a case; a
supervisor approves before it is sent. Incoming (commission → procuratorate): a public-interest lead
found in the commission's work; on receipt it becomes a Lead in the receiving procuratorate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from storage.models import StoredFile

# The deadline engine's subject type of a referral (deadlines/subjects.py) and its two rules,
# seeded by referrals/migrations/0002_seed_rules.py (configurable defaults of local practice).
SUBJECT_TYPE = "referral"
RULE_ACKNOWLEDGE = "referral_acknowledge"
RULE_OUTCOME = "referral_outcome"


class Referral(models.Model):
    class Direction(models.TextChoices):
        TO_COMMISSION = "to_commission", _("检察院移送纪委监委")
        TO_PROCURATORATE = "to_procuratorate", _("纪委监委移送检察院")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        SENT = "sent", _("已移送")
        RECEIVED = "received", _("已签收")
        HANDLED = "handled", _("已办结反馈")

    class Concern(models.TextChoices):
        DERELICTION = "dereliction", _("涉嫌失职渎职")
        CORRUPTION = "corruption", _("涉嫌腐败")
        INTERFERENCE = "interference", _("涉嫌干预司法")
        OTHER = "other", _("其他问题")

    class Outcome(models.TextChoices):
        CASE_OPENED = "case_opened", _("已立案")
        NO_CASE = "no_case", _("不予立案")
        DISCIPLINARY = "disciplinary", _("已给予处分或采取处理措施")
        TRANSFERRED = "transferred", _("已移交其他机关处理")

    number = models.CharField(_("移送编号"), max_length=60, unique=True, null=True, blank=True)
    direction = models.CharField(_("移送方向"), max_length=20, choices=Direction.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    sender = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("移送机关"), on_delete=models.PROTECT, related_name="referrals_sent"
    )
    receiver = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("接收机关"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    # Outgoing only: the case the misconduct was found in.
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("关联案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    title = models.CharField(_("标题"), max_length=200)
    concern = models.CharField(_("问题类型"), max_length=20, choices=Concern.choices, blank=True)
    persons_concerned = models.CharField(_("涉及人员或单位"), max_length=300, blank=True)
    facts = models.TextField(_("主要事实"))
    agency = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("涉及行政机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_concerning",
    )
    # Incoming only: the lead's domain.
    domain = models.ForeignKey(
        "cases.Domain", verbose_name=_("领域"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提请审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("移送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_on = models.DateField(_("移送日期"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_on = models.DateField(_("签收日期"), null=True, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField(_("处理情况"), blank=True)
    outcome_on = models.DateField(_("反馈日期"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Incoming: the lead registered in the receiving procuratorate on receipt.
    lead = models.ForeignKey(
        "cases.Lead",
        verbose_name=_("登记的线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )

    class Meta:
        verbose_name = _("线索移送")
        verbose_name_plural = _("线索移送")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["receiver", "status"], name="referral_receiver_idx"),
            models.Index(fields=["sender", "status"], name="referral_sender_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(direction="to_commission", case__isnull=False)
                | models.Q(direction="to_procuratorate", case__isnull=True),
                name="referral_case_matches_direction",
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def is_outgoing(self) -> bool:
        return self.direction == self.Direction.TO_COMMISSION


class ReferralStep(models.Model):
    """The referral's own history list: one row per transition."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", _("起草")
        SUBMITTED = "submitted", _("提请审批")
        APPROVED = "approved", _("审批同意")
        RETURNED = "returned", _("审批退回")
        SENT = "sent", _("移送")
        ACKNOWLEDGED = "acknowledged", _("签收")
        OUTCOME = "outcome", _("反馈处理结果")
        FILE_ADDED = "file_added", _("上传材料")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("移送记录")
        verbose_name_plural = _("移送记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ReferralFile(StoredFile):
    """A material of a referral; served only by the permission-checked download view."""

    referral = models.ForeignKey(Referral, verbose_name=_("线索移送"), on_delete=models.PROTECT, related_name="files")
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = _("移送材料")
        verbose_name_plural = _("移送材料")

    def storage_folder(self) -> str:
        return f"referrals/{self.referral_id}"
