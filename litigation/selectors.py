"""Every read of lawsuits, hearings and rulings starts here (docs/domain.md, Who sees what).

Procuratorate staff: the lawsuits of the cases they see (cases_visible_to). Agency staff: the
lawsuits against their own agency — their court duties, never the procuratorate's internal notes
(the views show them agency-facing fields only). Hearings and rulings follow their lawsuit; of the
lawsuit's files, agency staff get the ruling documents only. Proposals to sue and other plaintiffs'
suits are procuratorate-internal.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from cases.models import Case
from cases.selectors import cases_visible_to
from litigation.models import Hearing, Lawsuit, LawsuitProposal, LitigationFile, PlaintiffSuit, Ruling


def lawsuits_visible_to(user: User) -> QuerySet[Lawsuit]:
    if user.acts_for_agency:
        return Lawsuit.objects.filter(defendant_agency_id=user.organisation_id)
    return Lawsuit.objects.filter(case__in=cases_visible_to(user))


def hearings_visible_to(user: User) -> QuerySet[Hearing]:
    return Hearing.objects.filter(lawsuit__in=lawsuits_visible_to(user))


def rulings_visible_to(user: User) -> QuerySet[Ruling]:
    return Ruling.objects.filter(lawsuit__in=lawsuits_visible_to(user))


def litigation_files_visible_to(user: User) -> QuerySet[LitigationFile]:
    """Procuratorate staff: every file of the lawsuits they see. Agency staff: the ruling documents
    of the rulings against their agency, never the materials (internal)."""
    files = LitigationFile.objects.filter(lawsuit__in=lawsuits_visible_to(user))
    if user.acts_for_agency:
        return files.filter(kind=LitigationFile.Kind.RULING_DOCUMENT)
    return files


def lawsuit_proposals_visible_to(user: User) -> QuerySet[LawsuitProposal]:
    if user.acts_for_agency:
        return LawsuitProposal.objects.none()
    return LawsuitProposal.objects.filter(case__in=cases_visible_to(user))


def plaintiff_suits_visible_to(user: User) -> QuerySet[PlaintiffSuit]:
    if user.acts_for_agency:
        return PlaintiffSuit.objects.none()
    return PlaintiffSuit.objects.filter(case__in=cases_visible_to(user))


def litigation_cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases whose litigation page `user` may open: agency staff only those where their agency
    is a defendant."""
    if user.acts_for_agency:
        return Case.objects.filter(pk__in=lawsuits_visible_to(user).values("case_id"))
    return cases_visible_to(user)


def is_agency_view(user: User) -> bool:
    """Whether the page is the defendant agency's view (agency-facing fields only)."""
    return user.acts_for_agency


def _files_prefetch(user: User, lookup: str) -> Prefetch:
    return Prefetch(
        lookup, queryset=litigation_files_visible_to(user).order_by("uploaded_at", "id"), to_attr="visible_files"
    )


def lawsuits_with_details(user: User, *, ruling_files: bool = True) -> QuerySet[Lawsuit]:
    """The lawsuits `user` sees with their hearings, rulings, deadlines and visible files (five
    queries whatever their number: lawsuits with defendant and defence deadline, hearings, rulings
    with deadlines, ruling files, lawsuit files). `ruling_files=False`: the rulings' files are not
    read (four queries; see case_lawsuits)."""
    rulings = Ruling.objects.select_related("appeal_deadline", "compliance_deadline")
    if ruling_files:
        rulings = rulings.prefetch_related(_files_prefetch(user, "files"))
    return (
        lawsuits_visible_to(user)
        .select_related("defendant_agency", "defence_deadline", "case__procuratorate")
        .prefetch_related(
            Prefetch("hearings", queryset=Hearing.objects.select_related("registered_by").order_by("held_on", "id")),
            Prefetch("rulings", queryset=rulings.order_by("instance", "id")),
            _files_prefetch(user, "files"),
        )
    )


def lawsuit_next_step(lawsuit: Lawsuit, *, today: datetime.date) -> tuple[str, int | None]:
    """The court step the case's handler records next on `lawsuit` (the page's one primary
    button), with the hearing or ruling it concerns; ("", None) when the next move is the court's
    or the other side's (a hearing still to come, an appeal window still running). Reads the
    prefetched hearings and rulings (lawsuits_with_details)."""
    hearings = list(lawsuit.hearings.all())
    rulings = list(lawsuit.rulings.all())
    if lawsuit.status in (Lawsuit.Status.FILED, Lawsuit.Status.APPEALED):
        if lawsuit.status == Lawsuit.Status.FILED and lawsuit.complaint_copy_received_on is None and not hearings:
            return "complaint_copy", None
        past = [h for h in hearings if h.state_on(today) == "awaiting_record"]
        if past:
            return "hearing_outcome", past[0].pk
        if any(h.state_on(today) == "scheduled" for h in hearings):
            return "", None
        # The hearing of this instance: one held after the appeal, for an appealed lawsuit.
        appealed_on = next((r.appealed_on for r in rulings if r.appealed_on), None)
        heard = any(h.is_held and (appealed_on is None or h.held_on >= appealed_on) for h in hearings)
        return ("ruling", None) if heard else ("schedule", None)
    for ruling in rulings:
        if ruling.appeal_deadline_id and not ruling.appealed_on and not ruling.is_effective:
            window_over = ruling.appeal_deadline is not None and ruling.appeal_deadline.due_date < today
            return ("effect", ruling.pk) if window_over else ("", None)
        awaiting_compliance = ruling.complied_on is None and ruling.transferred_for_enforcement_on is None
        if ruling.is_effective and ruling.orders_action and awaiting_compliance:
            return "compliance", ruling.pk
    return "", None


def with_court_state(lawsuits: list[Lawsuit], *, today: datetime.date) -> list[Lawsuit]:
    """Set what the pages show from the court's events as of `today`, computed here rather than
    stored so that nothing goes stale: each hearing's `state` (Hearing.state_on) and each
    lawsuit's `next_step` / `next_step_pk` (lawsuit_next_step)."""
    # Attributes for the templates, set on the fetched objects (not model fields).
    for lawsuit in lawsuits:
        for hearing in lawsuit.hearings.all():
            hearing.state = hearing.state_on(today)  # type: ignore[attr-defined]
        lawsuit.next_step, lawsuit.next_step_pk = lawsuit_next_step(lawsuit, today=today)  # type: ignore[attr-defined]
    return lawsuits


def case_lawsuits(user: User, case: Case, *, today: datetime.date) -> list[Lawsuit]:
    """The lawsuits of `case` that `user` sees, with everything the litigation tab shows (four
    queries: a ruling's document is a file of its lawsuit, so each ruling's `visible_files` is
    picked from the lawsuit's visible files, in the same order, instead of a query of its own)."""
    lawsuits = list(lawsuits_with_details(user, ruling_files=False).filter(case=case))
    for lawsuit in lawsuits:
        for ruling in lawsuit.rulings.all():
            ruling.visible_files = [f for f in lawsuit.visible_files if f.ruling_id == ruling.pk]  # type: ignore[attr-defined]
    return with_court_state(lawsuits, today=today)


def case_proposals(user: User, case: Case) -> list[LawsuitProposal]:
    """The proposals to sue of `case`, oldest first (procuratorate staff only)."""
    return list(lawsuit_proposals_visible_to(user).filter(case=case).select_related("proposed_by", "decided_by"))


def case_plaintiff_suits(user: User, case: Case) -> list[PlaintiffSuit]:
    return list(plaintiff_suits_visible_to(user).filter(case=case))


# --- The defendant agency's court duties (agency portal) ------------------------------------------


@dataclass
class CourtDuty:
    """One lawsuit against the agency, with what the agency must do next and by when."""

    lawsuit: Lawsuit
    defence_due: datetime.date | None  # open defence deadline
    defence_provisional: bool
    next_hearing: Hearing | None  # the next scheduled hearing (never a cancelled one)
    compliance: list[Ruling]  # effective rulings whose ordered action is still to be complied with
    rulings: list[Ruling]

    @property
    def asked(self) -> list[str]:
        """What the agency is asked to do now: defend (the defence period runs), register who
        appears at the next hearing, comply with an effective ruling."""
        asked = ["defend"] if self.defence_due else []
        if self.next_hearing and not self.next_hearing.registered_appearance:
            asked.append("register")
        if self.compliance:
            asked.append("comply")
        return asked

    @property
    def next_due(self) -> datetime.date | None:
        dates = [self.defence_due] if self.defence_due else []
        dates += [r.compliance_due_on for r in self.compliance if r.compliance_due_on]
        if self.next_hearing:
            dates.append(self.next_hearing.held_on)
        return min(dates, default=None)


# Lawsuits with nothing left for the defendant agency to do: the ruling complied with, or handed to
# the court for enforcement.
FINISHED_LAWSUITS = (Lawsuit.Status.COMPLIED, Lawsuit.Status.ENFORCEMENT)


def _court_duty(lawsuit: Lawsuit, today: datetime.date, hearings=None, rulings=None) -> CourtDuty:
    """The duty of one lawsuit, from its defence deadline, hearings (by date) and rulings: given,
    or else its prefetched ones."""
    deadline = lawsuit.defence_deadline
    defence_open = deadline is not None and deadline.is_open
    hearings = lawsuit.hearings.all() if hearings is None else hearings
    rulings = list(lawsuit.rulings.all() if rulings is None else rulings)
    upcoming = [h for h in hearings if h.is_scheduled and h.held_on >= today]
    return CourtDuty(
        lawsuit=lawsuit,
        defence_due=deadline.due_date if deadline is not None and defence_open else None,
        defence_provisional=bool(deadline is not None and defence_open and deadline.provisional),
        next_hearing=upcoming[0] if upcoming else None,
        compliance=[
            r
            for r in rulings
            if r.is_effective and r.orders_action and r.complied_on is None and r.transferred_for_enforcement_on is None
        ],
        rulings=rulings,
    )


def _urgency(duty: CourtDuty) -> tuple:
    """Most urgent first: running lawsuits by their next due date (none last), finished ones last."""
    return (duty.lawsuit.status in FINISHED_LAWSUITS, duty.next_due is None, duty.next_due or datetime.date.max)


def agency_court_duties(user: User, *, today: datetime.date, unfinished_only: bool = False) -> list[CourtDuty]:
    """The lawsuits against the user's agency with their duties, most urgent first (a fixed
    number of queries, see lawsuits_with_details); finished lawsuits are listed last, or left out
    with `unfinished_only`. Ties keep the latest filed first (a stable sort)."""
    if not user.acts_for_agency:
        return []
    lawsuits = lawsuits_with_details(user).order_by("-filed_on", "-id")
    if unfinished_only:
        lawsuits = lawsuits.exclude(status__in=FINISHED_LAWSUITS)
    return sorted((_court_duty(lawsuit, today) for lawsuit in lawsuits), key=_urgency)


def agency_home_court_duties(user: User, *, today: datetime.date, rows: int) -> dict:
    """The court part of the agency home: the `rows` most urgent duties of the lawsuits still
    running, how many run, and how many are finished (those are on the agency's lawsuit list).

    An agency may have been sued hundreds of times: the running lawsuits are ranked as
    agency_court_duties ranks them, from what the urgency needs (the lawsuits with their defence
    deadlines, their hearings, their rulings: three queries, grouped here rather than prefetched,
    which costs a queryset per lawsuit), and only the `rows` shown are read with their details."""
    if not user.acts_for_agency:
        return {}
    running = list(
        lawsuits_visible_to(user)
        .exclude(status__in=FINISHED_LAWSUITS)
        .select_related("defence_deadline")
        .order_by("-filed_on", "-id")
    )
    ids = [lawsuit.pk for lawsuit in running]
    hearings: dict[int, list[Hearing]] = {pk: [] for pk in ids}
    rulings: dict[int, list[Ruling]] = {pk: [] for pk in ids}
    if ids:
        for hearing in hearings_visible_to(user).filter(lawsuit__in=ids).order_by("held_on", "id"):
            hearings[hearing.lawsuit_id].append(hearing)
        for ruling in rulings_visible_to(user).filter(lawsuit__in=ids).order_by("instance", "id"):
            rulings[ruling.lawsuit_id].append(ruling)
    ranked = sorted(
        (_court_duty(lawsuit, today, hearings[lawsuit.pk], rulings[lawsuit.pk]) for lawsuit in running), key=_urgency
    )
    shown = [duty.lawsuit.pk for duty in ranked[:rows]]
    detailed = {lawsuit.pk: lawsuit for lawsuit in lawsuits_with_details(user).filter(pk__in=shown)} if shown else {}
    return {
        "court_duties": [_court_duty(detailed[pk], today) for pk in shown if pk in detailed],
        "court_duties_total": len(running),
        "court_duties_finished": lawsuits_visible_to(user).filter(status__in=FINISHED_LAWSUITS).count(),
    }


def approvals_pending_for(user: User) -> QuerySet[LawsuitProposal]:
    """The proposals to sue waiting for `user`'s approval: pending, of an open case that `user`
    sees and may approve (cases.selectors.can_approve). cases.selectors.approvals_pending_for has
    the recommendations."""
    if not user.is_active_supervisor or user.organisation is None:
        return LawsuitProposal.objects.none()
    return (
        lawsuit_proposals_visible_to(user)
        .filter(
            status=LawsuitProposal.Status.PENDING,
            case__procuratorate__tree_path__startswith=user.organisation.tree_path,
        )
        .exclude(case__status=Case.Status.CLOSED)
    )
