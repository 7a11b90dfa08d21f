"""Benchmark of the supervisor dashboard against PostgreSQL (see bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pil_dashboard_bench .venv/bin/python bench/dashboard.py

Builds (once; --rebuild to redo) a city procuratorate with nine subordinate ones and 1,000,000
cases opened over five years (2022-01-01 to 2026-11-24), with set-based SQL (generate_series):
1,000,000 leads, 600,000 recommendations (each with a reply deadline and one item), 70,000
lawsuits with their hearings and rulings. Then, as the city's supervisor (the whole city), times
the dashboard page for 2026 (GET /dashboard/?start=2026-01-01&end=2026-12-31, the whole request
through Django's test client: authorisation, every query, the template) `--repeat` times after one
warm-up run, and reports the median, and the time of each query of the last run.

With --aggregates (issue 15): rebuilds the dashboard's pre-aggregated counts (timed, per step;
--no-rebuild keeps the last ones), then times the page computed from the counts (snapshots off:
DASHBOARD_CACHE_MINUTES=0) and live (`?refresh=1`) for five views — the whole city over 2026, one
district, one domain, one case type, and an odd period (2025-03-15 to 2026-06-20) — and checks that
both give the same figures and charts.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import urlparse

from benchlib import admin_connection, clone, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pil_dashboard_bench"
TODAY = datetime.date(2026, 11, 25)
FIRST_DAY = datetime.date(2022, 1, 1)
DAYS = (TODAY - FIRST_DAY).days - 1  # cases opened from FIRST_DAY to the day before TODAY

SUBORDINATES = 9
PROCURATORS_PER_PROCURATORATE = 20
AGENCIES = 50


def _step(label: str, started: float, rows: int) -> None:
    print(f"  {label}: {rows:,} in {time.perf_counter() - started:.1f}s", flush=True)


def build(url: str, cases: int) -> None:
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import Role, User
    from agencies.models import Organisation
    from cases.models import Case, Domain, Lead, Recommendation, RecommendationItem
    from deadlines.models import Deadline, DeadlineRule, RuleCode
    from litigation.models import Hearing, Lawsuit, Ruling

    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        print(f"{connection.settings_dict['NAME']}: data present ({Case.objects.count():,} cases); --rebuild to redo")
        return
    started = time.perf_counter()
    with transaction.atomic():
        city = Organisation.objects.create(
            name="基准市人民检察院", short_name="基市检", kind="procuratorate", level="city"
        )
        procuratorates = [city] + [
            Organisation.objects.create(
                name=f"基准第{i}区人民检察院", short_name=f"基{i}检", kind="procuratorate", level="county", parent=city
            )
            for i in range(SUBORDINATES)
        ]
        agencies = [
            Organisation.objects.create(name=f"基准第{i}局", kind="agency", level="county") for i in range(AGENCIES)
        ]
        users = [
            User(username=f"b_{p.pk}_{n}", organisation=p, role=Role.PROCURATOR, password="!")
            for p in procuratorates
            for n in range(PROCURATORS_PER_PROCURATORATE)
        ]
        users.append(User(username="bench_supervisor", organisation=city, role=Role.SUPERVISOR, password="!"))
        User.objects.bulk_create(users)
        handlers = list(
            User.objects.filter(role=Role.PROCURATOR, username__startswith="b_")
            .order_by("organisation_id", "id")
            .values_list("id", "organisation_id")
        )
        handler_ids, handler_orgs = [h for h, _ in handlers], [o for _, o in handlers]
        domain_ids = list(Domain.objects.order_by("id").values_list("id", flat=True))
        agency_ids = [a.pk for a in agencies]
        rules = dict(DeadlineRule.objects.values_list("code", "id"))
        day0 = FIRST_DAY
        template_lead = Lead.objects.create(
            procuratorate=city,
            title="基准线索",
            summary="基准",
            source="report",
            received_on=day0,
            domain_id=domain_ids[0],
            registered_by_id=handler_ids[0],
            status="opened",
        )
        template_case = Case.objects.create(
            procuratorate=city,
            number="BENCH-TEMPLATE",
            case_type="administrative",
            title="基准案件",
            summary="基准",
            domain_id=domain_ids[0],
            handler_id=handler_ids[0],
            opened_on=day0,
        )
        template_rec = Recommendation.objects.create(
            case=template_case,
            agency=agencies[0],
            status="replied",
            document_number="BENCH-TEMPLATE",
            case_source="-",
            harm_facts="-",
            failure_facts="-",
            legal_basis="-",
            rectification_period="-",
            drafted_by_id=handler_ids[0],
            served_on=day0,
        )
        template_item = RecommendationItem.objects.create(recommendation=template_rec, number=1, text="-")
        template_deadline = Deadline.objects.create(
            case=template_case,
            recommendation=template_rec,
            rule_id=rules[RuleCode.REPLY],
            start_date=day0,
            period_value=2,
            period_unit="months",
            due_date=day0,
        )
        template_lawsuit = Lawsuit.objects.create(
            case=template_case,
            court="基准法院",
            court_case_number="BENCH-TEMPLATE",
            filed_on=day0,
            defendant_agency=agencies[0],
            claims="-",
            filed_by_id=handler_ids[0],
        )
        template_hearing = Hearing.objects.create(
            lawsuit=template_lawsuit, held_on=day0, appearance="head", recorded_by_id=handler_ids[0]
        )
        template_ruling = Ruling.objects.create(
            lawsuit=template_lawsuit,
            instance="first",
            kind="judgment",
            outcome="dismiss",
            decided_on=day0,
            served_on=day0,
            recorded_by_id=handler_ids[0],
        )
    n_handlers = len(handler_ids)
    params = {
        "handlers": handler_ids,
        "orgs": handler_orgs,
        "domains": domain_ids,
        "agencies": agency_ids,
        "n": cases,
        "day0": day0,
        "days": DAYS,
        "today": TODAY,
    }
    n_domains = len(domain_ids)
    with connection.cursor() as cursor:
        t = time.perf_counter()
        rows = clone(
            cursor,
            "cases_lead",
            template_lead.pk,
            "generate_series(1, %(n)s) g",
            {
                "procuratorate_id": f"(%(orgs)s::bigint[])[(g %% {n_handlers}) + 1]",
                "registered_by_id": f"(%(handlers)s::bigint[])[(g %% {n_handlers}) + 1]",
                "domain_id": f"(%(domains)s::bigint[])[(g %% {n_domains}) + 1]",
                "received_on": "%(day0)s::date + (g %% %(days)s)::int",
                "title": "'基准线索' || g",
            },
            params,
        )
        _step("leads", t, rows)
        t = time.perf_counter()
        # Every 10th case is civil; 60 % are closed (120 days after opening, if that has come), 7 %
        # went to court, the rest are in the recommendation stage.
        rows = clone(
            cursor,
            "cases_case",
            template_case.pk,
            "generate_series(1, %(n)s) g",
            {
                "number": "'B' || g",
                "handler_id": f"(%(handlers)s::bigint[])[(g %% {n_handlers}) + 1]",
                "procuratorate_id": f"(%(orgs)s::bigint[])[(g %% {n_handlers}) + 1]",
                "domain_id": f"(%(domains)s::bigint[])[((g / 7) %% {n_domains}) + 1]",
                "case_type": "CASE WHEN g %% 10 = 0 THEN 'civil' ELSE 'administrative' END",
                "opened_on": "%(day0)s::date + (g %% %(days)s)::int",
                "status": "CASE WHEN g %% 100 < 60 AND %(day0)s::date + (g %% %(days)s)::int + 120 < %(today)s"
                " THEN 'closed' WHEN g %% 100 BETWEEN 60 AND 66 THEN 'litigation' ELSE 'awaiting_reply' END",
                "closed_on": "CASE WHEN g %% 100 < 60 AND %(day0)s::date + (g %% %(days)s)::int + 120 < %(today)s"
                " THEN %(day0)s::date + (g %% %(days)s)::int + 120 END",
                "closure_ground": "CASE WHEN g %% 100 < 60 THEN 'rectified' ELSE '' END",
                "title": "'基准案件' || g",
            },
            params,
        )
        _step("cases", t, rows)
        cases_source = (
            "(SELECT c.id AS case_id, c.procuratorate_id, c.handler_id, c.opened_on, substr(c.number, 2)::int AS n"
            " FROM cases_case c WHERE c.number LIKE 'B%%' AND c.id <> %(template_case)s) g"
        )
        params["template_case"] = template_case.pk
        t = time.perf_counter()
        rows = clone(
            cursor,
            "cases_recommendation",
            template_rec.pk,
            cases_source,
            {
                "case_id": "g.case_id",
                "procuratorate_id": "g.procuratorate_id",
                "drafted_by_id": "g.handler_id",
                "agency_id": f"(%(agencies)s::bigint[])[(g.n %% {AGENCIES}) + 1]",
                "document_number": "'BR' || g.case_id",
                "served_on": "LEAST(g.opened_on + 30, %(today)s::date - 1)",
                "status": "CASE WHEN g.n %% 10 < 4 THEN 'replied' ELSE 'served' END",
            },
            params,
            where="g.n %% 10 < 6",
        )
        _step("recommendations", t, rows)
        recs_source = (
            "(SELECT r.id AS rec_id, r.case_id, r.served_on, r.id %% 10 AS k FROM cases_recommendation r"
            " WHERE r.document_number LIKE 'BR%%') g"
        )
        t = time.perf_counter()
        # Reply deadlines: 70 % met, 10 % late, the rest open (overdue once their date has passed).
        rows = clone(
            cursor,
            "deadlines_deadline",
            template_deadline.pk,
            recs_source,
            {
                "case_id": "g.case_id",
                "recommendation_id": "g.rec_id",
                "start_date": "g.served_on",
                "due_date": "g.served_on + 61",
                "status": "CASE WHEN g.k < 7 THEN 'met' WHEN g.k < 8 THEN 'late' ELSE 'open' END",
                "fulfilled_on": "CASE WHEN g.k < 7 THEN g.served_on + 50 WHEN g.k < 8 THEN g.served_on + 70 END",
                "closed_at": "CASE WHEN g.k < 8 THEN now() END",
            },
            params,
        )
        _step("reply deadlines", t, rows)
        t = time.perf_counter()
        # Written with SQL, not through the deadline services: the cases' kept next due date
        # (Case.next_due_date) is set as deadlines.services.deadlines_refresh_next_due would.
        cursor.execute(
            "UPDATE cases_case c SET next_due_date = d.due_date, next_due_provisional = d.provisional"
            " FROM (SELECT DISTINCT ON (case_id) case_id, due_date, provisional FROM deadlines_deadline"
            " WHERE status = 'open' ORDER BY case_id, due_date, id) d WHERE d.case_id = c.id"
        )
        _step("cases' next due date", t, cursor.rowcount)
        t = time.perf_counter()
        rows = clone(
            cursor,
            "cases_recommendationitem",
            template_item.pk,
            recs_source,
            {
                "recommendation_id": "g.rec_id",
                "evaluation": "CASE WHEN g.k < 6 THEN 'rectified' WHEN g.k < 8 THEN 'partly' ELSE '' END",
                "evaluated_at": "CASE WHEN g.k < 8 THEN (g.served_on + 70)::timestamptz END",
            },
            params,
        )
        _step("recommendation items", t, rows)
        t = time.perf_counter()
        rows = clone(
            cursor,
            "litigation_lawsuit",
            template_lawsuit.pk,
            cases_source,
            {
                "case_id": "g.case_id",
                "filed_by_id": "g.handler_id",
                "court_case_number": "'BL' || g.case_id",
                "filed_on": "LEAST(g.opened_on + 150, %(today)s::date - 1)",
                "defendant_agency_id": f"(%(agencies)s::bigint[])[(g.n %% {AGENCIES}) + 1]",
            },
            params,
            where="g.n %% 100 BETWEEN 60 AND 66",
        )
        _step("lawsuits", t, rows)
        suits_source = (
            "(SELECT l.id AS suit_id, l.filed_on, l.filed_by_id, l.id %% 10 AS k FROM litigation_lawsuit l"
            " WHERE l.court_case_number LIKE 'BL%%') g"
        )
        t = time.perf_counter()
        rows = clone(
            cursor,
            "litigation_hearing",
            template_hearing.pk,
            suits_source,
            {
                "lawsuit_id": "g.suit_id",
                "recorded_by_id": "g.filed_by_id",
                "held_on": "g.filed_on + 60",
                "appearance": "(ARRAY['head','deputy_head','staff','lawyer_only','head'])[(g.k %% 5) + 1]",
            },
            params,
        )
        _step("hearings", t, rows)
        t = time.perf_counter()
        rows = clone(
            cursor,
            "litigation_ruling",
            template_ruling.pk,
            suits_source,
            {
                "lawsuit_id": "g.suit_id",
                "recorded_by_id": "g.filed_by_id",
                "decided_on": "g.filed_on + 90",
                "served_on": "g.filed_on + 93",
                "outcome": "(ARRAY['order_performance','declare_unlawful','dismiss','revoke'])[(g.k %% 4) + 1]",
                "ordered_action": "CASE WHEN g.k %% 4 = 0 THEN '依法履职' ELSE '' END",
                "effective_on": "CASE WHEN g.k %% 2 = 0 THEN g.filed_on + 115 END",
                "complied_on": "CASE WHEN g.k = 0 THEN g.filed_on + 150 END",
                "transferred_for_enforcement_on": "CASE WHEN g.k = 4 THEN g.filed_on + 160 END",
            },
            params,
            where="g.k < 8",
        )
        _step("rulings", t, rows)
        for model, pk in (
            ("litigation_ruling", template_ruling.pk),
            ("litigation_hearing", template_hearing.pk),
            ("litigation_lawsuit", template_lawsuit.pk),
            ("deadlines_deadline", template_deadline.pk),
            ("cases_recommendationitem", template_item.pk),
            ("cases_recommendation", template_rec.pk),
            ("cases_case", template_case.pk),
            ("cases_lead", template_lead.pk),
        ):
            cursor.execute(f"DELETE FROM {model} WHERE id = %s", [pk])
    connection.close()
    conn = __import__("psycopg2").connect(url)
    conn.autocommit = True
    conn.cursor().execute("VACUUM ANALYZE")
    conn.close()
    print(f"built in {time.perf_counter() - started:.1f}s", flush=True)


# --- The measurement --------------------------------------------------------------------------------


def measure(url: str, repeat: int, query: str) -> None:
    setup_django(url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    timezone.localdate = lambda *a, **k: TODAY  # the data is laid out around TODAY
    client = Client()
    client.force_login(User.objects.get(username="bench_supervisor"))
    timings: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - began, sql))

    def run(label: str, path: str) -> list[float]:
        runs = []
        for i in range(repeat + 1):
            timings.clear()
            began = time.perf_counter()
            with connection.execute_wrapper(timed):
                response = client.get(path)
            elapsed = time.perf_counter() - began
            assert response.status_code == 200, response.status_code
            if i:  # the first run warms the caches (Python imports, templates, PostgreSQL buffers)
                runs.append(elapsed)
            warm = " (warm-up)" if not i else ""
            print(f"  {label} run {i}: {elapsed * 1000:.0f} ms, {len(timings)} queries{warm}", flush=True)
        return runs

    # Computed: what a filter the beat job did not prepare costs (every figure and chart queried).
    computed = run("computed", f"/dashboard/?{query}&refresh=1")
    computed_timings = list(timings)
    # Kept: the landing page after dashboard.tasks.warm_dashboards (or a first visit) kept it.
    kept = run("kept", f"/dashboard/?{query}")
    from dashboard import metrics

    user = User.objects.get(username="bench_supervisor")
    start, end = (datetime.date.fromisoformat(part.split("=")[1]) for part in query.split("&")[:2])
    scope = metrics.scope_for(user, start=start, end=end, today=TODAY)
    figures = {f.code: f for f in metrics.key_figures(scope, today=TODAY)}
    print()
    jit = "JIT on" if os.environ.get("DATABASE_JIT") else "JIT off"
    for label, runs in (("computed", computed), ("kept", kept)):
        median = statistics.median(runs) * 1000
        print(f"dashboard, whole city, {query}, {label}, {jit}: median {median:.0f} ms of {repeat} runs")
        print("  runs (ms):", [round(r * 1000) for r in runs])
    print("figures:", {c: (f.value if not f.is_rate else f"{f.numerator}/{f.denominator}") for c, f in figures.items()})
    print("queries of the last computed run, slowest first:")
    for seconds, sql in sorted(computed_timings, reverse=True):
        print(f"  {seconds * 1000:7.1f} ms  {sql[:150]}")


def measure_aggregates(url: str, repeat: int, live_repeat: int, rebuild: bool) -> None:
    setup_django(url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from agencies.models import Organisation
    from cases.models import Domain
    from dashboard import aggregates

    settings.ALLOWED_HOSTS = ["*"]
    settings.DASHBOARD_CACHE_MINUTES = 0  # every request computes: from the counts, or live with refresh
    timezone.localdate = lambda *a, **k: TODAY  # the data is laid out around TODAY
    if rebuild:
        steps: dict[str, float] = {}
        began = time.perf_counter()
        build = aggregates.rebuild(timings=steps)
        print(f"rebuild: {time.perf_counter() - began:.1f} s, {build.row_count:,} rows", flush=True)
        for label, seconds in steps.items():
            print(f"  {seconds:6.1f} s  {label}")
    else:
        print(f"counts of {aggregates.built_at()} (not rebuilt)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('dashboard_dashboardcount'))")
        print("table size:", cursor.fetchone()[0])
    user = User.objects.get(username="bench_supervisor")
    client = Client()
    client.force_login(user)
    district = Organisation.objects.filter(parent=user.organisation).order_by("pk").first()
    domain = Domain.objects.order_by("pk").first()
    year = "start=2026-01-01&end=2026-12-31"
    views = [
        ("whole city, 2026", year),
        ("one district, 2026", f"{year}&procuratorate={district.pk}"),
        ("one domain, 2026", f"{year}&domain={domain.pk}"),
        ("civil cases, 2026", f"{year}&case_type=civil"),
        ("odd period 2025-03-15..2026-06-20", "start=2025-03-15&end=2026-06-20"),
    ]

    def timed(path: str, runs: int) -> tuple[list[float], int]:
        times, queries = [], 0
        for i in range(runs + 1):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - began
            assert response.status_code == 200, (path, response.status_code)
            if i:  # the first run warms the caches
                times.append(elapsed)
            queries = len(captured)
        return times, queries

    results = []
    for label, query in views:
        counted = client.get(f"/dashboard/data/?{query}").json()
        live = client.get(f"/dashboard/data/?{query}&refresh=1").json()
        assert counted["source"] == "aggregates" and live["source"] == "live", (counted["source"], live["source"])
        same = counted["figures"] == live["figures"] and counted["charts"] == live["charts"]
        from_counts, counts_queries = timed(f"/dashboard/?{query}", repeat)
        computed, live_queries = timed(f"/dashboard/?{query}&refresh=1", live_repeat)
        results.append((label, from_counts, counts_queries, computed, live_queries, same))
        print(
            f"{label}: counts median {statistics.median(from_counts) * 1000:.0f} ms ({counts_queries} queries),"
            f" live median {statistics.median(computed) * 1000:.0f} ms ({live_queries} queries),"
            f" same numbers: {same}",
            flush=True,
        )
        print("  counts runs (ms):", [round(r * 1000) for r in from_counts])
        print("  live runs (ms):", [round(r * 1000) for r in computed])
    print()
    print("| view | from the counts | live (`?refresh=1`) | same figures and charts |")
    print("|---|---:|---:|---|")
    for label, from_counts, _cq, computed, _lq, same in results:
        print(
            f"| {label} | {statistics.median(from_counts) * 1000:.0f} ms"
            f" | {statistics.median(computed) * 1000:.0f} ms | {'yes' if same else 'NO'} |"
        )
    print("load average:", os.getloadavg())
    assert all(same for *_rest, same in results), "the counts and the live computation disagree"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after one warm-up (median reported)")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the benchmark database")
    parser.add_argument("--query", default="start=2026-01-01&end=2026-12-31", help="the dashboard's query string")
    parser.add_argument("--jit", action="store_true", help="leave PostgreSQL's JIT on (DATABASE_JIT=1)")
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--aggregates", action="store_true", help="time the page from the pre-aggregated counts against live"
    )
    parser.add_argument("--no-rebuild", action="store_true", help="with --aggregates: keep the counts as they are")
    parser.add_argument("--live-repeat", type=int, default=3, help="with --aggregates: timed live runs per view")
    args = parser.parse_args()
    if not urlparse(args.url).scheme.startswith("postgres"):
        sys.exit("The benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
    if args.build:
        build(args.url, args.cases)
        return
    name = urlparse(args.url).path.lstrip("/")
    admin = admin_connection(args.url)
    with admin.cursor() as cursor:
        if args.rebuild:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    subprocess.run([sys.executable, __file__, "--build", "--url", args.url, "--cases", str(args.cases)], check=True)
    if args.jit:
        os.environ["DATABASE_JIT"] = "1"
    if args.aggregates:
        measure_aggregates(args.url, args.repeat, args.live_repeat, rebuild=not args.no_rebuild)
        return
    measure(args.url, args.repeat, args.query)


if __name__ == "__main__":
    main()
