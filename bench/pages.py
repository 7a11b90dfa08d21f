"""The pages at 1,000,000 cases (issue 15), one command for the issue's whole table (see bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pil_dashboard_bench .venv/bin/python bench/pages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pil_gen_bench .venv/bin/python bench/pages.py --user gen_sup_990100

On the dashboard benchmark's database (bench/dashboard.py builds it when it is missing or empty: a
few minutes) or on `manage.py generate_data`'s (used as it is), migrated first. Adds, once, what
the data does not have: 300 timeline events on case `B500000` when it exists (the dashboard
benchmark's; on other data the case in the user's scope with most events is shown), a superuser
`bench_admin` for the admin, and — when no agency user exists — `bench_agency`, staff of the agency
with most recommendations. Then:

1. **Page times.** Logged in as `--user` (a supervisor: the scope of its procuratorate and those
   below), times each page through Django's test client in `--rounds` interleaved rounds (every
   page once per round, after one warm-up round) and prints the median per page, next to **its SQL**
   (the page's own queries replayed directly on the same connection: what the database alone
   takes), **admin** (Django admin's changelist or change page for the same model and question,
   as a superuser), the page's **query count**, and the issue's target with met / missed.
2. **Throughput.** Starts gunicorn (`--workers` sync workers, DEBUG off) on loopback and, per page,
   runs `--concurrency` client threads with one keep-alive connection each, sending the next
   request when the previous answer is complete (a bounded load: what the server sustains), for
   `--seconds` after a short warm-up: requests per second, errors (any answer but 200), median and
   95th-percentile latency. `--seconds 0` skips it.

The machine's load average is printed before and after: on a shared machine every figure is
inflated by what else runs.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlparse

from benchlib import admin_connection, load, serve, session_cookie, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pil_dashboard_bench"
TODAY = datetime.date(2026, 11, 25)
EVENTS = 300
DETAIL_CASE = "B500000"  # the dashboard benchmark's case that gets EVENTS events


@dataclass
class Page:
    label: str
    path: str
    admin_path: str | None = None
    as_agency: bool = False
    target_ms: float | None = None
    admin_factor: float | None = None  # the page at least this many times faster than admin
    target_rps: float | None = None  # when measured under load


@dataclass
class Scenario:
    detail_pk: int
    detail_events: int
    agency_user: str
    search_number: str
    district_pk: int | None
    domain_pk: int | None
    n_cases: int


def _loadavg() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def prepare(username: str, agency_user: str | None) -> Scenario:
    """What the measurement needs from the data; adds the few rows it lacks (idempotent)."""
    from django.db import connection, transaction
    from django.db.models import Count

    from accounts.models import Role, User
    from agencies.models import Organisation
    from cases.models import Case, Domain, Event, Recommendation
    from cases.selectors import cases_visible_to

    user = User.objects.get(username=username)
    visible = cases_visible_to(user)
    case = Case.objects.filter(number=DETAIL_CASE).first()
    if case is not None:
        have = Event.objects.filter(case=case).count()
        if have < EVENTS:
            with transaction.atomic():
                Event.objects.bulk_create(
                    Event(
                        case=case,
                        kind=Event.Kind.CASE_EDITED if i % 3 else Event.Kind.STATUS_CHANGED,
                        actor_id=case.handler_id,
                        from_status="recommendation" if i % 3 == 0 else "",
                        to_status="awaiting_reply" if i % 3 == 0 else "",
                        changes={"title": [f"旧名称{i}", f"新名称{i}"]} if i % 3 else {},
                        note=f"基准记录{i}",
                    )
                    for i in range(have, EVENTS)
                )
        detail_pk = case.pk
    else:
        # generate_data gives one case in 1,000 300 extra events: the busiest one in scope.
        detail_pk = (
            Event.objects.filter(case__in=visible.values("pk"))
            .values("case")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("case", flat=True)
            .first()
        )
    if not User.objects.filter(username="bench_admin").exists():
        User.objects.create_superuser("bench_admin", password=None)
    if agency_user is None:
        staff = User.objects.filter(role=Role.AGENCY_STAFF, is_active=True)
        if staff.exists():
            # The agency staff whose agency received most recommendations: the fullest agency home.
            busiest = (
                Recommendation.objects.filter(agency__in=staff.values("organisation"))
                .values("agency")
                .annotate(n=Count("id"))
                .order_by("-n")
                .values_list("agency", flat=True)
                .first()
            )
            agency_user = staff.filter(organisation_id=busiest).order_by("pk").values_list("username", flat=True)[0]
        else:
            agency_user = "bench_agency"
            if not User.objects.filter(username=agency_user).exists():
                busiest = (
                    Recommendation.objects.values("agency")
                    .annotate(n=Count("id"))
                    .order_by("-n")
                    .values_list("agency", flat=True)
                    .first()
                )
                User.objects.create_user(
                    agency_user,
                    password=None,
                    full_name="基准机关工作人员",
                    organisation=Organisation.objects.get(pk=busiest),
                    role=Role.AGENCY_STAFF,
                )
    number = "B77777" if case is not None else visible.order_by("pk").values_list("number", flat=True)[77777 % 1000]
    # A district below the supervisor's procuratorate (the dashboard row's filter), and a domain.
    organisation = user.organisation
    district = (
        Organisation.objects.filter(tree_path__startswith=organisation.tree_path)
        .exclude(pk=organisation.pk)
        .filter(kind=Organisation.Kind.PROCURATORATE)
        .order_by("tree_path")
        .values_list("pk", flat=True)
        .first()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'cases_case'")
        n_cases = cursor.fetchone()[0]
    return Scenario(
        detail_pk=detail_pk,
        detail_events=Event.objects.filter(case_id=detail_pk).count(),
        agency_user=agency_user,
        search_number=number,
        district_pk=district,
        domain_pk=Domain.objects.order_by("sort_order", "code").values_list("pk", flat=True).first(),
        n_cases=n_cases,
    )


def pages_of(s: Scenario) -> list[Page]:
    dashboard_query = urlencode({k: v for k, v in {"procuratorate": s.district_pk, "domain": s.domain_pk}.items() if v})
    return [
        Page("case list, page 1", "/cases/", "/admin/cases/case/", target_ms=60, admin_factor=4, target_rps=100),
        Page("case list, search 案件12345", "/cases/?q=案件12345", "/admin/cases/case/?q=案件12345", target_ms=60),
        Page(
            f"case list, search {s.search_number}",
            f"/cases/?{urlencode({'q': s.search_number})}",
            f"/admin/cases/case/?{urlencode({'q': s.search_number})}",
            target_ms=60,
        ),
        Page("case list, search 2 chars 件9", "/cases/?q=件9", "/admin/cases/case/?q=件9", target_ms=60),
        Page("case list, sorted by next deadline", "/cases/?ordering=next_due", target_ms=60),
        Page("case list, overdue", "/cases/?overdue=on"),
        Page("case list, page 500", "/cases/?page=500", "/admin/cases/case/?p=500", target_ms=60),
        Page("lead list, page 1", "/leads/", "/admin/cases/lead/", target_rps=100),
        Page("lead list, page 500", "/leads/?page=500", "/admin/cases/lead/?p=500"),
        Page(
            f"case detail, {s.detail_events} events (50 shown)",
            f"/cases/{s.detail_pk}/",
            f"/admin/cases/case/{s.detail_pk}/change/",
            target_ms=50,
            target_rps=150,
        ),
        Page(f"agency home ({s.agency_user})", "/agency/", as_agency=True, target_rps=100),
        Page("agency home, evaluated, page 20", "/agency/group/evaluated/?page=20", as_agency=True),
        Page("API cases, page 1", "/api/v1/cases/", target_rps=100),
        Page("API leads, page 1", "/api/v1/leads/", target_rps=100),
        Page(
            "API recommendations, page 1",
            "/api/v1/recommendations/",
            "/admin/cases/recommendation/",
            target_ms=50,
            target_rps=100,
        ),
        Page(
            "API recommendations, page 500", "/api/v1/recommendations/?page=500", "/admin/cases/recommendation/?p=500"
        ),
        # Snapshots off (DASHBOARD_CACHE_MINUTES=0): every request computes, from the counts or live.
        Page("dashboard, one district and a domain (counts)", f"/dashboard/?{dashboard_query}", target_ms=300),
        Page("dashboard, one district and a domain (live)", f"/dashboard/?{dashboard_query}&refresh=1"),
    ]


def measure(url: str, args: argparse.Namespace) -> None:
    os.environ["DASHBOARD_CACHE_MINUTES"] = "0"  # the dashboard rows time the computation, not a snapshot
    setup_django(url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    timezone.localdate = lambda *a, **k: TODAY  # the data is laid out around TODAY
    load_before = _loadavg()
    scenario = prepare(args.user, args.agency_user)
    pages = pages_of(scenario)
    agency_home = reverse("agency_home")
    for page in pages:
        if page.as_agency:
            page.path = agency_home
    user, agency, admin = Client(), Client(), Client()
    user.force_login(User.objects.get(username=args.user))
    agency.force_login(User.objects.get(username=scenario.agency_user))
    admin.force_login(User.objects.get(username="bench_admin"))

    recorded: list[tuple[str, object]] = []

    def record(execute, sql, params, many, context):
        recorded.append((sql, params))
        return execute(sql, params, many, context)

    def timed(client: Client, path: str) -> tuple[float, list[tuple[str, object]]]:
        recorded.clear()
        began = time.perf_counter()
        with connection.execute_wrapper(record):
            response = client.get(path)
        elapsed = time.perf_counter() - began
        assert response.status_code == 200, (path, response.status_code)
        return elapsed, list(recorded)

    def replay(queries: list[tuple[str, object]]) -> float:
        began = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                if cursor.description:
                    cursor.fetchall()
        return time.perf_counter() - began

    results: dict[str, dict[str, list[float]]] = {p.label: {"page": [], "sql": [], "admin": []} for p in pages}
    counts: dict[str, int] = {}
    for i in range(args.rounds + 1):
        for page in pages:
            elapsed, queries = timed(agency if page.as_agency else user, page.path)
            replayed = replay(queries)
            admin_elapsed = timed(admin, page.admin_path)[0] if page.admin_path else None
            if i:  # round 0 warms the caches (imports, templates, PostgreSQL buffers)
                results[page.label]["page"].append(elapsed)
                results[page.label]["sql"].append(replayed)
                if admin_elapsed is not None:
                    results[page.label]["admin"].append(admin_elapsed)
            counts[page.label] = len(queries)
        print(f"  round {i}{' (warm-up)' if not i else ''} done; load average {_loadavg()}", flush=True)
    load_after = _loadavg()

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:,.0f}" if values else "—"

    print()
    print(
        f"{datetime.date.today()} · {platform.node()} · {os.cpu_count()} cores · database"
        f" {connection.settings_dict['NAME']} (~{scenario.n_cases:,} cases) · as {args.user}"
        f" (agency home: {scenario.agency_user}) · load average (1/5/15 min) {load_before} before,"
        f" {load_after} after the timing rounds"
    )
    print(f"Medians of {args.rounds} interleaved rounds, milliseconds.\n")
    print("| page | page | its SQL | admin | admin / page | queries | target | |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for page in pages:
        r = results[page.label]
        median = statistics.median(r["page"]) * 1000
        ratio = statistics.median(r["admin"]) * 1000 / median if r["admin"] else None
        target, verdict = "", ""
        if page.target_ms is not None:
            target = f"≤ {page.target_ms:.0f} ms"
            met = median <= page.target_ms
            if page.admin_factor is not None:
                target += f", ≥ {page.admin_factor:.0f}× admin"
                met = met and ratio is not None and ratio >= page.admin_factor
            verdict = "met" if met else "missed"
        print(
            f"| {page.label} | {ms(r['page'])} | {ms(r['sql'])} | {ms(r['admin'])} |"
            f" {f'{ratio:.1f}×' if ratio else '—'} | {counts[page.label]} | {target} | {verdict} |"
        )

    if args.seconds <= 0:
        return
    loaded = [page for page in pages if page.target_rps is not None]
    cookies = {False: session_cookie(args.user), True: session_cookie(scenario.agency_user)}
    print(
        f"\nThroughput: gunicorn, {args.workers} sync workers, {args.concurrency} clients for"
        f" {args.seconds:.0f} s per page after {args.warmup:.0f} s warm-up; load average {_loadavg()}\n"
    )
    # CPU per request: where the two cores went (the server's workers, PostgreSQL, the clients).
    print("| page | req/s | errors | median ms | p95 ms | CPU ms/req: server + database + clients | target | |")
    print("|---|---:|---:|---:|---:|---|---|---|")
    with serve(url, args.workers) as port:
        for page in loaded:
            cpu: dict[str, float] = {}
            rps, errors, median, p95 = load(
                port,
                page.path,
                cookies[page.as_agency],
                concurrency=args.concurrency,
                seconds=args.seconds,
                warmup=args.warmup,
                cpu=cpu,
            )
            verdict = "met" if rps >= page.target_rps and errors == 0 else "missed"
            split = (
                f"{cpu['gunicorn']:.1f} + {cpu.get('postgres', 0):.1f} + {cpu['load generator']:.1f}"
                if "gunicorn" in cpu
                else "—"
            )
            print(
                f"| {page.label} | {rps:.1f} | {errors} | {median:.0f} | {p95:.0f} | {split} |"
                f" ≥ {page.target_rps:.0f} req/s, 0 errors | {verdict} |",
                flush=True,
            )
    print(f"\nload average after the throughput runs: {_loadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--user", default="bench_supervisor", help="the supervisor whose scope the pages show")
    parser.add_argument("--agency-user", help="the agency home's user (default: staff of the busiest agency)")
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds after one warm-up (medians reported)")
    parser.add_argument("--seconds", type=float, default=15, help="throughput: seconds per page (0: skip)")
    parser.add_argument("--warmup", type=float, default=3, help="throughput: warm-up seconds per page")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn sync workers")
    parser.add_argument("--concurrency", type=int, default=8, help="throughput: client threads")
    args = parser.parse_args()
    if not urlparse(args.url).scheme.startswith("postgres"):
        sys.exit("The benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
    here = os.path.dirname(os.path.abspath(__file__))
    name = urlparse(args.url).path.lstrip("/")
    admin = admin_connection(args.url)
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    # Build the dashboard benchmark's data when the database has no case (dashboard.py migrates,
    # and leaves a database that has cases — generate_data's — as it is).
    subprocess.run(
        [sys.executable, os.path.join(here, "dashboard.py"), "--url", args.url, "--build"],
        check=True,
        env={**os.environ, "DATABASE_URL": args.url},
    )
    measure(args.url, args)


if __name__ == "__main__":
    main()
