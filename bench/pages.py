"""The pages at 1,000,000 cases (issue 15), timed through the whole Django request (see bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pil_dashboard_bench .venv/bin/python bench/pages.py

Uses the dashboard benchmark's database (bench/dashboard.py builds it when missing: a few minutes)
and migrates it. Adds, once, what that builder does not make: 300 timeline events on one case and a
superuser for the admin. Then, logged in as the city's supervisor (the whole city: 1,000,000 cases),
times each page through Django's test client in `--rounds` interleaved rounds (every page once per
round, after one warm-up round) and prints the median per page, next to:

- **SQL**: the page's own queries replayed directly on the same connection (cursor.execute and
  fetchall, no ORM, no template): what the database alone takes for them;
- **admin**: Django admin's changelist (or change page) for the same model and the same question,
  logged in as a superuser;
- **queries**: how many queries the page ran.
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

from benchlib import admin_connection, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pil_dashboard_bench"
TODAY = datetime.date(2026, 11, 25)
EVENTS = 300
DETAIL_CASE = "B500000"


def prepare() -> tuple[int, int]:
    """The detail case (with EVENTS events) and the number of cases; idempotent."""
    from django.db import transaction

    from accounts.models import User
    from cases.models import Case, Event

    case = Case.objects.get(number=DETAIL_CASE)
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
    if not User.objects.filter(username="bench_admin").exists():
        User.objects.create_superuser("bench_admin", password=None)
    return case.pk, Case.objects.count()


def measure(url: str, rounds: int) -> None:
    setup_django(url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    timezone.localdate = lambda *a, **k: TODAY  # the data is laid out around TODAY
    detail_pk, n_cases = prepare()
    user, admin = Client(), Client()
    user.force_login(User.objects.get(username="bench_supervisor"))
    admin.force_login(User.objects.get(username="bench_admin"))

    # (label, page path, admin path or None)
    pages = [
        ("case list, page 1", "/cases/", "/admin/cases/case/"),
        ("case list, search 案件12345", "/cases/?q=案件12345", "/admin/cases/case/?q=案件12345"),
        ("case list, search B77777", "/cases/?q=B77777", "/admin/cases/case/?q=B77777"),
        ("case list, search 2 chars 件9", "/cases/?q=件9", "/admin/cases/case/?q=件9"),
        ("case list, sorted by next deadline", "/cases/?ordering=next_due", None),
        ("case list, overdue", "/cases/?overdue=on", None),
        ("case list, page 500", "/cases/?page=500", "/admin/cases/case/?p=500"),
        ("lead list, page 1", "/leads/", "/admin/cases/lead/"),
        ("lead list, page 500", "/leads/?page=500", "/admin/cases/lead/?p=500"),
        (f"case detail, {EVENTS} events", f"/cases/{detail_pk}/", f"/admin/cases/case/{detail_pk}/change/"),
        ("API cases, page 1", "/api/v1/cases/", None),
        ("API recommendations, page 1", "/api/v1/recommendations/", "/admin/cases/recommendation/"),
        ("API recommendations, page 500", "/api/v1/recommendations/?page=500", "/admin/cases/recommendation/?p=500"),
    ]
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

    results: dict[str, dict[str, list[float]]] = {label: {"page": [], "sql": [], "admin": []} for label, *_ in pages}
    counts: dict[str, int] = {}
    for i in range(rounds + 1):
        for label, path, admin_path in pages:
            elapsed, queries = timed(user, path)
            replayed = replay(queries)
            admin_elapsed = timed(admin, admin_path)[0] if admin_path else None
            if i:  # round 0 warms the caches (imports, templates, PostgreSQL buffers)
                results[label]["page"].append(elapsed)
                results[label]["sql"].append(replayed)
                if admin_elapsed is not None:
                    results[label]["admin"].append(admin_elapsed)
            counts[label] = len(queries)
        print(f"  round {i}{' (warm-up)' if not i else ''} done", flush=True)

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:,.0f}" if values else "—"

    print()
    print(f"{n_cases:,} cases; city supervisor; medians of {rounds} interleaved rounds (ms)")
    print("| page | page | its SQL | admin | page / SQL | admin / page | queries |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, *_ in pages:
        r = results[label]
        page, sql = statistics.median(r["page"]), statistics.median(r["sql"])
        admin_ratio = f"{statistics.median(r['admin']) / page:.1f}×" if r["admin"] else "—"
        print(
            f"| {label} | {ms(r['page'])} | {ms(r['sql'])} | {ms(r['admin'])} | {page / sql:.1f}× | {admin_ratio}"
            f" | {counts[label]} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds after one warm-up (medians reported)")
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
    # Build the dashboard benchmark's database when it is missing (and migrate it either way).
    subprocess.run(
        [sys.executable, os.path.join(here, "dashboard.py"), "--url", args.url, "--build"],
        check=True,
        env={**os.environ, "DATABASE_URL": args.url},
    )
    measure(args.url, args.rounds)


if __name__ == "__main__":
    main()
