"""The dashboard's figures and charts from pre-aggregated counts (dashboard.models.DashboardCount).

Why a rebuild job rather than counts kept by the services (docs/scaling.md, "Dashboard figures
from pre-aggregated counts"): the figures' conditions span cases, recommendations, deadlines,
items, lawsuits, rulings and hearings, written by dozens of services in apps below the dashboard;
keeping counts in their transactions would need a hook from above into every one of them, and a
count kept incrementally can drift the day one path forgets it. The rebuild is set-based, reads
the source tables with the very conditions of the live figures (dashboard.metrics._SPECS,
evaluated for an open-ended period), cannot drift, and replaces the whole table in one
transaction (readers see the old counts or the new, never half). The counts are then at most one
rebuild interval old, as the kept dashboards already were; the page says when they were taken.

Public interface:

- `rebuild()`: recount everything (one transaction); returns the DashboardAggregateBuild row.
- `built_at()`: when the counts readers see were taken, or None when there are none yet.
- `count(scope, today=, by=)`: the same structure as dashboard.metrics._count, from the counts.
- `key_figures`, `figures_by`, `chart_data`: as in dashboard.metrics, from the counts.

How a period reads the counts: the whole months inside it from the month grain, the days of its
partial edge months from the day grain. The as-of-today parts (replies overdue; the on-time reply
rate) are keyed by due date, so "today" is only a bound of the query.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from dashboard import metrics
from dashboard.models import DashboardAggregateBuild, DashboardCount
from deadlines.models import REPLY_RULES, Deadline
from litigation.models import Lawsuit, Ruling

# "Today" for the open-ended conditions the counts are taken with: every due date is before it,
# so the as-of-today bounds are applied when reading (day < today), never when counting.
_FAR = datetime.date(9999, 12, 31)
DAY, MONTH = DashboardCount.Grain.DAY, DashboardCount.Grain.MONTH
LEADS_PART = "leads:value"  # leads have no case type yet: the case type filter leaves them alone


def _part_name(code: str, part: str) -> str:
    return f"{code}:{part}"


# --- What is counted -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    """One counted part: the rows (whatever the period), the path to their case, the date that
    puts a row in a period, and whether its distinct cases are kept (figures whose unit is not the
    case) or a breakdown (agency, outcome: the charts)."""

    name: str
    rows: Callable[[], QuerySet]
    case_path: str | None  # "" = the rows are cases; None = leads (no case)
    day: Callable[[], object]  # an expression on the rows' model
    distinct_cases: bool = False
    breakdown: dict[str, Callable[[], object]] = field(default_factory=dict)  # column -> expression


def _first_lawsuit_filed_on() -> Subquery:
    # The pre-litigation rate's "sued" part: sued in [s, e] for the first time iff the case's
    # first filing date is in [s, e] (metrics._pre_litigation_rate).
    first = Lawsuit.objects.filter(case=OuterRef("pk")).order_by().values("case").annotate(m=Min("filed_on"))
    return Subquery(first.values("m")[:1])


def _evaluated_day() -> TruncDate:
    # The day in China Standard Time, as metrics._between_days bounds it.
    return TruncDate("evaluated_at", tzinfo=timezone.get_current_timezone())


# The date field that puts each figure's rows in a period (docs/domain.md, Dashboard figures).
_DAYS: dict[str, Callable[[], object] | dict[str, Callable[[], object]]] = {
    "leads": lambda: F("received_on"),
    "cases_opened": lambda: F("opened_on"),
    "recommendations_served": lambda: F("served_on"),
    "replies_overdue": lambda: F("due_date"),
    "on_time_reply_rate": lambda: F("due_date"),
    "rectification_rate": _evaluated_day,
    "pre_litigation_rate": {metrics.NUMERATOR: lambda: F("closed_on"), metrics.SUED: _first_lawsuit_filed_on},
    "lawsuits": lambda: F("filed_on"),
    "claims_supported_rate": lambda: F("decided_on"),
    "head_appearance_rate": lambda: F("held_on"),
    "ruling_compliance_rate": lambda: F("effective_on"),
}

# The charts' own parts: the ones a figure part does not already give.
CHART_OVERDUE_BY_AGENCY = "chart:overdue_by_agency"
CHART_LAWSUITS_BY_AGENCY = "chart:lawsuits_by_agency"
CHART_RULINGS_BY_OUTCOME = "chart:rulings_by_outcome"
CHART_OPEN_DEADLINES = "chart:open_deadlines"


def _counted_parts(spec) -> list[str]:
    conditions = spec.parts(metrics.Period(None, None, _FAR))
    return list(spec.counted or (p for p in conditions if p != metrics.SUED))


def _rows_of(group, condition: Q) -> QuerySet:
    return group.model.objects.filter(group.base(), condition)


def _parts() -> list[_Part]:
    parts = []
    everything = metrics.Period(None, None, _FAR)
    for spec in metrics._SPECS:
        group = metrics._GROUPS[spec.group]
        conditions = spec.parts(everything)
        for part in _counted_parts(spec):
            day = _DAYS[spec.code]
            parts.append(
                _Part(
                    name=_part_name(spec.code, part),
                    rows=functools.partial(_rows_of, group, conditions[part]),
                    case_path=group.case_path,
                    day=day[part] if isinstance(day, dict) else day,
                    distinct_cases=bool(group.case_path),
                )
            )
    parts += [
        _Part(
            CHART_OVERDUE_BY_AGENCY,
            lambda: Deadline.objects.filter(
                rule__code__in=REPLY_RULES, recommendation__isnull=False, status=Deadline.Status.OPEN
            ),
            "case",
            lambda: F("due_date"),
            breakdown={"agency_id": lambda: F("recommendation__agency_id")},
        ),
        _Part(
            CHART_LAWSUITS_BY_AGENCY,
            lambda: Lawsuit.objects.filter(defendant_agency__isnull=False),
            "case",
            lambda: F("filed_on"),
            breakdown={"agency_id": lambda: F("defendant_agency_id")},
        ),
        _Part(
            CHART_RULINGS_BY_OUTCOME,
            lambda: Ruling.objects.all(),
            "lawsuit__case",
            lambda: F("decided_on"),
            breakdown={"outcome": lambda: F("outcome")},
        ),
        _Part(
            CHART_OPEN_DEADLINES,
            lambda: Deadline.objects.filter(status=Deadline.Status.OPEN),
            "case",
            lambda: F("due_date"),
        ),
    ]
    return parts


# --- The rebuild -----------------------------------------------------------------------------------


def _dimensions(part: _Part) -> dict[str, object]:
    if part.case_path is None:  # leads
        return {"k_proc": F("procuratorate_id"), "k_dom": F("domain_id"), "k_type": Value("")}
    prefix = f"{part.case_path}__" if part.case_path else ""
    return {
        "k_proc": F(f"{prefix}procuratorate_id"),
        "k_dom": F(f"{prefix}domain_id"),
        "k_type": F(f"{prefix}case_type"),
    }


def _insert_part(cursor, part: _Part) -> None:
    """INSERT … SELECT the day grain of one part: rows per (dimensions, day) and, where the part
    keeps distinct cases, the case-days with each one's previous qualifying day (LAG)."""
    qn = connection.ops.quote_name
    keys = _dimensions(part)
    breakdown = {f"k_{column}": expression() for column, expression in part.breakdown.items()}
    if part.distinct_cases:
        keys["k_case"] = F(f"{part.case_path}_id")
    queryset = (
        part.rows()
        .order_by()
        .annotate(k_day=part.day())
        .filter(k_day__isnull=False, **({} if part.case_path is None else {f"{_case_id(part)}__isnull": False}))
        .values("k_day", **keys, **breakdown)
        .annotate(k_rows=Count("pk"))
    )
    inner, params = queryset.query.sql_with_params()
    columns = ["grain", "part", "procuratorate_id", "domain_id", "case_type", "agency_id", "outcome", "day"]
    columns += ["prev_day", "rows", "cases"]
    agency = "q.k_agency_id" if "k_agency_id" in breakdown else "NULL"
    outcome = "q.k_outcome" if "k_outcome" in breakdown else "''"
    head = f"INSERT INTO {qn(DashboardCount._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
    if part.distinct_cases:
        sql = (
            # Only quoted names, fixed SQL and the ORM's own compiled query: values are parameters.
            f"{head}SELECT %s, %s, q.k_proc, q.k_dom, q.k_type, NULL, '', q.k_day, q.prev_day, SUM(q.k_rows), COUNT(*)"  # noqa: S608
            " FROM (SELECT w.*, LAG(w.k_day) OVER (PARTITION BY w.k_case ORDER BY w.k_day) AS prev_day"
            f" FROM ({inner}) w) q GROUP BY q.k_proc, q.k_dom, q.k_type, q.k_day, q.prev_day ORDER BY q.k_day"
        )
    else:
        # The rows are cases or leads (one day each), or a chart's breakdown (no case count).
        cases = "0" if part.breakdown else "q.k_rows"
        sql = (
            f"{head}SELECT %s, %s, q.k_proc, q.k_dom, q.k_type, {agency}, {outcome}, q.k_day, NULL, q.k_rows, {cases}"  # noqa: S608
            f" FROM ({inner}) q ORDER BY q.k_day"
        )
    # ORDER BY: the rows of one part and day land mostly side by side in the table (PostgreSQL
    # appends or fills the space the last rebuild's rows left), so a period reads few pages.
    cursor.execute(sql, [DAY, part.name, *params])


def _case_id(part: _Part) -> str:
    return f"{part.case_path}_id" if part.case_path else "pk"


def _insert_months(cursor) -> None:
    """The month grain: the day grain summed by month (prev_day stays a day: the distinct-case
    condition compares it with the period's first day)."""
    qn = connection.ops.quote_name
    keys = ["part", "procuratorate_id", "domain_id", "case_type", "agency_id", "outcome"]
    queryset = (
        DashboardCount.objects.filter(grain=DAY)
        .order_by()
        .values(*keys, "prev_day", k_month=TruncMonth("day"))
        .annotate(k_rows=Sum("rows"), k_cases=Sum("cases"))
    )
    inner, params = queryset.query.sql_with_params()
    columns = ["grain", *keys, "day", "prev_day", "rows", "cases"]
    selected = ", ".join(f"q.{qn(c)}" for c in keys)
    cursor.execute(
        f"INSERT INTO {qn(DashboardCount._meta.db_table)} ({', '.join(qn(c) for c in columns)})"  # noqa: S608
        f" SELECT %s, {selected}, q.k_month, q.{qn('prev_day')}, q.k_rows, q.k_cases FROM ({inner}) q"
        f" ORDER BY q.{qn('part')}, q.k_month",
        [MONTH, *params],
    )


def rebuild(*, timings: dict[str, float] | None = None) -> DashboardAggregateBuild:
    """Recount every part from the source tables and replace the counts, in one transaction: a
    reader sees the previous counts until it commits. `timings`, if given, receives the seconds
    of each step (the benchmark prints them). On PostgreSQL the transaction is REPEATABLE
    READ, so every part is counted from the same snapshot of the data, and an EXCLUSIVE lock on the
    table makes a second rebuild wait (plain reads go on)."""
    started = time.perf_counter()
    outermost = not connection.in_atomic_block  # else (a test's transaction) the isolation is set
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(DashboardCount._meta.db_table)} IN EXCLUSIVE MODE")
        computed_at = timezone.now()
        step = time.perf_counter()

        def done(label: str) -> None:
            nonlocal step
            if timings is not None:
                timings[label] = time.perf_counter() - step
            step = time.perf_counter()

        DashboardCount.objects.all().delete()
        done("delete")
        for part in _parts():
            _insert_part(cursor, part)
            done(part.name)
        _insert_months(cursor)
        done("month grain")
        build, _created = DashboardAggregateBuild.objects.update_or_create(
            pk=1,
            defaults={
                "computed_at": computed_at,
                "duration_ms": round((time.perf_counter() - started) * 1000),
                "row_count": DashboardCount.objects.count(),
            },
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh statistics for the planner (the table was just replaced) and, outside a
            # transaction (the job; not a test), the old rows' space reclaimed at once: each
            # rebuild deletes every row, and the table would otherwise grow until autovacuum.
            table = connection.ops.quote_name(DashboardCount._meta.db_table)
            cursor.execute(f"{'VACUUM ANALYZE' if outermost else 'ANALYZE'} {table}")
    return build


def built_at() -> datetime.datetime | None:
    """When the counts readers see were taken; None before the first rebuild."""
    return DashboardAggregateBuild.objects.filter(pk=1).values_list("computed_at", flat=True).first()


# --- Reading ---------------------------------------------------------------------------------------


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _range_q(lo: datetime.date | None, hi: datetime.date) -> Q:
    """The counts of the days lo..hi (lo None: every day up to hi), from whole months where the
    range covers them and from days at its edges."""
    first_full = lo if lo is None or lo.day == 1 else _next_month(lo)  # first day of the first whole month
    after_last_full = _next_month(hi) if _next_month(hi) - datetime.timedelta(days=1) == hi else _month_start(hi)
    if first_full is not None and first_full >= after_last_full:
        return Q(grain=DAY, day__gte=lo, day__lte=hi)
    months = Q(grain=MONTH, day__lt=after_last_full)
    if first_full is not None:
        months &= Q(day__gte=first_full)
    q = months
    if lo is not None and first_full is not None and lo < first_full:
        q |= Q(grain=DAY, day__gte=lo, day__lt=first_full)
    if after_last_full <= hi:
        q |= Q(grain=DAY, day__gte=after_last_full, day__lte=hi)
    return q


@dataclass(frozen=True)
class _Term:
    """A sum to read: a part's counts over the days lo..hi; its distinct cases are the case-days
    in the range whose previous qualifying day is before lo."""

    name: str
    part: str
    lo: datetime.date | None
    hi: datetime.date

    def q(self) -> Q:
        return Q(part=self.part) & _range_q(self.lo, self.hi)


def _where(terms) -> Q:
    """The rows any of `terms` reads. Terms over the same days share one condition, `part IN (…)`
    and the ranges: PostgreSQL then scans the (grain, part, day) index once per range (an OR of
    the terms' own conditions gets the common ranges factored out and a sequential scan)."""
    by_range: dict[tuple, list[str]] = {}
    for term in terms:
        by_range.setdefault((term.lo, term.hi), []).append(term.part)
    where = Q()
    for (lo, hi), parts in by_range.items():
        where |= Q(part__in=parts) & _range_q(lo, hi)
    return where


def _scope_q(scope: metrics.Scope) -> Q:
    q = Q(procuratorate_id__in=scope.procuratorate_ids)
    if scope.domain_id:
        q &= Q(domain_id=scope.domain_id)
    if scope.case_type:
        q &= Q(case_type=scope.case_type) | Q(part=LEADS_PART)
    return q


def _figure_terms(scope: metrics.Scope, *, today: datetime.date) -> list[tuple[metrics._Spec, str, _Term | None]]:
    """(spec, part, term) for every counted part of every figure (term None: an empty range)."""
    yesterday = today - datetime.timedelta(days=1)
    terms: list[tuple[metrics._Spec, str, _Term | None]] = []
    for spec in metrics._SPECS:
        lo: datetime.date | None = scope.start
        hi = scope.end
        if spec.code == "replies_overdue":  # as of today, whatever the period
            lo, hi = None, yesterday
        elif spec.code == "on_time_reply_rate":  # due dates in the period, before today
            hi = min(scope.end, yesterday)
        for part in _counted_parts(spec):
            name = f"t{len(terms)}"
            if lo is not None and lo > hi:
                terms.append((spec, part, None))  # an empty range: nothing counted
                continue
            terms.append((spec, part, _Term(name, _part_name(spec.code, part), lo, hi)))
    return terms


def count(
    scope: metrics.Scope, *, today: datetime.date, by: str | None = None
) -> dict[str, dict[int | None, dict[str, int]]]:
    """What dashboard.metrics._count returns ({figure code: {group key: {part: count}}}, with the
    distinct cases under "cases_<part>" for figures whose unit is not the case), from the counts:
    one query."""
    figure_terms = _figure_terms(scope, today=today)
    terms = {term.part: term for _spec, _part, term in figure_terms if term is not None}
    counted: dict[str, dict[int | None, dict[str, int]]] = {spec.code: {} for spec in metrics._SPECS}
    # Each row read belongs to one term (one per part): GROUP BY part rather than a conditional sum
    # per term. A term's distinct cases are its case-days with no previous day, plus (for a term
    # starting at the period's start; replies overdue start nowhere) those whose previous day is
    # before it.
    assert all(term.lo in (None, scope.start) for term in terms.values())
    where = _where(terms.values())
    keys = ["part"] if by is None else ["part", f"{by}_id"]
    sums = (
        DashboardCount.objects.filter(_scope_q(scope) & where)
        .order_by()
        .values(*keys)
        .annotate(
            n=Sum("rows"),
            first=Sum("cases", filter=Q(prev_day__isnull=True)),
            again=Sum("cases", filter=Q(prev_day__lt=scope.start)),
        )
    )
    by_key: dict[int | None, dict[str, int]] = {} if by is not None else {None: {}}
    for row in sums:
        read = terms[row["part"]]
        values = by_key.setdefault(row.get(f"{by}_id") if by else None, {})
        values[read.name] = row["n"] or 0
        values[f"{read.name}__cases"] = (row["first"] or 0) + ((row["again"] or 0) if read.lo is not None else 0)
    rows = [{"key": key, **values} for key, values in by_key.items()]
    for row in rows:
        for spec, part, term in figure_terms:
            parts = counted[spec.code].setdefault(row["key"], {})
            parts[part] = (row.get(term.name) or 0) if term else 0
            if metrics._GROUPS[spec.group].case_path:
                parts[metrics.CASES + part] = (row.get(f"{term.name}__cases") or 0) if term else 0
    for spec in metrics._SPECS:
        if spec.combine is not None:
            counted[spec.code] = {key: spec.combine(parts) for key, parts in counted[spec.code].items()}
    if by is not None:  # no row for a key whose counts are all zero (metrics._count may have one)
        for code in counted:
            counted[code] = {key: parts for key, parts in counted[code].items() if any(parts.values())}
    return counted


def key_figures(scope: metrics.Scope, *, today: datetime.date) -> list[metrics.Figure]:
    return metrics.key_figures(scope, today=today, counter=count)


def figures_by(scope: metrics.Scope, *, by: str, today: datetime.date) -> list[tuple[str, list[metrics.Figure]]]:
    return metrics.figures_by(scope, by=by, today=today, counter=count)


def chart_rows(scope: metrics.Scope, *, today: datetime.date) -> metrics.ChartRows:
    """The charts' numbers from the counts (metrics._chart_rows counts the same live): seven
    queries over the counts."""
    counts = DashboardCount.objects.filter(_scope_q(scope)).order_by()
    opened = _Term("opened", _part_name("cases_opened", metrics.VALUE), scope.start, scope.end)
    served = _Term("served", _part_name("recommendations_served", metrics.VALUE), scope.start, scope.end)

    by_month = (
        counts.filter(_where([opened, served]))
        .values(month=TruncMonth("day"))
        .annotate(opened=Sum("rows", filter=opened.q()), served=Sum("rows", filter=served.q()))
    )
    cases_by_month, recs_by_month = {}, {}
    for row in by_month:
        month = metrics._month_key(row["month"])
        if row["opened"]:
            cases_by_month[month] = row["opened"]
        if row["served"]:
            recs_by_month[month] = row["served"]

    domains = [
        dict(row)
        for row in counts.filter(opened.q())
        .values("domain_id", "domain__name", "domain__name_en", "domain__sort_order")
        .annotate(n=Sum("rows"))
        .filter(n__gt=0)
        .order_by("domain__sort_order", "domain_id")
    ]
    procuratorates = [
        dict(row)
        for row in counts.filter(opened.q())
        .values("procuratorate_id", "procuratorate__name", "procuratorate__tree_path")
        .annotate(n=Sum("rows"))
        .filter(n__gt=0)
        .order_by("procuratorate__tree_path")
    ]
    overdue = _Term("overdue", CHART_OVERDUE_BY_AGENCY, None, today - datetime.timedelta(days=1))
    sued = _Term("sued", CHART_LAWSUITS_BY_AGENCY, scope.start, scope.end)

    def top_agencies(term: _Term) -> list[tuple[str, int]]:
        rows = (
            counts.filter(term.q())
            .values("agency_id", "agency__name")
            .annotate(n=Sum("rows"))
            .filter(n__gt=0)
            .order_by("-n", "agency__name")[: metrics.TOP_AGENCIES]
        )
        return [(row["agency__name"], row["n"]) for row in rows]

    rulings = _Term("rulings", CHART_RULINGS_BY_OUTCOME, scope.start, scope.end)
    outcomes = dict(
        counts.filter(rulings.q()).values("outcome").annotate(n=Sum("rows")).filter(n__gt=0).values_list("outcome", "n")
    )
    ageing_terms = [_Term(key, CHART_OPEN_DEADLINES, lo, hi) for key, (lo, hi) in metrics.ageing_bounds(today).items()]
    ageing = counts.filter(_where(ageing_terms)).aggregate(**{t.name: Sum("rows", filter=t.q()) for t in ageing_terms})
    return metrics.ChartRows(
        cases_by_month=cases_by_month,
        recommendations_by_month=recs_by_month,
        domains=domains,
        procuratorates=procuratorates,
        agencies_overdue=top_agencies(overdue),
        agencies_lawsuits=top_agencies(sued),
        outcomes=outcomes,
        ageing={key: value or 0 for key, value in ageing.items()},
    )


def chart_data(scope: metrics.Scope, *, today: datetime.date) -> dict:
    return metrics.chart_data(scope, today=today, rows=chart_rows(scope, today=today))
