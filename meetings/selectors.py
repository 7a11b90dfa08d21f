"""Who reads which joint meeting (docs/domain.md, Joint meetings). Everything reads through these;
a meeting outside the scope answers 404 like one that does not exist."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from agencies.models import Organisation
from meetings.models import Decision, Meeting


def _procuratorate_scope(user: User) -> QuerySet[Organisation] | None:
    """The procuratorates whose meetings `user` reads as procuratorate staff, or None."""
    if user.organisation is None or user.role not in (Role.PROCURATOR, Role.SUPERVISOR):
        return None
    procuratorates = Organisation.objects.filter(kind=Organisation.Kind.PROCURATORATE)
    if user.role == Role.SUPERVISOR:
        return procuratorates.filter(tree_path__startswith=user.organisation.tree_path)
    return procuratorates.filter(pk=user.organisation.pk)


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Procurators: their procuratorate's meetings (kept or attended); supervisors: those of their
    procuratorate and every subordinate one; agency staff and the commission's liaison: the
    meetings their organisation attended. A deactivated account reads nothing."""
    if not user.is_active:
        return Meeting.objects.none()
    if user.is_superuser:
        return Meeting.objects.all()
    if user.organisation_id is None:
        return Meeting.objects.none()
    scope = _procuratorate_scope(user)
    if scope is not None:
        attended = Q(participants__organisation__in=scope)
        return Meeting.objects.filter(pk__in=Meeting.objects.filter(Q(procuratorate__in=scope) | attended).values("pk"))
    if user.role in (Role.AGENCY_STAFF, Role.DISCIPLINE_LIAISON):
        return Meeting.objects.filter(participants__organisation_id=user.organisation_id).distinct()
    return Meeting.objects.none()


def decisions_visible_to(user: User) -> QuerySet[Decision]:
    """Procuratorate staff: every decision of the meetings they read; an agency or a commission:
    only the decisions its own organisation owns (not the other participants')."""
    decisions = Decision.objects.filter(meeting__in=meetings_visible_to(user))
    if user.is_superuser or _procuratorate_scope(user) is not None:
        return decisions
    return decisions.filter(owner_id=user.organisation_id)


def can_record(user: User, meeting: Meeting) -> bool:
    """Supervisors record the meetings of their scope (schedule, hold, decide)."""
    return user.is_active and user.is_supervisor and user.acts_as_supervisor_of(meeting.procuratorate)


def can_schedule(user: User) -> bool:
    return user.is_active and user.is_supervisor and user.organisation is not None


def can_mark_done(user: User, decision: Decision) -> bool:
    """The owner organisation's staff (while it is active), or a supervisor of the meeting's
    procuratorate (or of the owner when it is a procuratorate)."""
    if not user.is_active or user.organisation_id is None:
        return False
    if user.organisation_id == decision.owner_id and user.role != Role.PROCURATOR:
        # A merged or abolished organisation keeps reading but writes nothing new.
        return decision.owner.is_active
    if user.is_supervisor:
        return user.acts_as_supervisor_of(decision.meeting.procuratorate) or (
            decision.owner.kind == Organisation.Kind.PROCURATORATE and user.acts_as_supervisor_of(decision.owner)
        )
    return False


def participating_organisations() -> QuerySet[Organisation]:
    """Organisations that can take part: active procuratorates, agencies and commissions."""
    return Organisation.objects.filter(is_active=True).order_by("kind", "tree_path", "name")


def meeting_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations a meeting may name as host or participant, for those who schedule one."""
    if not can_schedule(user):
        return Organisation.objects.none()
    return participating_organisations()


def agency_open_decisions(user: User) -> list[Decision]:
    """The open decisions the user's own organisation owns, soonest due first (the portal's home)."""
    if user.organisation_id is None:
        return []
    return list(
        decisions_visible_to(user)
        .filter(owner_id=user.organisation_id, status=Decision.Status.OPEN)
        .select_related("meeting")
        .order_by("due_date", "id")[:50]
    )
