"""Celery entry points of the deadlines app: the scan, every DEADLINE_SCAN_MINUTES (settings
CELERY_BEAT_SCHEDULE) and once whenever a worker starts."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from deadlines.services import deadlines_scan


@shared_task(name="deadlines.tasks.scan_deadlines", ignore_result=True)
def scan_deadlines() -> dict:
    """Run the scan for today in China Standard Time (TIME_ZONE), never UTC's date."""
    result = deadlines_scan(today=timezone.localdate())
    return {"today": result.today.isoformat(), "alerts": result.alerts, "notifications": result.notifications}


@worker_ready.connect
def scan_at_start_up(sender=None, **kwargs) -> None:
    # Beat's first tick comes one interval after it starts; a worker coming back after downtime
    # catches up at once instead. Harmless if several workers start: the scan happens once per
    # deadline and level however often it runs.
    scan_deadlines.delay()
