"""Every read of lawsuits, hearings and rulings starts here (DOMAIN.md §10).

Procuratorate staff: the lawsuits of the cases they see (cases_visible_to). Agency staff: the
lawsuits against their own agency — their court duties, never the procuratorate's internal notes
(the views show them agency-facing fields only). Hearings and rulings follow their lawsuit.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import Role, User
from cases.models import Case
from cases.selectors import cases_visible_to
from litigation.models import Hearing, Lawsuit, Ruling


def _is_agency_staff(user: User) -> bool:
    return user.is_active and user.role == Role.AGENCY_STAFF and bool(user.organisation_id)


def lawsuits_visible_to(user: User) -> QuerySet[Lawsuit]:
    if _is_agency_staff(user):
        return Lawsuit.objects.filter(defendant_agency_id=user.organisation_id)
    return Lawsuit.objects.filter(case__in=cases_visible_to(user))


def hearings_visible_to(user: User) -> QuerySet[Hearing]:
    return Hearing.objects.filter(lawsuit__in=lawsuits_visible_to(user))


def rulings_visible_to(user: User) -> QuerySet[Ruling]:
    return Ruling.objects.filter(lawsuit__in=lawsuits_visible_to(user))


def litigation_cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases whose litigation page `user` may open: agency staff only those where their agency
    is a defendant."""
    if _is_agency_staff(user):
        return Case.objects.filter(pk__in=lawsuits_visible_to(user).values("case_id"))
    return cases_visible_to(user)


def is_agency_view(user: User) -> bool:
    """Whether the page is the defendant agency's view (agency-facing fields only)."""
    return _is_agency_staff(user)


def case_lawsuits(user: User, case: Case) -> list[Lawsuit]:
    """The lawsuits of `case` that `user` sees, with hearings, rulings and their deadlines
    (four queries: lawsuits with defendant and defence deadline, hearings, rulings with deadlines)."""
    return list(
        lawsuits_visible_to(user)
        .filter(case=case)
        .select_related("defendant_agency", "defence_deadline")
        .prefetch_related(
            Prefetch("hearings", queryset=Hearing.objects.order_by("held_on", "id")),
            Prefetch(
                "rulings",
                queryset=Ruling.objects.select_related("appeal_deadline", "compliance_deadline").order_by(
                    "instance", "id"
                ),
            ),
        )
    )
