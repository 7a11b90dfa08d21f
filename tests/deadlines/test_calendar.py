"""The holiday calendar: seeded from chinese-calendar, loaded idempotently, edited in the admin, and
every change reaching the open deadlines it affects, recorded in their history."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command

from deadlines.engine import DaySpec
from deadlines.holidays import package_days, package_years
from deadlines.models import CalendarDay, Deadline, DeadlineChange, HolidayYear, RuleCode
from deadlines.selectors import DbCalendar, case_deadline_changes
from deadlines.services import deadline_open, holiday_year_changed, holiday_year_delete, holiday_year_load
from tests.deadlines.conftest import issued_recommendation
from tests.factories import UserFactory

D = datetime.date

# A made-up 2027 arrangement for the tests (the real one is published late in 2026): Spring
# Festival 02-06 … 02-12 with make-up Sundays 01-31 and 02-20.
SPRING_2027 = [DaySpec(D(2027, 2, d), True, "春节") for d in (8, 9, 10, 11, 12)] + [
    DaySpec(D(2027, 1, 31), False, "春节调休上班"),
    DaySpec(D(2027, 2, 20), False, "春节调休上班"),
]


def reply_deadline(world, start: datetime.date) -> Deadline:
    return deadline_open(case=issued_recommendation(world).case, rule_code=RuleCode.REPLY, start_date=start)


def test_the_installed_package_knows_2026_but_not_2027():
    assert 2026 in package_years()
    assert 2027 not in package_years()


def test_the_migration_seeded_the_known_years_with_the_exceptions_to_the_weekend_rule(db):
    assert HolidayYear.objects.filter(year=2026).exists()
    assert not HolidayYear.objects.filter(year=2027).exists()
    days = dict(CalendarDay.objects.filter(date__year=2026).values_list("date", "is_rest_day"))
    assert days[D(2026, 10, 5)] is True  # National Day, a Monday
    assert days[D(2026, 10, 10)] is False  # a Saturday worked
    assert D(2026, 10, 3) not in days  # a Saturday inside the holiday is a weekend day anyway
    calendar = DbCalendar()
    assert calendar.is_rest_day(D(2026, 10, 3)) and calendar.is_rest_day(D(2026, 10, 5))
    assert not calendar.is_rest_day(D(2026, 10, 10))
    assert calendar.knows_year(2026) and not calendar.knows_year(2027)


def test_load_holidays_is_idempotent(db):
    before = dict(HolidayYear.objects.values_list("year", "version"))
    call_command("load_holidays")
    call_command("load_holidays", "--year", "2026")
    assert dict(HolidayYear.objects.values_list("year", "version")) == before
    assert CalendarDay.objects.filter(date__year=2026).count() == len(package_days(2026))


def test_load_holidays_refuses_a_year_the_package_does_not_know(db):
    with pytest.raises(CommandError, match="2027"):
        call_command("load_holidays", "--year", "2027")


def test_load_holidays_reloads_a_forgotten_year_and_recomputes_its_deadlines(world):
    HolidayYear.objects.filter(year=2026).delete()
    deadline = reply_deadline(world, D(2026, 8, 5))  # → 10-05, weekends only: a Monday
    assert (deadline.due_date, deadline.provisional) == (D(2026, 10, 5), True)
    call_command("load_holidays", "--year", "2026")
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.provisional) == (D(2026, 10, 8), False)
    assert deadline.calendar_version == 1
    change = deadline.changes.get()
    assert change.note == "2026年节假日安排载入，期限由 2026-10-05（暂定） 调整为 2026-10-08"


def test_loading_2027_turns_a_provisional_deadline_final_and_records_it(world):
    deadline = reply_deadline(world, D(2026, 12, 31))
    assert (deadline.due_date, deadline.provisional) == (D(2027, 3, 1), True)
    result = holiday_year_load(year=2027, days=SPRING_2027, source="国办发明电〔2026〕X号")
    assert result.changed and result.deadlines_changed == 1
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.provisional, deadline.calendar_version) == (D(2027, 3, 1), False, 1)
    assert "暂定" not in deadline.explanation
    change = deadline.changes.get()
    assert (change.old_provisional, change.new_provisional) == (True, False)
    assert list(case_deadline_changes(deadline.case)) == [change]


def test_loading_2027_moves_a_due_date_that_falls_on_a_new_holiday(world):
    deadline = reply_deadline(world, D(2026, 12, 8))  # → 2027-02-08, a Monday by weekends only
    assert (deadline.due_date, deadline.provisional) == (D(2027, 2, 8), True)
    holiday_year_load(year=2027, days=SPRING_2027, source="test")
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.provisional) == (D(2027, 2, 15), False)
    assert deadline.changes.get().note == "2027年节假日安排载入，期限由 2027-02-08（暂定） 调整为 2027-02-15"


def test_a_make_up_working_day_in_the_new_year_shortens_a_provisional_deadline(world):
    deadline = reply_deadline(world, D(2026, 11, 30))  # → 2027-01-30 Sat → Mon 02-01, provisional
    assert deadline.due_date == D(2027, 2, 1)
    holiday_year_load(year=2027, days=[*SPRING_2027, DaySpec(D(2027, 1, 30), False, "调休")], source="test")
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.provisional) == (D(2027, 1, 30), False)


def test_recomputation_leaves_closed_deadlines_and_other_years_alone(world):
    closed = reply_deadline(world, D(2026, 12, 8))
    Deadline.objects.filter(pk=closed.pk).update(status=Deadline.Status.MET)
    elsewhere = reply_deadline(world, D(2026, 3, 2))  # 2026 only
    holiday_year_load(year=2027, days=SPRING_2027, source="test")
    closed.refresh_from_db()
    assert (closed.due_date, closed.provisional) == (D(2027, 2, 8), True)
    assert not DeadlineChange.objects.filter(deadline__in=[closed, elsewhere]).exists()


def test_loading_the_same_days_twice_changes_nothing(world):
    reply_deadline(world, D(2026, 12, 8))
    holiday_year_load(year=2027, days=SPRING_2027, source="test")
    again = holiday_year_load(year=2027, days=SPRING_2027, source="test")
    assert not again.changed
    assert HolidayYear.objects.get(year=2027).version == 1
    assert DeadlineChange.objects.count() == 1


def test_correcting_a_loaded_year_bumps_its_version_and_moves_the_deadlines(world):
    deadline = reply_deadline(world, D(2026, 9, 2))  # → 11-02, a Monday
    assert deadline.due_date == D(2026, 11, 2)
    days = [*package_days(2026), DaySpec(D(2026, 11, 2), True, "假想的节日")]
    holiday_year_load(year=2026, days=days, source="correction")
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.calendar_version) == (D(2026, 11, 3), 2)
    assert HolidayYear.objects.get(year=2026).version == 2


def test_an_edit_in_the_admin_recomputes_and_names_the_administrator(world):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True, role="", organisation=None)
    deadline = reply_deadline(world, D(2026, 9, 2))
    holiday_year = HolidayYear.objects.get(year=2026)
    CalendarDay.objects.create(holiday_year=holiday_year, date=D(2026, 11, 2), is_rest_day=True, name="假想")
    holiday_year_changed(holiday_year=holiday_year, user=admin)
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 11, 3)
    change = deadline.changes.get()
    assert change.changed_by == admin
    assert change.reason == "2026年节假日安排更新"


def test_deleting_a_year_makes_its_deadlines_provisional_again(world):
    deadline = reply_deadline(world, D(2026, 8, 5))
    assert deadline.due_date == D(2026, 10, 8)
    holiday_year_delete(holiday_year=HolidayYear.objects.get(year=2026))
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.provisional) == (D(2026, 10, 5), True)


def test_a_day_of_another_year_is_refused(db):
    from pil_tracker.errors import DomainError

    with pytest.raises(DomainError):
        holiday_year_load(year=2027, days=[DaySpec(D(2026, 1, 1), True, "元旦")], source="test")


def test_recomputation_is_one_computation_per_distinct_start_not_per_deadline(world, django_assert_max_num_queries):
    for _ in range(6):
        reply_deadline(world, D(2026, 12, 8))
    # 2027's HolidayYear lookup and its days, the distinct inputs, the rules; per distinct input: an
    # INSERT of the changes and an UPDATE; plus the load's own reads and writes.
    with django_assert_max_num_queries(14):
        holiday_year_load(year=2027, days=SPRING_2027, source="test")
    assert Deadline.objects.filter(due_date=D(2027, 2, 15), provisional=False).count() == 6
    assert DeadlineChange.objects.count() == 6
