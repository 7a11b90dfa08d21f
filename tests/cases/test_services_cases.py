"""Case services: edit, consultation, investigation, closing (终结), deciding to sue; who may write.

The permission and closed-case matrices are generated over every write service of a case.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from accounts.models import Role, User
from cases import services
from cases.models import Case, CaseType, Event, Recommendation, RecommendationItem
from cases.models.records import Investigation
from cases.timeline import changes_shown
from tests.factories import (
    TODAY,
    CaseFactory,
    RecommendationFactory,
    UserFactory,
    recommendation_at,
    recommendation_content,
    refused,
)

Status = Case.Status
Evaluation = RecommendationItem.Evaluation
OPEN_STATUSES = [s for s in Status.values if s != Status.CLOSED]


def make_case(world, **overrides) -> Case:
    return CaseFactory(
        **{"procuratorate": world.district, "handler": world.procurator, "agencies": [world.agency1]} | overrides
    )


@pytest.fixture
def case(world) -> Case:
    return make_case(world)


def replied(world, case: Case, evaluations: list[str] | None = None) -> Recommendation:
    """A replied recommendation of `case` (now in follow-up), its items evaluated as given."""
    recommendation = recommendation_at(Recommendation.Status.REPLIED, case=case, agency=world.agency1)
    for item, evaluation in zip(recommendation.items.order_by("number"), evaluations or [], strict=False):
        note = "" if evaluation in (Evaluation.RECTIFIED, Evaluation.ALREADY_PERFORMED) else "尚未完成修复"
        services.item_evaluate(user=case.handler, item=item, evaluation=evaluation, note=note)
    case.refresh_from_db()
    return recommendation


def update_data(case: Case, **overrides) -> dict:
    return {
        "title": case.title,
        "summary": case.summary,
        "domain": case.domain,
        "agencies": list(case.agencies.all()),
        "co_handlers": list(case.co_handlers.all()),
        "internal_notes": case.internal_notes,
    } | overrides


def close_data(**overrides) -> dict:
    return {"ground": Case.ClosureGround.NO_VIOLATION, "note": "", "closed_on": TODAY, "today": TODAY} | overrides


# --- edit ------------------------------------------------------------------------------------


def test_editing_the_title_records_old_and_new_title(world, case):
    old = case.title
    services.case_update(user=world.procurator, case=case, **update_data(case, title="新案件名称"))
    case.refresh_from_db()
    assert case.title == "新案件名称"
    event = Event.objects.get()
    assert (event.kind, event.actor, event.case, changes_shown(event)) == (
        Event.Kind.CASE_EDITED,
        world.procurator,
        case,
        {"title": [old, "新案件名称"]},
    )


def test_editing_agencies_and_co_handlers_records_the_names(world, case):
    data = update_data(case, agencies=[world.agency1, world.agency2], co_handlers=[world.procurator_colleague])
    services.case_update(user=world.procurator, case=case, **data)
    assert changes_shown(Event.objects.get()) == {
        "agencies": [world.agency1.name, "、".join(sorted([world.agency1.name, world.agency2.name]))],
        "co_handlers": ["", str(world.procurator_colleague)],
    }


def test_an_edit_that_changes_nothing_records_nothing(world, case):
    services.case_update(user=world.procurator, case=case, **update_data(case))
    assert Event.objects.count() == 0


@pytest.mark.parametrize("org", ["district", "commission"])
def test_edit_refuses_an_organisation_that_is_not_an_agency(world, case, org):
    with refused(field="agencies"):
        services.case_update(user=world.procurator, case=case, **update_data(case, agencies=[getattr(world, org)]))


def test_edit_refuses_to_leave_an_administrative_case_without_agency(world, case):
    with refused(field="agencies"):
        services.case_update(user=world.procurator, case=case, **update_data(case, agencies=[]))


def test_edit_refuses_to_remove_an_agency_that_received_a_recommendation(world, case):
    RecommendationFactory(case=case, agency=world.agency1)
    with refused(field="agencies"):
        services.case_update(user=world.procurator, case=case, **update_data(case, agencies=[world.agency2]))


@pytest.mark.parametrize("who", ["other_procurator", "city_procurator", "supervisor", "agency1_staff"])
def test_edit_refuses_a_co_handler_who_is_not_a_procurator_of_the_case(world, case, who):
    with refused(field="co_handlers"):
        services.case_update(user=world.procurator, case=case, **update_data(case, co_handlers=[getattr(world, who)]))


# --- consultation and investigation ----------------------------------------------------------


def test_consultation_starts_from_investigation_and_ends_back_in_investigation(world, case):
    services.case_start_consultation(user=world.procurator, case=case, note="约谈生态环境局")
    case.refresh_from_db()
    assert case.status == Status.CONSULTATION
    services.case_end_consultation(user=world.procurator, case=case, note="磋商未果")
    case.refresh_from_db()
    assert case.status == Status.INVESTIGATION
    assert list(Event.objects.values_list("kind", "actor", "from_status", "to_status", "note")) == [
        (Event.Kind.STATUS_CHANGED, world.procurator.pk, Status.INVESTIGATION, Status.CONSULTATION, "约谈生态环境局"),
        (Event.Kind.STATUS_CHANGED, world.procurator.pk, Status.CONSULTATION, Status.INVESTIGATION, "磋商未果"),
    ]


@pytest.mark.parametrize("status", [s for s in OPEN_STATUSES if s != Status.INVESTIGATION])
def test_consultation_cannot_start_outside_investigation(world, status):
    case = make_case(world, status=status)
    with refused(code="invalid_transition"):
        services.case_start_consultation(user=world.procurator, case=case)


@pytest.mark.parametrize("status", [s for s in OPEN_STATUSES if s != Status.CONSULTATION])
def test_consultation_cannot_end_when_not_in_consultation(world, status):
    case = make_case(world, status=status)
    with refused(code="invalid_transition"):
        services.case_end_consultation(user=world.procurator, case=case)


@pytest.mark.parametrize("case_type", [CaseType.CIVIL, CaseType.CRIMINAL_CIVIL])
def test_only_administrative_cases_have_consultations(world, case_type):
    case = make_case(world, case_type=case_type)
    with refused(code="invalid_transition"):
        services.case_start_consultation(user=world.procurator, case=case)
    with refused(code="invalid_transition"):
        services.consultation_record(
            user=world.procurator, case=case, agency=world.agency1, held_on=TODAY, summary="磋商", today=TODAY
        )


def test_consultation_record_needs_an_agency_of_the_case(world, case):
    with refused(field="agency"):
        services.consultation_record(
            user=world.procurator, case=case, agency=world.agency2, held_on=TODAY, summary="磋商", today=TODAY
        )


@pytest.mark.parametrize(
    ("conducted_on", "field"),
    [(datetime.date(2026, 3, 9), "conducted_on"), (datetime.date(2026, 7, 1), "conducted_on")],
    ids=["before_opening", "after_today"],
)
def test_investigation_date_must_lie_between_opening_and_today(world, case, conducted_on, field):
    with refused(field=field):
        services.investigation_record(
            user=world.procurator,
            case=case,
            kind=Investigation.Kind.SITE_VISIT,
            conducted_on=conducted_on,
            findings="现场发现采砂坑",
            today=TODAY,
        )


def test_investigation_is_recorded_with_an_event(world, case):
    record = services.investigation_record(
        user=world.procurator,
        case=case,
        kind=Investigation.Kind.SITE_VISIT,
        conducted_on=case.opened_on,
        findings="现场发现采砂坑",
        today=TODAY,
    )
    assert record.recorded_by == world.procurator
    event = Event.objects.get()
    assert (event.kind, event.actor, event.case) == (Event.Kind.INVESTIGATION_RECORDED, world.procurator, case)


# --- closing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.INVESTIGATION, Status.CONSULTATION, Status.ANNOUNCEMENT])
def test_a_case_without_recommendation_can_be_closed_from_an_open_status(world, status):
    case = make_case(world, status=status)
    services.case_close(user=world.procurator, case=case, **close_data(note="经调查行政机关已依法履职"))
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.closure_ground, case.closure_note) == (
        Status.CLOSED,
        TODAY,
        Case.ClosureGround.NO_VIOLATION,
        "经调查行政机关已依法履职",
    )
    event = Event.objects.get()
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Event.Kind.CASE_CLOSED,
        world.procurator,
        status,
        Status.CLOSED,
    )


@pytest.mark.parametrize("who", ["supervisor", "city_supervisor"])
def test_a_supervisor_of_the_case_or_above_may_close_it(world, case, who):
    services.case_close(user=getattr(world, who), case=case, **close_data())
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_closing_needs_a_known_ground(world, case):
    with refused(field="ground"):
        services.case_close(user=world.procurator, case=case, **close_data(ground="whatever"))


def test_closing_on_ground_other_needs_a_note(world, case):
    with refused(field="note"):
        services.case_close(user=world.procurator, case=case, **close_data(ground=Case.ClosureGround.OTHER, note=" "))


@pytest.mark.parametrize(
    "closed_on", [datetime.date(2026, 3, 9), datetime.date(2026, 7, 1)], ids=["before_opening", "after_today"]
)
def test_closing_date_must_lie_between_opening_and_today(world, case, closed_on):
    with refused(field="closed_on"):
        services.case_close(user=world.procurator, case=case, **close_data(closed_on=closed_on))


@pytest.mark.parametrize("status", [Recommendation.Status.ISSUED, Recommendation.Status.SERVED])
def test_closing_while_a_recommendation_awaits_its_reply_is_refused(world, case, status):
    recommendation_at(status, case=case, agency=world.agency1)
    case.refresh_from_db()
    with refused(code="invalid_transition"):
        services.case_close(user=world.procurator, case=case, **close_data())


def test_closing_with_unevaluated_items_is_refused(world, case):
    replied(world, case, [Evaluation.RECTIFIED])  # the second item stays unevaluated
    with refused(code="invalid_transition"):
        services.case_close(user=world.procurator, case=case, **close_data(ground=Case.ClosureGround.RECTIFIED))


@pytest.mark.parametrize("evaluation", [Evaluation.NOT_RECTIFIED, Evaluation.PARTLY])
def test_ground_rectified_is_refused_when_an_item_is_not_rectified(world, case, evaluation):
    replied(world, case, [Evaluation.RECTIFIED, evaluation])
    with refused(field="ground"):
        services.case_close(user=world.procurator, case=case, **close_data(ground=Case.ClosureGround.RECTIFIED))


def test_ground_rectified_is_accepted_when_every_item_is_rectified_or_already_performed(world, case):
    replied(world, case, [Evaluation.RECTIFIED, Evaluation.ALREADY_PERFORMED])
    services.case_close(user=world.procurator, case=case, **close_data(ground=Case.ClosureGround.RECTIFIED))
    case.refresh_from_db()
    assert (case.status, case.closure_ground) == (Status.CLOSED, Case.ClosureGround.RECTIFIED)


def test_another_ground_may_close_a_case_with_unrectified_items(world, case):
    replied(world, case, [Evaluation.RECTIFIED, Evaluation.NOT_RECTIFIED])
    services.case_close(
        user=world.procurator, case=case, **close_data(ground=Case.ClosureGround.OTHER_PLAINTIFF, note="社会组织已起诉")
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED


@pytest.mark.parametrize("who", ["procurator", "supervisor"])
def test_a_closed_case_cannot_be_closed_again(world, case, who):
    services.case_close(user=world.procurator, case=case, **close_data())
    with refused(code="case_closed"):
        services.case_close(user=getattr(world, who), case=case, **close_data())


# --- who may write: generated over every write service of a case -----------------------------
#
# Each entry prepares the case (as its handler) and returns the action to try as another user.

Action = Callable[[User], object]


def _case_update(world, case) -> Action:
    return lambda user: services.case_update(user=user, case=case, **update_data(case, title="改名"))


def _start_consultation(world, case) -> Action:
    return lambda user: services.case_start_consultation(user=user, case=case)


def _end_consultation(world, case) -> Action:
    Case.objects.filter(pk=case.pk).update(status=Status.CONSULTATION)
    return lambda user: services.case_end_consultation(user=user, case=case)


def _investigation_record(world, case) -> Action:
    return lambda user: services.investigation_record(
        user=user, case=case, kind=Investigation.Kind.INQUIRY, conducted_on=TODAY, findings="询问", today=TODAY
    )


def _consultation_record(world, case) -> Action:
    return lambda user: services.consultation_record(
        user=user, case=case, agency=world.agency1, held_on=TODAY, summary="磋商", today=TODAY
    )


def _recommendation_create(world, case) -> Action:
    return lambda user: services.recommendation_create(
        user=user, case=case, items=["依法查处"], **recommendation_content(world.agency1)
    )


def _at(status):
    def prepare(world, case):
        return recommendation_at(status, case=case, agency=world.agency1, approver=world.supervisor)

    return prepare


def _recommendation_update(world, case) -> Action:
    rec = _at(Recommendation.Status.DRAFT)(world, case)
    return lambda user: services.recommendation_update(
        user=user, recommendation=rec, items=["改"], **recommendation_content(world.agency1)
    )


def _recommendation_submit(world, case) -> Action:
    rec = _at(Recommendation.Status.DRAFT)(world, case)
    return lambda user: services.recommendation_submit(user=user, recommendation=rec)


def _recommendation_withdraw(world, case) -> Action:
    rec = _at(Recommendation.Status.APPROVED)(world, case)
    return lambda user: services.recommendation_withdraw(user=user, recommendation=rec, reason="情况变化")


def _recommendation_issue(world, case) -> Action:
    rec = _at(Recommendation.Status.APPROVED)(world, case)
    return lambda user: services.recommendation_issue(
        user=user, recommendation=rec, issued_on=datetime.date(2026, 4, 2), today=TODAY
    )


def _recommendation_serve(world, case) -> Action:
    rec = _at(Recommendation.Status.ISSUED)(world, case)
    return lambda user: services.recommendation_serve(
        user=user,
        recommendation=rec,
        served_on=datetime.date(2026, 4, 3),
        service_method=Recommendation.ServiceMethod.POST,
        received_by="收发室",
        today=TODAY,
    )


def _recommendation_file(world, case) -> Action:
    rec = _at(Recommendation.Status.SERVED)(world, case)
    return lambda user: services.recommendation_file_with_superior(
        user=user, recommendation=rec, filed_on=datetime.date(2026, 4, 5), today=TODAY
    )


def _recommendation_reply(world, case) -> Action:
    rec = _at(Recommendation.Status.SERVED)(world, case)
    return lambda user: services.recommendation_record_reply(
        user=user, recommendation=rec, received_on=datetime.date(2026, 5, 1), summary="已整改", today=TODAY
    )


def _item_evaluate(world, case) -> Action:
    rec = _at(Recommendation.Status.REPLIED)(world, case)
    item = rec.items.first()
    return lambda user: services.item_evaluate(user=user, item=item, evaluation=Evaluation.RECTIFIED)


def _case_close(world, case) -> Action:
    return lambda user: services.case_close(user=user, case=case, **close_data())


EDITOR_ACTIONS = {
    "case_update": _case_update,
    "case_start_consultation": _start_consultation,
    "case_end_consultation": _end_consultation,
    "investigation_record": _investigation_record,
    "consultation_record": _consultation_record,
    "recommendation_create": _recommendation_create,
    "recommendation_update": _recommendation_update,
    "recommendation_submit": _recommendation_submit,
    "recommendation_withdraw": _recommendation_withdraw,
    "recommendation_issue": _recommendation_issue,
    "recommendation_serve": _recommendation_serve,
    "recommendation_file_with_superior": _recommendation_file,
    "recommendation_record_reply": _recommendation_reply,
    "item_evaluate": _item_evaluate,
    "case_close": _case_close,
}
# Supervisors may close a case (they approve), but never do the handler's other work.
SUPERVISOR_MAY = {"case_close"}
OUTSIDERS = [
    "procurator_colleague",
    "city_procurator",
    "other_procurator",
    "supervisor",
    "city_supervisor",
    "other_supervisor",
    "agency1_staff",
    "discipline",
]


@pytest.fixture
def co_handled_case(world) -> tuple[Case, User]:
    co_handler = UserFactory(organisation=world.district, role=Role.PROCURATOR, username="co_handler")
    case = make_case(world)
    case.co_handlers.add(co_handler)
    return case, co_handler


@pytest.mark.parametrize("action", EDITOR_ACTIONS)
def test_a_co_handler_may_do_the_handlers_work(world, co_handled_case, action):
    case, co_handler = co_handled_case
    act = EDITOR_ACTIONS[action](world, case)
    before = Event.objects.count()
    act(co_handler)
    assert Event.objects.filter(actor=co_handler).count() >= 1
    assert Event.objects.count() > before


@pytest.mark.parametrize(
    ("action", "who"),
    [
        (action, who)
        for action in EDITOR_ACTIONS
        for who in OUTSIDERS
        # allowed: test_a_supervisor_of_the_case_or_above_may_close_it
        if not (action in SUPERVISOR_MAY and who in ("supervisor", "city_supervisor"))
    ],
)
def test_only_the_handler_and_co_handlers_may_write(world, co_handled_case, action, who):
    case, _ = co_handled_case
    act = EDITOR_ACTIONS[action](world, case)
    with refused(code="permission_denied"):
        act(getattr(world, who))


# The filing with the higher procuratorate outlives the case (deadlines.models.SURVIVE_CASE_CLOSE).
AFTER_CLOSE = {"recommendation_file_with_superior"}


@pytest.mark.parametrize("action", [a for a in EDITOR_ACTIONS if a not in AFTER_CLOSE])
def test_a_closed_case_refuses_every_further_write(world, action):
    case = make_case(world)
    act = EDITOR_ACTIONS[action](world, case)
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_on=TODAY, closure_ground="other")
    with refused(code="case_closed"):
        act(world.procurator)


@pytest.mark.parametrize("action", sorted(AFTER_CLOSE))
def test_the_filing_duty_may_still_be_recorded_on_a_closed_case_by_those_on_it(world, co_handled_case, action):
    case, co_handler = co_handled_case
    act = EDITOR_ACTIONS[action](world, case)
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_on=TODAY, closure_ground="other")
    for outsider in ("procurator_colleague", "supervisor", "city_procurator"):
        with refused(code="permission_denied"):
            act(getattr(world, outsider))
    act(co_handler)


def test_an_inactive_handler_may_not_write(world, case):
    User.objects.filter(pk=world.procurator.pk).update(is_active=False)
    world.procurator.refresh_from_db()
    with refused(code="permission_denied"):
        services.case_update(user=world.procurator, case=case, **update_data(case, title="改名"))
