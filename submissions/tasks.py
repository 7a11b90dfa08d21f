"""Celery entry point: the daily purge of old submission keys (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from submissions.services import submissions_purge


@shared_task(name="submissions.tasks.purge_submissions", ignore_result=True)
def purge_submissions() -> int:
    return submissions_purge()
