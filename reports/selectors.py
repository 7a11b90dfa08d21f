"""Reads of report jobs: a job is its requester's alone (anyone else: 404, like a missing id)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from reports.models import ReportJob

# The reports page lists this many of the requester's latest jobs.
RECENT_JOBS = 30


def report_jobs_visible_to(user: User) -> QuerySet[ReportJob]:
    """The report's file was built with its requester's scope; nobody else may see it, not even a
    supervisor above them (their own report of the same period holds the same cases and more)."""
    if not user.is_active:
        return ReportJob.objects.none()
    return ReportJob.objects.filter(requester=user)


def recent_report_jobs(user: User) -> QuerySet[ReportJob]:
    """One query, whatever the number of jobs (the page shows the latest RECENT_JOBS)."""
    return report_jobs_visible_to(user).order_by("-created_at", "-id")[:RECENT_JOBS]
