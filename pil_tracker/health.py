"""/healthz for a load balancer (issue 16, Reliability): each component's status, no data, no login.

200 while the database answers (the application can serve), otherwise 503. The broker, the worker
heartbeat and the last deadline scan are reported so monitoring sees them, but do not take the web
process out of the load balancer: pages work without them (docs/architecture.md).

The worker heartbeat and the last scan's time are timestamps in the cache, written by the worker
(pil_tracker.celery: a beat task every minute, and after each deadline scan); with the cache down
they read as "unknown".
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 60
_KEY = "health:{}"


def record(component: str, *, at: float | None = None) -> None:
    """Notes that `component` ("worker", "deadline_scan") was alive at `at` (now)."""
    try:
        cache.set(_KEY.format(component), at if at is not None else time.time(), timeout=None)
    except Exception:  # the cache being down must not fail the task that reports in
        log.warning("health: could not record %s in the cache", component, exc_info=True)


def _age(component: str, now: float, *, stale_after: float) -> dict:
    try:
        at = cache.get(_KEY.format(component))
    except Exception:
        return {"status": "unknown"}
    if at is None:
        return {"status": "unknown"}
    age = max(0, int(now - at))
    return {"status": "ok" if age <= stale_after else "stale", "age_seconds": age}


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        log.warning("healthz: the database does not answer", exc_info=True)
        return {"status": "error"}
    return {"status": "ok"}


def _broker() -> dict:
    # Imported here: the Celery app module is the project's entry point for workers, not a library.
    from pil_tracker.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0, timeout=2)
    except Exception:
        log.warning("healthz: the broker does not answer", exc_info=True)
        return {"status": "error"}
    return {"status": "ok"}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    now = time.time()
    components = {
        "database": _database(),
        "broker": _broker(),
        "worker": _age("worker", now, stale_after=3 * HEARTBEAT_SECONDS),
        "deadline_scan": _age("deadline_scan", now, stale_after=2 * settings.DEADLINE_SCAN_MINUTES * 60 + 60),
    }
    up = components["database"]["status"] == "ok"
    healthy = up and all(part["status"] == "ok" for part in components.values())
    body = {"status": "ok" if healthy else ("degraded" if up else "down"), "components": components}
    return JsonResponse(body, status=200 if up else 503)
