"""What the benchmarks share: setting Django up against the benchmark database, the server's admin
connection, and `clone`, which builds millions of rows with one INSERT … SELECT per table."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # DEBUG off: with DEBUG on, Django keeps the text of every query (connection.queries), which
    # would show up as time and memory the measured code does not use.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pil_tracker.settings")
    os.environ.pop("REDIS_URL", None)  # nothing is enqueued: bench users have no email address
    # bench/ is sys.path[0] when a script here runs: the project root must replace it, or
    # bench/dashboard.py would be imported as the "dashboard" app.
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != BENCH]
    import django

    django.setup()


def with_db(url: str, name: str) -> str:
    """`url` naming another database on the same server."""
    return urlparse(url)._replace(path=f"/{name}").geturl()


def admin_connection(url: str):
    """An autocommit connection to the server's `postgres` database (CREATE/DROP DATABASE)."""
    import psycopg2

    conn = psycopg2.connect(with_db(url, "postgres"))
    conn.autocommit = True
    return conn


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id'"
        " ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def clone(
    cursor, table: str, template_id: int, source: str, overrides: dict[str, str], params: dict, where: str = ""
) -> int:
    """INSERT copies of one template row, one per row of `source` (a FROM clause using alias `g`)
    that passes `where`, with `overrides` (column → SQL expression, named parameters). Robust to
    columns added later; returns the number of rows inserted."""
    columns = _columns(cursor, table)
    select = ", ".join(overrides.get(c, f"t.{c}") for c in columns)
    condition = f" AND {where}" if where else ""
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table} t, {source}"
        f" WHERE t.id = %(template_id)s{condition}",
        {**params, "template_id": template_id},
    )
    return cursor.rowcount
