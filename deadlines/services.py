"""Every write of deadlines: opening and closing them, the holiday calendar and recomputation, and the
scan that sends reminders, overdue flags and escalations (docs/domain.md, Deadlines), each
safe to run twice or in several workers at once."""

from __future__ import annotations

import datetime
import logging
import uuid
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from agencies.models import Organisation
from deadlines import engine, subjects
from deadlines.engine import DaySpec
from deadlines.models import (
    REPLY_RULES,
    CalendarDay,
    Deadline,
    DeadlineAlert,
    DeadlineChange,
    DeadlineRule,
    HolidayYear,
    RuleCode,
)
from deadlines.selectors import DbCalendar, case_close_cancels
from notifications.services import NotificationSpec, notifications_create, notifications_withdraw_email
from pil_tracker.errors import DomainError


class Recommendation(Protocol):
    """What these services read of a recommendation (cases.models.Recommendation). Deadlines sit
    below cases (docs/architecture.md), so the model is described here, not imported."""

    pk: Any
    served_on: datetime.date | None

    @property
    def case(self) -> Any: ...

    @property
    def agency(self) -> Any: ...


logger = logging.getLogger(__name__)

KIND_REMINDER = "deadline_reminder"
KIND_OVERDUE = "deadline_overdue"
KIND_ESCALATED = "deadline_escalated"


# --- Opening and closing ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    """What compute_due needs, from a deadline's stored copy of its rule."""

    period_value: int
    period_unit: str
    rolls_over_rest_days: bool
    start_event: str


def _compute(start: datetime.date, inputs: _Inputs, calendar: DbCalendar) -> engine.DueDate:
    # The explanation is stored, so it is written in the site's language, not the requester's.
    with translation.override(settings.LANGUAGE_CODE):
        return engine.compute_due(start, inputs, calendar)


def _subject_fields(case, subject: tuple[str, int] | None, watcher: User | None, label: str) -> dict[str, Any]:
    """The owner of a deadline: a case, or a cooperation module's record (Deadline's docstring)."""
    if case is None and subject is None:
        raise ValueError("a deadline belongs to a case or to a subject")
    if subject is None:
        return {"case": case, "watcher": watcher, "label": label[:200]}
    subject_type, subject_id = subject
    return {
        "case": case,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "watcher": watcher,
        "label": label[:200],
    }


@transaction.atomic
def deadline_open(
    *,
    case=None,
    rule_code: str,
    start_date: datetime.date,
    recommendation=None,
    agency: Organisation | None = None,
    calendar: DbCalendar | None = None,
    subject: tuple[str, int] | None = None,
    watcher: User | None = None,
    label: str = "",
) -> Deadline | None:
    """Start the period of rule `rule_code` from `start_date` (the event day, not counted).
    `agency` is the organisation that must act by the due date, if one must (Deadline.agency).
    A deadline belongs to `case`, or to a module's record `subject` = (type, id) with the `watcher`
    who waits for the act and a `label` for its reminders (deadlines/subjects.py).

    Returns None when the rule is switched off (an administrator's choice, e.g. the internal
    case-handling limits) or missing. A date in a year whose calendar is not loaded gives a
    provisional deadline, never an error.
    """
    rule = DeadlineRule.objects.filter(code=rule_code).first()
    if rule is None or not rule.is_active:
        if rule is None:
            logger.warning("deadline rule %r does not exist; no deadline opened", rule_code)
        return None
    calendar = calendar or DbCalendar()
    inputs = _Inputs(rule.period_value, rule.period_unit, rule.rolls_over_rest_days, rule.start_event)
    result = _compute(start_date, inputs, calendar)
    deadline = Deadline.objects.create(
        **_subject_fields(case, subject, watcher, label),
        recommendation=recommendation,
        agency=agency,
        rule=rule,
        start_date=start_date,
        period_value=rule.period_value,
        period_unit=rule.period_unit,
        rolls_over_rest_days=rule.rolls_over_rest_days,
        calendar_version=calendar.version(result.due.year),
        due_date=result.due,
        provisional=result.provisional,
        explanation=result.explanation,
    )
    deadlines_refresh_next_due(case_ids=[deadline.case_id])
    return deadline


@transaction.atomic
def deadline_open_until(
    *,
    case=None,
    rule_code: str,
    start_date: datetime.date,
    due_date: datetime.date,
    recommendation=None,
    agency: Organisation | None = None,
    subject: tuple[str, int] | None = None,
    watcher: User | None = None,
    label: str = "",
) -> Deadline | None:
    """Open a deadline whose date is given rather than counted: "as the judgment says", "as agreed"
    (docs/domain.md, Deadlines). Stored as a period of days that does not roll over, so it is explained and
    recomputed like any other, and a calendar change never moves it."""
    if due_date <= start_date:
        raise DomainError(_("届满日必须晚于起算日。"), field="due_date")
    rule = DeadlineRule.objects.filter(code=rule_code, is_active=True).first()
    if rule is None:
        return None
    inputs = _until(start_date, due_date, rule.start_event)
    calendar = DbCalendar()
    result = _compute(start_date, inputs, calendar)
    deadline = Deadline.objects.create(
        **_subject_fields(case, subject, watcher, label),
        recommendation=recommendation,
        agency=agency,
        rule=rule,
        start_date=start_date,
        period_value=inputs.period_value,
        period_unit=inputs.period_unit,
        rolls_over_rest_days=False,
        calendar_version=calendar.version(result.due.year),
        due_date=result.due,
        provisional=result.provisional,
        explanation=result.explanation,
    )
    deadlines_refresh_next_due(case_ids=[deadline.case_id])
    return deadline


def _until(start_date: datetime.date, due_date: datetime.date, start_event: str) -> _Inputs:
    """The inputs of a date given rather than counted ("as agreed"): days that do not roll over."""
    return _Inputs((due_date - start_date).days, DeadlineRule.Unit.DAYS, False, start_event)


def _reset(deadline: Deadline, *, start_date: datetime.date, inputs: _Inputs, reason: str, user: User | None) -> None:
    """Give a locked deadline new inputs and their result. A moved due date (or provisional mark)
    is recorded as a DeadlineChange with the previous date, its reason and author: nothing shifts
    silently."""
    calendar = DbCalendar()
    result = _compute(start_date, inputs, calendar)
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
    deadline.start_date = start_date
    deadline.period_value, deadline.period_unit = inputs.period_value, inputs.period_unit
    deadline.rolls_over_rest_days = inputs.rolls_over_rest_days
    deadline.due_date, deadline.provisional = result.due, result.provisional
    deadline.explanation, deadline.calendar_version = result.explanation, calendar.version(result.due.year)
    deadline.save(
        update_fields=[
            "start_date",
            "period_value",
            "period_unit",
            "rolls_over_rest_days",
            "due_date",
            "provisional",
            "explanation",
            "calendar_version",
            "status",
            "fulfilled_on",
            "closed_at",
        ]
    )
    deadlines_refresh_next_due(case_ids=[deadline.case_id])


def _locked(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update().select_related("rule").get(pk=deadline.pk)


@transaction.atomic
def deadline_restart(
    *, deadline: Deadline, start_date: datetime.date, reason: str, user: User | None = None
) -> Deadline:
    """Run an open deadline's period again from `start_date` (e.g. the agency's receipt turned out
    to be earlier than the recorded service). The previous date stays on the record as a
    DeadlineChange with its reason and author; nothing shifts silently."""
    deadline = _locked(deadline)
    if not deadline.is_open:
        raise DomainError(_("该期限已经关闭。"), code="invalid_transition")
    inputs = _Inputs(
        deadline.period_value, deadline.period_unit, deadline.rolls_over_rest_days, deadline.rule.start_event
    )
    _reset(deadline, start_date=start_date, inputs=inputs, reason=reason, user=user)
    return deadline


@transaction.atomic
def deadline_extend(
    *, deadline: Deadline, start_date: datetime.date, due_date: datetime.date, reason: str, user: User | None = None
) -> Deadline:
    """Move an open "as agreed" deadline to a later date given on `start_date` (e.g. a second
    accepted completion date). Stored like deadline_open_until's: days from `start_date` that do
    not roll over. Refused when the deadline is closed or the date is not later than the current
    one (an earlier date would shorten a period already granted)."""
    deadline = _locked(deadline)
    if not deadline.is_open:
        raise DomainError(_("该期限已经关闭。"), code="invalid_transition")
    if due_date <= deadline.due_date:
        raise DomainError(_("新的届满日必须晚于原届满日。"), field="due_date", code="invalid_transition")
    if due_date <= start_date:
        raise DomainError(_("届满日必须晚于起算日。"), field="due_date")
    _reset(
        deadline,
        start_date=start_date,
        inputs=_until(start_date, due_date, deadline.rule.start_event),
        reason=reason,
        user=user,
    )
    return deadline


@transaction.atomic
def deadline_reopen(
    *, deadline: Deadline, start_date: datetime.date, due_date: datetime.date, reason: str, user: User | None = None
) -> Deadline:
    """Watch a closed deadline again, until `due_date` given on `start_date` (e.g. rectification was
    reported done and a later item now has an agreed date). Its earlier result (met or late) is
    replaced; the previous due date stays on the record as a DeadlineChange. Refused when the
    deadline is open."""
    deadline = _locked(deadline)
    if deadline.is_open:
        raise DomainError(_("该期限尚未关闭。"), code="invalid_transition")
    if due_date <= start_date:
        raise DomainError(_("届满日必须晚于起算日。"), field="due_date")
    deadline.status, deadline.fulfilled_on, deadline.closed_at = Deadline.Status.OPEN, None, None
    _reset(
        deadline,
        start_date=start_date,
        inputs=_until(start_date, due_date, deadline.rule.start_event),
        reason=reason,
        user=user,
    )
    return deadline


def deadlines_refresh_next_due(*, case_ids: Iterable[int | None] | QuerySet) -> int:
    """Recompute `Case.next_due_date` / `next_due_provisional` (the earliest open deadline, ties by
    id) of the cases `case_ids` (ids, or a `values("case_id")` queryset), in one UPDATE with a
    correlated subquery over the open-deadline index. Every service here that opens, closes,
    cancels or moves a deadline calls it in its own transaction; so must any other code that writes
    deadlines directly (a bench builder, a test fixture)."""
    # Deadlines sit below cases (docs/architecture.md) and do not import cases.models: the case
    # model is the one the Deadline.case foreign key points to.
    case_model = Deadline._meta.get_field("case").related_model
    if not isinstance(case_ids, QuerySet):
        case_ids = [pk for pk in case_ids if pk is not None]  # a module record's deadline has no case
    earliest = Deadline.objects.filter(case=OuterRef("pk"), status=Deadline.Status.OPEN).order_by("due_date", "id")
    return case_model._default_manager.filter(pk__in=case_ids).update(
        next_due_date=Subquery(earliest.values("due_date")[:1]),
        next_due_provisional=Coalesce(Subquery(earliest.values("provisional")[:1]), Value(False)),
    )


def _settled(deadline_ids: list[int]) -> None:
    """The act is done or no longer required: emails about these deadlines that have not gone out
    yet are not sent (the in-app notifications stay, as a record)."""
    keys = [
        f"deadline:{deadline_id}:{level}"
        for deadline_id, level in DeadlineAlert.objects.filter(deadline_id__in=deadline_ids).values_list(
            "deadline_id", "level"
        )
    ]
    notifications_withdraw_email(keys=keys)


def _close(deadlines: QuerySet[Deadline], fulfilled_on: datetime.date) -> int:
    """Close the open ones among `deadlines`: met when fulfilled by the due date, late otherwise."""
    ids = list(deadlines.filter(status=Deadline.Status.OPEN).values_list("pk", flat=True))
    closed = Deadline.objects.filter(pk__in=ids, status=Deadline.Status.OPEN).update(
        status=SqlCase(
            When(due_date__gte=fulfilled_on, then=Value(Deadline.Status.MET)),
            default=Value(Deadline.Status.LATE),
        ),
        fulfilled_on=fulfilled_on,
        closed_at=timezone.now(),
    )
    deadlines_refresh_next_due(case_ids=Deadline.objects.filter(pk__in=ids).values("case_id"))
    _settled(ids)
    return closed


@transaction.atomic
def deadline_close(*, deadline: Deadline, fulfilled_on: datetime.date) -> Deadline:
    """Record that the required act was done on `fulfilled_on`; refused if the deadline is closed."""
    if not _close(Deadline.objects.filter(pk=deadline.pk), fulfilled_on):
        raise DomainError(_("该期限已经关闭。"), code="invalid_transition")
    deadline.refresh_from_db()
    return deadline


def deadline_cancel(*, deadlines: QuerySet[Deadline]) -> int:
    """Cancel the open ones among `deadlines` (the act is no longer required)."""
    ids = list(deadlines.filter(status=Deadline.Status.OPEN).values_list("pk", flat=True))
    cancelled = Deadline.objects.filter(pk__in=ids, status=Deadline.Status.OPEN).update(
        status=Deadline.Status.CANCELLED, closed_at=timezone.now()
    )
    deadlines_refresh_next_due(case_ids=Deadline.objects.filter(pk__in=ids).values("case_id"))
    _settled(ids)
    return cancelled


# The calls the case services make (cases/services/recommendations.py and cases.py).


def deadlines_open_for_service(*, recommendation) -> list[Deadline]:
    """Serving a recommendation starts the agency's reply period (2 months, or 15 days when urgent)
    and the 5-day filing (备案) with the next-higher procuratorate, both from the day of service."""
    urgent = recommendation.urgency == recommendation.Urgency.URGENT
    calendar = DbCalendar()
    opened = [
        deadline_open(
            case=recommendation.case,
            recommendation=recommendation,
            rule_code=code,
            start_date=recommendation.served_on,
            agency=agency,
            calendar=calendar,
        )
        for code, agency in (
            (RuleCode.REPLY_URGENT if urgent else RuleCode.REPLY, recommendation.agency),
            (RuleCode.FILING, None),  # the procuratorate's own act
        )
    ]
    return [d for d in opened if d is not None]


def deadlines_close_for_filing(*, recommendation, filed_on: datetime.date) -> int:
    return _close(Deadline.objects.filter(recommendation=recommendation, rule__code=RuleCode.FILING), filed_on)


def deadlines_close_for_reply(
    *, recommendation, received_on: datetime.date, posted_on: datetime.date | None = None
) -> int:
    """Close the reply deadline. A reply posted before the period ends is on time (Civil Procedure
    Law art. 85: 诉讼文书在期满前交邮的，不算过期), so the posting date decides when there is one."""
    return _close(
        Deadline.objects.filter(recommendation=recommendation, rule__code__in=REPLY_RULES),
        posted_on or received_on,
    )


# The calls the agency portal makes (feedback/services.py).


def deadline_reply_restart(
    *, recommendation: Recommendation, start_date: datetime.date, user: User | None = None
) -> Deadline | None:
    """The agency acknowledged receipt on `start_date`, earlier than the service date the procurator
    recorded: the reply period runs from the agency's receipt (docs/domain.md, Deadlines), so the open reply
    deadline runs again from there. Nothing when there is none or the date is not earlier."""
    deadline = Deadline.objects.filter(
        recommendation_id=recommendation.pk, rule__code__in=REPLY_RULES, status=Deadline.Status.OPEN
    ).first()
    if deadline is None or start_date >= deadline.start_date:
        return None
    reason = _("行政机关签收日期（%(ack)s）早于登记的送达日期（%(served)s），自签收日起算") % {
        "ack": f"{start_date:%Y-%m-%d}",
        "served": f"{recommendation.served_on:%Y-%m-%d}",
    }
    return deadline_restart(deadline=deadline, start_date=start_date, user=user, reason=reason)


@transaction.atomic
def deadline_rectification_agree(
    *, recommendation: Recommendation, agreed_on: datetime.date, today: datetime.date, user: User | None = None
) -> Deadline | None:
    """Open, extend or reopen the recommendation's agreed-rectification deadline to `agreed_on`
    (docs/domain.md, The rules: "as agreed").

    One such deadline per recommendation (unique (recommendation, rule)): it watches the latest
    agreed completion date, by which every item with an accepted date must be rectified; an earlier
    agreed date leaves it where it is. Returns the deadline, or None when the rule is missing or
    switched off.
    """
    rule = DeadlineRule.objects.filter(code=RuleCode.RECTIFICATION_AGREED, is_active=True).first()
    if rule is None:
        return None
    deadline = Deadline.objects.select_for_update().filter(recommendation_id=recommendation.pk, rule=rule).first()
    if deadline is None:
        return deadline_open_until(
            case=recommendation.case,
            rule_code=RuleCode.RECTIFICATION_AGREED,
            start_date=today,
            due_date=agreed_on,
            recommendation=recommendation,
            agency=recommendation.agency,
        )
    agreed = f"{agreed_on:%Y-%m-%d}"
    if not deadline.is_open:
        return deadline_reopen(
            deadline=deadline,
            start_date=today,
            due_date=agreed_on,
            user=user,
            reason=_("同意新的整改完成日期（%(date)s），重新开始监督") % {"date": agreed},
        )
    if agreed_on > deadline.due_date:
        return deadline_extend(
            deadline=deadline,
            start_date=today,
            due_date=agreed_on,
            user=user,
            reason=_("同意新的整改完成日期（%(date)s）") % {"date": agreed},
        )
    return deadline


def deadlines_close_for_rectification(*, recommendation: Recommendation, fulfilled_on: datetime.date) -> int:
    """The agency reported every item with an agreed date rectified: the agreed-rectification
    deadline is met (or late)."""
    return _close(
        Deadline.objects.filter(recommendation_id=recommendation.pk, rule__code=RuleCode.RECTIFICATION_AGREED),
        fulfilled_on,
    )


def deadlines_cancel_for_case(*, case) -> int:
    """A closed case watches nothing any more, except the duties that survive its closing
    (SURVIVE_CASE_CLOSE: the filing with the higher procuratorate): nothing else is sent about it
    afterwards. What it cancels is what the close page lists first (`case_close_cancels`)."""
    return deadline_cancel(deadlines=case_close_cancels(case))


# --- The calendar -------------------------------------------------------------------------------


def _check_days(year: int, days: Iterable[DaySpec]) -> dict[datetime.date, DaySpec]:
    wanted: dict[datetime.date, DaySpec] = {}
    for day in days:
        if day.date.year != year:
            raise DomainError(_("%(date)s 不在 %(year)d 年内。") % {"date": day.date, "year": year})
        weekend = day.date.weekday() >= 5
        if day.is_rest_day == weekend:
            # Only exceptions to the weekend rule are stored; the rest follows from the weekday.
            continue
        wanted[day.date] = day
    return wanted


@dataclass(frozen=True)
class CalendarLoadResult:
    holiday_year: HolidayYear
    changed: bool
    deadlines_changed: int


@transaction.atomic
def holiday_year_load(
    *, year: int, days: Iterable[DaySpec], source: str, user: User | None = None
) -> CalendarLoadResult:
    """Set a year's holiday arrangement. Idempotent: the same days again change nothing.

    Any change bumps the year's version and recomputes every open deadline whose period touches the
    year, recording each moved due date in the case history (DeadlineChange).
    """
    wanted = _check_days(year, days)
    holiday_year = HolidayYear.objects.select_for_update().filter(year=year).first()
    if holiday_year is not None:
        existing = {d.date: (d.is_rest_day, d.name) for d in holiday_year.days.all()}
        if existing == {d: (s.is_rest_day, s.name) for d, s in wanted.items()}:
            return CalendarLoadResult(holiday_year, changed=False, deadlines_changed=0)
        holiday_year.days.all().delete()
        holiday_year.version += 1
        holiday_year.source, holiday_year.loaded_at = source, timezone.now()
        holiday_year.save()
        reason = _("%(year)d年节假日安排更新") % {"year": year}
    else:
        holiday_year = HolidayYear.objects.create(year=year, source=source)
        reason = _("%(year)d年节假日安排载入") % {"year": year}
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(holiday_year=holiday_year, date=d.date, is_rest_day=d.is_rest_day, name=d.name)
            for d in sorted(wanted.values(), key=lambda d: d.date)
        ]
    )
    moved = deadlines_recompute(years=[year], reason=reason, user=user)
    return CalendarLoadResult(holiday_year, changed=True, deadlines_changed=moved)


@transaction.atomic
def holiday_year_changed(*, holiday_year: HolidayYear, user: User | None = None, created: bool = False) -> int:
    """After an administrator entered or edited a year's days: a new version, and recomputation."""
    if created:
        reason = _("%(year)d年节假日安排载入") % {"year": holiday_year.year}
    else:
        HolidayYear.objects.filter(pk=holiday_year.pk).update(version=F("version") + 1, loaded_at=timezone.now())
        holiday_year.refresh_from_db()
        reason = _("%(year)d年节假日安排更新") % {"year": holiday_year.year}
    return deadlines_recompute(years=[holiday_year.year], reason=reason, user=user)


@transaction.atomic
def holiday_year_delete(*, holiday_year: HolidayYear, user: User | None = None) -> int:
    """Forget a year's arrangement: its deadlines become provisional again (weekends only)."""
    year = holiday_year.year
    holiday_year.delete()
    reason = _("%(year)d年节假日安排删除") % {"year": year}
    return deadlines_recompute(years=[year], reason=reason, user=user)


def _db(model, name: str, value: Any) -> Any:
    """A value prepared for a raw query the way the ORM would (dates as text on SQLite, …)."""
    return model._meta.get_field(name).get_db_prep_value(value, connection, prepared=False)


@transaction.atomic
def deadlines_recompute(*, years: Iterable[int], reason: str, user: User | None = None) -> int:
    """Recompute the open deadlines whose period (start to due date) touches one of `years`.

    Open deadlines with the same inputs (start date, rule, period) have the same result, so the work
    is one computation and two statements per distinct input — a few hundred per year — whatever
    the number of deadlines. Returns how many deadlines changed their due date or provisional mark.
    """
    touches = Q()
    for year in sorted(set(years)):
        touches |= Q(start_date__lte=datetime.date(year, 12, 31), due_date__gte=datetime.date(year, 1, 1))
    if not touches:
        return 0
    open_deadlines = Deadline.objects.filter(status=Deadline.Status.OPEN)
    groups = list(
        open_deadlines.filter(touches)
        .order_by()
        .values_list("start_date", "rule_id", "period_value", "period_unit", "rolls_over_rest_days")
        .distinct()
    )
    rules = DeadlineRule.objects.in_bulk({g[1] for g in groups})
    calendar = DbCalendar()
    now = _db(DeadlineChange, "changed_at", timezone.now())
    change_table = DeadlineChange._meta.db_table
    changed = 0
    for start, rule_id, value, unit, rolls in groups:
        result = _compute(start, _Inputs(value, unit, rolls, rules[rule_id].start_event), calendar)
        version = calendar.version(result.due.year)
        same_inputs = open_deadlines.filter(
            start_date=start, rule_id=rule_id, period_value=value, period_unit=unit, rolls_over_rest_days=rolls
        )
        moved = same_inputs.exclude(due_date=result.due, provisional=result.provisional)
        # Record the previous date of each moved deadline before moving it, in one statement.
        select_sql, select_params = moved.values_list("id", "due_date", "provisional").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {change_table} (deadline_id, old_due_date, old_provisional, changed_at,"  # noqa: S608
                f" changed_by_id, new_due_date, new_provisional, reason)"
                f" SELECT m.*, %s, CAST(%s AS bigint), {_date_sql()}, %s, %s FROM ({select_sql}) m",
                [
                    now,
                    user.pk if user else None,
                    _db(Deadline, "due_date", result.due),
                    result.provisional,
                    reason[:200],
                    *select_params,
                ],
            )
            changed += cursor.rowcount
        updated = same_inputs.exclude(
            due_date=result.due,
            provisional=result.provisional,
            explanation=result.explanation,
            calendar_version=version,
        ).update(
            due_date=result.due,
            provisional=result.provisional,
            explanation=result.explanation,
            calendar_version=version,
        )
        if updated:
            # `same_inputs` does not filter on the due date, so after the update it still names the
            # deadlines of this group: their cases' kept next due date, in one statement.
            deadlines_refresh_next_due(case_ids=same_inputs.values("case_id"))
    return changed


def _date_sql() -> str:
    """A date parameter in a raw select list: PostgreSQL needs its type, SQLite stores dates as text."""
    return "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"


# --- The scan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertLevel:
    code: str
    threshold: datetime.date  # the level is reached when due_date <= threshold
    # The threshold of the next more severe level for the same recipients: a deadline past it too
    # (a scan catching up after a pause) is notified about that level only.
    next_threshold: datetime.date | None
    kind: str


def alert_levels(today: datetime.date) -> list[AlertLevel]:
    """The levels for `today`, mildest first: reminders N days before (due - N <= today), overdue the
    day after the due date (due < today), escalation after settings.DEADLINE_ESCALATION_DAYS overdue
    (today - due >= E)."""
    days = sorted({int(n) for n in settings.DEADLINE_REMINDER_DAYS if int(n) > 0}, reverse=True)
    overdue = today - datetime.timedelta(days=1)
    thresholds = [today + datetime.timedelta(days=n) for n in days]
    levels = [
        AlertLevel(f"remind_{n}", threshold, (thresholds[i + 1] if i + 1 < len(days) else overdue), KIND_REMINDER)
        for i, (n, threshold) in enumerate(zip(days, thresholds, strict=True))
    ]
    levels.append(AlertLevel(DeadlineAlert.OVERDUE, overdue, None, KIND_OVERDUE))
    escalated = today - datetime.timedelta(days=int(settings.DEADLINE_ESCALATION_DAYS))
    levels.append(AlertLevel(DeadlineAlert.ESCALATED, escalated, None, KIND_ESCALATED))
    return levels


@dataclass(frozen=True)
class ScanResult:
    today: datetime.date
    alerts: dict[str, int] = field(default_factory=dict)
    notifications: int = 0

    @property
    def alerts_total(self) -> int:
        return sum(self.alerts.values())


# Serialises scans on PostgreSQL (an advisory lock held until commit): a second scan started at the
# same moment waits, then finds the work done. Correctness does not depend on it — the unique
# constraint on (deadline, level) does that — but it keeps two large concurrent INSERTs from
# deadlocking on each other's keys.
_SCAN_LOCK_KEY = zlib.crc32(b"deadlines.services.deadlines_scan")


def _claim(*, levels: list[AlertLevel], scan_id: uuid.UUID) -> None:
    """Insert, in one statement, an alert for every open deadline that reached a level it does not
    have yet.

    One branch per level with its threshold as a constant, so that each branch is a range scan of
    the partial index deadline_open_due_idx over the few deadlines at that level — not a pass over
    every open deadline — and the anti-join probes the unique index (deadline, level).
    """
    alert_table, deadline_table = DeadlineAlert._meta.db_table, Deadline._meta.db_table
    created_at = _db(DeadlineAlert, "created_at", timezone.now())
    scan = _db(DeadlineAlert, "scan_id", scan_id)
    branches, params = [], []
    for level in levels:
        # notified: only the most severe level a deadline reached is sent (see AlertLevel).
        notified = "d.due_date > %s" if level.next_threshold else "1 = 1"
        branches.append(  # table names from the models; every value is a parameter
            f"SELECT d.id, %s, %s, %s, ({notified}) FROM {deadline_table} d"  # noqa: S608
            f" WHERE d.status = %s AND d.due_date <= %s AND NOT EXISTS"
            f" (SELECT 1 FROM {alert_table} a WHERE a.deadline_id = d.id AND a.level = %s)"
        )
        params += [level.code, created_at, scan]
        if level.next_threshold:
            params.append(_db(Deadline, "due_date", level.next_threshold))
        params += [Deadline.Status.OPEN.value, _db(Deadline, "due_date", level.threshold), level.code]
    sql = (
        f"INSERT INTO {alert_table} (deadline_id, level, created_at, scan_id, notified) "
        + " UNION ALL ".join(branches)
        + " ON CONFLICT (deadline_id, level) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic
def deadlines_scan(*, today: datetime.date, notify: bool = True) -> ScanResult:
    """One pass over the open deadlines: every reminder, overdue flag and escalation that came due
    by `today` (China Standard Time) and has not happened yet, happens now — once.

    Level-triggered and catching up: a scan after a week's pause does everything that came due in
    the week. Claiming comes first (the alert rows, unique per deadline and level); the notifications
    are created from the rows this scan inserted, in the same transaction, so a scan that fails
    leaves nothing half-done and the next one repairs it. `notify=False` only claims (benchmarks).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCAN_LOCK_KEY])
    levels = alert_levels(today)
    scan_id = uuid.uuid4()
    # Every row this scan inserts has a larger id than any row visible now, so the rows of this
    # scan are found on the primary key from here (scan_id is deliberately not indexed).
    before = DeadlineAlert.objects.aggregate(m=Max("id"))["m"] or 0
    _claim(levels=levels, scan_id=scan_id)
    claimed = DeadlineAlert.objects.filter(id__gt=before, scan_id=scan_id)
    counts = dict(claimed.order_by().values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    sent = _notify(claimed=claimed, levels=levels, today=today) if notify and counts else 0
    if counts:
        logger.info("deadline scan %s for %s: alerts %s, notifications %d", scan_id, today, counts, sent)
    return ScanResult(today=today, alerts=counts, notifications=sent)


# --- Notifications of a scan --------------------------------------------------------------------

NOTIFY_CHUNK = 1000

_ROW_FIELDS = (
    "id",
    "deadline_id",
    "level",
    "deadline__due_date",
    "deadline__provisional",
    "deadline__case_id",
    "deadline__case__number",
    "deadline__case__title",
    "deadline__case__handler_id",
    "deadline__case__handler__is_active",
    "deadline__case__procuratorate_id",
    "deadline__case__procuratorate__name",
    "deadline__case__procuratorate__region_id",
    "deadline__case__procuratorate__region__parent_id",
    "deadline__rule__name",
    "deadline__rule__obligor",
    "deadline__recommendation_id",
    "deadline__agency_id",
    "deadline__agency__name",
    "deadline__recommendation__document_number",
    "deadline__agency__kind",
    "deadline__subject_type",
    "deadline__subject_id",
    "deadline__label",
    "deadline__watcher_id",
    "deadline__watcher__is_active",
)


@dataclass(frozen=True)
class _Row:
    alert_id: int
    deadline_id: int
    level: str
    due: datetime.date
    provisional: bool
    # The case fields are None for a module record's deadline (subject_type, subject_id).
    case_id: int | None
    case_number: str | None
    case_title: str | None
    handler_id: int | None
    handler_active: bool | None
    procuratorate_id: int | None
    procuratorate: str | None
    region_id: int | None
    parent_region_id: int | None
    rule: str
    obligor: str
    recommendation_id: int | None
    agency_id: int | None
    agency: str | None
    document_number: str | None
    agency_kind: str | None
    subject_type: str
    subject_id: int | None
    label: str
    watcher_id: int | None
    watcher_active: bool | None


def _chunks(claimed: QuerySet[DeadlineAlert]) -> Iterator[list[_Row]]:
    """The notified alerts of this scan in keyset-paged chunks: memory stays flat however many."""
    last = 0
    while True:
        rows = [
            _Row(*values)
            for values in claimed.filter(notified=True, id__gt=last)
            .order_by("id")
            .values_list(*_ROW_FIELDS)[:NOTIFY_CHUNK]
        ]
        if not rows:
            return
        yield rows
        last = rows[-1].alert_id


def _grouped(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for key, user_id in pairs:
        grouped[key].append(user_id)
    return grouped


def _url_maker(name: str):
    """reverse() once, then format: a scan may address a hundred thousand notifications."""
    marker = 987654321
    try:
        pattern = reverse(name, args=[marker])
    except NoReverseMatch:
        return lambda pk: ""
    return lambda pk: pattern.replace(str(marker), str(pk))


# Who a notification of the scan is addressed to: it decides what the notification names (the case,
# or only the recommendation's document number) and which page it opens.
STAFF, AGENCY, LIAISON = "staff", "agency", "liaison"

# The URL name of the page an escalation opens for a discipline liaison (who cannot see the case):
# registered by the app that owns the page (supervision/apps.py) with register_liaison_escalation_url,
# so that this layer never imports it. Reversed with the alert's id. Unregistered: the case page.
_liaison_escalation_url: dict[str, str] = {}


def register_liaison_escalation_url(*, detail: str, fallback: str) -> None:
    """`detail`: a URL name taking an escalated alert's id (of an agency's deadline on a
    recommendation); `fallback`: a URL name without arguments, for any other escalation."""
    _liaison_escalation_url.update(detail=detail, fallback=fallback)


def _recipients(rows: list[_Row]) -> dict[int, list[tuple[int, str]]]:
    """alert id → [(user id, audience)], computed with a fixed number of queries per chunk.

    Reminders and overdue flags go to the case handler and co-handlers, and — when the agency is the
    one that must act (the rule's obligor) — to the active staff of the deadline's agency
    (Deadline.agency: the recommendation's agency, or the defendant of a lawsuit).
    Escalations go to the supervisors of the issuing procuratorate and to the discipline liaisons
    of the commissions in the procuratorate's region or its parent region (a banner procuratorate's
    escalation reaches the banner's and the city's commission; regional level is the simple rule,
    docs/domain.md, Deadlines, as the local policy names the commission "at the same level").
    """
    # A module record's deadline (no case) reminds its watcher and the staff of the organisation
    # that must act, at every level: it has no handler, and its escalation is the modules' business.
    subject_rows = [r for r in rows if r.case_id is None]
    handler_rows = [r for r in rows if r.case_id is not None and r.level != DeadlineAlert.ESCALATED]
    escalated_rows = [r for r in rows if r.case_id is not None and r.level == DeadlineAlert.ESCALATED]
    active = User.objects.filter(is_active=True)
    obligor_staff = _grouped(
        active.filter(
            Q(role=Role.AGENCY_STAFF, organisation__kind=Organisation.Kind.AGENCY)
            | Q(role=Role.DISCIPLINE_LIAISON, organisation__kind=Organisation.Kind.DISCIPLINE)
            | Q(role=Role.SUPERVISOR, organisation__kind=Organisation.Kind.PROCURATORATE),
            organisation_id__in={r.agency_id for r in subject_rows if r.agency_id},
        ).values_list("organisation_id", "id")
    )
    co_handlers = _grouped(
        active.filter(co_handled_cases__in={r.case_id for r in handler_rows}).values_list("co_handled_cases", "id")
    )
    agency_ids = {r.agency_id for r in handler_rows if r.agency_id and r.obligor == DeadlineRule.Obligor.AGENCY}
    agency_staff = _grouped(
        active.filter(role=Role.AGENCY_STAFF, organisation_id__in=agency_ids).values_list("organisation_id", "id")
    )
    supervisors = _grouped(
        active.filter(
            role=Role.SUPERVISOR, organisation_id__in={r.procuratorate_id for r in escalated_rows}
        ).values_list("organisation_id", "id")
    )
    regions = {rid for r in escalated_rows for rid in (r.region_id, r.parent_region_id) if rid}
    liaisons = _grouped(
        active.filter(
            role=Role.DISCIPLINE_LIAISON, organisation__region_id__in=regions, organisation__is_active=True
        ).values_list("organisation__region_id", "id")
    )
    result: dict[int, list[tuple[int, str]]] = {}
    for r in subject_rows:
        told: list[tuple[int, str]] = [(r.watcher_id, STAFF)] if r.watcher_id and r.watcher_active else []
        if r.agency_id:
            told += [(u, AGENCY) for u in obligor_staff.get(r.agency_id, ()) if u != r.watcher_id]
        result[r.alert_id] = told
    for r in handler_rows:
        staff = [(r.handler_id, STAFF)] if r.handler_id and r.handler_active else []
        staff += [(u, STAFF) for u in co_handlers.get(r.case_id or 0, ()) if u != r.handler_id]
        if r.agency_id and r.obligor == DeadlineRule.Obligor.AGENCY:
            staff += [(u, AGENCY) for u in agency_staff.get(r.agency_id, ())]
        result[r.alert_id] = staff
    for r in escalated_rows:
        people = dict.fromkeys(supervisors.get(r.procuratorate_id or 0, ()), STAFF)
        for region in (r.region_id, r.parent_region_id):
            people.update(dict.fromkeys(liaisons.get(region, ()) if region else (), LIAISON))
        result[r.alert_id] = sorted(people.items())
    return result


def _params(row: _Row, *, today: datetime.date, audience: str) -> dict:
    """What a scan's notification says, as notifications/messages.py renders it when read: the
    rule's name stays a msgid (translated into the reader's language), the rest are plain values.
    The agency and the discipline liaison are told the recommendation's document number, not the
    case's number and title."""
    if row.level == DeadlineAlert.ESCALATED:
        days = (today - row.due).days
    elif row.level == DeadlineAlert.OVERDUE:
        days = 0
    else:
        days = (row.due - today).days
    return {
        "level": row.level,
        "rule": row.rule,
        "due": f"{row.due:%Y-%m-%d}",
        "provisional": row.provisional,
        "days": days,
        "subject": (
            row.label
            if row.case_id is None
            else (row.document_number or "")
            if audience != STAFF
            else f"{row.case_number} {row.case_title}"
        ),
        "agency": row.agency or "",
        "procuratorate": row.procuratorate if row.level == DeadlineAlert.ESCALATED else "",
    }


def _notify(*, claimed: QuerySet[DeadlineAlert], levels: list[AlertLevel], today: datetime.date) -> int:
    kinds = {level.code: level.kind for level in levels}
    case_url = _url_maker("case_detail")
    agency_url = _url_maker("agency_recommendation_detail")  # the agency portal (feedback app)
    # A court deadline not linked to a recommendation (a second lawsuit's) points at the portal's home.
    try:
        agency_home = reverse("agency_home")
    except NoReverseMatch:
        agency_home = ""
    # The liaison's supervision page when an app registered one; a deadline that is not an agency's
    # on a recommendation opens its list.
    liaison_url = _url_maker(_liaison_escalation_url.get("detail", ""))
    try:
        liaison_list = reverse(_liaison_escalation_url["fallback"]) if _liaison_escalation_url else ""
    except NoReverseMatch:
        liaison_list = ""

    def url(row: _Row, audience: str) -> str:
        if row.case_id is None:  # a module's record: the page its app registered (deadlines/subjects.py)
            return subjects.url_for(row.subject_type, row.subject_id or 0, for_obligor=audience != STAFF)
        if audience == AGENCY:
            return agency_url(row.recommendation_id) if row.recommendation_id else agency_home
        if audience == LIAISON:
            found = liaison_url(row.alert_id) if row.recommendation_id and row.agency_id else liaison_list
            return found or case_url(row.case_id)
        return case_url(row.case_id)

    sent = 0
    for rows in _chunks(claimed):
        recipients = _recipients(rows)
        specs = []
        for row in rows:
            # One params dict per audience, shared by its recipients (stored as JSON once).
            params: dict[str, dict] = {}
            for user_id, audience in recipients.get(row.alert_id, ()):
                if audience not in params:
                    params[audience] = _params(row, today=today, audience=audience)
                specs.append(
                    NotificationSpec(
                        recipient_id=user_id,
                        kind=kinds.get(row.level, KIND_REMINDER),
                        params=params[audience],
                        url=url(row, audience),
                        key=f"deadline:{row.deadline_id}:{row.level}",
                    )
                )
        # The bulk form of notifications.services.notify: one statement per batch of specs.
        if specs:
            sent += notifications_create(specs=specs)
    return sent
