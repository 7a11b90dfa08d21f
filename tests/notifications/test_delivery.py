"""Email delivery: after commit, claimed before sending, retried with back-off, repaired by the sweeper."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services import (
    CLAIM_TIMEOUT,
    FAILED_RETRY_AFTER,
    MAX_RETRIES,
    SWEEP_GRACE,
    enqueue_delivery,
    notification_deliver,
    notifications_create,
    notifications_resend,
    notifications_sweep,
)
from notifications.tasks import deliver_notification, deliver_pending_notifications
from tests.notifications.backends import FlakyBackend
from tests.notifications.helpers import spec

Status = Notification.EmailStatus

DOWN = "tests.notifications.backends.DownBackend"
FLAKY = "tests.notifications.backends.FlakyBackend"


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = FLAKY
    FlakyBackend.failures = 0
    yield FlakyBackend
    FlakyBackend.failures = 0


def create_one(user, key="deadline:1:overdue", **fields) -> Notification:
    notifications_create(specs=[spec(user, key, **fields)])
    return Notification.objects.get(recipient=user, key=key)


def test_a_committed_notification_is_emailed_once(world_with_emails, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://pil.example.test"
    w = world_with_emails
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifications_create(specs=[spec(w.procurator, url="/cases/7/")])

    assert len(callbacks) == 1
    notification = Notification.objects.get()
    assert notification.email_status == Status.SENT
    assert notification.email_attempts == 1
    assert notification.email_sent_at is not None
    [message] = mail.outbox
    assert message.to == ["procurator@example.test"]
    assert message.subject == "【公益诉讼案件管理】检察建议回复逾期（deadline:1:overdue）"
    assert "被建议机关尚未书面回复。" in message.body
    assert "https://pil.example.test/cases/7/" in message.body

    # The task runs again (a duplicate message, the sweeper): nothing more is sent.
    deliver_notification.delay(notification.pk)
    deliver_pending_notifications.delay()
    assert len(mail.outbox) == 1


def test_a_rolled_back_creation_enqueues_nothing(world_with_emails, django_capture_on_commit_callbacks):
    w = world_with_emails
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notifications_create(specs=[spec(w.procurator)])
        raise RuntimeError("the save that decided to notify failed")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_skipped_and_digest_notifications_are_not_enqueued(world_with_emails, django_capture_on_commit_callbacks):
    w = world_with_emails
    w.procurator.email = ""
    w.procurator.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifications_create(specs=[spec(w.procurator), spec(w.agency1_staff)])
    assert callbacks == []
    assert mail.outbox == []


def test_two_deliveries_of_the_same_notification_send_one_email(world_with_emails):
    notification = create_one(world_with_emails.procurator)

    assert notification_deliver(notification_id=notification.pk) is True
    assert notification_deliver(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_a_recipient_who_lost_their_address_is_skipped(world_with_emails):
    w = world_with_emails
    notification = create_one(w.procurator)
    w.procurator.email = ""
    w.procurator.save()

    assert notification_deliver(notification_id=notification.pk) is False

    notification.refresh_from_db()
    assert notification.email_status == Status.SKIPPED
    assert mail.outbox == []


def test_an_smtp_failure_is_recorded_and_retried_and_later_success_sends_once(world_with_emails, flaky):
    notification = create_one(world_with_emails.procurator)
    flaky.failures = 1

    with pytest.raises(smtplib.SMTPDataError):
        notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.email_status == Status.PENDING
    assert notification.email_attempts == 1
    assert "SMTPDataError" in notification.email_last_error
    assert "Try again later" in notification.email_last_error
    # The task's own retry comes first; the sweeper steps in only if that retry is lost.
    assert notification.email_due_at > timezone.now() + SWEEP_GRACE
    assert mail.outbox == []

    deliver_notification.delay(notification.pk)  # the retry

    notification.refresh_from_db()
    assert notification.email_status == Status.SENT
    assert notification.email_attempts == 2
    assert notification.email_last_error == ""
    assert len(mail.outbox) == 1
    deliver_notification.delay(notification.pk)
    assert len(mail.outbox) == 1


def test_the_task_retries_transient_failures_with_backoff(world_with_emails, flaky):
    notification = create_one(world_with_emails.procurator)
    flaky.failures = 3

    deliver_notification.apply(args=[notification.pk])  # eager: the retries run at once

    notification.refresh_from_db()
    assert notification.email_status == Status.SENT
    assert notification.email_attempts == 4
    assert len(mail.outbox) == 1
    assert deliver_notification.autoretry_for == (smtplib.SMTPException, OSError)
    assert deliver_notification.retry_backoff and deliver_notification.max_retries == MAX_RETRIES


def test_after_the_last_retry_the_email_is_failed_and_the_sweeper_tries_again(world_with_emails, settings):
    notification = create_one(world_with_emails.procurator)
    settings.EMAIL_BACKEND = DOWN

    result = deliver_notification.apply(args=[notification.pk])

    assert result.failed()
    notification.refresh_from_db()
    assert notification.email_status == Status.FAILED
    assert notification.email_attempts == MAX_RETRIES + 1
    assert "SMTPServerDisconnected" in notification.email_last_error

    # The mail server is back; the sweeper waits for FAILED_RETRY_AFTER, then sends it once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    now = timezone.now()
    assert notifications_sweep(now=now) == 0
    assert notifications_sweep(now=now + FAILED_RETRY_AFTER + datetime.timedelta(minutes=1)) == 1
    notification.refresh_from_db()
    assert notification.email_status == Status.SENT
    assert len(mail.outbox) == 1


def test_a_failed_email_without_attempts_left_waits_for_an_administrator(world_with_emails, settings):
    settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = DOWN
    notification = create_one(world_with_emails.procurator)
    with pytest.raises(smtplib.SMTPException):
        notification_deliver(notification_id=notification.pk, last_attempt=True)
    Notification.objects.filter(pk=notification.pk).update(email_status=Status.PENDING)
    with pytest.raises(smtplib.SMTPException):
        notification_deliver(notification_id=notification.pk, last_attempt=True)

    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (Status.FAILED, 2)
    assert notification.email_due_at is None  # out of the sweeper's index
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_sweep(now=timezone.now() + datetime.timedelta(days=30)) == 0

    # The admin action "resend" starts it again, after commit.
    assert notifications_resend(notification_ids=[notification.pk]) == 1
    notification.refresh_from_db()
    assert notification.email_status == Status.PENDING
    assert notification.email_attempts == 0


def test_a_non_transient_error_fails_at_once(world_with_emails, monkeypatch):
    notification = create_one(world_with_emails.procurator)

    def broken(*args, **kwargs):
        raise ValueError("template error")

    monkeypatch.setattr("notifications.services._notification_email", broken)
    result = deliver_notification.apply(args=[notification.pk])

    assert result.failed()
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (Status.FAILED, 1)
    assert notification.email_last_error == "ValueError: template error"


def test_the_sweeper_enqueues_an_email_whose_enqueue_was_lost(world_with_emails):
    # Created in the test's transaction: the on-commit enqueue never runs, as if the broker was down.
    notification = create_one(world_with_emails.procurator)
    now = timezone.now()

    assert notifications_sweep(now=now) == 0  # within the grace period the on-commit enqueue may still come
    assert notifications_sweep(now=now + SWEEP_GRACE + datetime.timedelta(seconds=1)) == 1

    notification.refresh_from_db()
    assert notification.email_status == Status.SENT
    assert len(mail.outbox) == 1
    assert notifications_sweep(now=now + 3 * SWEEP_GRACE) == 0


def test_the_sweeper_does_not_enqueue_the_same_email_on_every_run(world_with_emails, settings):
    notification = create_one(world_with_emails.procurator)
    enqueued: list[int] = []
    now = timezone.now() + SWEEP_GRACE * 2

    notifications_sweep(now=now, enqueue=enqueued.extend)
    notifications_sweep(now=now + datetime.timedelta(minutes=1), enqueue=enqueued.extend)
    notifications_sweep(now=now + SWEEP_GRACE + datetime.timedelta(minutes=1), enqueue=enqueued.extend)

    # Once, and again only after a further grace period (a slow queue gets no pile of copies).
    assert enqueued == [notification.pk, notification.pk]


def test_the_sweeper_takes_back_a_claim_abandoned_by_a_dead_worker(world_with_emails):
    notification = create_one(world_with_emails.procurator)
    claimed_at = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        email_status=Status.SENDING, email_attempts=1, email_due_at=claimed_at + CLAIM_TIMEOUT
    )

    assert notifications_sweep(now=claimed_at + datetime.timedelta(minutes=5)) == 0  # still being sent
    notifications_sweep(now=claimed_at + CLAIM_TIMEOUT + datetime.timedelta(seconds=1))  # back to pending
    assert notifications_sweep(now=claimed_at + CLAIM_TIMEOUT + SWEEP_GRACE + datetime.timedelta(seconds=2)) == 1

    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (Status.SENT, 2)
    assert len(mail.outbox) == 1


def test_the_enqueue_publishes_through_one_producer_and_stops_at_the_first_failure(monkeypatch, caplog):
    from pil_tracker.celery import app

    app.conf.task_always_eager = False  # publish (to a stub); the autouse celery_eager restores it
    published: list[tuple[int, object]] = []

    def apply_async(args, producer=None):
        if len(published) == 2:
            raise OSError("the broker went away")
        published.append((args[0], producer))

    monkeypatch.setattr(deliver_notification, "apply_async", apply_async)

    assert enqueue_delivery([11, 12, 13, 14]) == 2

    assert [pk for pk, _producer in published] == [11, 12]
    assert published[0][1] is not None and published[0][1] is published[1][1]
    assert "notification 13; 2 notification(s) stay pending for the sweeper" in caplog.text
