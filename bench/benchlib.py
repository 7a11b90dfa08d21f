"""What the benchmarks share: setting Django up against the benchmark database, the server's admin
connection, `clone`, which builds millions of rows with one INSERT … SELECT per table, and the
throughput measurement (gunicorn on loopback and a bounded load generator: `serve`, `load`,
`session_cookie`), used by throughput.py and pages.py."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
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


# --- Throughput: gunicorn on loopback, a bounded load generator ------------------------------------


def session_cookie(username: str) -> str:
    """A signed-in session for `username`, stored like a login would store it (no password needed)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    from accounts.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend a password login records: the first that can also load the user per request.
    session[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        if process.poll() is not None:
            sys.exit("gunicorn exited; see its output above")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not start")


@contextlib.contextmanager
def serve(url: str, workers: int) -> Iterator[int]:
    """gunicorn (`workers` sync workers, DEBUG off) serving the product on a free loopback port;
    yields the port and stops the server (its process group) on exit."""
    from django.db import connections

    connections.close_all()  # the workers open their own
    port = _free_port()
    env = os.environ | {"DATABASE_URL": url, "DEBUG": "0", "ALLOWED_HOSTS": "localhost,127.0.0.1"}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "pil_tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_for_port(port, server)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


class _Result:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors = 0


def _client(port: int, path: str, cookie: str, stop_at: float, measure_from: float, result: _Result) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie, "Host": "localhost", "Accept-Language": "zh-hans"}
    while (now := time.monotonic()) < stop_at:
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        took = time.monotonic() - now
        if now >= measure_from:
            with result.lock:
                result.latencies.append(took)
                result.errors += 0 if ok else 1
    conn.close()


def cpu_seconds(commands: tuple[str, ...] = ("gunicorn", "postgres")) -> dict[int, tuple[str, float]]:
    """The CPU time (user + system, seconds) used so far by each running process of `commands`,
    by process id, from /proc (Linux); {} where /proc is missing."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        name = text[text.index("(") + 1 : text.rindex(")")]
        if name in commands:
            fields = text[text.rindex(")") + 2 :].split()
            used[int(stat.parent.name)] = (name, (int(fields[11]) + int(fields[12])) / ticks)  # utime, stime
    return used


def cpu_used(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> dict[str, float]:
    """Seconds of CPU per command between two cpu_seconds() readings: what each process still
    running used since the first (all of it for a process started since). A process that ended in
    between is not counted: a slight undercount, never a negative figure."""
    spent: dict[str, float] = {}
    for pid, (name, seconds) in after.items():
        spent[name] = spent.get(name, 0.0) + seconds - before.get(pid, (name, 0.0))[1]
    return spent


def load(
    port: int,
    path: str,
    cookie: str,
    *,
    concurrency: int,
    seconds: float,
    warmup: float,
    cpu: dict[str, float] | None = None,
) -> tuple[float, int, float, float]:
    """`concurrency` client threads, each with one keep-alive connection sending its next request
    when the previous answer is complete, for `warmup` then `seconds`: (requests per second,
    errors — any answer but 200 —, median ms, 95th percentile ms) over the measured seconds.

    `cpu`, when given, is filled with the CPU milliseconds per request over the measured seconds
    of the server (gunicorn), the database (postgres) and this load generator."""
    result = _Result()
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + seconds
    threads = [
        threading.Thread(target=_client, args=(port, path, cookie, stop_at, measure_from, result))
        for _ in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure_from - time.monotonic()))
    before, own_before = cpu_seconds(), time.process_time()
    time.sleep(max(0.0, stop_at - time.monotonic()))
    after, own_after = cpu_seconds(), time.process_time()
    for thread in threads:
        thread.join()
    done = len(result.latencies)
    if cpu is not None and done:
        cpu.update({name: seconds * 1000 / done for name, seconds in cpu_used(before, after).items()})
        cpu["load generator"] = (own_after - own_before) * 1000 / done
    latencies = sorted(result.latencies) or [0.0]
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    return done / seconds, result.errors, statistics.median(latencies) * 1000, p95 * 1000
