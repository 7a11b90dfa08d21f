"""Notifications: one row per message to one user, shown in the in-app centre and sent by email.

A notification is also the outbox of its email, so that a job run twice still sends once: the
row is written in the transaction that decides to notify, a delivery task sends the email after
commit and records the outcome on the row, and a periodic sweeper re-enqueues whatever
a lost message, a crashed worker or a mail-server outage left unsent.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications import messages

logger = logging.getLogger(__name__)


class Notification(models.Model):
    class Kind(models.TextChoices):
        DEADLINE_REMINDER = "deadline_reminder", _("期限临近提醒")
        DEADLINE_OVERDUE = "deadline_overdue", _("逾期提醒")
        DEADLINE_ESCALATED = "deadline_escalated", _("逾期督办")
        # The agency portal (feedback/services.py).
        FEEDBACK_SUBMITTED = "feedback_submitted", _("收到整改反馈")
        RECOMMENDATION_ACKNOWLEDGED = "recommendation_acknowledged", _("行政机关签收检察建议")
        SUPPLEMENT_REQUESTED = "supplement_requested", _("要求补充说明")
        COMPLETION_DATE_DECIDED = "completion_date_decided", _("整改完成日期决定")
        # The defendant agency's court duties (litigation/services/notify.py).
        COURT_DEFENCE = "court_defence", _("应诉答辩")
        COURT_HEARING = "court_hearing", _("开庭")
        COURT_RULING = "court_ruling", _("裁判")
        # Approvals (审批) of recommendations and lawsuits: a supervisor is asked, the handler is
        # told the decision (cases/services/recommendations.py, litigation/services/decision.py).
        APPROVAL_REQUESTED = "approval_requested", _("待审批")
        APPROVAL_DECIDED = "approval_decided", _("审批结果")
        # The discipline commission recorded a supervision action on a case (supervision/services.py).
        SUPERVISION_ACTION_RECORDED = "supervision_action_recorded", _("纪委监委督办措施")
        # Two-way lead referral (referrals/services.py): the receiving side is told of a referral
        # sent to it; the sender of its acknowledgement and of the outcome.
        REFERRAL_SENT = "referral_sent", _("收到移送线索")
        REFERRAL_ACKNOWLEDGED = "referral_acknowledged", _("移送线索已签收")
        REFERRAL_OUTCOME = "referral_outcome", _("移送线索处理结果")
        # Assistance requests (assistance/services.py): to the agency, and its answer to the procurator.
        ASSISTANCE_REQUESTED = "assistance_requested", _("协助调查请求")
        ASSISTANCE_ANSWERED = "assistance_answered", _("协助调查答复")

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("待发送")
        # Claimed by one delivery run; a claim older than `email_due_at` was abandoned by a crashed
        # worker and is handed back by the sweeper.
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("不发送")
        DIGEST = "digest", _("待汇总发送")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类别"), max_length=40, choices=Kind.choices)
    # What the notification says is rendered when it is read, in the reader's language, from its
    # kind and these parameters (notifications/messages.py): plain values, dates as ISO strings, and
    # translatable words (a choice label, a deadline rule's name) as their untranslated msgids.
    params = models.JSONField(_("参数"), null=True, blank=True)
    # Text rendered once at creation, by notifications written before rendering moved to display
    # time (migration 0004) and whose parameters could not be reconstructed: shown only when
    # `params` is null.
    stored_title = models.CharField(_("标题"), max_length=200, blank=True)
    stored_body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True, help_text=_("站内链接，如 /cases/12/。"))
    # What this notification is about, e.g. "deadline:42:overdue". Unique per recipient, so a job
    # that runs twice, or in two workers at once, cannot notify the same person twice.
    key = models.CharField(_("去重键"), max_length=200)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    email_status = models.CharField(
        _("邮件状态"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    email_last_error = models.TextField(_("最近一次错误"), blank=True)
    email_sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # When the sweeper should next look at an unfinished email: creation time for a new one, the
    # end of the back-off after a failure, the end of the claim while it is being sent.
    email_due_at = models.DateTimeField(_("下次处理时间"), null=True, blank=True)
    # The daily digest that claimed (and then sent) this notification.
    email_batch = models.UUIDField(_("汇总批次"), null=True, blank=True, editable=False)
    # Set on every row of one notifications_create call: the rows that carry it afterwards are the
    # ones that call inserted (bulk_create with ignore_conflicts returns no primary keys).
    insert_token = models.UUIDField(editable=False, null=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_recipient_key_uniq"),
        ]
        indexes = [
            # The notification list: one user's rows, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recipient_created_idx"),
            # The bell: the unread count of one user, read from a small index of unread rows only.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread_idx"),
            # deliver_pending_notifications (the sweeper): unfinished emails whose time has come.
            models.Index(
                fields=["email_due_at"],
                condition=Q(email_status__in=["pending", "sending", "failed"]),
                name="notif_email_due_idx",
            ),
            # send_agency_digests: notifications waiting for the daily digest.
            models.Index(fields=["created_at"], condition=Q(email_status="digest"), name="notif_digest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def rendered(self) -> tuple[str, str]:
        """(title, body) in the active language: the reader's request, or the recipient's language
        for an email (translation.override)."""
        if self.params is not None:
            try:
                return messages.render(self.kind, self.params)
            except (KeyError, TypeError, ValueError):
                # Parameters a renderer no longer understands must not break the reader's list.
                logger.warning("Notification %s: cannot render %s with %r", self.pk, self.kind, self.params)
        return self.stored_title or str(self.get_kind_display()), self.stored_body

    @property
    def title(self) -> str:
        return self.rendered()[0]

    @property
    def body(self) -> str:
        return self.rendered()[1]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """How an agency's staff receive email, when it differs from NOTIFICATIONS_AGENCY_DIGEST."""

    organisation = models.OneToOneField(
        "agencies.Organisation",
        verbose_name=_("行政机关"),
        on_delete=models.CASCADE,
        related_name="email_preference",
        limit_choices_to={"kind": "agency"},
    )
    daily_digest = models.BooleanField(
        _("每日汇总发送"),
        default=True,
        help_text=_("选中时，本机关工作人员每天只收到一封汇总邮件；否则每条通知单独发送。"),
    )

    class Meta:
        verbose_name = _("机关邮件设置")
        verbose_name_plural = _("机关邮件设置")

    def __str__(self) -> str:
        return str(self.organisation)
