"""Celery entry points for notifications: each takes ids or a date and calls one service."""

from __future__ import annotations

import datetime

from celery import shared_task

from notifications import services


@shared_task(
    bind=True,
    ignore_result=True,
    acks_late=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=services.RETRY_BACKOFF,
    retry_backoff_max=services.RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=services.MAX_RETRIES,
)
def deliver_notification(self, notification_id: int) -> bool:
    """Send one notification's email; transient errors retry with exponential back-off, and the
    last attempt marks it failed (the sweeper takes it up again later)."""
    last_attempt = self.request.retries >= self.max_retries
    return services.notification_deliver(notification_id=notification_id, last_attempt=last_attempt)


@shared_task(ignore_result=True)
def deliver_pending_notifications() -> int:
    """The sweeper (beat, every 5 minutes): re-enqueue every email that is still unsent."""
    return services.notifications_sweep()


@shared_task(
    ignore_result=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=60,
    retry_backoff_max=services.RETRY_BACKOFF_MAX,
    max_retries=5,
)
def send_agency_digests(today: str | None = None) -> int:
    """The agency digest (beat, daily at 08:00 China Standard Time); `today` is YYYY-MM-DD.

    A retry after a failed email sends only what is still unsent: the others were claimed and sent.
    """
    day = datetime.date.fromisoformat(today) if today else None
    return services.agency_digests_send(today=day)
