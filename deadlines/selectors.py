"""Reads of deadlines: the calendar from the database, a case's deadlines, and the case-list pieces."""

from __future__ import annotations

import datetime

from django.db.models import DateField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from deadlines import engine
from deadlines.models import SURVIVE_CASE_CLOSE, CalendarDay, Deadline, DeadlineChange, HolidayYear


class DbCalendar:
    """The holiday calendar from CalendarDay/HolidayYear, loaded one year at a time on first use.

    A deadline touches one or two years, so computing one costs at most a query per year; a
    recomputation reuses one instance for every deadline it touches.
    """

    def __init__(self) -> None:
        self._years: dict[int, HolidayYear | None] = {}
        self._exceptions: dict[datetime.date, bool] = {}

    def _load(self, year: int) -> HolidayYear | None:
        if year not in self._years:
            holiday_year = HolidayYear.objects.filter(year=year).first()
            self._years[year] = holiday_year
            if holiday_year is not None:
                self._exceptions.update(
                    CalendarDay.objects.filter(holiday_year=holiday_year).values_list("date", "is_rest_day")
                )
        return self._years[year]

    def knows_year(self, year: int) -> bool:
        return self._load(year) is not None

    def is_rest_day(self, day: datetime.date) -> bool:
        self._load(day.year)
        if day in self._exceptions:
            return self._exceptions[day]
        return day.weekday() >= 5

    def version(self, year: int) -> int:
        holiday_year = self._load(year)
        return holiday_year.version if holiday_year else 0


def calendar_mapping(years: range | list[int]) -> engine.MappingCalendar:
    """A pure calendar for `years` (two queries), for callers that compute many dates at once."""
    known = frozenset(HolidayYear.objects.filter(year__in=list(years)).values_list("year", flat=True))
    exceptions = dict(CalendarDay.objects.filter(holiday_year__year__in=known).values_list("date", "is_rest_day"))
    return engine.MappingCalendar(known_years=known, exceptions=exceptions)


def case_deadlines(case, *, changes: bool = True) -> QuerySet[Deadline]:
    """Every deadline of a case, open ones first by due date, with their rule and their calendar
    changes (two queries), for templates/deadlines/_case_deadlines.html. `changes=False` when the
    caller knows none of them has a change: one query."""
    return (
        Deadline.objects.filter(case=case)
        .select_related("rule", "recommendation")
        .prefetch_related("changes" if changes else Prefetch("changes", queryset=DeadlineChange.objects.none()))
        .order_by(F("closed_at").asc(nulls_first=True), "due_date", "id")
    )


def case_close_cancels(case) -> QuerySet[Deadline]:
    """The open deadlines of `case` that closing it cancels (deadlines.services.deadlines_cancel_for_case),
    earliest first, with their rule and obligor: what the close page lists before asking."""
    return (
        Deadline.objects.filter(case=case, status=Deadline.Status.OPEN)
        .exclude(rule__code__in=SURVIVE_CASE_CLOSE)
        .select_related("rule", "recommendation", "agency")
        .order_by("due_date", "id")
    )


def case_close_keeps(case) -> QuerySet[Deadline]:
    """The open deadlines of `case` that stay open when it is closed (SURVIVE_CASE_CLOSE)."""
    return (
        Deadline.objects.filter(case=case, status=Deadline.Status.OPEN, rule__code__in=SURVIVE_CASE_CLOSE)
        .select_related("rule", "recommendation", "agency")
        .order_by("due_date", "id")
    )


def case_deadline_changes(case) -> QuerySet[DeadlineChange]:
    """Due-date changes of the case's deadlines (calendar corrections, restarts, extensions), for
    the case history."""
    return DeadlineChange.objects.filter(deadline__case=case).select_related("deadline__rule", "changed_by")


# --- The case list ------------------------------------------------------------------------------
# The case keeps its earliest open due date (Case.next_due_date, kept by
# deadlines.services.deadlines_refresh_next_due), so the list reads, sorts and filters a column of
# its own rows on an index: no correlated subquery per case, no query per row.


def case_next_due_annotation() -> Subquery:
    """Each case's earliest open due date computed from its deadlines, for
    `Case.objects.annotate(...)` (NULL if none): what the kept column must equal (the tests compare
    them)."""
    return Subquery(
        Deadline.objects.filter(case=OuterRef("pk"), status=Deadline.Status.OPEN)
        .order_by("due_date", "id")
        .values("due_date")[:1],
        output_field=DateField(),
    )


def case_next_due() -> dict[str, F]:
    """Annotations for a case list: `next_due` (the earliest open due date, the case's kept
    column; `next_due_provisional` is a field of the case itself):
    `Case.objects.annotate(**case_next_due())`, then `{% due_badge case.next_due
    provisional=case.next_due_provisional %}`."""
    return {"next_due": F("next_due_date")}


def cases_due_within(queryset: QuerySet, days: int, *, today: datetime.date | None = None) -> QuerySet:
    """Cases with an open deadline due from today to `days` days ahead (not yet overdue).

    A range on the kept next due date; a case whose earliest open deadline is already overdue may
    still have another one in the window, so only for those (next due before today) is the
    deadlines table asked."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=days)
    in_window = Exists(
        Deadline.objects.filter(
            case=OuterRef("pk"), status=Deadline.Status.OPEN, due_date__gte=today, due_date__lte=until
        )
    )
    return queryset.filter(Q(next_due_date__gte=today) | in_window, next_due_date__lte=until)


def cases_overdue(queryset: QuerySet, *, today: datetime.date | None = None) -> QuerySet:
    """Cases with an open deadline whose due date has passed (today in China Standard Time): their
    earliest open due date is before today."""
    today = today or timezone.localdate()
    return queryset.filter(next_due_date__lt=today)


def subject_deadlines(subject_type: str, subject_ids: list[int]) -> dict[int, list[Deadline]]:
    """The deadlines of a module's records (Deadline.subject_type/subject_id), by record id, in
    one query: a list page shows each record's running period next to it. Scoping is the caller's:
    it passes the ids of the records the user may see."""
    found: dict[int, list[Deadline]] = {pk: [] for pk in subject_ids}
    if not found:  # no query to build either (a case page without assistance requests, …)
        return found
    rows = Deadline.objects.filter(subject_type=subject_type, subject_id__in=subject_ids).select_related("rule")
    for deadline in rows.order_by("due_date", "id"):
        if deadline.subject_id is not None:
            found[deadline.subject_id].append(deadline)
    return found
