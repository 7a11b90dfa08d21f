"""Recommendation services: draft, approval (审批), issue (签发), service (送达), reply, evaluation."""

from __future__ import annotations

import datetime

import pytest

from cases import services
from cases.models import Case, CaseType, Event, Recommendation, RecommendationItem
from cases.timeline import changes_shown
from litigation.services import lawsuit_propose
from tests.factories import (
    APPROVED_AT,
    ISSUED_ON,
    REPLY_RECEIVED_ON,
    SERVED_ON,
    TODAY,
    CaseFactory,
    advance_recommendation,
    draft_recommendation,
    recommendation_at,
    recommendation_content,
    refused,
)

Status = Recommendation.Status
CaseStatus = Case.Status
Evaluation = RecommendationItem.Evaluation
DATE = datetime.date


def make_case(world, **overrides) -> Case:
    return CaseFactory(
        **{"procuratorate": world.district, "handler": world.procurator, "agencies": [world.agency1, world.agency2]}
        | overrides
    )


@pytest.fixture
def case(world) -> Case:
    return make_case(world)


def at(world, case, status, agency=None) -> Recommendation:
    return recommendation_at(status, case=case, agency=agency or world.agency1, approver=world.supervisor)


def new_events(since: int) -> list[tuple]:
    return list(
        Event.objects.filter(pk__gt=since)
        .order_by("pk")
        .values_list("kind", "actor__username", "from_status", "to_status")
    )


def last_event_id() -> int:
    return Event.objects.order_by("pk").values_list("pk", flat=True).last() or 0


def serve(user, recommendation, **overrides):
    return services.recommendation_serve(
        **{
            "user": user,
            "recommendation": recommendation,
            "served_on": SERVED_ON,
            "service_method": Recommendation.ServiceMethod.POST,
            "received_by": "王某（收发员）",
            "today": TODAY,
        }
        | overrides
    )


def reply(user, recommendation, **overrides):
    return services.recommendation_record_reply(
        **{
            "user": user,
            "recommendation": recommendation,
            "received_on": REPLY_RECEIVED_ON,
            "summary": "已立案查处并组织修复。",
            "today": TODAY,
        }
        | overrides
    )


# --- create ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [CaseStatus.INVESTIGATION, CaseStatus.CONSULTATION])
def test_drafting_moves_the_case_into_the_recommendation_stage(world, status):
    case = make_case(world, status=status)
    rec = services.recommendation_create(
        user=world.procurator,
        case=case,
        items=[" 依法查处非法采砂行为 ", "", "  ", "对受损河床进行生态修复"],
        **recommendation_content(world.agency1),
    )
    case.refresh_from_db()
    assert (rec.status, rec.drafted_by, rec.document_number, case.status) == (
        Status.DRAFT,
        world.procurator,
        None,
        CaseStatus.RECOMMENDATION,
    )
    assert list(rec.items.values_list("number", "text")) == [(1, "依法查处非法采砂行为"), (2, "对受损河床进行生态修复")]
    assert new_events(0) == [
        (Event.Kind.RECOMMENDATION_DRAFTED, "procurator", "", Status.DRAFT),
        (Event.Kind.STATUS_CHANGED, "procurator", status, CaseStatus.RECOMMENDATION),
    ]


def test_a_second_draft_in_the_recommendation_stage_leaves_the_case_there(world, case):
    draft_recommendation(case, world.agency1)
    since = last_event_id()
    services.recommendation_create(
        user=world.procurator, case=case, items=["依法履职"], **recommendation_content(world.agency2)
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RECOMMENDATION
    assert new_events(since) == [(Event.Kind.RECOMMENDATION_DRAFTED, "procurator", "", Status.DRAFT)]


@pytest.mark.parametrize(
    "status", [CaseStatus.AWAITING_REPLY, CaseStatus.FOLLOW_UP, CaseStatus.ANNOUNCEMENT, CaseStatus.LITIGATION]
)
def test_drafting_is_refused_outside_investigation_consultation_and_recommendation(world, status):
    case = make_case(world, status=status)
    with refused(code="invalid_transition"):
        services.recommendation_create(
            user=world.procurator, case=case, items=["依法履职"], **recommendation_content(world.agency1)
        )


@pytest.mark.parametrize("case_type", [CaseType.CIVIL, CaseType.CRIMINAL_CIVIL])
def test_only_administrative_cases_get_recommendations(world, case_type):
    case = make_case(world, case_type=case_type)
    with refused(code="invalid_transition"):
        services.recommendation_create(
            user=world.procurator, case=case, items=["依法履职"], **recommendation_content(world.agency1)
        )


def test_the_agency_must_be_one_the_case_concerns(world):
    case = make_case(world, agencies=[world.agency1])
    with refused(field="agency"):
        services.recommendation_create(
            user=world.procurator, case=case, items=["依法履职"], **recommendation_content(world.agency2)
        )


def test_a_procuratorate_cannot_be_the_addressee(world, case):
    with refused(field="agency"):
        services.recommendation_create(
            user=world.procurator, case=case, items=["依法履职"], **recommendation_content(world.district)
        )


@pytest.mark.parametrize("items", [[], ["", "  "]])
def test_a_recommendation_needs_an_item(world, case, items):
    with refused(field="items"):
        services.recommendation_create(
            user=world.procurator, case=case, items=items, **recommendation_content(world.agency1)
        )


# --- edit ------------------------------------------------------------------------------------


def test_editing_a_draft_records_changed_text_and_items(world, case):
    rec = draft_recommendation(case, world.agency1, ["依法查处"])
    since = last_event_id()
    services.recommendation_update(
        user=world.procurator,
        recommendation=rec,
        items=["依法查处", "限期修复"],
        **recommendation_content(world.agency1, harm_facts="新的事实", urgency=Recommendation.Urgency.URGENT),
    )
    event = Event.objects.get(pk__gt=since)
    assert (event.kind, event.actor, event.recommendation) == (Event.Kind.RECOMMENDATION_EDITED, world.procurator, rec)
    assert changes_shown(event) == {
        "harm_facts": ["河床遭到破坏，影响防洪安全。", "新的事实"],
        "urgency": [Recommendation.Urgency.NORMAL.label, Recommendation.Urgency.URGENT.label],
        "items": ["1. 依法查处", "1. 依法查处\n2. 限期修复"],
    }


def test_an_edit_of_a_draft_that_changes_nothing_records_nothing(world, case):
    rec = draft_recommendation(case, world.agency1, ["依法查处"])
    since = last_event_id()
    services.recommendation_update(
        user=world.procurator, recommendation=rec, items=["依法查处"], **recommendation_content(world.agency1)
    )
    assert new_events(since) == []


@pytest.mark.parametrize(
    "status", [Status.PENDING_APPROVAL, Status.APPROVED, Status.ISSUED, Status.SERVED, Status.REPLIED]
)
def test_only_a_draft_can_be_edited(world, case, status):
    rec = at(world, case, status)
    with refused(code="invalid_transition"):
        services.recommendation_update(
            user=world.procurator, recommendation=rec, items=["改写"], **recommendation_content(world.agency1)
        )


# --- approval --------------------------------------------------------------------------------


def test_submitting_asks_for_approval(world, case):
    rec = draft_recommendation(case, world.agency1)
    since = last_event_id()
    services.recommendation_submit(user=world.procurator, recommendation=rec)
    rec.refresh_from_db()
    assert rec.status == Status.PENDING_APPROVAL
    assert rec.submitted_at is not None
    assert new_events(since) == [
        (Event.Kind.RECOMMENDATION_SUBMITTED, "procurator", Status.DRAFT, Status.PENDING_APPROVAL)
    ]


def test_submitting_twice_is_refused(world, case):
    rec = at(world, case, Status.PENDING_APPROVAL)
    with refused(code="invalid_transition"):
        services.recommendation_submit(user=world.procurator, recommendation=rec)


@pytest.mark.parametrize("who", ["supervisor", "city_supervisor"])
def test_a_supervisor_of_the_case_or_a_higher_procuratorate_approves(world, case, who):
    rec = at(world, case, Status.PENDING_APPROVAL)
    since = last_event_id()
    services.recommendation_approve(user=getattr(world, who), recommendation=rec, comment="同意")
    rec.refresh_from_db()
    assert (rec.status, rec.decided_by, rec.decision_comment) == (Status.APPROVED, getattr(world, who), "同意")
    assert new_events(since) == [(Event.Kind.RECOMMENDATION_APPROVED, who, Status.PENDING_APPROVAL, Status.APPROVED)]


@pytest.mark.parametrize(
    "who",
    ["other_supervisor", "procurator", "procurator_colleague", "city_procurator", "agency1_staff", "discipline"],
)
def test_nobody_else_may_approve_or_return(world, case, who):
    rec = at(world, case, Status.PENDING_APPROVAL)
    with refused(code="permission_denied"):
        services.recommendation_approve(user=getattr(world, who), recommendation=rec)
    with refused(code="permission_denied"):
        services.recommendation_return(user=getattr(world, who), recommendation=rec, comment="退回")


@pytest.mark.parametrize("status", [Status.DRAFT, Status.APPROVED, Status.ISSUED])
def test_only_a_pending_recommendation_can_be_approved_or_returned(world, case, status):
    rec = at(world, case, status)
    with refused(code="invalid_transition"):
        services.recommendation_approve(user=world.supervisor, recommendation=rec)
    with refused(code="invalid_transition"):
        services.recommendation_return(user=world.supervisor, recommendation=rec, comment="退回")


def test_returning_needs_a_comment(world, case):
    rec = at(world, case, Status.PENDING_APPROVAL)
    with refused(field="comment"):
        services.recommendation_return(user=world.supervisor, recommendation=rec, comment="  ")


def test_a_returned_recommendation_is_a_draft_again_and_can_be_edited_and_resubmitted(world, case):
    rec = at(world, case, Status.PENDING_APPROVAL)
    since = last_event_id()
    services.recommendation_return(user=world.city_supervisor, recommendation=rec, comment="法律依据不充分")
    rec.refresh_from_db()
    assert (rec.status, rec.decision_comment, rec.decided_by) == (Status.DRAFT, "法律依据不充分", world.city_supervisor)
    assert new_events(since) == [
        (Event.Kind.RECOMMENDATION_RETURNED, "city_supervisor", Status.PENDING_APPROVAL, Status.DRAFT)
    ]
    services.recommendation_update(
        user=world.procurator,
        recommendation=rec,
        items=["依法查处"],
        **recommendation_content(world.agency1, legal_basis="《水法》第三十九条、第六十五条"),
    )
    services.recommendation_submit(user=world.procurator, recommendation=rec)
    rec.refresh_from_db()
    assert (rec.status, rec.legal_basis) == (Status.PENDING_APPROVAL, "《水法》第三十九条、第六十五条")


@pytest.mark.parametrize("action", ["approve", "return"])
def test_a_closed_case_refuses_approval(world, case, action):
    rec = at(world, case, Status.PENDING_APPROVAL)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=TODAY, closure_ground="other")
    with refused(code="case_closed"):
        getattr(services, f"recommendation_{action}")(user=world.supervisor, recommendation=rec, comment="意见")


# --- withdraw --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING_APPROVAL, Status.APPROVED])
def test_a_recommendation_not_yet_issued_can_be_withdrawn_with_a_reason(world, case, status):
    rec = at(world, case, status)
    with refused(field="reason"):
        services.recommendation_withdraw(user=world.procurator, recommendation=rec, reason=" ")
    since = last_event_id()
    services.recommendation_withdraw(user=world.procurator, recommendation=rec, reason="行政机关已主动整改")
    rec.refresh_from_db()
    assert rec.status == Status.WITHDRAWN
    assert new_events(since) == [(Event.Kind.STATUS_CHANGED, "procurator", status, Status.WITHDRAWN)]


@pytest.mark.parametrize("status", [Status.ISSUED, Status.SERVED, Status.REPLIED])
def test_an_issued_recommendation_cannot_be_withdrawn(world, case, status):
    rec = at(world, case, status)
    with refused(code="invalid_transition"):
        services.recommendation_withdraw(user=world.procurator, recommendation=rec, reason="撤回")


# --- issue -----------------------------------------------------------------------------------


def test_issuing_assigns_the_document_number(world, case):
    rec = at(world, case, Status.APPROVED)
    since = last_event_id()
    services.recommendation_issue(user=world.procurator, recommendation=rec, issued_on=ISSUED_ON, today=TODAY)
    rec.refresh_from_db()
    assert (rec.status, rec.document_number, rec.issued_on, rec.issued_by) == (
        Status.ISSUED,
        "测区检行公建〔2026〕1号",
        ISSUED_ON,
        world.procurator,
    )
    assert new_events(since) == [(Event.Kind.RECOMMENDATION_ISSUED, "procurator", Status.APPROVED, Status.ISSUED)]
    assert Event.objects.get(pk__gt=since).note == rec.document_number


def test_issuing_on_the_approval_day_is_allowed(world, case):
    rec = at(world, case, Status.APPROVED)
    services.recommendation_issue(
        user=world.procurator, recommendation=rec, issued_on=APPROVED_AT.date(), today=APPROVED_AT.date()
    )
    rec.refresh_from_db()
    assert rec.issued_on == APPROVED_AT.date()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING_APPROVAL, Status.ISSUED])
def test_only_an_approved_recommendation_can_be_issued(world, case, status):
    rec = at(world, case, status)
    with refused(code="invalid_transition"):
        services.recommendation_issue(user=world.procurator, recommendation=rec, issued_on=ISSUED_ON, today=TODAY)


@pytest.mark.parametrize("issued_on", [DATE(2026, 3, 31), DATE(2026, 7, 1)], ids=["before_approval", "after_today"])
def test_issue_date_must_lie_between_approval_and_today(world, case, issued_on):
    rec = at(world, case, Status.APPROVED)
    with refused(field="issued_on"):
        services.recommendation_issue(user=world.procurator, recommendation=rec, issued_on=issued_on, today=TODAY)


def test_the_text_is_frozen_once_issued(world, case):
    rec = at(world, case, Status.ISSUED)
    assert rec.is_frozen
    with refused(code="invalid_transition"):
        services.recommendation_update(
            user=world.procurator, recommendation=rec, items=["改写"], **recommendation_content(world.agency1)
        )


# --- service ---------------------------------------------------------------------------------


def test_serving_starts_the_wait_for_the_reply(world, case):
    rec = at(world, case, Status.ISSUED)
    since = last_event_id()
    serve(world.procurator, rec)
    rec.refresh_from_db()
    case.refresh_from_db()
    assert (rec.status, rec.served_on, rec.service_method, rec.received_by) == (
        Status.SERVED,
        SERVED_ON,
        Recommendation.ServiceMethod.POST,
        "王某（收发员）",
    )
    assert case.status == CaseStatus.AWAITING_REPLY
    assert new_events(since) == [
        (Event.Kind.RECOMMENDATION_SERVED, "procurator", Status.ISSUED, Status.SERVED),
        (Event.Kind.STATUS_CHANGED, "procurator", CaseStatus.RECOMMENDATION, CaseStatus.AWAITING_REPLY),
    ]


def test_serving_on_the_issue_day_is_allowed(world, case):
    rec = at(world, case, Status.ISSUED)
    serve(world.procurator, rec, served_on=ISSUED_ON)
    rec.refresh_from_db()
    assert rec.served_on == ISSUED_ON


def test_a_service_date_before_the_issue_date_is_refused(world, case):
    rec = at(world, case, Status.ISSUED)
    with refused(field="served_on"):
        serve(world.procurator, rec, served_on=DATE(2026, 4, 1))


def test_a_service_date_after_today_is_refused(world, case):
    rec = at(world, case, Status.ISSUED)
    with refused(field="served_on"):
        serve(world.procurator, rec, served_on=DATE(2026, 4, 10), today=DATE(2026, 4, 9))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"service_method": "pigeon"}, "service_method"), ({"received_by": " "}, "received_by")],
    ids=["unknown_method", "no_receiver"],
)
def test_service_needs_a_method_and_who_signed(world, case, overrides, field):
    rec = at(world, case, Status.ISSUED)
    with refused(field=field):
        serve(world.procurator, rec, **overrides)


@pytest.mark.parametrize("status", [Status.APPROVED, Status.SERVED, Status.REPLIED])
def test_only_an_issued_recommendation_can_be_served(world, case, status):
    rec = at(world, case, status)
    with refused(code="invalid_transition"):
        serve(world.procurator, rec)


def test_serving_a_second_recommendation_after_the_first_reply_puts_the_case_back_to_awaiting(world, case):
    second = at(world, case, Status.APPROVED, agency=world.agency2)
    at(world, case, Status.REPLIED)
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP
    advance_recommendation(second, to=Status.SERVED)
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_REPLY
    # ... so nobody decides to sue while the second agency's reply period runs.
    with refused(code="invalid_transition"):
        lawsuit_propose(user=world.procurator, case=case, reasons="起诉", materials=["complaint"])


# --- filing with the higher procuratorate (备案) ----------------------------------------------


def test_filing_with_the_superior_is_recorded_once(world, case):
    rec = at(world, case, Status.SERVED)
    since = last_event_id()
    services.recommendation_file_with_superior(
        user=world.procurator, recommendation=rec, filed_on=DATE(2026, 4, 7), today=TODAY
    )
    rec.refresh_from_db()
    assert rec.filed_with_superior_on == DATE(2026, 4, 7)
    assert new_events(since) == [(Event.Kind.RECOMMENDATION_FILED, "procurator", "", "")]
    with refused(code="invalid_transition"):
        services.recommendation_file_with_superior(
            user=world.procurator, recommendation=rec, filed_on=DATE(2026, 4, 8), today=TODAY
        )


@pytest.mark.parametrize("filed_on", [DATE(2026, 4, 2), DATE(2026, 7, 1)], ids=["before_service", "after_today"])
def test_filing_date_must_lie_between_service_and_today(world, case, filed_on):
    rec = at(world, case, Status.SERVED)
    with refused(field="filed_on"):
        services.recommendation_file_with_superior(
            user=world.procurator, recommendation=rec, filed_on=filed_on, today=TODAY
        )


def test_an_unserved_recommendation_cannot_be_filed(world, case):
    rec = at(world, case, Status.ISSUED)
    with refused(code="invalid_transition"):
        services.recommendation_file_with_superior(
            user=world.procurator, recommendation=rec, filed_on=TODAY, today=TODAY
        )


# --- reply -----------------------------------------------------------------------------------


def test_the_reply_moves_the_case_to_follow_up(world, case):
    rec = at(world, case, Status.SERVED)
    since = last_event_id()
    reply(world.procurator, rec, posted_on=DATE(2026, 5, 18))
    rec.refresh_from_db()
    case.refresh_from_db()
    assert (rec.status, rec.reply_received_on, rec.reply_posted_on, rec.reply_summary) == (
        Status.REPLIED,
        REPLY_RECEIVED_ON,
        DATE(2026, 5, 18),
        "已立案查处并组织修复。",
    )
    assert case.status == CaseStatus.FOLLOW_UP
    assert new_events(since) == [
        (Event.Kind.REPLY_RECORDED, "procurator", Status.SERVED, Status.REPLIED),
        (Event.Kind.STATUS_CHANGED, "procurator", CaseStatus.AWAITING_REPLY, CaseStatus.FOLLOW_UP),
    ]


@pytest.mark.parametrize("other_status", [Status.ISSUED, Status.SERVED])
def test_the_case_stays_awaiting_while_another_recommendation_awaits_its_reply(world, case, other_status):
    first = at(world, case, Status.APPROVED)
    second = at(world, case, Status.APPROVED, agency=world.agency2)
    advance_recommendation(first, to=Status.SERVED)
    advance_recommendation(second, to=other_status)
    since = last_event_id()
    reply(world.procurator, first)
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_REPLY
    assert new_events(since) == [(Event.Kind.REPLY_RECORDED, "procurator", Status.SERVED, Status.REPLIED)]
    advance_recommendation(second, to=Status.REPLIED)
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP


@pytest.mark.parametrize("status", [Status.APPROVED, Status.ISSUED, Status.REPLIED])
def test_a_reply_is_recorded_only_for_a_served_recommendation(world, case, status):
    rec = at(world, case, status)
    with refused(code="invalid_transition"):
        reply(world.procurator, rec)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_on": DATE(2026, 4, 2)}, "received_on"),
        ({"received_on": DATE(2026, 7, 1)}, "received_on"),
        ({"posted_on": DATE(2026, 5, 21)}, "posted_on"),
        ({"posted_on": DATE(2026, 4, 2)}, "posted_on"),
        ({"summary": "  "}, "summary"),
    ],
    ids=[
        "received_before_service",
        "received_after_today",
        "posted_after_received",
        "posted_before_service",
        "no_summary",
    ],
)
def test_reply_dates_and_summary_are_checked(world, case, overrides, field):
    rec = at(world, case, Status.SERVED)
    with refused(field=field):
        reply(world.procurator, rec, **overrides)


def test_a_reply_posted_and_received_the_same_day_is_accepted(world, case):
    rec = at(world, case, Status.SERVED)
    reply(world.procurator, rec, posted_on=REPLY_RECEIVED_ON)
    rec.refresh_from_db()
    assert rec.status == Status.REPLIED


# --- evaluation ------------------------------------------------------------------------------


@pytest.mark.parametrize("evaluation", [Evaluation.RECTIFIED, Evaluation.ALREADY_PERFORMED])
def test_rectified_or_already_performed_needs_no_note(world, case, evaluation):
    item = at(world, case, Status.REPLIED).items.first()
    since = last_event_id()
    services.item_evaluate(user=world.procurator, item=item, evaluation=evaluation)
    item.refresh_from_db()
    assert (item.evaluation, item.evaluated_by) == (evaluation, world.procurator)
    event = Event.objects.get(pk__gt=since)
    assert event.changes["evaluation"] == {"model": "cases.recommendationitem", "before": "", "after": evaluation}
    assert (event.kind, event.actor, changes_shown(event)) == (
        Event.Kind.ITEM_EVALUATED,
        world.procurator,
        {"evaluation": ["", evaluation.label]},
    )


@pytest.mark.parametrize("evaluation", [Evaluation.NOT_RECTIFIED, Evaluation.PARTLY])
def test_not_or_partly_rectified_needs_a_note(world, case, evaluation):
    item = at(world, case, Status.REPLIED).items.first()
    with refused(field="note"):
        services.item_evaluate(user=world.procurator, item=item, evaluation=evaluation, note=" ")


def test_an_unknown_evaluation_is_refused(world, case):
    item = at(world, case, Status.REPLIED).items.first()
    with refused(field="evaluation"):
        services.item_evaluate(user=world.procurator, item=item, evaluation="maybe", note="说明")


@pytest.mark.parametrize("status", [Status.ISSUED, Status.SERVED])
def test_items_are_evaluated_only_after_the_reply(world, case, status):
    item = at(world, case, status).items.first()
    with refused(code="invalid_transition"):
        services.item_evaluate(user=world.procurator, item=item, evaluation=Evaluation.RECTIFIED)


def test_a_re_evaluation_keeps_the_old_value_in_history(world, case):
    item = at(world, case, Status.REPLIED).items.first()
    services.item_evaluate(user=world.procurator, item=item, evaluation=Evaluation.PARTLY, note="仍有采砂坑未回填")
    since = last_event_id()
    services.item_evaluate(user=world.procurator, item=item, evaluation=Evaluation.RECTIFIED)
    assert changes_shown(Event.objects.get(pk__gt=since)) == {
        "evaluation": [Evaluation.PARTLY.label, Evaluation.RECTIFIED.label],
        "evaluation_note": ["仍有采砂坑未回填", ""],
    }
