"""Helpers for the notification tests."""

from __future__ import annotations

from notifications.models import Notification
from notifications.services import NotificationSpec


def spec(user, key: str = "deadline:1:overdue", *, kind: str = Notification.Kind.DEADLINE_OVERDUE, **fields):
    values = {"title": f"检察建议回复逾期（{key}）", "body": "被建议机关尚未书面回复。", "url": "/cases/1/"} | fields
    return NotificationSpec(recipient_id=user.pk, kind=kind, key=key, **values)
