"""Celery entry points of the dashboard. All go to the `bulk` queue (settings.CELERY_TASK_ROUTES):
deadline scans and notifications never wait behind them."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from dashboard import aggregates
from dashboard.snapshots import dashboard_warm, dashboards_to_warm


@shared_task(name="dashboard.tasks.aggregate_dashboard", ignore_result=True)
def aggregate_dashboard() -> int:
    """Beat, every DASHBOARD_AGGREGATE_MINUTES: rebuild the pre-aggregated counts
    (dashboard.aggregates.rebuild, one transaction), then warm the default views from them (their
    keys name the build, so the kept ones are stale now). Returns the number of count rows."""
    build = aggregates.rebuild()
    if settings.DASHBOARD_CACHE_MINUTES:
        warm_dashboards.delay()
    return build.row_count


@shared_task(name="dashboard.tasks.warm_dashboards", ignore_result=True)
def warm_dashboards() -> int:
    """Beat: send one `warm_dashboard` task per procuratorate whose default view needs computing
    (dashboard.snapshots); returns how many were sent."""
    today = timezone.localdate()
    stale = dashboards_to_warm(today=today, now=timezone.now())
    for supervisor_id in stale:
        warm_dashboard.delay(supervisor_id, today.isoformat())
    return len(stale)


@shared_task(name="dashboard.tasks.warm_dashboard", ignore_result=True)
def warm_dashboard(supervisor_id: int, day: str) -> bool:
    # The day travels with the task: a task that waited past midnight still computes the view its
    # sender found missing, whose key names that day.
    return dashboard_warm(supervisor_id=supervisor_id, today=datetime.date.fromisoformat(day))
