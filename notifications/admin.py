"""Administration of notifications: see what was sent, what failed and why, and send it again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import EmailPreference, Notification
from notifications.services import notifications_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "email_status", "email_attempts"]
    # "created_at" as a date filter only: no date_hierarchy, whose links scan the whole table.
    list_filter = ["email_status", "kind", "created_at"]
    list_select_related = ["recipient"]
    # A notification's text is rendered when read (notifications/messages.py): only the stored text
    # of the old rows is searchable; the others are found by key and recipient.
    search_fields = ["stored_title", "key", "recipient__username", "recipient__full_name", "email_last_error"]
    raw_id_fields = ["recipient"]
    show_full_result_count = False  # a row per person per event: millions at national scale
    readonly_fields = [
        "recipient",
        "kind",
        "title",
        "body",
        "params",
        "url",
        "key",
        "created_at",
        "read_at",
        "email_status",
        "email_attempts",
        "email_last_error",
        "email_sent_at",
        "email_due_at",
        "email_batch",
    ]
    exclude = ["insert_token", "stored_title", "stored_body"]
    actions = ["resend_email"]

    def has_add_permission(self, request) -> bool:
        # Notifications come from the services that decide them (deadlines, …), never by hand.
        return False

    @admin.action(description=_("重新发送所选通知的邮件（发送失败或未发送的）"), permissions=["change"])
    def resend_email(self, request, queryset) -> None:
        count = notifications_resend(notification_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d 封邮件已重新排队发送。", "%(count)d 封邮件已重新排队发送。", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["organisation", "daily_digest"]
    list_filter = ["daily_digest"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]
