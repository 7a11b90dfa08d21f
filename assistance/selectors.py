"""Every read of assistance requests starts here (docs/domain.md, Assistance requests).

Procuratorate staff read the requests of the cases they read; agency staff the requests addressed
to their own agency (their own text and answer, nothing else of the case); nobody else any."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from assistance.models import SUBJECT_TYPE, AssistanceFile, AssistanceRequest
from cases.models import Case
from cases.portal import case_may_have
from cases.selectors import can_edit_case, cases_visible_to
from deadlines.selectors import subject_deadlines


def assistance_visible_to(user: User) -> QuerySet[AssistanceRequest]:
    if user.acts_for_agency:
        return AssistanceRequest.objects.filter(agency_id=user.organisation_id)
    if not user.is_active or not (user.is_superuser or user.is_procuratorate_staff):
        return AssistanceRequest.objects.none()
    return AssistanceRequest.objects.filter(case__in=cases_visible_to(user))


def assistance_files_visible_to(user: User) -> QuerySet[AssistanceFile]:
    return AssistanceFile.objects.filter(request__in=assistance_visible_to(user))


def can_request(user: User, case: Case) -> bool:
    return can_edit_case(user, case)


def case_part(user: User, case: Case) -> dict[str, Any] | None:
    """The case page's list of its assistance requests (registered with cases.portal)."""
    requests = (
        list(assistance_visible_to(user).filter(case=case).select_related("agency"))
        if case_may_have(case, "assistance_requests")
        else []
    )
    deadlines = subject_deadlines(SUBJECT_TYPE, [r.pk for r in requests])
    for request in requests:
        # Shown next to the request (not a model field): its latest watched period, if any.
        found = deadlines[request.pk]
        setattr(request, "deadline", found[-1] if found else None)  # noqa: B010
    return {
        "template": "assistance/_case_part.html",
        "assistance_requests": requests,
        "assistance_can_request": can_request(user, case),
    }


def agency_home_part(user: User, today: datetime.date) -> dict[str, Any]:
    """The agency portal's open requests (registered with cases.portal)."""
    return {
        "assistance_open": assistance_visible_to(user)
        .filter(status=AssistanceRequest.Status.SENT)
        .order_by("due_date", "id"),
        "assistance_today": today,
    }
