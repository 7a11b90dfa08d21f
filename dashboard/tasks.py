"""Celery entry points of the dashboard."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from dashboard.snapshots import dashboards_warm


@shared_task(name="dashboard.tasks.warm_dashboards", ignore_result=True)
def warm_dashboards() -> int:
    """Recompute every procuratorate's default dashboard ahead of its supervisors (beat)."""
    return dashboards_warm(today=timezone.localdate())
