"""Rectification feedback (整改反馈) written by the agencies themselves (docs/domain.md:
Recommendations and feedback, Who sees what).

An agency acknowledges receipt (签收) of a served recommendation, then writes reports: interim
progress reports, the final written reply (书面回复) and supplementary explanations (补充说明)
that a procurator asked for. Each report answers every recommendation item, carries evidence
files and the responsible person's name and title. A submitted report is never changed or
deleted; a correction is a new report pointing at the one it corrects.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pil_tracker.errors import DomainError
from storage.models import StoredFile, stored_file_path


class Acknowledgement(models.Model):
    """The agency's own acknowledgement of receipt (签收) of a served recommendation.

    Kept beside the procurator's recorded service date, never replacing it: both stay visible and
    the earlier of the two starts the reply period (docs/domain.md, Glossary 送达).
    """

    recommendation = models.OneToOneField(
        "cases.Recommendation",
        verbose_name=_("检察建议"),
        on_delete=models.PROTECT,
        related_name="acknowledgement",
    )
    acknowledged_on = models.DateField(_("签收日期"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签收人"), on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("签收记录")
        verbose_name_plural = _("签收记录")

    def __str__(self) -> str:
        return f"{self.recommendation} {self.acknowledged_on:%Y-%m-%d}"


class SupplementRequest(models.Model):
    """A procurator's request for supplementary information (补充说明), answered by a report."""

    recommendation = models.ForeignKey(
        "cases.Recommendation",
        verbose_name=_("检察建议"),
        on_delete=models.PROTECT,
        related_name="supplement_requests",
    )
    text = models.TextField(_("需要补充说明的事项"))
    due_on = models.DateField(_("补充说明期限"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    # Set when a supplementary report answering this request is submitted.
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("补充说明要求")
        verbose_name_plural = _("补充说明要求")
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["recommendation", "answered_at"], name="supreq_rec_answered_idx")]

    def __str__(self) -> str:
        return f"{self.recommendation} {self.due_on:%Y-%m-%d}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class FeedbackReport(models.Model):
    """One report of an agency on one recommendation: drafted inside the agency, submitted by its
    responsible person, and from then on immutable."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("整改进展情况报告")
        FINAL = "final", _("书面回复")
        SUPPLEMENTARY = "supplementary", _("补充说明")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    recommendation = models.ForeignKey(
        "cases.Recommendation",
        verbose_name=_("检察建议"),
        on_delete=models.PROTECT,
        related_name="feedback_reports",
    )
    # The answering agency (the recommendation's); kept on the row so that every agency-scoped
    # read is one indexed filter.
    agency = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("反馈机关"), on_delete=models.PROTECT, related_name="feedback_reports"
    )
    kind = models.CharField(_("报告类型"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    supplement_request = models.ForeignKey(
        SupplementRequest,
        verbose_name=_("所答复的补充说明要求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的报告"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    summary = models.TextField(_("总体情况"))
    responsible_person_name = models.CharField(_("负责人姓名"), max_length=100, blank=True)
    responsible_person_title = models.CharField(_("负责人职务"), max_length=100, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改反馈")
        verbose_name_plural = _("整改反馈")
        ordering = ["created_at", "id"]
        indexes = [
            # Agency portal: the agency's reports, drafts or submitted.
            models.Index(fields=["agency", "status"], name="fbreport_agency_status_idx"),
            # Procurator side: the submitted reports of a recommendation, in order of arrival.
            models.Index(fields=["recommendation", "status", "submitted_at"], name="fbreport_rec_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft", submitted_at__isnull=True, submitted_by__isnull=True)
                | models.Q(status="submitted", submitted_at__isnull=False, submitted_by__isnull=False),
                name="fbreport_submitted_has_submitter",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="supplementary", supplement_request__isnull=False)
                | (~models.Q(kind="supplementary") & models.Q(supplement_request__isnull=True)),
                name="fbreport_supplement_answers_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.recommendation}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def delete(self, *args, **kwargs):
        # The services never delete a submitted report; this stops the admin and the shell too.
        if self.pk and FeedbackReport.objects.filter(pk=self.pk, status=self.Status.SUBMITTED).exists():
            raise DomainError(_("已提交的整改反馈不能删除；如需更正，请提交新的报告。"), code="immutable")
        return super().delete(*args, **kwargs)


class ItemAnswer(models.Model):
    """The report's answer on one recommendation item (逐项回复)."""

    class Status(models.TextChoices):
        ALREADY_PERFORMED = "already_performed", _("已依法履职")
        RECTIFIED = "rectified", _("已整改")
        RECTIFYING = "rectifying", _("正在整改")
        CANNOT_YET = "cannot_yet", _("暂不能整改")

    report = models.ForeignKey(
        FeedbackReport, verbose_name=_("整改反馈"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        "cases.RecommendationItem",
        verbose_name=_("建议事项"),
        on_delete=models.PROTECT,
        related_name="feedback_answers",
    )
    status = models.CharField(_("整改情况"), max_length=20, choices=Status.choices)
    measures = models.TextField(_("已采取的措施及成效"))
    reason = models.TextField(_("暂不能整改的客观原因"), blank=True)
    proposed_completion_on = models.DateField(_("拟完成整改日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("逐项答复")
        verbose_name_plural = _("逐项答复")
        ordering = ["report", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="itemanswer_unique_item"),
            models.CheckConstraint(
                condition=~models.Q(status="cannot_yet")
                | (models.Q(proposed_completion_on__isnull=False) & ~models.Q(reason="")),
                name="itemanswer_cannot_yet_has_reason_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.number}. {self.get_status_display()}"


# Kept for the migrations that name it; files are stored by storage.models.stored_file_path.
feedback_file_path = stored_file_path


class FeedbackAttachment(StoredFile):
    """An evidence file of a report (storage.models.StoredFile), served only by a
    permission-checked view (feedback.views.attachment_download)."""

    report = models.ForeignKey(
        FeedbackReport, verbose_name=_("整改反馈"), on_delete=models.PROTECT, related_name="attachments"
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("反馈附件")
        verbose_name_plural = _("反馈附件")

    def storage_folder(self) -> str:
        return f"feedback/{self.report.recommendation_id}"


class CompletionDateProposal(models.Model):
    """An agency's proposed completion date for an item it cannot rectify yet (客观原因).

    Created when the report carrying it is submitted; the procurator accepts it (which opens a
    watched rectification deadline, separate from the reply deadline) or refuses it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待决定")
        ACCEPTED = "accepted", _("已同意")
        REFUSED = "refused", _("不同意")

    answer = models.OneToOneField(
        ItemAnswer, verbose_name=_("逐项答复"), on_delete=models.PROTECT, related_name="proposal"
    )
    recommendation = models.ForeignKey(
        "cases.Recommendation",
        verbose_name=_("检察建议"),
        on_delete=models.PROTECT,
        related_name="completion_proposals",
    )
    item = models.ForeignKey(
        "cases.RecommendationItem", verbose_name=_("建议事项"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_on = models.DateField(_("拟完成整改日期"))
    status = models.CharField(_("决定"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_note = models.TextField(_("决定说明"), blank=True)
    # The agreed-rectification deadline an accepted date set (one per recommendation).
    deadline = models.ForeignKey(
        "deadlines.Deadline",
        verbose_name=_("整改期限"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改完成日期申请")
        verbose_name_plural = _("整改完成日期申请")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["recommendation", "status"], name="proposal_rec_status_idx")]

    def __str__(self) -> str:
        return f"{self.item} {self.proposed_on:%Y-%m-%d} {self.get_status_display()}"
