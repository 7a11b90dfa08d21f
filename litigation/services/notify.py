"""In-app notifications to the defendant agency's staff about their court duties (docs/domain.md, Roles:
agency staff answer court deadlines): the defence period opened, a hearing scheduled or held, a
ruling recorded.

They are created in the transaction of the court event (notifications_create: one row per
recipient and key, so recording the same event twice notifies nobody twice) and point to the
agency portal's page of the lawsuit. The texts are written in the site's language (a stored row is
read later by whoever opens it) and never quote the procuratorate's internal notes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, User
from litigation.models import Lawsuit


def defendant_staff_ids(lawsuit: Lawsuit) -> list[int]:
    """The active staff of the defendant agency (none for a civil defendant)."""
    if lawsuit.defendant_agency_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True, role=Role.AGENCY_STAFF, organisation_id=lawsuit.defendant_agency_id
        ).values_list("pk", flat=True)
    )


def notify_defendant(*, lawsuit: Lawsuit, kind: str, key: str, texts: Callable[[], tuple[str, str]]) -> int:
    """Notify the defendant agency's staff once per `key` (e.g. "hearing:12:scheduled").

    `texts` returns (title, body); it is called in the site's language, not the actor's."""
    from notifications.services import NotificationSpec, notifications_create

    recipients = defendant_staff_ids(lawsuit)
    if not recipients:
        return 0
    url = reverse("agency_lawsuit_detail", args=[lawsuit.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{lawsuit.court} {lawsuit.court_case_number}"
        title, body = texts()
        specs = [
            NotificationSpec(
                recipient_id=user_id,
                kind=kind,
                title=str(title)[:200],
                body="\n".join(line for line in (subject, str(body)) if line),
                url=url,
                key=f"litigation:{key}",
            )
            for user_id in recipients
        ]
        return notifications_create(specs=specs)
