"""Typical cases (典型案例) written for the public, and the people's congress's oversight requests
(人大监督) with the answers sent (docs/domain.md, Typical cases and people's congress oversight).

Both are how a procuratorate accounts for its public-interest work outside itself: to the public
(a published, anonymised summary) and to the congress that oversees it (a request and the report
sent in answer). The congress work report reads the published typical cases; one app keeps the
two together because neither exists without the other's audience in mind, and a sibling app on
the same layer could not share anything with this one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from storage.models import StoredFile


class TypicalCase(models.Model):
    """A closed case written up as a typical case. Only the summary fields (title, domain, year,
    summary, outcome, significance) are ever shown on the public page; the link to the case is
    internal. The texts are stored as anonymised: the replacements are applied on every save."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("已推荐")
        DRAFT = "draft", _("撰写中")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="typical_entries"
    )
    # The case's procuratorate, kept here so every scoped read is one filter.
    procuratorate = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("检察院"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # --- the public fields ---
    title = models.CharField(_("标题"), max_length=200, blank=True)
    domain = models.ForeignKey("cases.Domain", verbose_name=_("领域"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    summary = models.TextField(_("基本案情"), blank=True)
    outcome = models.TextField(_("办理结果"), blank=True)
    significance = models.TextField(_("典型意义"), blank=True)
    # --- internal ---
    # [[original, replacement], …]: what the writer decided to replace, applied to the texts.
    replacements = models.JSONField(_("化名替换"), default=list, blank=True)
    proposal_note = models.TextField(_("推荐理由"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("推荐人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["-year", "-published_at", "-id"]
        constraints = [
            # One live write-up per case; a withdrawn one does not block a new one.
            models.UniqueConstraint(
                fields=["case"], condition=~models.Q(status="withdrawn"), name="typicalcase_one_live_per_case"
            ),
        ]
        indexes = [
            # The public page: published ones by domain and year.
            models.Index(
                fields=["year", "domain"], condition=models.Q(status="published"), name="typicalcase_public_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.case_id)

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.DRAFT, self.Status.RETURNED)


class CongressRequest(models.Model):
    """A request of the people's congress (or its standing committee) to a procuratorate."""

    class Kind(models.TextChoices):
        SPECIAL_REPORT = "special_report", _("听取专项报告")
        INQUIRY = "inquiry", _("询问和质询")
        INSPECTION = "inspection", _("执法检查和视察")

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        ANSWERED = "answered", _("已答复")

    procuratorate = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("检察院"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("监督方式"), max_length=20, choices=Kind.choices)
    requested_on = models.DateField(_("交办日期"))
    content = models.TextField(_("监督事项"))
    due_on = models.DateField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer_note = models.TextField(_("答复说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人大监督事项")
        verbose_name_plural = _("人大监督事项")
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["procuratorate", "status", "due_on"], name="congressrequest_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requested_on:%Y-%m-%d}"

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class CongressAnswerFile(StoredFile):
    """The report sent in answer: uploaded, or copied from a generated report job so that what was
    sent stays as it was whatever happens to the job."""

    request = models.ForeignKey(
        CongressRequest, verbose_name=_("人大监督事项"), on_delete=models.PROTECT, related_name="files"
    )
    # Set when the file was copied from a report job of the reports app (its id, for the record:
    # a plain number, the lower layer does not point at the higher one).
    report_job_id = models.PositiveBigIntegerField(_("报表任务"), null=True, blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = _("答复材料")
        verbose_name_plural = _("答复材料")

    def storage_folder(self) -> str:
        return f"congress/{self.request_id}"
