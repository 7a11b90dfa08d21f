"""The admin shows notifications and resends failed emails; `send_notifications` works without a worker."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notifications_create
from tests.factories import UserFactory
from tests.notifications.helpers import spec

Status = Notification.EmailStatus

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def test_send_notifications_delivers_pending_emails_and_digests(world_with_emails, capsys):
    w = world_with_emails
    # Created in the test's transaction, so nothing was enqueued: as on a site without a worker.
    notifications_create(specs=[spec(w.procurator), spec(w.supervisor), spec(w.agency1_staff)])

    call_command("send_notifications", "--digests")

    assert set(Notification.objects.values_list("email_status", flat=True)) == {Status.SENT}
    assert len(mail.outbox) == 3
    assert "2 email(s) sent." in capsys.readouterr().out

    call_command("send_notifications", "--digests")
    assert len(mail.outbox) == 3


def test_send_notifications_rejects_a_bad_date(db):
    with pytest.raises(CommandError, match="not a date"):
        call_command("send_notifications", "--digests", "--today", "2026-13-01")


def test_the_admin_lists_notifications_and_resends_failed_emails(client, world_with_emails):
    w = world_with_emails
    notifications_create(specs=[spec(w.procurator), spec(w.supervisor)])
    Notification.objects.update(email_status=Status.FAILED, email_attempts=50, email_last_error="SMTPException: x")
    admin = UserFactory(username="admin", role="", organisation=None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:notifications_notification_changelist")

    assert client.get(url).status_code == 200
    ids = list(Notification.objects.values_list("pk", flat=True))
    response = client.post(url, {"action": "resend_email", "_selected_action": ids})

    assert response.status_code == 302
    assert set(Notification.objects.values_list("email_status", "email_attempts")) == {(Status.PENDING, 0)}
    assert client.get(reverse("admin:notifications_notification_change", args=[ids[0]])).status_code == 200
