"""Every read of cases, leads, recommendations and files starts here (docs/domain.md, Who sees what).

One function per object kind decides, per role, what a user may see. Views, exports, form choices
and (later) the API and notifications all start from these querysets; anything they exclude
answers 404 exactly like an id that does not exist.
"""

from __future__ import annotations

from typing import cast

from django.db.models import BooleanField, Q, QuerySet, Value, When
from django.db.models import Case as SqlCase  # "Case" is the model

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Attachment, Case, Event, Lead, Recommendation
from deadlines.models import Deadline, DeadlineRule
from deadlines.selectors import case_next_due


def _procuratorate_scope(user: User, via: str = "") -> Q | None:
    """The procuratorates whose cases `user` reads, as a filter on `procuratorate` (or on
    `<via>procuratorate`, e.g. via="case__" for a case's recommendations); None = nothing."""
    if not user.is_active:
        return None  # a deactivated account reads nothing, administrators included
    if user.is_superuser:
        return Q()
    if not user.organisation_id:
        return None
    if user.role == Role.PROCURATOR:
        return Q(**{f"{via}procuratorate_id": user.organisation_id})
    if user.role == Role.SUPERVISOR and user.organisation is not None:
        return Q(**{f"{via}procuratorate__tree_path__startswith": user.organisation.tree_path})
    return None


def procuratorates_visible_to(user: User) -> QuerySet[Organisation]:
    scope = _procuratorate_scope(user)
    qs = Organisation.objects.filter(kind=Organisation.Kind.PROCURATORATE)
    if scope is None:
        return qs.none()
    if user.is_superuser:
        return qs
    if user.role == Role.SUPERVISOR and user.organisation is not None:
        return qs.filter(tree_path__startswith=user.organisation.tree_path)
    # Not None: _procuratorate_scope answers None (handled above) for a user without an organisation.
    return qs.filter(pk=cast(int, user.organisation_id))


def scope_split(user: User) -> tuple[str, QuerySet] | None:
    """The procuratorates the user's cases, leads and recommendations fall into, as a `split_by` for
    pil_tracker.pagination.CappedPaginator: ("procuratorate_id", their ids), when the scope is more
    than one procuratorate (a supervisor's subtree, an administrator); else None. Deep pages of
    the lists then merge the per-procuratorate lists in order instead of sorting the whole scope."""
    if _procuratorate_scope(user) is None or (user.role == Role.PROCURATOR and not user.is_superuser):
        return None
    return ("procuratorate_id", procuratorates_visible_to(user).order_by().values_list("pk", flat=True))


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
    # On the recommendation's own procuratorate (its case's, kept on it): neither `case__in=<cases
    # in scope>` (for a whole city a parallel merge over every case in scope) nor a join on the
    # case (a look-up per case in scope to sort a deep page); each procuratorate's recommendations
    # are read in order off rec_scope_created_idx, and deep pages merge them (scope_split).
    scope = _procuratorate_scope(user)
    if scope is None:
        return Recommendation.objects.none()
    return Recommendation.objects.filter(scope)


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
        # acts_for_agency implies an organisation.
        return Organisation.objects.filter(pk=cast(int, user.organisation_id), kind=Organisation.Kind.AGENCY)
    return agencies_for_choice(user)


def handlers_for_choice(case_procuratorate: Organisation) -> QuerySet[User]:
    """Procurators of the case's own procuratorate, who may handle or co-handle it.

    Not supervisors: they read and approve, and can_edit_case would leave their case uneditable.
    """
    return User.objects.filter(organisation=case_procuratorate, role=Role.PROCURATOR, is_active=True).order_by(
        "full_name", "username"
    )


def handlers_in_scope(user: User) -> QuerySet[User]:
    """Procurators and supervisors of the procuratorates whose cases the user reads: whom the case
    list can be filtered by (a handler's cases). Served to the filter's select by search
    (agencies/choices.py, source "case_handlers"): a province has thousands."""
    return User.objects.filter(
        organisation__in=procuratorates_visible_to(user), role__in=[Role.PROCURATOR, Role.SUPERVISOR]
    ).order_by("organisation__tree_path", "full_name", "username")


def co_handles(user: User, case: Case) -> bool:
    """`user` is one of the case's co-handlers: read from the co-handlers the case page prefetched
    (one query otherwise), so the page's several permission checks cost no query each."""
    return any(person.pk == user.pk for person in case.co_handlers.all())


def is_on_case(user: User, case: Case) -> bool:
    """An active procurator of the case's procuratorate who handles or co-handles it, open or closed."""
    if not user.is_active or user.role != Role.PROCURATOR:
        return False
    if case.procuratorate_id != user.organisation_id:
        return False
    return case.handler_id == user.pk or co_handles(user, case)


def can_edit_case(user: User, case: Case) -> bool:
    """The handler and co-handlers edit a case while it is open; everyone else in scope reads it."""
    return not case.is_closed and is_on_case(user, case)


def can_file_with_superior(user: User, case: Case) -> bool:
    """Those on the case record the filing (备案) with the higher procuratorate, even once the case
    is closed: the duty survives the closing (deadlines.models.SURVIVE_CASE_CLOSE)."""
    return is_on_case(user, case)


def can_approve(user: User, case: Case) -> bool:
    """A supervisor of the case's procuratorate or of a higher one (上级检察院领导下级检察院)."""
    return user.acts_as_supervisor_of(case.procuratorate)


def case_timeline(case: Case) -> QuerySet[Event]:
    """Every event of the case and of the lead it came from, oldest first, with their actors."""
    q = Q(case=case)
    if case.lead_id:
        q |= Q(lead_id=case.lead_id)
    return Event.objects.filter(q).select_related("actor", "recommendation").order_by("at", "id")


def case_list(user: User) -> QuerySet[Case]:
    """The case list for `user`, shaped so a page costs a fixed number of queries."""
    return (
        cases_visible_to(user)
        .select_related("procuratorate", "domain", "handler")
        .prefetch_related("agencies")
        .annotate(**case_next_due())
    )


# Fields that only the case handlers and supervisors read (docs/domain.md, Who sees what): the reporter's
# identity, the lead source and the internal notes. History entries about them are hidden too.
# One rule decides who reads them: can_see_confidential for one object, confidential_leads_q and
# confidential_cases_q (the same rule as a query) for lists, filters and orderings; no list,
# filter, ordering, search or export offers them otherwise.
CONFIDENTIAL_FIELDS = frozenset({"reporter_name", "reporter_contact", "source", "source_detail", "internal_notes"})


def _handled_by(user: User) -> QuerySet:
    return Case.objects.filter(Q(handler=user) | Q(co_handlers=user)).values("pk")


def confidential_cases_q(user: User) -> Q:
    """The cases whose confidential fields `user` reads, as a filter on Case: the rule of
    can_see_confidential for a query, so a list can blank, filter and sort per row."""
    nothing = Q(pk__in=[])
    if not user.is_active:
        return nothing
    if user.is_superuser:
        return Q()
    if user.organisation is None:
        return nothing
    if user.role == Role.SUPERVISOR:
        return Q(procuratorate__tree_path__startswith=user.organisation.tree_path)
    if user.role == Role.PROCURATOR:
        return Q(procuratorate_id=user.organisation_id, pk__in=_handled_by(user))
    return nothing


def confidential_leads_q(user: User) -> Q:
    """The leads whose confidential fields `user` reads, as a filter on Lead (can_see_confidential:
    through the case once one is opened, else the staff of the lead's procuratorate)."""
    nothing = Q(pk__in=[])
    if not user.is_active:
        return nothing
    if user.is_superuser:
        return Q()
    if user.organisation is None:
        return nothing
    opened = Q(case__in=Case.objects.filter(confidential_cases_q(user)).values("pk"))
    if not user.is_procuratorate_staff:
        return opened
    own = Q(procuratorate_id=user.organisation_id)
    if user.is_supervisor:
        own |= Q(procuratorate__tree_path__startswith=user.organisation.tree_path)
    return (Q(case__isnull=True) & own) | opened


def with_confidential_flag(leads: QuerySet[Lead], user: User) -> QuerySet[Lead]:
    """`leads` with `confidential_visible` per row: a list shows a confidential field only where it
    is true (templates, serializers and exports blank it elsewhere)."""
    q = confidential_leads_q(user)
    flag: Value | SqlCase
    if not q:  # Q(): every row (When refuses an empty condition)
        flag = Value(True)
    else:
        flag = SqlCase(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())
    return leads.annotate(confidential_visible=flag)


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
                lead.procuratorate_id == user.organisation_id or user.acts_as_supervisor_of(lead.procuratorate)
            )
    if case is None:
        return False
    if user.role == Role.SUPERVISOR:
        return user.acts_as_supervisor_of(case.procuratorate)
    if user.role == Role.PROCURATOR and case.procuratorate_id == user.organisation_id:
        return case.handler_id == user.pk or co_handles(user, case)
    return False


def reporter_identity_in(recommendation: Recommendation) -> list[str]:
    """The reporter's name or contact (of the case's lead) that the recommendation's text contains.

    The recommendation is served on the agency; the reporter's identity must not reach it (docs/domain.md,
    Who sees what). The issue page and the API's issue action warn with these before/when issuing."""
    lead = recommendation.case.lead
    if lead is None:
        return []
    texts = [getattr(recommendation, name) for name in Recommendation.CONTENT_FIELDS]
    texts += list(recommendation.items.values_list("text", flat=True))
    text = "".join(str(t) for t in texts if isinstance(t, str))
    compact = "".join(text.split())
    found = []
    for value in (lead.reporter_name, lead.reporter_contact):
        value = "".join((value or "").split())
        if len(value) >= 2 and value in compact:
            found.append(value)
    return found


def approvals_pending_for(user: User) -> QuerySet[Recommendation]:
    """The recommendations waiting for `user`'s approval (审批): pending, of an open case that
    `user` sees and may approve (can_approve: a supervisor of the case's procuratorate or of a
    higher one). The approvals inbox and its count start here; litigation.selectors has the
    proposals to sue."""
    if not user.is_active_supervisor or user.organisation is None:
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


def deadlines_visible_to(user: User) -> QuerySet[Deadline]:
    """Procuratorate staff: every deadline of the cases they see. Agency staff: only the deadlines
    their agency itself must meet (Deadline.agency, a rule whose obligor is an agency): the reply and
    agreed rectification of the recommendations addressed to it, the defence and compliance of the
    lawsuits against it, as on the agency pages; never one on a recommendation they may not see
    (e.g. withdrawn).

    Here rather than in the deadlines app: deadlines sit below cases (docs/architecture.md)."""
    if not user.is_active:
        return Deadline.objects.none()
    if user.acts_for_agency:
        return Deadline.objects.filter(
            agency_id=user.organisation_id, rule__obligor=DeadlineRule.Obligor.AGENCY
        ).filter(Q(recommendation__isnull=True) | Q(recommendation__in=recommendations_visible_to(user)))
    return Deadline.objects.filter(case__in=cases_visible_to(user))
