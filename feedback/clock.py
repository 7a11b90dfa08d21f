"""The two deadlines the agency portal moves, computed with the deadline engine (deadlines/).

- The reply period restarts from the agency's acknowledgement when that is earlier than the
  service date the procurator recorded (the period runs from the agency's receipt, docs/domain.md, Glossary).
- An accepted completion date becomes the recommendation's agreed-rectification deadline
  (docs/domain.md, Deadlines "rectification completion (agreed) — as agreed").

Both keep the deadline's inputs (start, period, calendar version) like every other deadline, so a
calendar correction recomputes them the same way, and a moved due date is recorded as a
DeadlineChange in the case history, never shifted silently.

Opening and restarting go through deadlines.services (deadline_open_until, deadline_restart).
Moving an agreed date later (a second accepted proposal) has no service there yet: it is done here,
with the same inputs and a DeadlineChange, and is the candidate for a deadlines.services
deadline_extend.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Recommendation

RULE_RECTIFICATION_AGREED = "rectification_agreed"


@dataclass(frozen=True)
class _Period:
    period_value: int
    period_unit: str
    rolls_over_rest_days: bool
    start_event: str


def _compute(start: datetime.date, period: _Period):
    from deadlines import engine
    from deadlines.selectors import DbCalendar

    calendar = DbCalendar()
    # The explanation is stored, so it is written in the site's language, not the requester's.
    with translation.override(settings.LANGUAGE_CODE):
        result = engine.compute_due(start, period, calendar)
    return result, calendar.version(result.due.year)


def _move(deadline, *, start: datetime.date, period: _Period, user: User, reason: str) -> None:
    from deadlines.models import DeadlineChange

    result, version = _compute(start, period)
    if (deadline.due_date, deadline.provisional) != (result.due, result.provisional):
        DeadlineChange.objects.create(
            deadline=deadline,
            changed_by=user,
            old_due_date=deadline.due_date,
            new_due_date=result.due,
            old_provisional=deadline.provisional,
            new_provisional=result.provisional,
            reason=reason[:200],
        )
    deadline.start_date = start
    deadline.period_value, deadline.period_unit = period.period_value, period.period_unit
    deadline.rolls_over_rest_days = period.rolls_over_rest_days
    deadline.due_date, deadline.provisional = result.due, result.provisional
    deadline.explanation, deadline.calendar_version = result.explanation, version
    deadline.save()


def reply_deadline_restart(*, user: User, recommendation: Recommendation, start: datetime.date) -> None:
    """Run the open reply deadline again from `start` (the acknowledgement), if that is earlier."""
    from deadlines.models import Deadline
    from deadlines.services import RULE_REPLY, RULE_REPLY_URGENT, deadline_restart

    deadline = Deadline.objects.filter(
        recommendation=recommendation,
        rule__code__in=[RULE_REPLY, RULE_REPLY_URGENT],
        status=Deadline.Status.OPEN,
    ).first()
    if deadline is None or start >= deadline.start_date:
        return
    deadline_restart(
        deadline=deadline,
        start_date=start,
        user=user,
        reason=_("行政机关签收日期（%(ack)s）早于登记的送达日期（%(served)s），自签收日起算")
        % {"ack": f"{start:%Y-%m-%d}", "served": f"{recommendation.served_on:%Y-%m-%d}"},
    )


def rectification_deadline_agree(
    *, user: User, recommendation: Recommendation, agreed_on: datetime.date, today: datetime.date
):
    """Open, or extend, the recommendation's agreed-rectification deadline to `agreed_on`.

    One such deadline per recommendation (deadlines' unique (recommendation, rule)): it watches the
    latest agreed completion date, by which every item with an accepted date must be rectified.
    Returns the deadline, or None when the rule is missing or switched off.
    """
    from deadlines.models import Deadline, DeadlineRule
    from deadlines.services import deadline_open_until

    rule = DeadlineRule.objects.filter(code=RULE_RECTIFICATION_AGREED, is_active=True).first()
    if rule is None:
        return None
    deadline = Deadline.objects.select_for_update().filter(recommendation=recommendation, rule=rule).first()
    if deadline is None:
        return deadline_open_until(
            case=recommendation.case,
            rule_code=RULE_RECTIFICATION_AGREED,
            start_date=today,
            due_date=agreed_on,
            recommendation=recommendation,
        )
    period = _Period((agreed_on - today).days, DeadlineRule.Unit.DAYS, False, rule.start_event)
    if deadline.is_open and agreed_on > deadline.due_date:
        _move(
            deadline,
            start=today,
            period=period,
            user=user,
            reason=_("同意新的整改完成日期（%(date)s）") % {"date": f"{agreed_on:%Y-%m-%d}"},
        )
    elif not deadline.is_open:
        # Rectification was reported done and a later item now has an agreed date: watch again.
        Deadline.objects.filter(pk=deadline.pk).update(status=Deadline.Status.OPEN, fulfilled_on=None, closed_at=None)
        deadline.refresh_from_db()
        _move(
            deadline,
            start=today,
            period=period,
            user=user,
            reason=_("同意新的整改完成日期（%(date)s），重新开始监督") % {"date": f"{agreed_on:%Y-%m-%d}"},
        )
    return deadline


def rectification_deadline_fulfil(*, recommendation: Recommendation, fulfilled_on: datetime.date) -> None:
    """The agency reported every item with an agreed date rectified: the deadline is met (or late)."""
    from deadlines.models import Deadline
    from deadlines.services import deadline_close

    deadline = Deadline.objects.filter(
        recommendation=recommendation, rule__code=RULE_RECTIFICATION_AGREED, status=Deadline.Status.OPEN
    ).first()
    if deadline is not None:
        deadline_close(deadline=deadline, fulfilled_on=fulfilled_on)
