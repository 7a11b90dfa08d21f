from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.choices import CachedChoiceLabels


class CaseType(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("行政公益诉讼")
    CIVIL = "civil", _("民事公益诉讼")
    CRIMINAL_CIVIL = "criminal_civil", _("刑事附带民事公益诉讼")


class Case(CachedChoiceLabels, models.Model):
    """A public-interest case, from opening (立案) to closing (终结)."""

    class Status(models.TextChoices):
        INVESTIGATION = "investigation", _("调查")
        CONSULTATION = "consultation", _("磋商")
        RECOMMENDATION = "recommendation", _("诉前检察建议")
        AWAITING_REPLY = "awaiting_reply", _("等待回复")
        FOLLOW_UP = "follow_up", _("跟进调查与评估")
        ANNOUNCEMENT = "announcement", _("公告")
        LITIGATION = "litigation", _("提起诉讼")
        # The court side (docs/domain.md, Litigation and rulings): a ruling was made, it took effect,
        # it was complied with or the defendant was transferred for enforcement.
        RULED = "ruled", _("已裁判")
        EFFECTIVE = "effective", _("裁判已生效")
        COMPLIED = "complied", _("已履行")
        ENFORCED = "enforced", _("已移送执行")
        CLOSED = "closed", _("已终结")

    class ClosureGround(models.TextChoices):
        RECTIFIED = "rectified", _("行政机关已依法履职，公益得到保护")
        CONSULTATION_SETTLED = "consultation_settled", _("经磋商行政机关已整改")
        NO_VIOLATION = "no_violation", _("经调查不存在违法行使职权或不作为")
        PUBLIC_INTEREST_RESTORED = "public_interest_restored", _("国家利益或社会公共利益已得到有效保护")
        OTHER_PLAINTIFF = "other_plaintiff", _("其他适格主体已提起诉讼")
        OTHER = "other", _("其他")

    procuratorate = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("检察院"), on_delete=models.PROTECT, related_name="cases"
    )
    number = models.CharField(_("案号"), max_length=60, unique=True)
    case_type = models.CharField(_("案件类型"), max_length=20, choices=CaseType.choices)
    title = models.CharField(_("案件名称"), max_length=200)
    summary = models.TextField(_("案情摘要"))
    domain = models.ForeignKey("cases.Domain", verbose_name=_("领域"), on_delete=models.PROTECT)
    agencies = models.ManyToManyField(
        "agencies.Organisation", verbose_name=_("涉及行政机关"), related_name="cases_concerning", blank=True
    )
    lead = models.OneToOneField(
        "cases.Lead", verbose_name=_("线索"), null=True, blank=True, on_delete=models.PROTECT, related_name="case"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办检察官"), on_delete=models.PROTECT, related_name="handled_cases"
    )
    co_handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("协办人"), related_name="co_handled_cases", blank=True
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.INVESTIGATION)
    opened_on = models.DateField(_("立案日期"))
    closed_on = models.DateField(_("终结日期"), null=True, blank=True)
    closure_ground = models.CharField(_("终结理由"), max_length=30, choices=ClosureGround.choices, blank=True)
    closure_note = models.TextField(_("终结说明"), blank=True)
    # Internal notes: procuratorate staff only, never agencies (docs/domain.md, Who sees what).
    internal_notes = models.TextField(_("内部备注"), blank=True)
    # Kept by the deadline services (deadlines.services.deadlines_refresh_next_due) in the same
    # transaction as every change of the case's deadlines: the earliest open due date (NULL when
    # none is open) and whether it is provisional. The case list sorts and filters by it with an
    # index instead of a correlated subquery per case (issue 15).
    next_due_date = models.DateField(_("下一期限"), null=True, blank=True, editable=False)
    next_due_provisional = models.BooleanField(_("下一期限暂定"), default=False, editable=False)
    # Optimistic locking (issue 16): every edit of the descriptive fields (cases.services.case_update)
    # checks the version the editor's form was loaded with and adds one, so a second editor working
    # from the same old page is told instead of overwriting the first one's changes.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-opened_on", "-id"]
        indexes = [
            # The case list: scope by procuratorate, then filter by status/type/domain, newest first.
            models.Index(fields=["procuratorate", "-opened_on", "-id"], name="case_scope_opened_idx"),
            models.Index(fields=["status", "-opened_on"], name="case_status_idx"),
            models.Index(fields=["case_type", "-opened_on"], name="case_type_idx"),
            models.Index(fields=["domain", "-opened_on"], name="case_domain_idx"),
            models.Index(fields=["handler", "-opened_on"], name="case_handler_idx"),
            models.Index(fields=["opened_on"], name="case_opened_idx"),
            # The dashboard (dashboard/metrics.py): cases closed in a period (pre-litigation resolution rate).
            models.Index(fields=["closed_on"], condition=models.Q(status="closed"), name="case_closed_on_idx"),
            # The case list sorted by next due date (ties by id, StableOrderingFilter), for a wide
            # scope (a supervisor's tree) and within one procuratorate; and the overdue/due-within
            # filters (a range on next_due_date).
            models.Index(fields=["next_due_date", "-id"], name="case_next_due_idx"),
            models.Index(fields=["procuratorate", "next_due_date", "-id"], name="case_scope_next_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    # The statuses of a case whose lawsuit is before or after the court.
    LITIGATION_STATUSES = frozenset({"litigation", "ruled", "effective", "complied", "enforced"})

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED
