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
import os

from benchlib import load, serve, session_cookie, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pil_dashboard_bench"
DETAIL_CASE = "B500000"


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
    with serve(args.url, args.workers) as port:
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


if __name__ == "__main__":
    main()
