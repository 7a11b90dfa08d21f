from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.choices import CachedChoiceLabels


class Recommendation(CachedChoiceLabels, models.Model):
    """A procuratorial recommendation (检察建议书) served on one agency (2021 rules, art. 75)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING_APPROVAL = "pending_approval", _("待审批")
        APPROVED = "approved", _("已审批")
        ISSUED = "issued", _("已签发")
        SERVED = "served", _("已送达")
        REPLIED = "replied", _("已回复")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("一般（两个月内回复）")
        URGENT = "urgent", _("紧急（十五日内回复）")

    class ServiceMethod(models.TextChoices):
        DIRECT = "direct", _("直接送达")
        POST = "post", _("邮寄送达")
        ELECTRONIC = "electronic", _("电子送达")
        LEFT = "left", _("留置送达")
        ENTRUSTED = "entrusted", _("委托送达")

    # Text fields that are frozen once the recommendation is issued.
    CONTENT_FIELDS = (
        "agency",
        "urgency",
        "case_source",
        "harm_facts",
        "failure_facts",
        "legal_basis",
        "rectification_period",
        "remarks",
    )

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="recommendations"
    )
    # The case's procuratorate, kept on the recommendation (set from the case when first saved; a
    # case never changes procuratorate): the scope of the lists is this column, and their deep
    # pages merge per procuratorate off rec_scope_created_idx instead of joining every case in
    # scope (docs/scaling.md).
    procuratorate = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("检察院"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )
    agency = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("被建议机关"),
        on_delete=models.PROTECT,
        related_name="recommendations_received",
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    urgency = models.CharField(_("回复期限"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    document_number = models.CharField(_("文号"), max_length=60, unique=True, null=True, blank=True)
    case_source = models.TextField(_("案件来源"))
    harm_facts = models.TextField(_("国家利益或社会公共利益受到侵害的事实"))
    failure_facts = models.TextField(_("认定行政机关不依法履职的事实和理由"))
    legal_basis = models.TextField(_("法律依据"))
    rectification_period = models.CharField(_("整改期限"), max_length=200)
    remarks = models.TextField(_("其他事项"), blank=True)

    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提请审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审批意见"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("签发日期"), null=True, blank=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    service_method = models.CharField(_("送达方式"), max_length=20, choices=ServiceMethod.choices, blank=True)
    received_by = models.CharField(_("签收人"), max_length=100, blank=True)
    filed_with_superior_on = models.DateField(_("报上级检察院备案日期"), null=True, blank=True)
    reply_received_on = models.DateField(_("书面回复收到日期"), null=True, blank=True)
    reply_posted_on = models.DateField(
        _("书面回复交邮日期"), null=True, blank=True, help_text=_("邮寄回复的，以交邮日期判断是否按期。")
    )
    reply_summary = models.TextField(_("回复内容摘要"), blank=True)
    # Optimistic locking of the draft (issue 16): recommendation_update checks and increments it.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("检察建议")
        verbose_name_plural = _("检察建议")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The agency home (feedback.selectors): an agency's recommendations read off the index
            # alone (status and issue date for its groups and order), not from their table rows.
            models.Index(fields=["agency", "status", "-issued_on", "-id"], name="rec_agency_status_issued_idx"),
            models.Index(fields=["case", "status"], name="rec_case_status_idx"),
            models.Index(fields=["status", "served_on"], name="rec_status_served_idx"),
            # The dashboard (dashboard/metrics.py): recommendations served in a period, the monthly trend.
            models.Index(
                fields=["served_on", "case"], condition=models.Q(served_on__isnull=False), name="rec_served_case_idx"
            ),
            # The default ordering (the API list, the admin): a page is read off the index instead
            # of sorting every recommendation in scope.
            models.Index(fields=["-created_at", "-id"], name="rec_created_idx"),
            # The same within a procuratorate: a scope's lists and their deep pages, per procuratorate.
            models.Index(fields=["procuratorate", "-created_at", "-id"], name="rec_scope_created_idx"),
            # An agency's recommendations (the agency home, the API for agency staff), newest first.
            models.Index(fields=["agency", "-created_at", "-id"], name="rec_agency_created_idx"),
        ]

    def __str__(self) -> str:
        return self.document_number or _("检察建议（草稿）") + f" #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        if self.procuratorate_id is None and self.case_id is not None:
            self.procuratorate_id = self.case.procuratorate_id
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status not in (self.Status.DRAFT, self.Status.PENDING_APPROVAL, self.Status.APPROVED)


class RecommendationItem(CachedChoiceLabels, models.Model):
    """One numbered demand (建议事项), evaluated after the follow-up investigation."""

    class Evaluation(models.TextChoices):
        RECTIFIED = "rectified", _("已整改")
        PARTLY = "partly", _("部分整改")
        NOT_RECTIFIED = "not_rectified", _("未整改")
        ALREADY_PERFORMED = "already_performed", _("已依法履职")

    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("检察建议"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("建议事项"))
    evaluation = models.CharField(_("整改评估"), max_length=20, choices=Evaluation.choices, blank=True)
    evaluation_note = models.TextField(_("评估说明"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("评估时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("建议事项")
        verbose_name_plural = _("建议事项")
        ordering = ["recommendation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "number"], name="recitem_unique_number"),
        ]
        indexes = [
            # The dashboard (dashboard/metrics.py): items evaluated in a period (rectification rate).
            models.Index(fields=["evaluated_at"], condition=~models.Q(evaluation=""), name="item_evaluated_idx"),
            # The agency home (feedback.selectors): whether a recommendation has an item still to
            # evaluate, one probe into the (small) set of such items.
            models.Index(fields=["recommendation"], condition=models.Q(evaluation=""), name="item_unevaluated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"
