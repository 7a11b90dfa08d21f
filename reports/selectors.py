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


def finished_report_choices(user: User) -> list[tuple[int, str]]:
    """The user's finished reports, to answer a congress request with (typical_cases.answers)."""
    jobs = report_jobs_visible_to(user).filter(status=ReportJob.Status.DONE).exclude(file="")
    return [
        (job.pk, f"{job.title} · {job.finished_at:%Y-%m-%d}" if job.finished_at else job.title)
        for job in jobs.order_by("-created_at", "-id")[:RECENT_JOBS]
    ]


def finished_report_file(user: User, job_id: int) -> tuple[str, str, bytes] | None:
    job = report_jobs_visible_to(user).filter(status=ReportJob.Status.DONE, pk=job_id).exclude(file="").first()
    if job is None:
        return None
    with job.file.open("rb") as handle:
        return job.filename or (job.file.name or "").rsplit("/", 1)[-1], job.content_type, handle.read()
