"""The pure deadline engine: the examples of docs/domain.md, Deadlines, and the counting rules, with no database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from deadlines.engine import DAYS, MONTHS, MappingCalendar, add_months, compute_due
from deadlines.holidays import package_days

D = datetime.date


@dataclass(frozen=True)
class R:
    period_value: int
    period_unit: str
    rolls_over_rest_days: bool = True
    start_event: str = "送达"


def calendar_of(*years: int, extra: dict | None = None) -> MappingCalendar:
    """The real arrangements of `years` from chinese-calendar (1.11.0 knows 2004–2026)."""
    exceptions = {d.date: d.is_rest_day for y in years for d in package_days(y)}
    exceptions.update(extra or {})
    return MappingCalendar(known_years=frozenset(years), exceptions=exceptions)


CAL = calendar_of(2025, 2026)


@pytest.mark.parametrize(
    ("start", "rule", "due", "provisional"),
    [
        # docs/domain.md, Deadlines, the examples table, row by row.
        (D(2026, 9, 20), R(15, DAYS), D(2026, 10, 8), False),  # 10-05 is inside the National Day holiday
        (D(2026, 8, 31), R(2, MONTHS), D(2026, 11, 2), False),  # 10-31 is a Saturday
        (D(2026, 6, 30), R(2, MONTHS), D(2026, 8, 31), False),  # 08-30 is a Sunday
        (D(2026, 12, 31), R(2, MONTHS), D(2027, 3, 1), True),  # 02-28 a Sunday; 2027 not loaded
    ],
)
def test_domain_examples(start, rule, due, provisional):
    result = compute_due(start, rule, CAL)
    assert (result.due, result.provisional) == (due, provisional)


def test_explanation_reads_like_the_procurator_would_say_it():
    result = compute_due(D(2026, 9, 20), R(15, DAYS), CAL)
    assert result.explanation == "2026-09-20 送达；15日 → 10-05，为法定节假日；顺延至下一个工作日 10-08"


def test_explanation_of_a_provisional_date_names_the_missing_year():
    result = compute_due(D(2026, 12, 31), R(2, MONTHS), CAL)
    assert result.explanation == (
        "2026-12-31 送达；2个月 → 2027-02-28（该月无31日，为该月最后一日），为星期日；"
        "顺延至下一个工作日 2027-03-01；2027年节假日安排尚未载入，暂按周末计算，日期为暂定"
    )


def test_the_starting_day_is_not_counted():
    assert compute_due(D(2026, 3, 2), R(1, DAYS), CAL).due == D(2026, 3, 3)
    assert compute_due(D(2026, 3, 2), R(5, DAYS), CAL).due == D(2026, 3, 9)  # 03-07 Sat → Mon 03-09


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2100, 1, 31), 1, D(2100, 2, 28)),  # a century that is not a leap year
        (D(2000, 1, 31), 1, D(2000, 2, 29)),  # a century that is
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 10, 31), 4, D(2027, 2, 28)),
        (D(2026, 11, 15), 2, D(2027, 1, 15)),  # served in November, due in January
        (D(2026, 12, 31), 12, D(2027, 12, 31)),
        (D(2026, 5, 15), 0, D(2026, 5, 15)),
    ],
)
def test_months_end_on_the_corresponding_day_or_the_months_last_day(start, months, end):
    assert add_months(start, months) == end


def test_month_end_on_a_make_up_saturday_is_not_extended():
    # 2026-01-31 + 1 month = 02-28, a Saturday that is a working day in 2026 (春节调休).
    result = compute_due(D(2026, 1, 31), R(1, MONTHS), CAL)
    assert result.due == D(2026, 2, 28)
    assert not result.provisional
    assert "调休工作日，不顺延" in result.explanation


def test_leap_year_month_end():
    known_2028 = MappingCalendar(known_years=frozenset({2028}))
    assert compute_due(D(2028, 1, 31), R(1, MONTHS), known_2028).due == D(2028, 2, 29)  # a Tuesday
    unknown = compute_due(D(2028, 1, 31), R(1, MONTHS), CAL)
    assert (unknown.due, unknown.provisional) == (D(2028, 2, 29), True)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (D(2026, 9, 25), D(2026, 10, 10)),  # 15 days → 10-10, a Saturday worked after National Day
        (D(2026, 4, 24), D(2026, 5, 9)),  # 15 days → 05-09, a Saturday worked after Labour Day
        (D(2026, 2, 13), D(2026, 2, 28)),  # 15 days → 02-28, a Saturday worked after Spring Festival
    ],
)
def test_a_period_ending_on_a_make_up_working_saturday_is_not_extended(start, due):
    assert due.weekday() == 5
    result = compute_due(start, R(15, DAYS), CAL)
    assert result.due == due
    assert "星期六，但为调休工作日" in result.explanation


def test_a_period_ending_on_a_make_up_working_sunday_is_not_extended():
    # 2026-09-20 is a Sunday worked before the Mid-autumn holiday.
    assert compute_due(D(2026, 9, 5), R(15, DAYS), CAL).due == D(2026, 9, 20)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (D(2026, 2, 1), D(2026, 2, 24)),  # 02-16, first day of Spring Festival (02-15 … 02-23)
        (D(2026, 2, 3), D(2026, 2, 24)),  # 02-18, in the middle of it
        (D(2026, 2, 8), D(2026, 2, 24)),  # 02-23, its last day (a Monday)
        (D(2026, 9, 16), D(2026, 10, 8)),  # 10-01, National Day through 10-07
        (D(2026, 9, 10), D(2026, 9, 28)),  # 09-25, Mid-autumn (Fri), then the weekend
        (D(2025, 12, 17), D(2026, 1, 4)),  # 01-01 New Year's Day … 01-03, then Sunday 01-04 is worked
    ],
)
def test_holidays_spanning_the_due_date_extend_it_to_the_first_working_day_after(start, due):
    assert compute_due(start, R(15, DAYS), CAL).due == due


def test_a_working_day_ending_needs_no_calendar_and_says_so_briefly():
    result = compute_due(D(2026, 6, 1), R(2, MONTHS), CAL)
    assert (result.due, result.provisional) == (D(2026, 8, 3), False)  # 08-01 Sat → Mon 08-03
    result = compute_due(D(2026, 6, 3), R(2, MONTHS), CAL)
    assert result.explanation == "2026-06-03 送达；2个月 → 08-03"


def test_an_unknown_year_counts_weekends_only_and_is_provisional():
    result = compute_due(D(2027, 9, 20), R(15, DAYS), CAL)
    assert (result.due, result.provisional) == (D(2027, 10, 5), True)  # a Tuesday; holidays unknown


def test_a_known_year_on_a_working_day_is_not_provisional_even_if_the_next_year_is_unknown():
    assert not compute_due(D(2026, 11, 1), R(1, MONTHS), CAL).provisional  # 12-01, a Tuesday


def test_rolling_over_into_an_unknown_year_is_provisional():
    # A made-up arrangement where 2026-12-31 is a holiday: the next day is in 2027.
    cal = calendar_of(2026, extra={D(2026, 12, 31): True})
    result = compute_due(D(2026, 12, 16), R(15, DAYS), cal)
    assert (result.due, result.provisional) == (D(2027, 1, 1), True)


def test_a_rule_that_does_not_roll_over_ends_on_the_rest_day_and_is_never_provisional():
    result = compute_due(D(2026, 9, 20), R(15, DAYS, rolls_over_rest_days=False), CAL)
    assert (result.due, result.provisional) == (D(2026, 10, 5), False)
    assert "不因节假日顺延" in result.explanation
    assert not compute_due(D(2027, 1, 1), R(15, DAYS, rolls_over_rest_days=False), CAL).provisional


def test_the_start_event_of_the_explanation_can_be_given():
    result = compute_due(D(2026, 6, 2), R(30, DAYS), CAL, start_event="公告")
    assert result.explanation.startswith("2026-06-02 公告；30日 → 07-02")


def test_every_due_date_of_2026_is_a_working_day_and_only_rest_days_were_skipped():
    """Brute force over a year: the due date is the nominal end or the first working day after it."""
    for offset in range(365):
        start = D(2025, 12, 1) + datetime.timedelta(days=offset)
        for rule in (R(15, DAYS), R(5, DAYS), R(2, MONTHS), R(10, DAYS)):
            result = compute_due(start, rule, CAL)
            nominal = (
                add_months(start, rule.period_value)
                if rule.period_unit == MONTHS
                else start + datetime.timedelta(days=rule.period_value)
            )
            assert result.due >= nominal
            assert not CAL.is_rest_day(result.due) or not CAL.knows_year(result.due.year)
            day = nominal
            while day < result.due:
                assert CAL.is_rest_day(day), (start, rule, day)
                day += datetime.timedelta(days=1)


def test_invalid_rules_and_runaway_calendars_are_refused():
    with pytest.raises(ValueError):
        compute_due(D(2026, 1, 1), R(0, DAYS), CAL)
    with pytest.raises(ValueError):
        compute_due(D(2026, 1, 1), R(1, "weeks"), CAL)
    everything_rests = MappingCalendar(
        known_years=frozenset({2026}),
        exceptions={D(2026, 1, 1) + datetime.timedelta(days=n): True for n in range(365)},
    )
    with pytest.raises(ValueError):
        compute_due(D(2026, 3, 1), R(1, DAYS), everything_rests)
