"""Celery entry points of the reports app: each takes an id or nothing and calls one service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from reports import services


@shared_task(
    name="reports.tasks.build_report",
    ignore_result=True,
    # The soft limit raises inside the builder (the job fails with a message); the hard limit
    # kills a builder stuck in C code, and the sweep then fails the job. Prefork pools only: on
    # other pools the sweep alone ends a job that runs too long.
    soft_time_limit=settings.REPORTS_TIME_LIMIT,
    time_limit=settings.REPORTS_TIME_LIMIT + 60,
)
def build_report(job_id: int) -> bool:
    return services.report_job_run(job_id=job_id)


@shared_task(name="reports.tasks.sweep_report_jobs", ignore_result=True)
def sweep_report_jobs() -> int:
    """Beat, every few minutes: fail the jobs whose worker died or that no worker took, and delete
    the jobs (and files) past their keeping time."""
    now = timezone.now()
    return services.report_jobs_sweep(now=now) + services.report_jobs_purge(now=now)
