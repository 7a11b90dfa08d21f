"""The deadline-state services the agency portal relies on (deadlines/services.py): restarting the
reply period, opening, extending and reopening the agreed-rectification deadline, and closing it.
Every move keeps the previous date on the record (DeadlineChange); every refusal changes nothing.
Fixed dates: "today" is passed in, never read from the clock."""

from __future__ import annotations

import datetime

import pytest

from cases.models import Recommendation
from cases.services.recommendations import recommendation_serve
from deadlines.models import Deadline, DeadlineChange, DeadlineRule, RuleCode
from deadlines.services import (
    deadline_extend,
    deadline_rectification_agree,
    deadline_reopen,
    deadline_reply_restart,
    deadlines_close_for_rectification,
)
from pil_tracker.errors import DomainError
from tests.deadlines.conftest import issued_recommendation

D = datetime.date
TODAY = D(2026, 9, 1)
SERVED_ON = D(2026, 8, 20)

pytestmark = pytest.mark.django_db


def served(world, served_on: datetime.date = SERVED_ON) -> Recommendation:
    return recommendation_serve(
        user=world.procurator,
        recommendation=issued_recommendation(world),
        served_on=served_on,
        service_method=Recommendation.ServiceMethod.DIRECT,
        received_by="李某",
        today=served_on,
    )


def state() -> dict:
    return {
        "deadlines": list(Deadline.objects.order_by("pk").values()),
        "changes": list(DeadlineChange.objects.order_by("pk").values()),
    }


def refused(call, *, code: str = "invalid_transition", field: str | None = None) -> None:
    before = state()
    with pytest.raises(DomainError) as info:
        call()
    assert (info.value.code, info.value.field) == (code, field)
    assert state() == before


@pytest.fixture
def agreed(world):
    """An agreed-rectification deadline until 2026-10-30, agreed on TODAY."""
    recommendation = served(world)
    return deadline_rectification_agree(
        recommendation=recommendation, agreed_on=D(2026, 10, 30), today=TODAY, user=world.procurator
    )


# --- Who must act ---------------------------------------------------------------------------------


def test_serving_opens_the_reply_deadline_for_the_agency_and_the_filing_for_nobody_else(world):
    recommendation = served(world)
    deadlines = {d.rule.code: d for d in recommendation.deadlines.select_related("rule")}
    assert deadlines[RuleCode.REPLY].agency == world.agency1
    assert deadlines[RuleCode.FILING].agency is None


def test_the_agreed_rectification_deadline_is_the_agencys(world, agreed):
    assert (agreed.rule.code, agreed.agency, agreed.status) == (
        RuleCode.RECTIFICATION_AGREED,
        world.agency1,
        Deadline.Status.OPEN,
    )
    assert (agreed.start_date, agreed.due_date, agreed.period_value, agreed.rolls_over_rest_days) == (
        TODAY,
        D(2026, 10, 30),
        59,
        False,
    )
    assert not agreed.changes.exists()


# --- Extending --------------------------------------------------------------------------------------


def test_a_later_agreed_date_extends_the_deadline_and_keeps_the_previous_one(world, agreed):
    later = deadline_rectification_agree(
        recommendation=agreed.recommendation, agreed_on=D(2026, 11, 30), today=D(2026, 9, 10), user=world.procurator
    )
    assert later.pk == agreed.pk
    later.refresh_from_db()
    assert (later.start_date, later.due_date, later.period_value, later.status) == (
        D(2026, 9, 10),
        D(2026, 11, 30),
        81,
        Deadline.Status.OPEN,
    )
    change = later.changes.get()
    assert (change.old_due_date, change.new_due_date, change.changed_by) == (
        D(2026, 10, 30),
        D(2026, 11, 30),
        world.procurator,
    )
    assert "2026-11-30" in change.reason


def test_an_earlier_agreed_date_leaves_the_deadline_where_it_is(world, agreed):
    before = state()
    same = deadline_rectification_agree(
        recommendation=agreed.recommendation, agreed_on=D(2026, 10, 15), today=D(2026, 9, 10), user=world.procurator
    )
    assert same.pk == agreed.pk
    assert state() == before


def test_extending_to_a_date_not_later_than_the_current_one_is_refused(world, agreed):
    for due in (D(2026, 10, 30), D(2026, 10, 29)):
        refused(
            lambda due=due: deadline_extend(
                deadline=agreed, start_date=TODAY, due_date=due, reason="-", user=world.procurator
            ),
            field="due_date",
        )


def test_extending_a_closed_deadline_is_refused(world, agreed):
    deadlines_close_for_rectification(recommendation=agreed.recommendation, fulfilled_on=D(2026, 10, 20))
    refused(
        lambda: deadline_extend(
            deadline=agreed, start_date=TODAY, due_date=D(2026, 12, 1), reason="-", user=world.procurator
        )
    )


# --- Closing and reopening ----------------------------------------------------------------------------


def test_reporting_the_rectification_done_closes_the_deadline_met_or_late(world, agreed):
    assert deadlines_close_for_rectification(recommendation=agreed.recommendation, fulfilled_on=D(2026, 10, 20)) == 1
    agreed.refresh_from_db()
    assert (agreed.status, agreed.fulfilled_on) == (Deadline.Status.MET, D(2026, 10, 20))
    # Nothing open any more: a second report closes nothing.
    assert deadlines_close_for_rectification(recommendation=agreed.recommendation, fulfilled_on=D(2026, 11, 2)) == 0


def test_a_new_agreed_date_after_completion_reopens_the_deadline_and_keeps_the_previous_date(world, agreed):
    deadlines_close_for_rectification(recommendation=agreed.recommendation, fulfilled_on=D(2026, 10, 20))
    reopened = deadline_rectification_agree(
        recommendation=agreed.recommendation, agreed_on=D(2026, 12, 15), today=D(2026, 11, 1), user=world.procurator
    )
    assert reopened.pk == agreed.pk
    reopened.refresh_from_db()
    assert (reopened.status, reopened.fulfilled_on, reopened.closed_at) == (Deadline.Status.OPEN, None, None)
    assert (reopened.start_date, reopened.due_date) == (D(2026, 11, 1), D(2026, 12, 15))
    change = reopened.changes.get()
    assert (change.old_due_date, change.new_due_date, change.changed_by) == (
        D(2026, 10, 30),
        D(2026, 12, 15),
        world.procurator,
    )
    assert "重新开始监督" in change.reason


def test_reopening_an_open_deadline_or_to_a_date_before_the_start_is_refused(world, agreed):
    refused(
        lambda: deadline_reopen(
            deadline=agreed, start_date=TODAY, due_date=D(2026, 12, 1), reason="-", user=world.procurator
        )
    )
    deadlines_close_for_rectification(recommendation=agreed.recommendation, fulfilled_on=D(2026, 10, 20))
    refused(
        lambda: deadline_reopen(
            deadline=agreed, start_date=D(2026, 11, 1), due_date=D(2026, 11, 1), reason="-", user=world.procurator
        ),
        code="invalid",
        field="due_date",
    )


def test_without_the_rule_no_agreed_rectification_deadline_is_opened(world):
    recommendation = served(world)
    DeadlineRule.objects.filter(code=RuleCode.RECTIFICATION_AGREED).update(is_active=False)
    assert deadline_rectification_agree(recommendation=recommendation, agreed_on=D(2026, 10, 30), today=TODAY) is None
    assert not recommendation.deadlines.filter(rule__code=RuleCode.RECTIFICATION_AGREED).exists()


# --- Restarting the reply period from the agency's acknowledgement ------------------------------------


def test_an_earlier_acknowledgement_restarts_the_reply_period(world):
    recommendation = served(world, served_on=D(2026, 9, 20))
    restarted = deadline_reply_restart(
        recommendation=recommendation, start_date=D(2026, 9, 18), user=world.agency1_staff
    )
    assert (restarted.start_date, restarted.due_date) == (D(2026, 9, 18), D(2026, 11, 18))
    change = restarted.changes.get()
    assert (change.old_due_date, change.new_due_date, change.changed_by) == (
        D(2026, 11, 20),
        D(2026, 11, 18),
        world.agency1_staff,
    )
    assert "2026-09-18" in change.reason and "2026-09-20" in change.reason


def test_an_acknowledgement_on_or_after_the_service_date_changes_nothing(world):
    recommendation = served(world, served_on=D(2026, 9, 20))
    before = state()
    for day in (D(2026, 9, 20), D(2026, 9, 21)):
        assert deadline_reply_restart(recommendation=recommendation, start_date=day, user=world.agency1_staff) is None
    assert state() == before
