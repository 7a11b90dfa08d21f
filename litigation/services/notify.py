"""In-app notifications to the defendant agency's staff about their court duties (docs/domain.md, Roles:
agency staff answer court deadlines): the defence period opened, a hearing scheduled or held, a
ruling recorded.

They are created in the transaction of the court event (notifications.services.notify: one row
per recipient and key, so recording the same event twice notifies nobody twice) and point to the
agency portal's page of the lawsuit. Their text is rendered in the reader's language
(notifications/messages.py) and never quotes the procuratorate's internal notes.
"""

from __future__ import annotations

from django.urls import reverse

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


def lawsuit_params(lawsuit: Lawsuit) -> dict[str, str]:
    """The parameters naming the lawsuit, which every court notification's body starts with."""
    return {"court": lawsuit.court, "court_case_number": lawsuit.court_case_number}


def lawsuit_url(lawsuit: Lawsuit) -> str:
    """The agency portal's page of the lawsuit, where every court notification points."""
    return reverse("agency_lawsuit_detail", args=[lawsuit.pk])
