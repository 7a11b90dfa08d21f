"""Every read of notifications: a user only ever sees their own (another user's id answers 404)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from notifications.models import Notification

# The bell shows "99+" beyond this, so counting stops there: the cost stays flat however many
# unread notifications a user has piled up.
UNREAD_COUNT_CAP = 100


def notifications_of(user: User | AnonymousUser) -> QuerySet[Notification]:
    if not user.is_authenticated or not user.is_active:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def notification_list(user: User, *, only_unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (unread ones are highlighted by the template)."""
    qs = notifications_of(user)
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user: User | AnonymousUser) -> int:
    """Unread notifications of the user, counted up to UNREAD_COUNT_CAP (one query)."""
    return notifications_of(user).filter(read_at__isnull=True)[:UNREAD_COUNT_CAP].count()
