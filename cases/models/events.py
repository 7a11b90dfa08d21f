from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.choices import CachedChoiceLabels


class Event(CachedChoiceLabels, models.Model):
    """One entry of the history: who did what, when, why, and what changed (before/after).

    Written only by services, in the same transaction as the change it records; never edited or
    deleted. The case timeline is the list of a case's events (and of its lead's).
    """

    class Kind(models.TextChoices):
        LEAD_REGISTERED = "lead_registered", _("登记线索")
        LEAD_EDITED = "lead_edited", _("修改线索")
        LEAD_DECLINED = "lead_declined", _("不予立案")
        CASE_OPENED = "case_opened", _("立案")
        CASE_EDITED = "case_edited", _("修改案件信息")
        STATUS_CHANGED = "status_changed", _("案件状态变更")
        INVESTIGATION_RECORDED = "investigation_recorded", _("记录调查")
        CONSULTATION_RECORDED = "consultation_recorded", _("记录磋商")
        ATTACHMENT_ADDED = "attachment_added", _("上传附件")
        ATTACHMENT_REMOVED = "attachment_removed", _("删除附件")
        RECOMMENDATION_DRAFTED = "recommendation_drafted", _("起草检察建议")
        RECOMMENDATION_EDITED = "recommendation_edited", _("修改检察建议")
        RECOMMENDATION_SUBMITTED = "recommendation_submitted", _("提请审批")
        RECOMMENDATION_APPROVED = "recommendation_approved", _("审批同意")
        RECOMMENDATION_RETURNED = "recommendation_returned", _("审批退回")
        RECOMMENDATION_ISSUED = "recommendation_issued", _("签发检察建议")
        RECOMMENDATION_SERVED = "recommendation_served", _("送达检察建议")
        RECOMMENDATION_FILED = "recommendation_filed", _("报上级备案")
        REPLY_RECORDED = "reply_recorded", _("收到书面回复")
        ITEM_EVALUATED = "item_evaluated", _("评估整改情况")
        RECOMMENDATION_ACKNOWLEDGED = "recommendation_acknowledged", _("行政机关签收")
        FEEDBACK_SUBMITTED = "feedback_submitted", _("行政机关报送整改反馈")
        SUPPLEMENT_REQUESTED = "supplement_requested", _("要求补充说明")
        COMPLETION_DATE_DECIDED = "completion_date_decided", _("决定整改完成日期")
        CASE_CLOSED = "case_closed", _("终结案件")
        LAWSUIT_DECIDED = "lawsuit_decided", _("决定提起诉讼")
        # The decision to sue needs a supervisor's approval (litigation/services/decision.py).
        LAWSUIT_PROPOSED = "lawsuit_proposed", _("提请审批起诉")
        LAWSUIT_RETURNED = "lawsuit_returned", _("起诉审批退回")
        # Civil PIL: another qualified plaintiff sued after the announcement (and its support).
        PLAINTIFF_SUIT_RECORDED = "plaintiff_suit_recorded", _("记录其他适格主体起诉")
        # Every court event (filing, defence, hearing, ruling, appeal, effect, compliance, …); when
        # it moves the case (提起诉讼 → 已裁判 → …) the event carries the status change.
        COURT_RECORDED = "court_recorded", _("记录诉讼进程")
        # A discipline liaison's action against an escalated, overdue recommendation (supervision app).
        SUPERVISION_ACTION_RECORDED = "supervision_action_recorded", _("纪委监委督办")
        # Two-way lead referral with the discipline commission (referrals/services.py).
        REFERRAL_RECORDED = "referral_recorded", _("线索移送")
        # Joint meetings that discussed the case (meetings/services.py).
        MEETING_SCHEDULED = "meeting_scheduled", _("安排联席会议")
        MEETING_HELD = "meeting_held", _("召开联席会议")
        MEETING_DECISION_RECORDED = "meeting_decision_recorded", _("记录联席会议议定事项")
        MEETING_DECISION_DONE = "meeting_decision_done", _("联席会议议定事项已落实")
        # Assistance requests to an agency (assistance app): sent, answered, closed, withdrawn.
        ASSISTANCE_REQUESTED = "assistance_requested", _("请求行政机关协助调查")
        ASSISTANCE_ANSWERED = "assistance_answered", _("行政机关答复协助请求")
        ASSISTANCE_CLOSED = "assistance_closed", _("办结协助请求")
        ASSISTANCE_WITHDRAWN = "assistance_withdrawn", _("撤回协助请求")
        # Typical cases (典型案例) written up from a closed case (typical_cases/services.py).
        TYPICAL_CASE_RECORDED = "typical_case_recorded", _("典型案例")

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    lead = models.ForeignKey("cases.Lead", null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    recommendation = models.ForeignKey(
        "cases.Recommendation", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    from_status = models.CharField(_("原状态"), max_length=30, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, blank=True)
    # What the user typed, or the writer's rendering of `message` (a plain-text copy).
    note = models.TextField(_("说明"), blank=True)
    # Generated text, language-neutral: a list of {"msg": msgid, "params": {...}} and plain strings,
    # rendered in the reader's language (cases/timeline.py). Empty for events written before it.
    message = models.JSONField(_("说明（多语言）"), default=list, blank=True)
    # {"field name": {"model": "app.model", "before": raw, "after": raw}} (cases/services/history.py);
    # events written before that hold {"field name": [before, after]} as displayed strings.
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("历史记录")
        verbose_name_plural = _("历史记录")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="event_case_at_idx"),
            models.Index(fields=["lead", "at"], name="event_lead_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"
