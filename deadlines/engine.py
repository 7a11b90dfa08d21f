"""Computing a statutory due date: pure, no database, fully tested (tests/deadlines/test_engine.py).

The counting rules (docs/domain.md, Deadlines):

- the starting day is not counted (Civil Procedure Law art. 85 ¶2; Civil Code art. 201): a period
  of N days served on day S ends on S + N;
- a period in months ends on the corresponding day of the final month, or on that month's last
  day if it has no such day (Civil Code arts. 201–202): 01-31 + 1 month → 02-28 (02-29 in a leap
  year);
- if the last day is a rest day, the period ends on the first working day after it (Civil
  Procedure Law art. 85 ¶3; Civil Code art. 203). Rest days are weekends and statutory holidays,
  except the weekend days the State Council makes working days (调休) — those are working days;
- for a year whose holiday arrangement is not known yet, only weekends count as rest days and the
  result is provisional until the year's calendar is loaded.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

DAYS = "days"
MONTHS = "months"

# A wrongly entered calendar (every day a rest day) must not loop forever: no real holiday run
# (Spring Festival and the weekends around it) comes near this.
MAX_ROLL_OVER_DAYS = 60


class Rule(Protocol):
    # Read-only members (compute_due only reads them), so a frozen dataclass fits as well as a row.
    @property
    def period_value(self) -> int: ...

    @property
    def period_unit(self) -> str: ...  # DAYS or MONTHS

    @property
    def rolls_over_rest_days(self) -> bool: ...


class Calendar(Protocol):
    def is_rest_day(self, day: datetime.date) -> bool: ...

    def knows_year(self, year: int) -> bool: ...


@dataclass(frozen=True)
class DueDate:
    due: datetime.date
    provisional: bool
    explanation: str


@dataclass(frozen=True)
class DaySpec:
    """One day of a holiday arrangement: a rest day (holiday) or a working day (调休), and its name."""

    date: datetime.date
    is_rest_day: bool
    name: str = ""


@dataclass(frozen=True)
class MappingCalendar:
    """A calendar from data: the years whose arrangement is known, and the exceptions to the weekend
    rule (True = a rest day on a weekday, i.e. a holiday; False = a make-up working day, 调休)."""

    known_years: frozenset[int] = frozenset()
    exceptions: Mapping[datetime.date, bool] | None = None

    def is_rest_day(self, day: datetime.date) -> bool:
        if self.exceptions and day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() >= 5

    def knows_year(self, year: int) -> bool:
        return year in self.known_years


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The corresponding day `months` later, or that month's last day if it has none."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(start.day, last))


def _weekday_name(day: datetime.date) -> str:
    return [_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日")][day.weekday()]


def _short(day: datetime.date, reference: datetime.date) -> str:
    """MM-DD within the reference year, the full date otherwise."""
    return f"{day:%m-%d}" if day.year == reference.year else day.isoformat()


def _period_label(value: int, unit: str) -> str:
    if unit == MONTHS:
        return _("%(n)d个月") % {"n": value}
    return _("%(n)d日") % {"n": value}


def compute_due(start: datetime.date, rule: Rule, calendar: Calendar, *, start_event: str | None = None) -> DueDate:
    """The due date of a period of `rule` starting on `start` (the event day, itself not counted).

    `start_event` names the starting event in the explanation ("送达", "公告"); by default the
    rule's own `start_event` if it has one.
    """
    if rule.period_value < 1:
        raise ValueError("a period must be at least one day or month")
    if rule.period_unit == MONTHS:
        nominal = add_months(start, rule.period_value)
    elif rule.period_unit == DAYS:
        nominal = start + datetime.timedelta(days=rule.period_value)
    else:
        raise ValueError(f"unknown period unit {rule.period_unit!r}")

    event = start_event if start_event is not None else (getattr(rule, "start_event", "") or _("起算"))
    parts = [f"{start.isoformat()} {event}"]
    head = f"{_period_label(rule.period_value, rule.period_unit)} → {_short(nominal, start)}"
    if rule.period_unit == MONTHS and nominal.day != start.day:
        head += _("（该月无%(day)d日，为该月最后一日）") % {"day": start.day}
    unknown_years: set[int] = set()

    def rest(day: datetime.date) -> bool:
        if calendar.knows_year(day.year):
            return calendar.is_rest_day(day)
        unknown_years.add(day.year)
        return day.weekday() >= 5

    if not rule.rolls_over_rest_days:
        parts.append(head)
        parts.append(_("本期限届满日不因节假日顺延"))
        return DueDate(due=nominal, provisional=False, explanation="；".join(parts))

    due = nominal
    if rest(due):
        if due.weekday() >= 5:
            head += _("，为%(weekday)s") % {"weekday": _weekday_name(due)}
        else:
            head += _("，为法定节假日")
        for _step in range(MAX_ROLL_OVER_DAYS):
            due += datetime.timedelta(days=1)
            if not rest(due):
                break
        else:
            raise ValueError(f"no working day within {MAX_ROLL_OVER_DAYS} days after {nominal}")
        parts.append(head)
        parts.append(_("顺延至下一个工作日 %(due)s") % {"due": _short(due, start)})
    else:
        if due.weekday() >= 5:
            head += _("，为%(weekday)s，但为调休工作日，不顺延") % {"weekday": _weekday_name(due)}
        parts.append(head)

    if unknown_years:
        years = "、".join(str(y) for y in sorted(unknown_years))
        parts.append(_("%(years)s年节假日安排尚未载入，暂按周末计算，日期为暂定") % {"years": years})
    return DueDate(due=due, provisional=bool(unknown_years), explanation="；".join(parts))
