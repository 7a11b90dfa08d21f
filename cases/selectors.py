"""Every read of cases, leads, recommendations and files starts here (docs/domain.md, Who sees what).

One function per object kind decides, per role, what a user may see. Views, exports, form choices
and (later) the API and notifications all start from these querysets; anything they exclude
answers 404 exactly like an id that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Attachment, Case, Event, Lead, Recommendation


def _procuratorate_scope(user: User) -> Q | None:
    """The procuratorates whose cases `user` reads, as a filter on `procuratorate`; None = nothing."""
    if not user.is_active:
        return None  # a deactivated account reads nothing, administrators included
    if user.is_superuser:
        return Q()
    if not user.organisation_id:
        return None
    if user.role == Role.PROCURATOR:
        return Q(procuratorate_id=user.organisation_id)
    if user.role == Role.SUPERVISOR:
        return Q(procuratorate__tree_path__startswith=user.organisation.tree_path)
    return None


def procuratorates_visible_to(user: User) -> QuerySet[Organisation]:
    scope = _procuratorate_scope(user)
    qs = Organisation.objects.filter(kind=Organisation.Kind.PROCURATORATE)
    if scope is None:
        return qs.none()
    if user.is_superuser:
        return qs
    if user.role == Role.SUPERVISOR:
        return qs.filter(tree_path__startswith=user.organisation.tree_path)
    return qs.filter(pk=user.organisation_id)


def leads_visible_to(user: User) -> QuerySet[Lead]:
    scope = _procuratorate_scope(user)
    if scope is None:
        return Lead.objects.none()
    return Lead.objects.filter(scope)


def cases_visible_to(user: User) -> QuerySet[Case]:
    scope = _procuratorate_scope(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope)


def recommendations_visible_to(user: User) -> QuerySet[Recommendation]:
    """Procuratorate staff: recommendations of the cases they see.

    Agency staff: what has been issued to their own agency, never drafts (docs/domain.md, Who sees what).
    """
    if user.acts_for_agency:
        return Recommendation.objects.filter(
            agency_id=user.organisation_id,
            status__in=[
                Recommendation.Status.ISSUED,
                Recommendation.Status.SERVED,
                Recommendation.Status.REPLIED,
            ],
        )
    scope = _procuratorate_scope(user)
    if scope is None:
        return Recommendation.objects.none()
    if user.is_superuser:
        return Recommendation.objects.all()
    return Recommendation.objects.filter(case__in=cases_visible_to(user))


def attachments_visible_to(user: User) -> QuerySet[Attachment]:
    # Agency staff get their own evidence files with the agency portal (a later issue); until then
    # case files are procuratorate-internal.
    return Attachment.objects.filter(case__in=cases_visible_to(user))


def agencies_for_choice(user: User) -> QuerySet[Organisation]:
    """Agencies a procurator may name on a lead, case or recommendation: every active agency."""
    if not (user.is_superuser or user.is_procuratorate_staff):
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True).order_by("tree_path", "name")


def agencies_visible_to(user: User) -> QuerySet[Organisation]:
    """The agencies a user may look up: procuratorate staff those they may name (agencies_for_choice);
    agency staff only their own."""
    if user.acts_for_agency:
        return Organisation.objects.filter(pk=user.organisation_id, kind=Organisation.Kind.AGENCY)
    return agencies_for_choice(user)


def handlers_for_choice(case_procuratorate: Organisation) -> QuerySet[User]:
    """Procurators of the case's own procuratorate, who may handle or co-handle it.

    Not supervisors: they read and approve, and can_edit_case would leave their case uneditable.
    """
    return User.objects.filter(organisation=case_procuratorate, role=Role.PROCURATOR, is_active=True).order_by(
        "full_name", "username"
    )


def can_edit_case(user: User, case: Case) -> bool:
    """The handler and co-handlers edit a case; everyone else in scope reads it."""
    if case.is_closed or not user.is_active or user.role != Role.PROCURATOR:
        return False
    if case.procuratorate_id != user.organisation_id:
        return False
    return case.handler_id == user.pk or case.co_handlers.filter(pk=user.pk).exists()


def can_approve(user: User, case: Case) -> bool:
    """A supervisor of the case's procuratorate or of a higher one (上级检察院领导下级检察院)."""
    if not user.is_active or user.role != Role.SUPERVISOR or not user.organisation_id:
        return False
    return case.procuratorate.tree_path.startswith(user.organisation.tree_path)


def case_timeline(case: Case) -> QuerySet[Event]:
    """Every event of the case and of the lead it came from, oldest first, with their actors."""
    q = Q(case=case)
    if case.lead_id:
        q |= Q(lead_id=case.lead_id)
    return Event.objects.filter(q).select_related("actor", "recommendation").order_by("at", "id")


def case_list(user: User) -> QuerySet[Case]:
    """The case list for `user`, shaped so a page costs a fixed number of queries."""
    from deadlines.selectors import case_next_due

    return (
        cases_visible_to(user)
        .select_related("procuratorate", "domain", "handler")
        .prefetch_related("agencies")
        .annotate(**case_next_due())
    )


# Fields that only the case handlers and supervisors read (docs/domain.md, Who sees what): the reporter's
# identity, the lead source and the internal notes. History entries about them are hidden too.
CONFIDENTIAL_FIELDS = frozenset({"reporter_name", "reporter_contact", "source", "source_detail", "internal_notes"})


def can_see_confidential(user: User, case: Case | None = None, lead: Lead | None = None) -> bool:
    """Supervisors in scope, the case's handler and co-handlers; for a lead that has no case yet,
    the procurators of its procuratorate (who evaluate it)."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.organisation_id:
        return False
    if case is None and lead is not None:
        case = Case.objects.filter(lead=lead).first()
        if case is None:
            return user.is_procuratorate_staff and (
                lead.procuratorate_id == user.organisation_id
                or (user.is_supervisor and lead.procuratorate.tree_path.startswith(user.organisation.tree_path))
            )
    if case is None:
        return False
    if user.role == Role.SUPERVISOR:
        return case.procuratorate.tree_path.startswith(user.organisation.tree_path)
    if user.role == Role.PROCURATOR and case.procuratorate_id == user.organisation_id:
        return case.handler_id == user.pk or case.co_handlers.filter(pk=user.pk).exists()
    return False


def approvals_pending_for(user: User) -> QuerySet[Recommendation]:
    """The recommendations waiting for `user`'s approval (审批): pending, of an open case that
    `user` sees and may approve (can_approve: a supervisor of the case's procuratorate or of a
    higher one). The approvals inbox and its count start here; litigation.selectors has the
    proposals to sue."""
    if not user.is_active or user.role != Role.SUPERVISOR or not user.organisation_id:
        return Recommendation.objects.none()
    return (
        recommendations_visible_to(user)
        .filter(
            status=Recommendation.Status.PENDING_APPROVAL,
            case__procuratorate__tree_path__startswith=user.organisation.tree_path,
        )
        # A closed case refuses every approval (cases.services.guards.require_approver).
        .exclude(case__status=Case.Status.CLOSED)
    )
