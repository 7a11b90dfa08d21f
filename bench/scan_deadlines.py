"""Benchmark of the deadline scan against PostgreSQL (see bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pil_bench .venv/bin/python bench/scan_deadlines.py

Builds (once; --rebuild to redo) 1,000,000 open deadlines of which 50,000 became overdue yesterday,
with set-based SQL (generate_series), then times, each on a fresh copy of that database made with
CREATE DATABASE … TEMPLATE, in a fresh Python process:

  floor        the single hand-written INSERT … SELECT … ON CONFLICT DO NOTHING flagging the same rows
  scan         deadlines_scan(notify=False): the claim only (every level, one statement, + bookkeeping)
  floor+notify one hand-written statement flagging the same rows and inserting the same notifications
  scan+notify  deadlines_scan(): the claim and the notification fan-out (handler, co-handler and the
               agency's two staff for each overdue reply: 4 notifications per deadline)

and the peak memory (ru_maxrss) of each process, before and after the measured call.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from urllib.parse import urlparse

from benchlib import admin_connection, clone, setup_django, with_db

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pil_bench"
TODAY = datetime.date(2026, 11, 25)

PROCURATORATES = 10
PROCURATORS_PER_PROCURATORATE = 20
AGENCIES = 50


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- Building the data ----------------------------------------------------------------------------


def build(url: str, deadlines: int, overdue: int) -> None:
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import Role, User
    from agencies.models import Organisation, Region
    from cases.models import Case, Domain, Recommendation
    from deadlines.models import Deadline, DeadlineRule, RuleCode

    call_command("migrate", verbosity=0)
    if Deadline.objects.exists():
        count = Deadline.objects.count()
        print(f"{connection.settings_dict['NAME']}: data present ({count:,} deadlines); --rebuild to redo")
        return
    started = time.perf_counter()
    recommendations = deadlines // 2
    cases = recommendations // 2
    with transaction.atomic():
        city_region = Region.objects.create(name="基准市", code="B00000")
        district_region = Region.objects.create(name="基准区", code="B00001", parent=city_region)
        procuratorates = [
            Organisation.objects.create(
                name=f"基准第{i}人民检察院",
                short_name=f"基{i}检",
                kind="procuratorate",
                level="county",
                region=district_region,
            )
            for i in range(PROCURATORATES)
        ]
        agencies = [
            Organisation.objects.create(name=f"基准第{i}局", kind="agency", level="county", region=district_region)
            for i in range(AGENCIES)
        ]
        commission = Organisation.objects.create(
            name="基准市纪委监委", kind="discipline", level="city", region=city_region
        )
        users = []
        for p in procuratorates:
            users += [
                User(username=f"b_{p.pk}_{n}", organisation=p, role=Role.PROCURATOR, password="!")
                for n in range(PROCURATORS_PER_PROCURATORATE)
            ]
            users += [
                User(username=f"b_{p.pk}_sup{n}", organisation=p, role=Role.SUPERVISOR, password="!") for n in range(2)
            ]
        users += [
            User(username=f"b_a{a.pk}_{n}", organisation=a, role=Role.AGENCY_STAFF, password="!")
            for a in agencies
            for n in range(2)
        ]
        users += [
            User(username=f"b_d{n}", organisation=commission, role=Role.DISCIPLINE_LIAISON, password="!")
            for n in range(2)
        ]
        User.objects.bulk_create(users)
        handlers = list(
            User.objects.filter(role=Role.PROCURATOR, username__startswith="b_")
            .order_by("organisation_id", "id")
            .values_list("id", "organisation_id")
        )
        handler_ids = [h for h, _ in handlers]
        handler_orgs = [o for _, o in handlers]
        agency_ids = [a.pk for a in agencies]
        template_case = Case.objects.create(
            procuratorate=procuratorates[0],
            number="BENCH-TEMPLATE",
            case_type="administrative",
            title="基准案件",
            summary="基准",
            domain=Domain.objects.get(code="ecology"),
            handler_id=handler_ids[0],
            status="awaiting_reply",
            opened_on=TODAY - datetime.timedelta(days=200),
        )
        template_rec = Recommendation.objects.create(
            case=template_case,
            agency=agencies[0],
            status="served",
            document_number="BENCH-TEMPLATE",
            case_source="-",
            harm_facts="-",
            failure_facts="-",
            legal_basis="-",
            rectification_period="-",
            drafted_by_id=handler_ids[0],
            served_on=TODAY - datetime.timedelta(days=60),
        )
        rules = dict(DeadlineRule.objects.values_list("code", "id"))
    n_handlers = len(handler_ids)
    with connection.cursor() as cursor:
        t = time.perf_counter()
        clone(
            cursor,
            "cases_case",
            template_case.pk,
            "generate_series(1, %(n)s) g",
            {
                "number": "'B' || g",
                "handler_id": f"(%(handlers)s::bigint[])[(g %% {n_handlers}) + 1]",
                "procuratorate_id": f"(%(orgs)s::bigint[])[(g %% {n_handlers}) + 1]",
                "title": "'基准案件' || g",
            },
            params={"handlers": handler_ids, "orgs": handler_orgs, "n": cases},
        )
        print(f"  cases: {cases:,} in {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()
        # The co-handler is the next procurator of the handler's list: never the handler.
        cursor.execute(
            "INSERT INTO cases_case_co_handlers (case_id, user_id)"
            f" SELECT c.id, (%s::bigint[])[((substr(c.number, 2)::int + 1) %% {n_handlers}) + 1]"
            " FROM cases_case c WHERE c.number LIKE 'B%%' AND c.id <> %s",
            [handler_ids, template_case.pk],
        )
        print(f"  co-handlers: {cursor.rowcount:,} in {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()
        clone(
            cursor,
            "cases_recommendation",
            template_rec.pk,
            "(SELECT c.id AS case_id, c.procuratorate_id, c.handler_id, k FROM cases_case c, generate_series(0, 1) k"
            " WHERE c.number LIKE 'B%%' AND c.id <> %(template_case)s) g",
            {
                "case_id": "g.case_id",
                "procuratorate_id": "g.procuratorate_id",
                "drafted_by_id": "g.handler_id",
                "agency_id": f"(%(agencies)s::bigint[])[((g.case_id * 2 + g.k) %% {AGENCIES}) + 1]",
                "document_number": "'BR' || g.case_id || '-' || g.k",
            },
            params={"template_case": template_case.pk, "agencies": agency_ids},
        )
        print(f"  recommendations: {recommendations:,} in {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()
        # Reply deadlines: the first `overdue` (by id) fell due yesterday; the rest later than a week.
        # Filing deadlines: all later than a week. Nothing else reaches a level on TODAY.
        cursor.execute(
            """
            INSERT INTO deadlines_deadline (case_id, recommendation_id, agency_id, rule_id, start_date,
                period_value, period_unit, rolls_over_rest_days, calendar_version, due_date, provisional,
                explanation, status, created_at)
            SELECT r.case_id, r.id, CASE WHEN x.kind = 'reply' THEN r.agency_id END, x.rule_id, r.served_on,
                   x.period_value, x.period_unit, true, 1,
                   CASE WHEN x.kind = 'reply' AND r.rn <= %(overdue)s THEN %(yesterday)s::date
                        ELSE %(week)s::date + (r.id %% 113)::int END,
                   false, '', 'open', now()
            FROM (SELECT id, case_id, agency_id, served_on, row_number() OVER (ORDER BY id) AS rn
                  FROM cases_recommendation WHERE document_number LIKE 'BR%%') r,
                 (VALUES ('reply', %(reply)s::bigint, 2, 'months'), ('filing', %(filing)s::bigint, 5, 'days'))
                     AS x(kind, rule_id, period_value, period_unit)
            """,
            {
                "overdue": overdue,
                "yesterday": TODAY - datetime.timedelta(days=1),
                "week": TODAY + datetime.timedelta(days=8),
                "reply": rules[RuleCode.REPLY],
                "filing": rules[RuleCode.FILING],
            },
        )
        print(f"  deadlines: {cursor.rowcount:,} in {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()
        # The overdue ones were reminded 7, 3 and 1 days before by earlier scans.
        cursor.execute(
            """
            INSERT INTO deadlines_deadlinealert (deadline_id, level, created_at, notified)
            SELECT d.id, l.level, now() - interval '1 day', true
            FROM deadlines_deadline d, (VALUES ('remind_7'), ('remind_3'), ('remind_1')) AS l(level)
            WHERE d.status = 'open' AND d.due_date < %s
            """,
            [TODAY],
        )
        print(f"  earlier reminders: {cursor.rowcount:,} in {time.perf_counter() - t:.1f}s")
        cursor.execute("DELETE FROM cases_recommendation WHERE id = %s", [template_rec.pk])
        cursor.execute("DELETE FROM cases_case WHERE id = %s", [template_case.pk])
    connection.close()
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    conn.cursor().execute("VACUUM ANALYZE")
    conn.close()
    print(f"built in {time.perf_counter() - started:.1f}s")


# --- One measurement, in its own process ----------------------------------------------------------

FLOOR_SQL = """
    INSERT INTO deadlines_deadlinealert (deadline_id, level, created_at, notified)
    SELECT id, 'overdue', now(), true FROM deadlines_deadline
    WHERE status = 'open' AND due_date < %s
    ON CONFLICT (deadline_id, level) DO NOTHING
"""

# The floor of `scan+notify`: the same claim, and in the same statement the same notifications
# (handler, co-handlers, the agency's active staff; texts of about the same length) written by hand
# as one INSERT … SELECT … ON CONFLICT DO NOTHING, committed — what the database needs to write the
# rows, with no Python in between.
FLOOR_NOTIFY_SQL = """
    WITH flagged AS (
        INSERT INTO deadlines_deadlinealert (deadline_id, level, created_at, notified)
        SELECT id, 'overdue', now(), true FROM deadlines_deadline
        WHERE status = 'open' AND due_date < %(today)s
        ON CONFLICT (deadline_id, level) DO NOTHING
        RETURNING deadline_id
    ), recipients AS (
        SELECT d.id AS deadline_id, d.due_date, c.id AS case_id, c.number, c.title AS case_title,
               r.id AS recommendation_id, r.document_number, o.name AS agency, ru.name AS rule,
               x.user_id, x.for_agency
        FROM flagged f
        JOIN deadlines_deadline d ON d.id = f.deadline_id
        JOIN deadlines_deadlinerule ru ON ru.id = d.rule_id
        JOIN cases_case c ON c.id = d.case_id
        LEFT JOIN cases_recommendation r ON r.id = d.recommendation_id
        LEFT JOIN agencies_organisation o ON o.id = r.agency_id
        CROSS JOIN LATERAL (
            SELECT c.handler_id AS user_id, false AS for_agency
            UNION ALL
            SELECT ch.user_id, false FROM cases_case_co_handlers ch
            WHERE ch.case_id = c.id AND ch.user_id <> c.handler_id
            UNION ALL
            SELECT u.id, true FROM accounts_user u
            WHERE ru.obligor = 'agency' AND u.organisation_id = r.agency_id AND u.role = 'agency_staff'
              AND u.is_active
        ) x
    )
    INSERT INTO notifications_notification (recipient_id, kind, stored_title, stored_body, url, key, created_at,
        email_status, email_attempts, email_last_error, email_due_at)
    SELECT x.user_id, 'deadline_overdue', '已逾期：' || x.rule || '（' || x.due_date || '届满）',
           CASE WHEN x.for_agency THEN x.document_number ELSE x.number || ' ' || x.case_title END
               || E'\n被建议机关：' || x.agency || E'\n' || x.rule || '，届满日 ' || x.due_date || '。',
           CASE WHEN x.for_agency THEN '/agency/recommendations/' || x.recommendation_id || '/'
                ELSE '/cases/' || x.case_id || '/' END,
           'deadline:' || x.deadline_id || ':overdue', now(),
           CASE WHEN u.email = '' OR NOT u.is_active THEN 'skipped' ELSE 'pending' END, 0, '',
           CASE WHEN u.email = '' OR NOT u.is_active THEN NULL ELSE now() END
    FROM recipients x JOIN accounts_user u ON u.id = x.user_id
    ON CONFLICT (recipient_id, key) DO NOTHING
"""


def measure(url: str, mode: str, today: datetime.date = TODAY) -> None:
    setup_django(url)
    import gc

    from django.db import connection, transaction

    from deadlines.services import deadlines_scan

    connection.ensure_connection()
    # A worker is a long-lived process: its URL resolver is loaded long before a scan, so load it
    # here too instead of timing the import of every urls.py (the notifications link to cases).
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    # How much of the fan-out is spent inside notifications_create (the notifications app's insert).
    # deadlines.services imports the function at module level, so the timed one replaces it there.
    import deadlines.services as deadline_services

    create, inside = deadline_services.notifications_create, [0.0]

    def timed_create(**kwargs):
        began = time.perf_counter()
        try:
            return create(**kwargs)
        finally:
            inside[0] += time.perf_counter() - began

    deadline_services.notifications_create = timed_create
    gc.collect()
    before = _maxrss_mb()
    started = time.perf_counter()
    if mode == "floor":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [today])
            flagged = {"overdue": cursor.rowcount}
        notifications = 0
    elif mode == "floor+notify":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(FLOOR_NOTIFY_SQL, {"today": today})
            notifications = cursor.rowcount
        flagged = None  # counted below, after the clock stops
    else:
        result = deadlines_scan(today=today, notify=(mode == "scan+notify"))
        flagged, notifications = result.alerts, result.notifications
    seconds = time.perf_counter() - started
    if flagged is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM deadlines_deadlinealert WHERE level = 'overdue'")
            flagged = {"overdue": cursor.fetchone()[0]}
    print(
        json.dumps(
            {
                "mode": mode,
                "seconds": seconds,
                "flagged": flagged,
                "notifications": notifications,
                "in_notifications_create": inside[0],
                "rss_before_mb": before,
                "rss_peak_mb": _maxrss_mb(),
            }
        )
    )


def run_fresh(url: str, mode: str, today: datetime.date = TODAY) -> dict:
    """Copy the benchmark database (CREATE DATABASE … TEMPLATE) and measure `mode` on the copy."""
    source = urlparse(url).path.lstrip("/")
    copy = f"{source}_run"
    admin = admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    admin.close()
    try:
        output = subprocess.run(
            [sys.executable, __file__, "--measure", mode, "--today", today.isoformat(), "--url", with_db(url, copy)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])
    finally:
        admin = admin_connection(url)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--deadlines", type=int, default=1_000_000)
    parser.add_argument("--overdue", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median reported)")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the benchmark database")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=TODAY, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not urlparse(args.url).scheme.startswith("postgres"):
        sys.exit("The benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
    if args.measure:
        measure(args.url, args.measure, args.today)
        return
    if args.build:
        build(args.url, args.deadlines, args.overdue)
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
    # Built in a child process, so that no connection of ours is left on the template database.
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--build",
            "--url",
            args.url,
            "--deadlines",
            str(args.deadlines),
            "--overdue",
            str(args.overdue),
        ],
        check=True,
    )

    rows = []
    for mode in ("floor", "scan", "floor+notify", "scan+notify"):
        runs = [run_fresh(args.url, mode) for _ in range(args.repeat)]
        rows.append(
            {
                "mode": mode,
                "seconds": statistics.median(r["seconds"] for r in runs),
                "all": [round(r["seconds"], 3) for r in runs],
                "flagged": runs[0]["flagged"],
                "notifications": runs[0]["notifications"],
                "in_create": statistics.median(r["in_notifications_create"] for r in runs),
                "rss_before_mb": max(r["rss_before_mb"] for r in runs),
                "rss_peak_mb": max(r["rss_peak_mb"] for r in runs),
            }
        )
    floor = rows[0]["seconds"]
    print()
    print(
        f"{args.deadlines:,} open deadlines, {args.overdue:,} newly overdue; today = {TODAY}; median of {args.repeat}"
    )
    print(f"{'':12} {'seconds':>8} {'× floor':>8} {'RSS before':>11} {'RSS peak':>9}  flagged / notifications")
    for row in rows:
        print(
            f"{row['mode']:12} {row['seconds']:8.3f} {row['seconds'] / floor:8.2f} "
            f"{row['rss_before_mb']:9.1f}MB {row['rss_peak_mb']:7.1f}MB  "
            f"{sum(row['flagged'].values()):,} {row['flagged']} / {row['notifications']:,}   runs {row['all']}"
        )
    by_mode = {row["mode"]: row for row in rows}
    fan_out, notify_floor = by_mode["scan+notify"], by_mode["floor+notify"]
    print(
        f"scan+notify: {fan_out['in_create']:.3f}s of {fan_out['seconds']:.3f}s inside "
        "notifications.services.notifications_create (the notifications app's bulk insert); "
        f"{fan_out['seconds'] / notify_floor['seconds']:.2f}× floor+notify"
    )

    # Memory flat in the number of rows: the same process shape on a day when many more deadlines
    # reach a level (everything due within 23 days gets a reminder, the 50,000 of yesterday are
    # escalated): the peak should not grow with the number of flagged rows.
    later = TODAY + datetime.timedelta(days=16)
    busy = run_fresh(args.url, "scan+notify", later)
    print(
        f"memory check, scan+notify as of {later}: {sum(busy['flagged'].values()):,} alerts {busy['flagged']}, "
        f"{busy['notifications']:,} notifications in {busy['seconds']:.3f}s; "
        f"RSS before {busy['rss_before_mb']:.1f}MB, peak {busy['rss_peak_mb']:.1f}MB"
    )


if __name__ == "__main__":
    main()
