"""Requests per second under concurrent load: gunicorn serving the product, a bounded load generator
on loopback (issue 15; figures in bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pil_dashboard_bench .venv/bin/python bench/throughput.py

Uses the dashboard benchmark's database, as bench/pages.py does (run that first: it adds the
300-event case). Starts gunicorn (`--workers`, default 2 × cores + 1, sync workers, DEBUG off) on a
free loopback port, signs the city supervisor in by creating a session row (no password needed),
and for each page runs `--concurrency` client threads (default 8) for `--seconds` (default 20)
after a few seconds of warm-up. Each thread keeps one HTTP/1.1 connection and sends its next
request when the previous answer is complete, so the load is bounded by the concurrency: it
measures what the server sustains, not how fast requests can be thrown at it. Prints, per page:
requests per second, errors (anything but 200), and the median and 95th-percentile latency.

The generator runs on the same machine and takes CPU from the server: the figures are a floor for
a deployment whose clients are elsewhere. On a 2-core machine, `--workers 3` and `--concurrency 8`
are what the targets in the issue were measured with.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchlib import ROOT, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pil_dashboard_bench"
DETAIL_CASE = "B500000"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_cookie(username: str) -> str:
    """A signed-in session for `username`, stored like a login would store it."""
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


def pages(username: str) -> dict[str, str]:
    from django.db.models import Count

    from accounts.models import User
    from cases.models import Case, Event
    from cases.selectors import cases_visible_to

    # bench/pages.py's 300-event case; on other data (generate_data's, the demo) the case in the
    # user's scope with most events.
    detail = Case.objects.filter(number=DETAIL_CASE).values_list("pk", flat=True).first()
    if detail is None:
        visible = cases_visible_to(User.objects.get(username=username)).values("pk")
        detail = (
            Event.objects.filter(case__in=visible)
            .values("case")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("case", flat=True)
            .first()
        )
    return {
        "case detail": f"/cases/{detail}/",
        "case list": "/cases/",
        "case list, search": "/cases/?q=%E6%B2%B3",
        "API recommendations": "/api/v1/recommendations/",
    }


class Result:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors = 0


def _client(port: int, path: str, cookie: str, stop_at: float, measure_from: float, result: Result) -> None:
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


def load(port: int, path: str, cookie: str, *, concurrency: int, seconds: float, warmup: float) -> tuple:
    result = Result()
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + seconds
    threads = [
        threading.Thread(target=_client, args=(port, path, cookie, stop_at, measure_from, result))
        for _ in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = len(result.latencies)
    latencies = sorted(result.latencies) or [0.0]
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    return done / seconds, result.errors, statistics.median(latencies) * 1000, p95 * 1000


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--user", default="bench_supervisor")
    args = parser.parse_args()

    setup_django(args.url)
    cookie = session_cookie(args.user)
    targets = pages(args.user)
    from django.db import connections

    connections.close_all()

    port = _free_port()
    env = os.environ | {"DATABASE_URL": args.url, "DEBUG": "0", "ALLOWED_HOSTS": "localhost,127.0.0.1"}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "pil_tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_for_port(port, server)
        print(
            f"gunicorn: {args.workers} sync workers; {args.concurrency} clients for {args.seconds:.0f} s per page"
            f" after {args.warmup:.0f} s warm-up; {os.cpu_count()} cores\n"
        )
        print(f"{'page':<24}{'req/s':>8}{'errors':>8}{'median ms':>11}{'p95 ms':>9}")
        for name, path in targets.items():
            rps, errors, median, p95 = load(
                port, path, cookie, concurrency=args.concurrency, seconds=args.seconds, warmup=args.warmup
            )
            print(f"{name:<24}{rps:>8.1f}{errors:>8}{median:>11.0f}{p95:>9.0f}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
