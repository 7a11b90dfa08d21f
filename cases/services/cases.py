from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Case, CaseType, Consultation, Domain, Event, Investigation, Recommendation, RecommendationItem
from cases.models.reference import DocumentType
from cases.selectors import can_approve, can_edit_case
from cases.services.guards import (
    lock,
    require_editor,
    require_not_before,
    require_not_future,
    require_open,
    require_status,
    require_version,
)
from cases.services.history import changes, choice, event_record, snapshot
from cases.services.numbering import number_allocate
from deadlines.models import RuleCode
from deadlines.selectors import case_close_cancels
from deadlines.services import deadline_open, deadlines_cancel_for_case
from pil_tracker.errors import DomainError

CASE_EDITABLE_FIELDS = ["title", "summary", "domain", "agencies", "co_handlers", "internal_notes"]
OPEN_STATUSES = tuple(s for s in Case.Status.values if s != Case.Status.CLOSED)


def _set_status(*, case: Case, user: User, to_status: str, note: str = "", kind: str = Event.Kind.STATUS_CHANGED):
    from_status = case.status
    case.status = to_status
    case.save(update_fields=["status", "closed_on", "closure_ground", "closure_note", "updated_at"])
    event_record(kind=kind, actor=user, case=case, from_status=from_status, to_status=to_status, note=note)


@transaction.atomic
def case_update(
    *,
    user: User,
    case: Case,
    title: str,
    summary: str,
    domain: Domain,
    agencies: list[Organisation],
    co_handlers: list[User],
    internal_notes: str,
    version: int | None = None,
) -> Case:
    """Edit the descriptive fields. `version`: the case's version the editor loaded (optimistic
    locking): refused, changing nothing, when someone saved in between."""
    case = lock(Case, case.pk)
    require_editor(user, case)
    require_version(case, version)
    for agency in agencies:
        if agency.kind != Organisation.Kind.AGENCY:
            raise DomainError(_("所选机关不是有效的行政机关。"), field="agencies")
    if case.case_type == CaseType.ADMINISTRATIVE and not agencies:
        raise DomainError(_("行政公益诉讼案件至少要有一个涉及的行政机关。"), field="agencies")
    addressed = set(
        case.recommendations.exclude(status=Recommendation.Status.WITHDRAWN).values_list("agency_id", flat=True)
    )
    if addressed - {a.pk for a in agencies}:
        raise DomainError(_("已向该机关制发检察建议，不能从案件中移除。"), field="agencies")
    for person in co_handlers:
        # Only active procurators: can_edit_case lets nobody else work on the case (docs/domain.md, Who sees what).
        if person.organisation_id != case.procuratorate_id or person.role != Role.PROCURATOR or not person.is_active:
            raise DomainError(_("协办人必须是本院检察官。"), field="co_handlers")
    before = snapshot(case, CASE_EDITABLE_FIELDS)
    case.title, case.summary, case.domain, case.internal_notes = title, summary, domain, internal_notes
    case.version += 1  # under the row lock taken above
    case.save()
    case.agencies.set(agencies)
    case.co_handlers.set([p for p in co_handlers if p.pk != case.handler_id])
    changed = changes(before, snapshot(case, CASE_EDITABLE_FIELDS))
    if changed:
        event_record(kind=Event.Kind.CASE_EDITED, actor=user, case=case, changed=changed)
    return case


@transaction.atomic
def case_start_consultation(*, user: User, case: Case, note: str = "") -> Case:
    case = lock(Case, case.pk)
    require_editor(user, case)
    if case.case_type != CaseType.ADMINISTRATIVE:
        raise DomainError(_("只有行政公益诉讼案件可以进行磋商。"), code="invalid_transition")
    require_status(case.status, {Case.Status.INVESTIGATION}, label=case.get_status_display(), action=_("开始磋商"))
    _set_status(case=case, user=user, to_status=Case.Status.CONSULTATION, note=note)
    return case


@transaction.atomic
def case_end_consultation(*, user: User, case: Case, note: str = "") -> Case:
    case = lock(Case, case.pk)
    require_editor(user, case)
    require_status(case.status, {Case.Status.CONSULTATION}, label=case.get_status_display(), action=_("结束磋商"))
    _set_status(case=case, user=user, to_status=Case.Status.INVESTIGATION, note=note)
    return case


@transaction.atomic
def investigation_record(
    *,
    user: User,
    case: Case,
    kind: str,
    conducted_on: datetime.date,
    findings: str,
    location: str = "",
    participants: str = "",
    today: datetime.date | None = None,
) -> Investigation:
    case = lock(Case, case.pk)
    require_editor(user, case)
    require_not_future(conducted_on, field="conducted_on", today=today)
    require_not_before(conducted_on, case.opened_on, field="conducted_on", message=_("调查日期不能早于立案日期。"))
    record = Investigation.objects.create(
        case=case,
        kind=kind,
        conducted_on=conducted_on,
        findings=findings,
        location=location,
        participants=participants,
        recorded_by=user,
    )
    event_record(
        kind=Event.Kind.INVESTIGATION_RECORDED,
        actor=user,
        case=case,
        parts=[choice(record, "kind", record.kind), f" {conducted_on:%Y-%m-%d}"],
    )
    return record


@transaction.atomic
def consultation_record(
    *,
    user: User,
    case: Case,
    agency: Organisation,
    held_on: datetime.date,
    summary: str,
    participants: str = "",
    outcome: str = "",
    today: datetime.date | None = None,
) -> Consultation:
    case = lock(Case, case.pk)
    require_editor(user, case)
    if case.case_type != CaseType.ADMINISTRATIVE:
        raise DomainError(_("只有行政公益诉讼案件可以进行磋商。"), code="invalid_transition")
    if not case.agencies.filter(pk=agency.pk).exists():
        raise DomainError(_("磋商机关必须是本案涉及的行政机关。"), field="agency")
    require_not_future(held_on, field="held_on", today=today)
    require_not_before(held_on, case.opened_on, field="held_on", message=_("磋商日期不能早于立案日期。"))
    record = Consultation.objects.create(
        case=case,
        agency=agency,
        held_on=held_on,
        summary=summary,
        participants=participants,
        outcome=outcome,
        recorded_by=user,
    )
    event_record(kind=Event.Kind.CONSULTATION_RECORDED, actor=user, case=case, note=f"{agency} {held_on:%Y-%m-%d}")
    return record


def _items_of_replied(case: Case):
    return RecommendationItem.objects.filter(
        recommendation__case=case, recommendation__status=Recommendation.Status.REPLIED
    )


@transaction.atomic
def case_close(
    *,
    user: User,
    case: Case,
    ground: str,
    note: str,
    closed_on: datetime.date,
    today: datetime.date | None = None,
    lawsuits_checked: bool = False,
    confirmed: bool = True,
) -> Case:
    """Close the case (终结) with a ground; after a reply, only once every item is evaluated.

    Its lawsuits must be finished (`Lawsuit.is_finished`, read through the reverse relation: the
    litigation app sits above this one). `lawsuits_checked`: the caller (litigation_case_close)
    has checked them already under its lock.

    Closing cancels the case's open deadlines except the procuratorate's filing with its superior
    (deadlines.models.SURVIVE_CASE_CLOSE), which stays open until recorded. A caller that asks a
    person (the close page, the API) passes their answer as `confirmed`: without it the close is
    refused while there is a deadline to cancel (the page lists them first)."""
    case = lock(Case, case.pk)
    require_open(case)
    if not (can_edit_case(user, case) or can_approve(user, case)):
        raise DomainError(_("只有承办检察官或检察院负责人可以终结案件。"), code="permission_denied")
    require_status(case.status, set(OPEN_STATUSES), label=case.get_status_display(), action=_("终结案件"))
    if ground not in Case.ClosureGround.values:
        raise DomainError(_("请选择终结理由。"), field="ground")
    require_not_future(closed_on, field="closed_on", today=today)
    require_not_before(closed_on, case.opened_on, field="closed_on", message=_("终结日期不能早于立案日期。"))
    if not lawsuits_checked and not all(lawsuit.is_finished for lawsuit in case.lawsuits.prefetch_related("rulings")):
        raise DomainError(_("本案的诉讼尚未审结或裁判尚未履行完毕，不能终结。"), code="invalid_transition")
    if case.recommendations.filter(status__in=[Recommendation.Status.ISSUED, Recommendation.Status.SERVED]).exists():
        raise DomainError(_("检察建议尚在等待回复，请先记录行政机关的书面回复。"), code="invalid_transition")
    items = _items_of_replied(case)
    if items.filter(evaluation="").exists():
        raise DomainError(_("还有建议事项未评估整改情况，不能终结。"), code="invalid_transition")
    if (
        ground == Case.ClosureGround.RECTIFIED
        and items.filter(
            evaluation__in=[RecommendationItem.Evaluation.NOT_RECTIFIED, RecommendationItem.Evaluation.PARTLY]
        ).exists()
    ):
        raise DomainError(_("有建议事项未整改或部分整改，不能以“已依法履职”为由终结。"), field="ground")
    if ground == Case.ClosureGround.OTHER and not note.strip():
        raise DomainError(_("终结理由为“其他”时请填写说明。"), field="note")
    if not confirmed and case_close_cancels(case).exists():
        raise DomainError(
            _("终结案件将撤销本案尚未完成的期限，请确认后再终结。"), field="confirmed", code="confirmation_required"
        )
    case.closed_on, case.closure_ground, case.closure_note = closed_on, ground, note
    _set_status(case=case, user=user, to_status=Case.Status.CLOSED, note=note, kind=Event.Kind.CASE_CLOSED)
    deadlines_cancel_for_case(case=case)  # a closed case is watched no more, but for its filing duty
    return case


@transaction.atomic
def case_announce(
    *, user: User, case: Case, published_on: datetime.date, note: str = "", today: datetime.date | None = None
) -> Case:
    """Publish the civil announcement (公告): for 30 days the organs and organisations the law names
    may sue first (docs/domain.md, Lifecycles). The announcement gets its number; its period is a deadline."""
    case = lock(Case, case.pk)
    require_editor(user, case)
    if case.case_type == CaseType.ADMINISTRATIVE:
        raise DomainError(_("只有民事公益诉讼和刑事附带民事公益诉讼案件需要发布公告。"), code="invalid_transition")
    require_status(case.status, {Case.Status.INVESTIGATION}, label=case.get_status_display(), action=_("发布公告"))
    require_not_future(published_on, field="published_on", today=today)
    require_not_before(published_on, case.opened_on, field="published_on", message=_("公告日期不能早于立案日期。"))
    number = number_allocate(
        procuratorate=case.procuratorate, document_type=DocumentType.CIVIL_ANNOUNCEMENT, year=published_on.year
    )
    note = f"{number} {published_on:%Y-%m-%d} {note}".strip()
    _set_status(case=case, user=user, to_status=Case.Status.ANNOUNCEMENT, note=note)
    # The 30-day announcement period.
    deadline_open(case=case, rule_code=RuleCode.CIVIL_ANNOUNCEMENT, start_date=published_on)
    return case
