"""The agency digest: one email per agency user per day, listing their items; run twice → one email."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Notification
from notifications.services import agency_digests_send, notifications_create
from notifications.tasks import send_agency_digests
from tests.factories import UserFactory
from tests.notifications.backends import FlakyBackend
from tests.notifications.helpers import spec

Status = Notification.EmailStatus
TODAY = datetime.date(2026, 10, 9)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def create(user, key: str, title: str, created: datetime.datetime) -> None:
    notifications_create(specs=[spec(user, key, title=title, url=f"/agency/{key}/")])
    Notification.objects.filter(recipient=user, key=key).update(created_at=created)


@pytest.fixture
def items(world_with_emails):
    w = world_with_emails
    w.agency1_colleague = UserFactory(
        username="agency1b", organisation=w.agency1, role=w.agency1_staff.role, email="agency1b@example.test"
    )
    create(w.agency1_staff, "r1", "检察建议回复期限将至（一）", at(TODAY, 1))
    create(w.agency1_staff, "r2", "检察建议回复已逾期（二）", at(TODAY - datetime.timedelta(days=1), 9))
    create(w.agency1_colleague, "r1", "检察建议回复期限将至（一）", at(TODAY, 1))
    create(w.agency2_staff, "r3", "答辩期限将至（三）", at(TODAY, 2))
    return w


def test_each_agency_user_gets_one_email_listing_their_items(items, settings):
    settings.SITE_URL = "https://pil.example.test"

    assert agency_digests_send(today=TODAY) == 3

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"agency1_staff@example.test", "agency1b@example.test", "agency2_staff@example.test"}
    first = by_recipient["agency1_staff@example.test"]
    assert first.subject == "【公益诉讼案件管理】2026-10-09 通知汇总（测试区生态环境局）"
    assert "您有 2 条新通知" in first.body
    assert "检察建议回复期限将至（一）" in first.body
    assert "检察建议回复已逾期（二）" in first.body
    assert "https://pil.example.test/agency/r2/" in first.body
    assert "答辩期限将至（三）" not in first.body
    assert "答辩期限将至（三）" in by_recipient["agency2_staff@example.test"].body
    assert set(Notification.objects.values_list("email_status", flat=True)) == {Status.SENT}
    assert Notification.objects.filter(email_batch__isnull=True).count() == 0


def test_running_the_digest_twice_sends_one_email_per_user(items):
    assert agency_digests_send(today=TODAY) == 3
    assert agency_digests_send(today=TODAY) == 0
    send_agency_digests.delay(TODAY.isoformat())
    assert len(mail.outbox) == 3


def test_items_after_the_day_wait_for_the_next_digest(items):
    w = items
    create(w.agency2_staff, "r4", "整改期限将至（四）", at(TODAY + datetime.timedelta(days=1), 0))

    agency_digests_send(today=TODAY)
    assert "整改期限将至（四）" not in "".join(m.body for m in mail.outbox)
    assert Notification.objects.get(key="r4").email_status == Status.DIGEST

    mail.outbox.clear()
    assert agency_digests_send(today=TODAY + datetime.timedelta(days=1)) == 1
    [message] = mail.outbox
    assert "整改期限将至（四）" in message.body
    assert "答辩期限将至（三）" not in message.body


def test_a_missed_day_is_caught_up(items):
    assert agency_digests_send(today=TODAY + datetime.timedelta(days=3)) == 3


def test_a_failed_digest_email_is_kept_and_sent_by_the_next_run(items, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DownBackend"

    with pytest.raises(smtplib.SMTPServerDisconnected):
        agency_digests_send(today=TODAY)

    assert set(Notification.objects.values_list("email_status", flat=True)) == {Status.DIGEST}
    assert "SMTPServerDisconnected" in Notification.objects.first().email_last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert agency_digests_send(today=TODAY) == 3
    assert agency_digests_send(today=TODAY) == 0
    assert len(mail.outbox) == 3


def test_one_failing_address_does_not_hold_back_the_others(items, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    FlakyBackend.failures = 1
    try:
        with pytest.raises(smtplib.SMTPDataError):
            agency_digests_send(today=TODAY)
    finally:
        FlakyBackend.failures = 0

    assert len(mail.outbox) == 2
    assert Notification.objects.filter(email_status=Status.DIGEST).exists()
    assert agency_digests_send(today=TODAY) == 1
    assert len(mail.outbox) == 3


def test_a_procurator_gets_no_digest(world_with_emails):
    notifications_create(specs=[spec(world_with_emails.procurator)])
    assert agency_digests_send(today=TODAY) == 0
