"""The bell's unread count, computed only if a template shows it (at most one query per page)."""

from __future__ import annotations

from django.utils.functional import cached_property

from notifications.selectors import UNREAD_COUNT_CAP, unread_count


class UnreadNotifications:
    def __init__(self, user) -> None:
        self._user = user

    @cached_property
    def count(self) -> int:
        return unread_count(self._user)

    @property
    def label(self) -> str:
        return f"{UNREAD_COUNT_CAP - 1}+" if self.count >= UNREAD_COUNT_CAP else str(self.count)


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": UnreadNotifications(user)}
