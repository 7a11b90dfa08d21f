"""Every read of interference records starts here (docs/domain.md, Interference records).

Who reads them: the supervisors of the record's procuratorate or of one above it; the procurator
who recorded a record (their own records only); the discipline liaison of a commission covering the
procuratorate. Nobody else — not other procurators, never agency staff, not administrators outside
the read-only admin. Anything excluded answers 404, like an id that does not exist.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Case
from cases.portal import CaseLink, case_may_have
from cases.selectors import cases_visible_to, co_handles
from interference.models import InterferenceAttachment, InterferenceRecord


def procuratorates_covered_by(commission: Organisation) -> QuerySet[Organisation]:
    """The procuratorates a discipline commission covers: those of its own region and of the
    regions directly under it (a city's commission covers the city's and the banners' procuratorates).

    The same regional rule as the deadline scan's escalations (deadlines/services.py, _recipients),
    read from the commission's side."""
    if commission.region_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.PROCURATORATE).filter(
        Q(region_id=commission.region_id) | Q(region__parent_id=commission.region_id)
    )


def _scope(user: User) -> Q | None:
    """The records `user` reads, as a filter; None = nothing."""
    if not user.is_active or not user.organisation_id or user.organisation is None:
        return None
    if user.role == Role.SUPERVISOR:
        return Q(procuratorate__tree_path__startswith=user.organisation.tree_path)
    if user.role == Role.PROCURATOR:
        return Q(recorded_by=user)
    if user.role == Role.DISCIPLINE_LIAISON and user.organisation.is_active:
        return Q(procuratorate__in=procuratorates_covered_by(user.organisation))
    return None


def interference_records_visible_to(user: User) -> QuerySet[InterferenceRecord]:
    scope = _scope(user)
    if scope is None:
        return InterferenceRecord.objects.none()
    return InterferenceRecord.objects.filter(scope)


def interference_attachments_visible_to(user: User) -> QuerySet[InterferenceAttachment]:
    return InterferenceAttachment.objects.filter(record__in=interference_records_visible_to(user))


def interference_record_list(user: User) -> QuerySet[InterferenceRecord]:
    """The list as pages show it: one query, whatever the number of records."""
    return (
        interference_records_visible_to(user)
        .select_related("case", "procuratorate", "recorded_by", "corrects")
        .annotate(is_corrected=Exists(InterferenceRecord.objects.filter(corrects=OuterRef("pk"))))
        .order_by("-occurred_on", "-id")
    )


def can_record_on(user: User, case: Case) -> bool:
    """The case's handler and co-handlers, and the supervisors in scope, record interference."""
    if not user.is_active:
        return False
    if user.role == Role.SUPERVISOR:
        return user.acts_as_supervisor_of(case.procuratorate)
    if user.role == Role.PROCURATOR:
        return case.handler_id == user.pk or co_handles(user, case)
    return False


def cases_for_recording(user: User) -> QuerySet[Case]:
    """The cases `user` may record interference on (the create form's choices)."""
    if not user.is_active:
        return Case.objects.none()
    if user.role == Role.SUPERVISOR:
        return cases_visible_to(user)
    if user.role == Role.PROCURATOR:
        return cases_visible_to(user).filter(Q(handler=user) | Q(co_handlers=user)).distinct()
    return Case.objects.none()


def may_read_any(user: User) -> bool:
    """Whether the interference pages are for `user` at all (the navigation link, the list)."""
    return bool(user.is_active and user.role in (Role.SUPERVISOR, Role.PROCURATOR, Role.DISCIPLINE_LIAISON))


def case_interference_link(user: User, case: Case) -> list[CaseLink]:
    """The case page's link, "干预记录 (N)", for those who may read or record the case's records."""
    if not can_record_on(user, case):
        return []
    count = (
        interference_records_visible_to(user).filter(case=case).count()
        if case_may_have(case, "interference_records")
        else 0
    )
    return [
        CaseLink(
            label=_("干预记录 (%(count)d)") % {"count": count},
            url=f"{reverse('interference_list')}?case={case.pk}",
        )
    ]


def interference_report_procuratorates(user: User) -> QuerySet[Organisation]:
    """The procuratorates whose quarterly interference report `user` may request: a supervisor's
    own and subordinate ones, a liaison's covered ones (the same readers as the records)."""
    if not user.is_active or user.organisation is None:
        return Organisation.objects.none()
    if user.is_active_supervisor:
        return Organisation.objects.filter(
            kind=Organisation.Kind.PROCURATORATE, tree_path__startswith=user.organisation.tree_path
        )
    if user.role == Role.DISCIPLINE_LIAISON and user.organisation.is_active:
        return procuratorates_covered_by(user.organisation)
    return Organisation.objects.none()
