"""The case services open and close deadlines: serving, filing, the written reply, closing a case."""

from __future__ import annotations

import datetime

import pytest

from cases.models import Recommendation, RecommendationItem
from cases.services.cases import case_close
from cases.services.recommendations import (
    item_evaluate,
    recommendation_file_with_superior,
    recommendation_record_reply,
    recommendation_serve,
)
from deadlines.models import Deadline, DeadlineRule, RuleCode
from deadlines.services import deadline_close, deadline_open
from pil_tracker.errors import DomainError
from tests.deadlines.conftest import issued_recommendation

D = datetime.date


def serve(world, recommendation, served_on):
    return recommendation_serve(
        user=world.procurator,
        recommendation=recommendation,
        served_on=served_on,
        service_method=Recommendation.ServiceMethod.DIRECT,
        received_by="李某",
        today=served_on,
    )


def reply(world, recommendation, received_on, posted_on=None):
    return recommendation_record_reply(
        user=world.procurator,
        recommendation=recommendation,
        received_on=received_on,
        posted_on=posted_on,
        summary="已责令停止采砂并修复河床。",
        today=received_on,
    )


def by_rule(recommendation) -> dict[str, Deadline]:
    return {d.rule.code: d for d in Deadline.objects.filter(recommendation=recommendation).select_related("rule")}


def test_serving_a_recommendation_opens_the_reply_and_the_filing_deadlines(world):
    recommendation = serve(world, issued_recommendation(world), D(2026, 9, 20))
    deadlines = by_rule(recommendation)
    assert set(deadlines) == {RuleCode.REPLY, RuleCode.FILING}
    reply_deadline, filing = deadlines[RuleCode.REPLY], deadlines[RuleCode.FILING]
    assert (reply_deadline.start_date, reply_deadline.due_date) == (D(2026, 9, 20), D(2026, 11, 20))
    assert (reply_deadline.period_value, reply_deadline.period_unit) == (2, "months")
    assert reply_deadline.case_id == recommendation.case_id
    assert not reply_deadline.provisional
    assert reply_deadline.calendar_version == 1
    # 5 days → 09-25, the Mid-autumn holiday (a Friday), then the weekend: Monday 09-28.
    assert filing.due_date == D(2026, 9, 28)
    assert "为法定节假日" in filing.explanation
    assert {d.status for d in deadlines.values()} == {Deadline.Status.OPEN}


def test_an_urgent_recommendation_gets_fifteen_days(world):
    recommendation = issued_recommendation(world, urgency=Recommendation.Urgency.URGENT)
    recommendation = serve(world, recommendation, D(2026, 9, 20))
    urgent = by_rule(recommendation)[RuleCode.REPLY_URGENT]
    assert urgent.due_date == D(2026, 10, 8)
    assert urgent.explanation == "2026-09-20 送达；15日 → 10-05，为法定节假日；顺延至下一个工作日 10-08"


def test_serving_in_december_gives_a_provisional_reply_deadline_in_the_unknown_next_year(world):
    recommendation = serve(world, issued_recommendation(world, issued_on=D(2026, 12, 1)), D(2026, 12, 31))
    reply_deadline = by_rule(recommendation)[RuleCode.REPLY]
    assert (reply_deadline.due_date, reply_deadline.provisional) == (D(2027, 3, 1), True)
    assert reply_deadline.calendar_version == 0


def test_a_reply_received_by_the_due_date_meets_the_deadline(world):
    recommendation = serve(world, issued_recommendation(world), D(2026, 9, 20))
    reply(world, recommendation, D(2026, 11, 20))
    deadline = by_rule(recommendation)[RuleCode.REPLY]
    assert (deadline.status, deadline.fulfilled_on) == (Deadline.Status.MET, D(2026, 11, 20))
    assert deadline.closed_at is not None


def test_a_reply_received_after_the_due_date_is_late(world):
    recommendation = serve(world, issued_recommendation(world), D(2026, 9, 20))
    reply(world, recommendation, D(2026, 11, 23))
    assert by_rule(recommendation)[RuleCode.REPLY].status == Deadline.Status.LATE


def test_a_reply_posted_by_the_due_date_is_on_time_even_if_it_arrives_later(world):
    recommendation = serve(world, issued_recommendation(world), D(2026, 9, 20))
    reply(world, recommendation, D(2026, 11, 24), posted_on=D(2026, 11, 20))
    deadline = by_rule(recommendation)[RuleCode.REPLY]
    assert (deadline.status, deadline.fulfilled_on) == (Deadline.Status.MET, D(2026, 11, 20))


def test_a_reply_posted_after_the_due_date_is_late(world):
    recommendation = serve(world, issued_recommendation(world), D(2026, 9, 20))
    reply(world, recommendation, D(2026, 11, 25), posted_on=D(2026, 11, 21))
    assert by_rule(recommendation)[RuleCode.REPLY].status == Deadline.Status.LATE


def test_the_reply_leaves_the_filing_deadline_open(world):
    recommendation = serve(world, issued_recommendation(world), D(2026, 9, 20))
    reply(world, recommendation, D(2026, 10, 9))
    assert by_rule(recommendation)[RuleCode.FILING].status == Deadline.Status.OPEN


@pytest.mark.parametrize(("filed_on", "status"), [(D(2026, 9, 28), "met"), (D(2026, 9, 29), "late")])
def test_filing_with_the_superior_closes_the_filing_deadline(world, filed_on, status):
    recommendation = serve(world, issued_recommendation(world), D(2026, 9, 20))
    recommendation_file_with_superior(
        user=world.procurator, recommendation=recommendation, filed_on=filed_on, today=filed_on
    )
    deadlines = by_rule(recommendation)
    assert deadlines[RuleCode.FILING].status == status
    assert deadlines[RuleCode.REPLY].status == Deadline.Status.OPEN


def test_closing_the_case_keeps_the_closed_deadlines_and_the_open_filing_duty(world):
    """The filing with the higher procuratorate is the procuratorate's own duty: it outlives the
    case (deadlines.models.SURVIVE_CASE_CLOSE); the other open deadlines are cancelled
    (tests/cases/test_case_close_deadlines.py)."""
    recommendation = serve(world, issued_recommendation(world), D(2026, 9, 20))
    reply(world, recommendation, D(2026, 10, 9))
    for item in recommendation.items.all():
        item_evaluate(user=world.procurator, item=item, evaluation=RecommendationItem.Evaluation.RECTIFIED)
    case_close(
        user=world.procurator,
        case=recommendation.case,
        ground="rectified",
        note="",
        closed_on=D(2026, 10, 20),
        today=D(2026, 10, 20),
    )
    deadlines = by_rule(recommendation)
    assert deadlines[RuleCode.REPLY].status == Deadline.Status.MET
    assert deadlines[RuleCode.FILING].status == Deadline.Status.OPEN


def test_a_refused_service_opens_nothing(world):
    recommendation = issued_recommendation(world)
    with pytest.raises(DomainError):
        recommendation_serve(
            user=world.procurator,
            recommendation=recommendation,
            served_on=D(2026, 9, 20),
            service_method="pigeon",
            received_by="李某",
            today=D(2026, 9, 20),
        )
    assert not Deadline.objects.exists()


def test_a_switched_off_rule_opens_no_deadline(world):
    DeadlineRule.objects.filter(code=RuleCode.FILING).update(is_active=False)
    recommendation = serve(world, issued_recommendation(world), D(2026, 9, 20))
    assert set(by_rule(recommendation)) == {RuleCode.REPLY}


def test_opening_a_deadline_copies_the_rule_so_a_later_rule_change_does_not_move_it(world):
    recommendation = serve(world, issued_recommendation(world), D(2026, 9, 20))
    DeadlineRule.objects.filter(code=RuleCode.REPLY).update(period_value=3)
    deadline = by_rule(recommendation)[RuleCode.REPLY]
    assert (deadline.period_value, deadline.due_date) == (2, D(2026, 11, 20))


def test_deadline_open_for_an_internal_rule_only_when_switched_on(world):
    case = issued_recommendation(world).case
    assert deadline_open(case=case, rule_code=RuleCode.LEAD_EVALUATION, start_date=D(2026, 3, 1)) is None
    assert deadline_open(case=case, rule_code="no_such_rule", start_date=D(2026, 3, 1)) is None
    DeadlineRule.objects.filter(code=RuleCode.LEAD_EVALUATION).update(is_active=True)
    deadline = deadline_open(case=case, rule_code=RuleCode.LEAD_EVALUATION, start_date=D(2026, 3, 1))
    assert deadline.due_date == D(2026, 4, 1)


def test_deadline_close_judges_by_the_due_date_and_refuses_a_second_time(world):
    case = issued_recommendation(world).case
    deadline = deadline_open(case=case, rule_code=RuleCode.DEFENCE, start_date=D(2026, 3, 2))
    assert deadline.due_date == D(2026, 3, 17)
    closed = deadline_close(deadline=deadline, fulfilled_on=D(2026, 3, 17))
    assert closed.status == Deadline.Status.MET
    with pytest.raises(DomainError):
        deadline_close(deadline=deadline, fulfilled_on=D(2026, 3, 18))


def test_a_date_far_in_an_unknown_future_year_is_provisional_not_an_error(world):
    case = issued_recommendation(world).case
    deadline = deadline_open(case=case, rule_code=RuleCode.REPLY, start_date=D(2031, 5, 30))
    assert (deadline.due_date, deadline.provisional) == (D(2031, 7, 30), True)


def test_a_deadline_with_a_given_date_is_not_moved_by_the_calendar(world):
    from deadlines.models import DeadlineRule as Rule
    from deadlines.services import deadline_open_until

    Rule.objects.create(
        code="compliance",
        name="履行判决期限",
        period_value=1,
        period_unit="days",
        start_event="判决生效",
        starts_from="判决生效之日",
        obligor="agency",
    )
    case = issued_recommendation(world).case
    deadline = deadline_open_until(case=case, rule_code="compliance", start_date=D(2026, 9, 1), due_date=D(2026, 10, 5))
    assert (deadline.due_date, deadline.period_value, deadline.rolls_over_rest_days) == (D(2026, 10, 5), 34, False)
    assert "不因节假日顺延" in deadline.explanation
    with pytest.raises(DomainError):
        deadline_open_until(case=case, rule_code="compliance", start_date=D(2026, 9, 1), due_date=D(2026, 9, 1))


def test_restarting_a_deadline_keeps_the_previous_date_on_record(world):
    from deadlines.services import deadline_restart

    recommendation = serve(world, issued_recommendation(world), D(2026, 9, 20))
    deadline = by_rule(recommendation)[RuleCode.REPLY]
    restarted = deadline_restart(
        deadline=deadline, start_date=D(2026, 9, 18), reason="行政机关签收日期早于登记的送达日期", user=world.procurator
    )
    assert (restarted.start_date, restarted.due_date) == (D(2026, 9, 18), D(2026, 11, 18))
    change = restarted.changes.get()
    assert (change.old_due_date, change.new_due_date, change.changed_by) == (
        D(2026, 11, 20),
        D(2026, 11, 18),
        world.procurator,
    )
    deadline_close(deadline=restarted, fulfilled_on=D(2026, 11, 18))
    with pytest.raises(DomainError):
        deadline_restart(deadline=restarted, start_date=D(2026, 9, 17), reason="-")
