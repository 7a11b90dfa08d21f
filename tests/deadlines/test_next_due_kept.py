"""Case.next_due_date / next_due_provisional are kept by the deadline services: after any sequence
of service calls they equal what the case's open deadlines give (the earliest by due date, ties by
id), for every case."""

from __future__ import annotations

import datetime
import random

import pytest

from cases.models import Case
from deadlines.models import Deadline, RuleCode
from deadlines.selectors import case_next_due_annotation
from deadlines.services import (
    deadline_cancel,
    deadline_close,
    deadline_extend,
    deadline_open,
    deadline_open_until,
    deadline_reopen,
    deadline_restart,
    deadlines_cancel_for_case,
    deadlines_recompute,
)
from pil_tracker.errors import DomainError
from tests.deadlines.conftest import issued_recommendation

D = datetime.date
RULES = [RuleCode.REPLY, RuleCode.REPLY_URGENT, RuleCode.FILING, RuleCode.DEFENCE]


def recomputed() -> dict[int, tuple[datetime.date | None, bool]]:
    """What the kept columns must hold, from the deadlines themselves."""
    expected = {}
    for case in Case.objects.all():
        earliest = Deadline.objects.filter(case=case, status=Deadline.Status.OPEN).order_by("due_date", "id").first()
        expected[case.pk] = (earliest.due_date, earliest.provisional) if earliest else (None, False)
    return expected


def kept() -> dict[int, tuple[datetime.date | None, bool]]:
    return {
        pk: (due, provisional)
        for pk, due, provisional in Case.objects.values_list("pk", "next_due_date", "next_due_provisional")
    }


def _step(rng: random.Random, cases: list[Case]) -> None:
    case = rng.choice(cases)
    deadlines = list(Deadline.objects.filter(case__in=cases).order_by("id"))
    open_ones = [d for d in deadlines if d.is_open]
    closed_ones = [d for d in deadlines if not d.is_open]
    day = D(2026, 1, 1) + datetime.timedelta(days=rng.randrange(0, 700))  # 2027 is provisional
    action = rng.choice(
        ["open", "open", "until", "restart", "extend", "reopen", "close", "cancel", "case", "recompute"]
    )
    try:
        if action == "open":
            deadline_open(case=case, rule_code=rng.choice(RULES), start_date=day)
        elif action == "until":
            deadline_open_until(
                case=case,
                rule_code=RuleCode.RECTIFICATION_AGREED,
                start_date=day,
                due_date=day + datetime.timedelta(days=rng.randrange(1, 90)),
            )
        elif action == "restart" and open_ones:
            deadline_restart(deadline=rng.choice(open_ones), start_date=day, reason="随机")
        elif action == "extend" and open_ones:
            deadline = rng.choice(open_ones)
            deadline_extend(
                deadline=deadline,
                start_date=deadline.start_date,
                due_date=deadline.due_date + datetime.timedelta(days=rng.randrange(1, 60)),
                reason="随机",
            )
        elif action == "reopen" and closed_ones:
            deadline_reopen(
                deadline=rng.choice(closed_ones),
                start_date=day,
                due_date=day + datetime.timedelta(days=rng.randrange(1, 60)),
                reason="随机",
            )
        elif action == "close" and open_ones:
            deadline_close(deadline=rng.choice(open_ones), fulfilled_on=day)
        elif action == "cancel" and open_ones:
            picked = rng.sample(open_ones, k=min(len(open_ones), rng.randrange(1, 4)))
            deadline_cancel(deadlines=Deadline.objects.filter(pk__in=[d.pk for d in picked]))
        elif action == "case":
            deadlines_cancel_for_case(case=case)
        elif action == "recompute":
            deadlines_recompute(years=[rng.choice([2026, 2027])], reason="随机")
    except DomainError:
        pass  # a refused call (e.g. an extension to an earlier date) changes nothing either


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_next_due_date_equals_the_recomputed_one_after_random_service_calls(world, seed):
    rng = random.Random(seed)  # noqa: S311 - a reproducible test sequence, not a secret
    cases = [issued_recommendation(world).case for _ in range(4)]
    for _ in range(60):
        _step(rng, cases)
        assert kept() == recomputed()
    assert any(due for due, _ in kept().values()) or Deadline.objects.exists()
    # The selector's recomputation (one query) agrees with the kept column too.
    annotated = dict(Case.objects.annotate(computed=case_next_due_annotation()).values_list("pk", "computed"))
    assert annotated == {pk: due for pk, (due, _) in kept().items()}
