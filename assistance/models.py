"""Assistance requests (协助调查): a procurator asks an agency for help with a case they handle
(docs/domain.md, Assistance requests)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from storage.models import StoredFile

# The deadline engine watches the answer under this subject type (deadlines/subjects.py) and this
# rule: 15 days from the request, a configurable default of local practice, not a statute
# (seeded by migration 0002, editable by an administrator).
SUBJECT_TYPE = "assistance_request"
ANSWER_RULE = "assistance_answer"


class AssistanceRequest(models.Model):
    class Kind(models.TextChoices):
        FILES = "files", _("调取执法卷宗")
        INTERVIEW = "interview", _("询问相关人员")
        SITE = "site", _("现场勘验协助")
        APPRAISAL = "appraisal", _("委托鉴定协助")

    class Status(models.TextChoices):
        SENT = "sent", _("待答复")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已办结")
        WITHDRAWN = "withdrawn", _("已撤回")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="assistance_requests"
    )
    agency = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("被请求机关"),
        on_delete=models.PROTECT,
        related_name="assistance_requests",
    )
    kind = models.CharField(_("协助事项"), max_length=20, choices=Kind.choices)
    # What the agency reads: the request's own text, nothing else of the case.
    subject = models.CharField(_("标题"), max_length=200)
    details = models.TextField(_("请求内容"))
    sent_on = models.DateField(_("请求日期"))
    due_date = models.DateField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SENT)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("请求人"), on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("答复内容"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_note = models.TextField(_("办结说明"), blank=True)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("协助调查请求")
        verbose_name_plural = _("协助调查请求")
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["agency", "status"], name="assistance_agency_status_idx")]

    def __str__(self) -> str:
        return self.subject


class AssistanceFile(StoredFile):
    """A file the agency sent with its answer."""

    request = models.ForeignKey(
        AssistanceRequest, verbose_name=_("协助调查请求"), on_delete=models.CASCADE, related_name="files"
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("协助答复材料")
        verbose_name_plural = _("协助答复材料")

    def storage_folder(self) -> str:
        return f"assistance/{self.request_id}"
