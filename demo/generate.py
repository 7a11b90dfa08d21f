"""Realistic benchmark data, generated set-based (`manage.py generate_data`; bench/README.md).

A province's procuratorate tree (the provincial procuratorate, 12 city ones, 100 district/county
ones) with a supervisor each and procurators per procuratorate, 10–15 agencies per region with a
skewed (Zipf-like) share of the recommendations, and N cases with their leads, recommendations
and items, service, acknowledgement and replies (feedback reports), deadlines (the real rules, due
dates computed by the deadline engine, `Case.next_due_date` kept as
`deadlines.services.deadlines_refresh_next_due` keeps it), lawsuits with hearings and rulings for
about 7 % of the cases, timeline events and notifications.

The small tables (organisations, users) are written with the ORM; every per-case table with one
`INSERT … SELECT` over `generate_series` (never row by row), its random draws taken from
`hashint8extended(row number, seed)`, so the same seed and `today` give the same data. Ids are
reserved from each table's sequence up front, so that a case's recommendation, deadlines and events
are found by arithmetic, not by joins back on unique columns.

PostgreSQL only; and only on a database without other data (`--force` to override).
"""

from __future__ import annotations

import datetime
import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import translation

from accounts.models import Role, User
from agencies.models import Organisation, Region
from cases.models import Case, Domain, Event, Lead, Recommendation, RecommendationItem
from deadlines import engine
from deadlines.models import Deadline, DeadlineRule, RuleCode
from deadlines.selectors import DbCalendar
from feedback.models import Acknowledgement, FeedbackReport, ItemAnswer
from litigation.models import Hearing, Lawsuit, Ruling
from notifications.models import Notification

DEFAULT_TODAY = datetime.date(2026, 11, 25)  # the benchmarks' day (bench/dashboard.py TODAY)
FIRST_DAY = datetime.date(2022, 1, 1)
PASSWORD = "generated-data"  # every generated login; a benchmark database only
USER_PREFIX = "gen_"
CASE_MARK = "〔G"  # in every generated case number

PROVINCE = "北河"
CITIES = ["青川", "云岭", "白沙", "金河", "东岳", "西林", "南湖", "北原", "松江", "石门", "临川", "长平"]
DISTRICT_NAMES = [
    "城关区",
    "新城区",
    "高新区",
    "东湖区",
    "西山县",
    "南坪县",
    "北塘县",
    "河口县",
    "平安县",
    "永和县",
    "清水县",
    "红旗区",
    "望江县",
    "柳林县",
    "大石县",
]
AGENCY_KINDS = [
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "市场监督管理局",
    "农业农村局",
    "水利局",
    "交通运输局",
    "卫生健康委员会",
    "应急管理局",
    "林业和草原局",
    "文化和旅游局",
    "城市管理综合执法局",
    "教育局",
    "民政局",
    "人力资源和社会保障局",
]


class GenerateError(Exception):
    pass


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    total: float = 0.0


def check_database(*, force: bool) -> None:
    """Refuse SQLite, and a database holding anything this generator did not write."""
    if connection.vendor != "postgresql":
        raise GenerateError(
            "generate_data needs PostgreSQL (set DATABASE_URL=postgres://…): it writes millions of rows "
            "with PostgreSQL's generate_series and hash functions."
        )
    if force:
        return
    foreign_users = User.objects.exclude(username__startswith=USER_PREFIX).count()
    foreign_cases = Case.objects.exclude(number__contains=CASE_MARK).count()
    if foreign_users or foreign_cases or Case.objects.exists() or Organisation.objects.exists():
        raise GenerateError(
            f"Database {connection.settings_dict['NAME']!r} is not empty ({Organisation.objects.count()} "
            f"organisations, {User.objects.count()} users of which {foreign_users} not generated, "
            f"{Case.objects.count()} cases). generate_data only writes into a freshly migrated database; "
            "--force to write anyway (never on a real deployment)."
        )


# --- helpers ---------------------------------------------------------------------------------------


def _u(key: str, salt: int) -> str:
    """A uniform draw in [0, 1) for row `key` (an SQL expression), deterministic for the seed."""
    return (
        f"((hashint8extended(({key})::bigint, %(seed)s::bigint * 1000 + {salt}) & 2147483647)::float8 / 2147483648.0)"
    )


def _reserve(cursor, model, count: int) -> int:
    """Reserve `count` ids of `model`'s table; returns the id before the first."""
    table = model._meta.db_table
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    cursor.execute(f"SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), (SELECT last_value FROM {sequence}))")
    base = cursor.fetchone()[0]
    cursor.execute("SELECT setval(%s, %s)", [sequence, base + max(count, 1)])
    return base


def _insert(cursor, model, source: str, overrides: dict[str, str], params: dict) -> int:
    """INSERT INTO model's table one row per row of `source` (a FROM clause): `overrides` give the
    columns (SQL expressions), every other column gets the field's default. Robust to fields added
    later with a default."""
    columns, values = [], []
    extra: dict[str, object] = {}
    for f in model._meta.local_concrete_fields:
        columns.append(f.column)
        if f.column in overrides:
            values.append(overrides[f.column])
        elif f.attname in overrides:
            values.append(overrides[f.attname])
        elif f.primary_key:
            columns.pop()
        else:
            name = f"default_{f.column}"
            extra[name] = f.get_db_prep_save(f.get_default(), connection)
            values.append(f"%({name})s")
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}"
    cursor.execute(sql, {**params, **extra})
    return cursor.rowcount


# The tables the generator fills in bulk: their secondary indexes are dropped while it writes and
# built once at the end (one sort per index instead of millions of insertions into it).
BULK_TABLES = [
    m._meta.db_table
    for m in (
        Lead,
        Case,
        Recommendation,
        RecommendationItem,
        Acknowledgement,
        FeedbackReport,
        ItemAnswer,
        Deadline,
        Lawsuit,
        Hearing,
        Ruling,
        Event,
        Notification,
    )
] + ["cases_case_agencies"]

# Analysed at the end: the bulk tables and the organisation tree and users the generator adds. A
# scope is a `tree_path` range of organisations; with the statistics of the table as it was before
# (empty after a first migrate) PostgreSQL took a city for one procuratorate and chose nested loops
# over every case of it (API recommendations 382 ms instead of 50 on a fresh database).
ANALYZED_TABLES = [*BULK_TABLES, Organisation._meta.db_table, User._meta.db_table]


def _drop_indexes(cursor) -> list[str]:
    """Drop the bulk tables' indexes that back no constraint; returns their definitions."""
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s)"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [BULK_TABLES],
    )
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def _copy(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v).replace("\t", " ").replace("\n", " ") for v in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


# --- the organisations and users (small: ORM, bulk) --------------------------------------------------


def _organisations(rng: random.Random, password: str) -> dict[str, int]:
    province_region = Region.objects.create(name=f"{PROVINCE}省", code="990000")
    province = Organisation.objects.create(
        name=f"{PROVINCE}省人民检察院",
        short_name=f"{PROVINCE[0]}检",
        kind="procuratorate",
        level="province",
        region=province_region,
    )
    # 100 districts over 12 cities: 7–10 each, by the seed.
    sizes = [7] * len(CITIES)
    for _ in range(100 - sum(sizes)):
        sizes[rng.randrange(len(CITIES))] += 1
    regions, procuratorates = [province_region], [province]
    for ci, (city, size) in enumerate(zip(CITIES, sizes, strict=True)):
        city_region = Region.objects.create(name=f"{city}市", code=f"99{ci + 1:02d}00", parent=province_region)
        city_org = Organisation.objects.create(
            name=f"{city}市人民检察院",
            short_name=f"{city}市检",
            kind="procuratorate",
            level="city",
            region=city_region,
            parent=province,
        )
        regions.append(city_region)
        procuratorates.append(city_org)
        for di, district in enumerate(rng.sample(DISTRICT_NAMES, size)):
            region = Region.objects.create(
                name=f"{city}市{district}", code=f"99{ci + 1:02d}{di + 1:02d}", parent=city_region
            )
            regions.append(region)
            procuratorates.append(
                Organisation.objects.create(
                    name=f"{city}市{district}人民检察院",
                    short_name=f"{city}{district[:-1]}检",
                    kind="procuratorate",
                    level="county",
                    region=region,
                    parent=city_org,
                )
            )
    # Agencies: 10–15 kinds per region, the same government level as its procuratorate.
    agencies = []
    for org in procuratorates:
        region = org.region
        prefix = f"{PROVINCE}省" if org.level == "province" else region.name
        for kind in AGENCY_KINDS[: rng.randint(10, 15)]:
            agencies.append(Organisation(name=f"{prefix}{kind}", kind="agency", level=org.level, region=region))
    Organisation.objects.bulk_create(agencies)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE agencies_organisation SET tree_path = '/' || id || '/' WHERE kind = 'agency'")
    # Users: a supervisor each; procurators 12 (province), 8 (city), 3–9 (district); one staff member
    # (the responsible person) per agency.
    users = []
    for org in procuratorates:
        users.append(
            User(
                username=f"{USER_PREFIX}sup_{org.region.code}",
                full_name=f"{org.short_name}检察长",
                organisation=org,
                role=Role.SUPERVISOR,
                password=password,
                title="检察长",
            )
        )
        count = {"province": 12, "city": 8}.get(org.level) or rng.randint(3, 9)
        for n in range(count):
            users.append(
                User(
                    username=f"{USER_PREFIX}pro_{org.region.code}_{n + 1}",
                    full_name=f"{org.short_name}检察官{n + 1}",
                    organisation=org,
                    role=Role.PROCURATOR,
                    password=password,
                    title="检察官",
                )
            )
    for agency in (
        Organisation.objects.filter(kind="agency", name__in=[a.name for a in agencies])
        .select_related("region")
        .order_by("id")
    ):
        kind = AGENCY_KINDS.index(agency.name.removeprefix(f"{PROVINCE}省").removeprefix(agency.region.name)) + 1
        users.append(
            User(
                username=f"{USER_PREFIX}ag_{agency.region.code}_{kind:02d}",
                full_name=f"{agency.name}负责人",
                organisation=agency,
                role=Role.AGENCY_STAFF,
                password=password,
                is_responsible_person=True,
                title="负责人",
            )
        )
    User.objects.bulk_create(users)
    return {
        "regions": len(regions),
        "procuratorates": len(procuratorates),
        "agencies": len(agencies),
        "users": len(users),
    }


def _lookup_tables(cursor) -> None:
    """Small temporary tables the big statements join: handlers, and agencies ranked per region."""
    cursor.execute("DROP TABLE IF EXISTS gen_handler, gen_agency, gen_proc, gen_due")
    cursor.execute(
        "CREATE TEMP TABLE gen_handler AS SELECT (row_number() OVER (ORDER BY u.id) - 1)::int AS idx, u.id AS user_id,"
        " u.organisation_id AS org_id, o.region_id, o.short_name,"
        " (SELECT s.id FROM accounts_user s WHERE s.organisation_id = o.id AND s.role = 'supervisor' ORDER BY s.id LIMIT 1)"
        " AS supervisor_id"
        " FROM accounts_user u JOIN agencies_organisation o ON o.id = u.organisation_id"
        " WHERE u.role = 'procurator' AND u.username LIKE %s",
        [f"{USER_PREFIX}%"],
    )
    cursor.execute(
        "CREATE TEMP TABLE gen_agency AS SELECT a.id AS agency_id, a.region_id,"
        " (row_number() OVER (PARTITION BY a.region_id ORDER BY a.id) - 1)::int AS rank,"
        " count(*) OVER (PARTITION BY a.region_id)::int AS n,"
        " (SELECT s.id FROM accounts_user s WHERE s.organisation_id = a.id ORDER BY s.id LIMIT 1) AS staff_id"
        " FROM agencies_organisation a WHERE a.kind = 'agency'"
    )
    cursor.execute("CREATE INDEX ON gen_agency (region_id, rank)")
    cursor.execute("ANALYZE gen_handler; ANALYZE gen_agency")


def _due_table(cursor, rules: dict[str, DeadlineRule], first: datetime.date, last: datetime.date) -> None:
    """Every (rule, start date) the data can use, computed by the deadline engine as
    deadlines.services.deadline_open does (same calendar, same stored explanation)."""
    calendar = DbCalendar()
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        for rule in rules.values():
            day = first
            while day <= last:
                result = engine.compute_due(day, rule, calendar)
                rows.append(
                    (
                        rule.pk,
                        day.isoformat(),
                        result.due.isoformat(),
                        "t" if result.provisional else "f",
                        calendar.version(result.due.year),
                        result.explanation,
                    )
                )
                day += datetime.timedelta(days=1)
    cursor.execute(
        "CREATE TEMP TABLE gen_due (rule_id bigint, start_date date, due_date date, provisional boolean,"
        " calendar_version int, explanation text)"
    )
    _copy(
        cursor, "gen_due", ["rule_id", "start_date", "due_date", "provisional", "calendar_version", "explanation"], rows
    )
    cursor.execute("CREATE UNIQUE INDEX ON gen_due (rule_id, start_date); ANALYZE gen_due")


# --- the per-case plan ---------------------------------------------------------------------------------


def _plan(cursor, params: dict) -> None:
    """gen_case: one row per case with every date of its life (NULL where it has not happened by
    `today`) and its status, from which every table is then written."""
    u = lambda salt: _u("g", salt)  # noqa: E731
    h = lambda expr: f"(CASE WHEN {expr} <= %(today)s::date THEN {expr} END)"  # happened by today  # noqa: E731
    cursor.execute("DROP TABLE IF EXISTS gen_raw, gen_case")
    # Raw: the life each case would have, uncut by today.
    cursor.execute(
        f"""
        CREATE TEMP TABLE gen_raw AS
        SELECT g, x.*,
          CASE x.route WHEN 'inv' THEN x.opened_on + 30 + floor(x.r6 * 90)::int
                       WHEN 'consult' THEN x.opened_on + 40 + floor(x.r6 * 60)::int
                       WHEN 'announce' THEN x.opened_on + 60 + floor(x.r6 * 60)::int
                       WHEN 'rec' THEN x.reply + 13 + floor(x.r9 * 50)::int
                       ELSE CASE WHEN x.r13 < 0.6 THEN x.ruling + 50 + floor(x.r10 * 120)::int END END AS closed,
          CASE WHEN x.route = 'suit' THEN x.ruling + 3 END AS ruling_served,
          CASE WHEN x.route = 'suit' AND x.r13 < 0.85 THEN x.ruling + 19 END AS effective,
          CASE WHEN x.route = 'suit' AND x.r13 < 0.6 THEN x.ruling + 40 + floor(x.r10 * 100)::int END AS complied
        FROM generate_series(1, %(n)s) g,
        LATERAL (SELECT y.*,
            CASE WHEN y.route IN ('rec', 'suit') AND (y.route = 'rec' OR y.r8 < 0.5) THEN y.served + 15 + floor(y.r7 * 60)::int END
              AS reply,
            CASE WHEN y.route = 'suit' THEN y.served + 90 + floor(y.r11 * 60)::int END AS filed,
            CASE WHEN y.route = 'suit' THEN y.served + 90 + floor(y.r11 * 60)::int + 45 + floor(y.r12 * 60)::int END AS hearing,
            CASE WHEN y.route = 'suit' THEN y.served + 90 + floor(y.r11 * 60)::int + 75 + floor(y.r12 * 80)::int END AS ruling
          FROM (SELECT z.*,
              CASE WHEN z.civil THEN (CASE WHEN z.r1 < 0.30 THEN 'inv' WHEN z.r1 < 0.85 THEN 'announce' ELSE 'suit' END)
                   ELSE (CASE WHEN z.r1 < 0.10 THEN 'inv' WHEN z.r1 < 0.22 THEN 'consult' WHEN z.r1 < 0.94 THEN 'rec' ELSE 'suit' END)
              END AS route,
              CASE WHEN z.civil AND z.r1 >= 0.85 OR NOT z.civil AND z.r1 >= 0.22
                   THEN z.opened_on + 25 + floor(z.r5 * 50)::int END AS served
            FROM (SELECT {u(2)} < 0.10 AS civil,
                %(day0)s::date + floor(power({u(3)}, 0.8) * %(days)s)::int AS opened_on,
                {u(1)} AS r1, {u(4)} AS r4, {u(5)} AS r5, {u(6)} AS r6, {u(7)} AS r7, {u(8)} AS r8, {u(9)} AS r9,
                {u(10)} AS r10, {u(11)} AS r11, {u(12)} AS r12, {u(13)} AS r13, {u(14)} AS r14, {u(15)} AS r15,
                {u(16)} AS r16
            ) z) y) x
        """,
        params,
    )
    # Cut by today: the case as it stands, its handler, agency (Zipf-like rank within the region) and status.
    cursor.execute(
        f"""
        CREATE TEMP TABLE gen_case AS
        SELECT r.g, %(case0)s::bigint + r.g AS case_id, %(lead0)s::bigint + r.g AS lead_id,
          hd.user_id AS handler_id, hd.org_id AS proc_id, hd.supervisor_id, hd.short_name,
          ag.agency_id, ag.staff_id,
          CASE WHEN r.civil THEN 'civil' ELSE 'administrative' END AS case_type,
          r.route, r.opened_on, r.r14, r.r15, r.r16,
          1 + floor(power(r.r15, 2) * 4)::int AS n_items,
          CASE WHEN r.route IN ('rec', 'suit') AND r.served - 10 <= %(today)s::date THEN %(rec0)s::bigint + r.g END AS rec_id,
          {h("r.served")} AS served, {h("r.served - 2")} AS issued,
          {h("r.served + floor(r.r6 * 4)::int")} AS ack,
          {h("r.reply")} AS reply, {h("r.reply + 8 + floor(r.r10 * 20)::int")} AS evaluated,
          CASE WHEN r.route IN ('rec', 'suit') THEN {h("r.served + 1 + floor(r.r16 * 6)::int")} END AS filed_superior,
          {h("r.filed")} AS filed, {h("r.hearing")} AS hearing, {h("r.ruling")} AS ruling,
          {h("r.ruling_served")} AS ruling_served, {h("r.effective")} AS effective, {h("r.complied")} AS complied,
          {h("r.closed")} AS closed,
          r.served AS raw_served
        FROM gen_raw r
        JOIN gen_handler hd ON hd.idx = floor(r.r4 * %(handlers)s)::int
        JOIN LATERAL (SELECT a.agency_id, a.staff_id FROM gen_agency a WHERE a.region_id = hd.region_id
                      AND a.rank = LEAST(a.n - 1, floor(exp({_u("r.g", 17)} * ln(a.n + 1)))::int - 1) LIMIT 1) ag ON true
        """,
        params,
    )
    cursor.execute(
        """
        ALTER TABLE gen_case ADD COLUMN status text, ADD COLUMN rec_status text;
        UPDATE gen_case SET
          status = CASE
            WHEN closed IS NOT NULL THEN 'closed'
            WHEN route = 'inv' THEN 'investigation'
            WHEN route = 'consult' THEN 'consultation'
            WHEN route = 'announce' THEN CASE WHEN opened_on + 20 <= %(today)s::date THEN 'announcement' ELSE 'investigation' END
            WHEN complied IS NOT NULL THEN 'complied'
            WHEN effective IS NOT NULL THEN 'effective'
            WHEN ruling IS NOT NULL THEN 'ruled'
            WHEN filed IS NOT NULL THEN 'litigation'
            WHEN reply IS NOT NULL THEN 'follow_up'
            WHEN served IS NOT NULL THEN 'awaiting_reply'
            WHEN rec_id IS NOT NULL THEN 'recommendation'
            ELSE 'investigation' END,
          rec_status = CASE WHEN rec_id IS NULL THEN NULL
            WHEN reply IS NOT NULL THEN 'replied' WHEN served IS NOT NULL THEN 'served'
            WHEN raw_served - 5 <= %(today)s::date THEN 'pending_approval' ELSE 'draft' END
        """,
        params,
    )
    cursor.execute("ANALYZE gen_case")


# --- writing the tables -------------------------------------------------------------------------------


def generate(
    *, cases: int, seed: int, today: datetime.date = DEFAULT_TODAY, progress: Callable[[str], None] | None = None
) -> Result:
    """Write the data (inside one transaction). Call check_database first."""
    result = Result()
    began = time.perf_counter()
    say = progress or (lambda line: None)

    def step(label: str, run: Callable[[], int]) -> None:
        t = time.perf_counter()
        rows = run()
        result.counts[label] = rows
        result.seconds[label] = time.perf_counter() - t
        say(f"  {label}: {rows:,} in {result.seconds[label]:.1f}s")

    rng = random.Random(seed)
    password = make_password(PASSWORD)
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are checked at commit, one trigger event per row: the generated rows are
        # consistent by construction, so skip the queue (superuser only; restored below).
        cursor.execute("SET LOCAL session_replication_role = replica")
        step("organisations and users", lambda: sum(_organisations(rng, password).values()))
        _lookup_tables(cursor)
        rules = {r.code: r for r in DeadlineRule.objects.filter(is_active=True)}
        _due_table(
            cursor,
            {
                c: r
                for c, r in rules.items()
                if c in (RuleCode.REPLY, RuleCode.REPLY_URGENT, RuleCode.FILING, RuleCode.DEFENCE)
            },
            FIRST_DAY,
            today + datetime.timedelta(days=1),
        )
        cursor.execute("SELECT count(*) FROM gen_handler")
        handlers = cursor.fetchone()[0]
        domains = list(Domain.objects.order_by("id").values_list("id", flat=True))
        extra_leads = cases // 4
        params = {
            "seed": seed,
            "n": cases,
            "today": today,
            "day0": FIRST_DAY,
            "days": (today - FIRST_DAY).days,
            "handlers": handlers,
            "domains": domains,
            "n_domains": len(domains),
            "case0": _reserve(cursor, Case, cases),
            "lead0": _reserve(cursor, Lead, cases + extra_leads),
            "rec0": _reserve(cursor, Recommendation, cases),
            "suit0": _reserve(cursor, Lawsuit, cases),
            "extra_leads": extra_leads,
            "rule_reply": rules[RuleCode.REPLY].pk,
            "rule_urgent": rules[RuleCode.REPLY_URGENT].pk,
            "rule_filing": rules[RuleCode.FILING].pk,
            "rule_defence": rules[RuleCode.DEFENCE].pk,
        }
        step("plan", lambda: _plan(cursor, params) or cases)
        indexes: list[str] = []
        step("drop indexes", lambda: len(indexes.extend(_drop_indexes(cursor)) or indexes))
        _write(cursor, params, step)
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        step("rebuild indexes", lambda: [cursor.execute(sql) for sql in indexes] and len(indexes))
        step(
            "analyze",
            lambda: [cursor.execute(f"ANALYZE {table}") for table in ANALYZED_TABLES] and len(ANALYZED_TABLES),
        )
    if not connection.in_atomic_block:
        # After the commit (VACUUM cannot run in a transaction): the visibility map a running
        # database gets from autovacuum, so that index-only scans are measured as they will run.
        with connection.cursor() as cursor:
            step("vacuum", lambda: [cursor.execute(f"VACUUM {table}") for table in BULK_TABLES] and len(BULK_TABLES))
    result.total = time.perf_counter() - began
    return result


def _write(cursor, params: dict, step) -> None:
    domain = "(%(domains)s::bigint[])[1 + floor(power({u}, 1.5) * %(n_domains)s)::int]"
    ts = lambda d, hour=10: f"(({d})::timestamp + interval '{hour} hours') AT TIME ZONE 'Asia/Shanghai'"  # noqa: E731
    step(
        "leads",
        lambda: (
            _insert(
                cursor,
                Lead,
                "gen_case c",
                {
                    "id": "c.lead_id",
                    "procuratorate_id": "c.proc_id",
                    "title": "'线索' || c.g || '：' || (ARRAY['河道违法排污','耕地违法占用','食品安全隐患','国有财产流失','安全生产隐患','文物保护不力'])[1 + c.g %% 6]",
                    "summary": "'群众反映的公益受损情况。'",
                    "source": "(ARRAY['report','own_work','own_work','enforcement_platform','deputy','media','agency'])[1 + floor(c.r14 * 7)::int]",
                    "received_on": "c.opened_on - 5 - (c.g %% 25)",
                    "domain_id": domain.format(u=_u("c.g", 20)),
                    "status": "'opened'",
                    "registered_by_id": "c.handler_id",
                    "evaluated_by_id": "c.handler_id",
                    "evaluated_at": ts("c.opened_on"),
                    "created_at": ts("c.opened_on - 5 - (c.g %% 25)"),
                },
                params,
            )
            + _insert(
                cursor,
                Lead,
                "generate_series(1, %(extra_leads)s) e JOIN gen_handler hd ON hd.idx = floor("
                + _u("e + 7000000000", 21)
                + " * %(handlers)s)::int",
                {
                    "id": "%(lead0)s::bigint + %(n)s + e",
                    "procuratorate_id": "hd.org_id",
                    "title": "'线索 ' || e",
                    "summary": "'待评估的线索。'",
                    "source": "'report'",
                    "received_on": "%(today)s::date - floor(" + _u("e + 7000000000", 22) + " * 1500)::int",
                    "domain_id": domain.format(u=_u("e + 7000000000", 23)),
                    "status": "CASE WHEN " + _u("e + 7000000000", 24) + " < 0.3 THEN 'pending' ELSE 'declined' END",
                    "decline_reason": "'不属于公益诉讼受案范围。'",
                    "registered_by_id": "hd.user_id",
                    "created_at": ts("%(today)s::date - floor(" + _u("e + 7000000000", 22) + " * 1500)::int"),
                },
                params,
            )
        ),
    )
    step(
        "cases",
        lambda: _insert(
            cursor,
            Case,
            "gen_case c",
            {
                "id": "c.case_id",
                "procuratorate_id": "c.proc_id",
                "lead_id": "c.lead_id",
                "number": "c.short_name || CASE WHEN c.case_type = 'civil' THEN '民公' ELSE '行公' END || '立〔G' || extract(year FROM c.opened_on)::int || '〕' || c.g || '号'",
                "case_type": "c.case_type",
                "title": "'案件' || c.g || '：' || (ARRAY['河道违法排污','耕地违法占用','食品安全隐患','国有财产流失','安全生产隐患','文物保护不力'])[1 + c.g %% 6] || '案'",
                "summary": "'经调查，相关行政机关未依法履行监管职责，公益持续受损。'",
                "domain_id": domain.format(u=_u("c.g", 20)),
                "handler_id": "c.handler_id",
                "status": "c.status",
                "opened_on": "c.opened_on",
                "closed_on": "c.closed",
                "closure_ground": "CASE WHEN c.closed IS NULL THEN '' WHEN c.route = 'inv' THEN 'no_violation' WHEN c.route = 'consult' THEN 'consultation_settled'"
                " WHEN c.route = 'announce' THEN 'other_plaintiff' WHEN c.route = 'rec' THEN 'rectified' ELSE 'public_interest_restored' END",
                "created_at": ts("c.opened_on"),
                "updated_at": ts("COALESCE(c.closed, c.opened_on)"),
            },
            params,
        ),
    )
    step(
        "case agencies",
        lambda: (
            cursor.execute(
                "INSERT INTO cases_case_agencies (case_id, organisation_id) SELECT case_id, agency_id FROM gen_case WHERE rec_id IS NOT NULL"
            ),
            cursor.rowcount,
        )[1],
    )
    step(
        "recommendations",
        lambda: _insert(
            cursor,
            Recommendation,
            "gen_case c WHERE c.rec_id IS NOT NULL",
            {
                "id": "c.rec_id",
                "case_id": "c.case_id",
                "procuratorate_id": "c.proc_id",
                "agency_id": "c.agency_id",
                "status": "c.rec_status",
                "urgency": "CASE WHEN c.r16 < 0.08 THEN 'urgent' ELSE 'normal' END",
                "document_number": "CASE WHEN c.issued IS NOT NULL THEN c.short_name || '行公建〔G' || extract(year FROM c.issued)::int || '〕' || c.g || '号' END",
                "case_source": "'本院在履行职责中发现'",
                "harm_facts": "'公益受到侵害的事实。'",
                "failure_facts": "'行政机关未依法履职。'",
                "legal_basis": "'《中华人民共和国行政诉讼法》第二十五条第四款'",
                "rectification_period": "'收到本检察建议书之日起两个月内'",
                "drafted_by_id": "c.handler_id",
                "submitted_at": ts("c.raw_served - 5"),
                "decided_by_id": "CASE WHEN c.issued IS NOT NULL THEN c.supervisor_id END",
                "decided_at": "CASE WHEN c.issued IS NOT NULL THEN " + ts("c.issued - 1") + " END",
                "issued_by_id": "CASE WHEN c.issued IS NOT NULL THEN c.supervisor_id END",
                "issued_on": "c.issued",
                "served_on": "c.served",
                "service_method": "CASE WHEN c.served IS NULL THEN '' ELSE (ARRAY['direct','direct','post','electronic'])[1 + c.g %% 4] END",
                "received_by": "CASE WHEN c.served IS NULL THEN '' ELSE '办公室收文' END",
                "filed_with_superior_on": "c.filed_superior",
                "reply_received_on": "c.reply",
                "reply_summary": "CASE WHEN c.reply IS NULL THEN '' ELSE '已按建议逐项整改。' END",
                "created_at": ts("c.raw_served - 10"),
                "updated_at": ts("COALESCE(c.reply, c.served, c.raw_served - 10)"),
            },
            params,
        ),
    )
    step(
        "recommendation items",
        lambda: _insert(
            cursor,
            RecommendationItem,
            "gen_case c CROSS JOIN LATERAL generate_series(1, c.n_items) k WHERE c.rec_id IS NOT NULL",
            {
                "recommendation_id": "c.rec_id",
                "number": "k",
                "text": "'建议事项' || k || '：依法履行监管职责，消除公益损害。'",
                "evaluation": "CASE WHEN c.evaluated IS NULL THEN '' WHEN c.route = 'suit' THEN 'not_rectified' WHEN "
                + _u("c.g * 8 + k", 30)
                + " < 0.85 THEN 'rectified' ELSE 'partly' END",
                "evaluated_by_id": "CASE WHEN c.evaluated IS NOT NULL THEN c.handler_id END",
                "evaluated_at": "CASE WHEN c.evaluated IS NOT NULL THEN " + ts("c.evaluated", 15) + " END",
            },
            params,
        ),
    )
    step(
        "acknowledgements",
        lambda: _insert(
            cursor,
            Acknowledgement,
            "gen_case c WHERE c.ack IS NOT NULL AND c.r14 < 0.95",
            {
                "recommendation_id": "c.rec_id",
                "acknowledged_on": "c.ack",
                "acknowledged_by_id": "c.staff_id",
                "acknowledged_at": ts("c.ack", 11),
            },
            params,
        ),
    )
    # Feedback reports: the final one (书面回复) on the reply day; an interim one half way for 30 %.
    step(
        "feedback reports",
        lambda: _insert(
            cursor,
            FeedbackReport,
            "gen_case c CROSS JOIN LATERAL (VALUES ('final', c.reply), ('interim', CASE WHEN "
            + _u("c.g", 31)
            + " < 0.3 THEN c.served + (c.reply - c.served) / 2 END)) k(kind, day)"
            " WHERE c.reply IS NOT NULL AND k.day IS NOT NULL",
            {
                "recommendation_id": "c.rec_id",
                "agency_id": "c.agency_id",
                "kind": "k.kind",
                "status": "'submitted'",
                "summary": "CASE k.kind WHEN 'final' THEN '已按检察建议完成整改。' ELSE '整改正在推进。' END",
                "responsible_person_name": "'负责人'",
                "drafted_by_id": "c.staff_id",
                "submitted_by_id": "c.staff_id",
                "created_at": ts("k.day - 2"),
                "updated_at": ts("k.day", 16),
                "submitted_at": ts("k.day", 16),
            },
            params,
        ),
    )
    step(
        "item answers",
        lambda: _insert(
            cursor,
            ItemAnswer,
            "feedback_feedbackreport r JOIN cases_recommendationitem i ON i.recommendation_id = r.recommendation_id"
            " WHERE r.kind = 'final' AND r.recommendation_id > %(rec0)s",
            {
                "report_id": "r.id",
                "item_id": "i.id",
                "status": "CASE WHEN i.id %% 7 = 0 THEN 'rectifying' ELSE 'rectified' END",
                "measures": "'已采取整改措施，成效明显。'",
            },
            params,
        ),
    )
    # Deadlines as deadlines_open_for_service opens them (reply or urgent reply, and filing, from the
    # service day), closed as deadlines_close_for_reply / _for_filing close them, cancelled with the case.
    deadline_source = (
        "gen_case c CROSS JOIN LATERAL (VALUES"
        " (CASE WHEN c.r16 < 0.08 THEN %(rule_urgent)s ELSE %(rule_reply)s END, c.served, c.reply, c.agency_id, true),"
        " (%(rule_filing)s, c.served, c.filed_superior, NULL::bigint, true),"
        " (%(rule_defence)s, c.filed + 7, CASE WHEN c.filed + 7 + 12 <= %(today)s::date THEN c.filed + 7 + 12 END, c.agency_id, false)"
        ") k(rule_id, start_date, done, agency_id, per_rec)"
        " JOIN gen_due d ON d.rule_id = k.rule_id AND d.start_date = k.start_date"
        " JOIN deadlines_deadlinerule ru ON ru.id = k.rule_id"
        " WHERE c.served IS NOT NULL AND k.start_date <= %(today)s::date"
    )
    step(
        "deadlines",
        lambda: _insert(
            cursor,
            Deadline,
            deadline_source,
            {
                "case_id": "c.case_id",
                "recommendation_id": "CASE WHEN k.per_rec THEN c.rec_id END",
                "agency_id": "k.agency_id",
                "rule_id": "k.rule_id",
                "start_date": "k.start_date",
                "period_value": "ru.period_value",
                "period_unit": "ru.period_unit",
                "rolls_over_rest_days": "ru.rolls_over_rest_days",
                "calendar_version": "d.calendar_version",
                "due_date": "d.due_date",
                "provisional": "d.provisional",
                "explanation": "d.explanation",
                "status": "CASE WHEN k.done IS NOT NULL THEN (CASE WHEN k.done <= d.due_date THEN 'met' ELSE 'late' END)"
                " WHEN c.closed IS NOT NULL THEN 'cancelled' ELSE 'open' END",
                "fulfilled_on": "k.done",
                "closed_at": "CASE WHEN k.done IS NOT NULL THEN "
                + ts("k.done", 17)
                + " WHEN c.closed IS NOT NULL THEN "
                + ts("c.closed", 17)
                + " END",
                "created_at": ts("k.start_date", 12),
            },
            params,
        ),
    )
    # The kept next due date, exactly as deadlines.services.deadlines_refresh_next_due computes it.
    step(
        "cases' next due date",
        lambda: (
            cursor.execute(
                "UPDATE cases_case c SET next_due_date = d.due_date, next_due_provisional = d.provisional"
                " FROM (SELECT DISTINCT ON (case_id) case_id, due_date, provisional FROM deadlines_deadline"
                " WHERE status = 'open' AND case_id > %(case0)s ORDER BY case_id, due_date, id) d WHERE d.case_id = c.id",
                params,
            ),
            cursor.rowcount,
        )[1],
    )
    step(
        "lawsuits",
        lambda: _insert(
            cursor,
            Lawsuit,
            "gen_case c WHERE c.filed IS NOT NULL",
            {
                "id": "%(suit0)s::bigint + c.g",
                "case_id": "c.case_id",
                "court": "c.short_name || '辖区人民法院'",
                "court_case_number": "'(' || extract(year FROM c.filed)::int || ')G行初' || c.g || '号'",
                "filed_on": "c.filed",
                "defendant_agency_id": "CASE WHEN c.case_type = 'administrative' THEN c.agency_id END",
                "defendant_name": "CASE WHEN c.case_type = 'civil' THEN '某环保科技有限公司' ELSE '' END",
                "recommendation_id": "c.rec_id",
                "claims": "'判令被告依法履行监管职责。'",
                "complaint_copy_received_on": "c.filed + 7",
                "defence_submitted_on": "CASE WHEN c.filed + 19 <= %(today)s::date THEN c.filed + 19 END",
                "status": "CASE WHEN c.complied IS NOT NULL THEN 'complied' WHEN c.effective IS NOT NULL THEN 'effective'"
                " WHEN c.ruling IS NOT NULL THEN 'ruled' ELSE 'filed' END",
                "filed_by_id": "c.handler_id",
                "created_at": ts("c.filed"),
            },
            params,
        ),
    )
    step(
        "hearings",
        lambda: _insert(
            cursor,
            Hearing,
            "gen_case c WHERE c.hearing IS NOT NULL",
            {
                "lawsuit_id": "%(suit0)s::bigint + c.g",
                "held_on": "c.hearing",
                "appearance": "(ARRAY['head','deputy_head','staff','lawyer_only','head'])[1 + c.g %% 5]",
                "recorded_by_id": "c.handler_id",
                "created_at": ts("c.hearing", 15),
            },
            params,
        ),
    )
    step(
        "rulings",
        lambda: _insert(
            cursor,
            Ruling,
            "gen_case c WHERE c.ruling IS NOT NULL",
            {
                "lawsuit_id": "%(suit0)s::bigint + c.g",
                "instance": "'first'",
                "kind": "'judgment'",
                "outcome": "(ARRAY['order_performance','declare_unlawful','order_performance','dismiss'])[1 + c.g %% 4]",
                "decided_on": "c.ruling",
                "served_on": "LEAST(c.ruling + 3, %(today)s::date)",
                "ordered_action": "'依法履职'",
                "effective_on": "c.effective",
                "complied_on": "c.complied",
                "recorded_by_id": "c.handler_id",
                "created_at": ts("c.ruling", 15),
            },
            params,
        ),
    )
    # Timeline events: one per step the case went through; one case in 1,000 has a long history
    # (300 edits), as the case detail page benchmark needs.
    events = (
        "gen_case c CROSS JOIN LATERAL (VALUES"
        " ('case_opened', c.opened_on, c.handler_id, '', 'investigation'),"
        " ('investigation_recorded', c.opened_on + 10, c.handler_id, '', ''),"
        " ('consultation_recorded', CASE WHEN c.route = 'consult' THEN c.opened_on + 20 END, c.handler_id, '', ''),"
        " ('recommendation_drafted', CASE WHEN c.rec_id IS NOT NULL THEN c.raw_served - 10 END, c.handler_id, '', ''),"
        " ('recommendation_submitted', CASE WHEN c.rec_status <> 'draft' THEN c.raw_served - 5 END, c.handler_id, '', ''),"
        " ('recommendation_approved', c.issued - 1, c.supervisor_id, '', ''),"
        " ('recommendation_issued', c.issued, c.supervisor_id, 'recommendation', 'awaiting_reply'),"
        " ('recommendation_served', c.served, c.handler_id, '', ''),"
        " ('recommendation_filed', c.filed_superior, c.handler_id, '', ''),"
        " ('recommendation_acknowledged', CASE WHEN c.r14 < 0.95 THEN c.ack END, c.staff_id, '', ''),"
        " ('feedback_submitted', c.reply, c.staff_id, '', ''),"
        " ('reply_recorded', c.reply, c.handler_id, 'awaiting_reply', 'follow_up'),"
        " ('item_evaluated', c.evaluated, c.handler_id, '', ''),"
        " ('lawsuit_decided', c.filed - 5, c.supervisor_id, 'follow_up', 'litigation'),"
        " ('court_recorded', c.hearing, c.handler_id, '', ''),"
        " ('court_recorded', c.ruling, c.handler_id, 'litigation', 'ruled'),"
        " ('case_closed', c.closed, c.handler_id, '', 'closed')"
        ") e(kind, day, actor, from_status, to_status) WHERE e.day IS NOT NULL AND e.day <= %(today)s::date"
    )
    step(
        "events",
        lambda: (
            _insert(
                cursor,
                Event,
                events,
                {
                    "case_id": "c.case_id",
                    "recommendation_id": "CASE WHEN e.kind LIKE 'recommendation%%' OR e.kind IN ('feedback_submitted','reply_recorded','item_evaluated') THEN c.rec_id END",
                    "kind": "e.kind",
                    "actor_id": "e.actor",
                    "at": ts("e.day", 9) + " + (c.g %% 480) * interval '1 minute'",
                    "from_status": "e.from_status",
                    "to_status": "e.to_status",
                },
                params,
            )
            + _insert(
                cursor,
                Event,
                "gen_case c CROSS JOIN generate_series(1, 300) k WHERE c.g %% 1000 = 500",
                {
                    "case_id": "c.case_id",
                    "kind": "'case_edited'",
                    "actor_id": "c.handler_id",
                    "at": ts("c.opened_on", 9) + " + k * interval '1 hour'",
                    "note": "'修改案件信息'",
                },
                params,
            )
            + _insert(
                cursor,
                Event,
                "cases_lead l WHERE l.id > %(lead0)s",
                {
                    "lead_id": "l.id",
                    "kind": "'lead_registered'",
                    "actor_id": "l.registered_by_id",
                    "at": "l.created_at",
                },
                params,
            )
        ),
    )
    # Notifications, as the services send them: the handler is told of an acknowledgement and of
    # each submitted report; reminders of open reply deadlines within 7 days, overdue ones past due.
    step(
        "notifications",
        lambda: (
            _insert(
                cursor,
                Notification,
                "feedback_acknowledgement a JOIN gen_case c ON c.rec_id = a.recommendation_id",
                {
                    "recipient_id": "c.handler_id",
                    "kind": "'recommendation_acknowledged'",
                    "stored_title": "'行政机关已签收检察建议'",
                    "url": "'/cases/' || c.case_id || '/'",
                    "key": "'ack:' || a.id",
                    "created_at": "a.acknowledged_at",
                    "read_at": "CASE WHEN a.acknowledged_on < %(today)s::date - 7 THEN a.acknowledged_at + interval '1 day' END",
                    "email_status": "'skipped'",
                },
                params,
            )
            + _insert(
                cursor,
                Notification,
                "feedback_feedbackreport r JOIN gen_case c ON c.rec_id = r.recommendation_id",
                {
                    "recipient_id": "c.handler_id",
                    "kind": "'feedback_submitted'",
                    "stored_title": "'收到整改反馈'",
                    "url": "'/cases/' || c.case_id || '/'",
                    "key": "'feedback:' || r.id",
                    "created_at": "r.submitted_at",
                    "read_at": "CASE WHEN r.submitted_at < %(today)s::date - 7 THEN r.submitted_at + interval '2 hours' END",
                    "email_status": "'skipped'",
                },
                params,
            )
            + _insert(
                cursor,
                Notification,
                "deadlines_deadline d JOIN gen_case c ON c.case_id = d.case_id CROSS JOIN LATERAL (VALUES (c.handler_id), (c.staff_id)) p(recipient)"
                " WHERE d.status = 'open' AND d.recommendation_id IS NOT NULL AND d.agency_id IS NOT NULL AND d.case_id > %(case0)s"
                " AND d.due_date <= %(today)s::date + 7",
                {
                    "recipient_id": "p.recipient",
                    "kind": "CASE WHEN d.due_date < %(today)s::date THEN 'deadline_overdue' ELSE 'deadline_reminder' END",
                    "stored_title": "CASE WHEN d.due_date < %(today)s::date THEN '检察建议回复已逾期' ELSE '检察建议回复期限临近' END",
                    "url": "'/cases/' || c.case_id || '/'",
                    "key": "'deadline:' || d.id || ':' || CASE WHEN d.due_date < %(today)s::date THEN 'overdue' ELSE '7' END",
                    "created_at": ts("LEAST(%(today)s::date, GREATEST(d.due_date - 7, d.start_date))", 1),
                    "email_status": "'skipped'",
                },
                params,
            )
        ),
    )
    cursor.execute("DROP TABLE IF EXISTS gen_raw, gen_case, gen_handler, gen_agency, gen_due")
