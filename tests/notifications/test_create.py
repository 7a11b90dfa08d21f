"""notifications_create: each (recipient, key) once, however often and however concurrently."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections, transaction

from notifications.models import EmailPreference, Notification
from notifications.services import notifications_create
from tests.notifications.helpers import spec

Status = Notification.EmailStatus

on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_creating_the_same_specs_twice_inserts_them_once(world_with_emails):
    w = world_with_emails
    specs = [spec(w.procurator, "deadline:1:overdue"), spec(w.supervisor, "deadline:1:overdue")]

    assert notifications_create(specs=specs) == 2
    assert notifications_create(specs=specs) == 0

    assert Notification.objects.count() == 2


def test_returns_only_the_rows_this_call_inserted(world_with_emails):
    w = world_with_emails
    notifications_create(specs=[spec(w.procurator, "deadline:1:reminder_7")])

    inserted = notifications_create(
        specs=[spec(w.procurator, "deadline:1:reminder_7"), spec(w.procurator, "deadline:1:reminder_3")]
    )

    assert inserted == 1
    assert sorted(Notification.objects.values_list("key", flat=True)) == [
        "deadline:1:reminder_3",
        "deadline:1:reminder_7",
    ]


def test_the_same_spec_twice_in_one_call_is_inserted_once(world_with_emails):
    w = world_with_emails
    assert notifications_create(specs=[spec(w.procurator), spec(w.procurator)]) == 1


def test_the_same_key_reaches_each_recipient_once(world_with_emails):
    w = world_with_emails
    notifications_create(specs=[spec(w.supervisor, "deadline:9:escalated")])
    assert notifications_create(specs=[spec(w.discipline, "deadline:9:escalated")]) == 1
    assert Notification.objects.filter(key="deadline:9:escalated").count() == 2


def test_an_empty_list_creates_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notifications_create(specs=[]) == 0


def test_an_unknown_kind_is_refused(world_with_emails):
    with pytest.raises(ValueError, match="made_up"):
        notifications_create(specs=[spec(world_with_emails.procurator, kind="made_up")])
    assert not Notification.objects.exists()


def test_a_recipient_that_no_longer_exists_is_left_out(world_with_emails):
    w = world_with_emails
    gone = dataclasses.replace(spec(w.procurator), recipient_id=w.procurator.pk + 10_000)
    assert notifications_create(specs=[gone, spec(w.supervisor)]) == 1


def test_creation_costs_a_fixed_number_of_queries(world_with_emails, django_assert_num_queries):
    w = world_with_emails
    specs = [spec(user, f"deadline:{n}:overdue") for n in range(20) for user in (w.procurator, w.agency1_staff)]
    # 1 recipients, 2 digest preferences of their agencies, 3 the INSERT, 4 the inserted rows.
    with django_assert_num_queries(4):
        assert notifications_create(specs=specs) == 40


def test_email_status_follows_the_recipient(world_with_emails):
    w = world_with_emails
    w.procurator_colleague.email = ""
    w.procurator_colleague.save()
    w.city_procurator.is_active = False
    w.city_procurator.save()

    notifications_create(
        specs=[spec(u) for u in (w.procurator, w.procurator_colleague, w.city_procurator, w.agency1_staff)]
    )

    status = dict(Notification.objects.values_list("recipient__username", "email_status"))
    assert status == {
        "procurator": Status.PENDING,
        "colleague": Status.SKIPPED,  # no email address
        "city_procurator": Status.SKIPPED,  # inactive
        "agency1": Status.DIGEST,  # agency staff: the daily digest by default
    }


def test_agency_staff_get_single_emails_when_the_digest_is_switched_off(world_with_emails, settings):
    w = world_with_emails
    settings.NOTIFICATIONS_AGENCY_DIGEST = False

    notifications_create(specs=[spec(w.agency1_staff), spec(w.agency2_staff)])

    assert set(Notification.objects.values_list("email_status", flat=True)) == {Status.PENDING}


def test_an_agency_can_choose_differently_from_the_setting(world_with_emails, settings):
    w = world_with_emails
    EmailPreference.objects.create(organisation=w.agency1, daily_digest=False)

    notifications_create(specs=[spec(w.agency1_staff), spec(w.agency2_staff)])

    status = dict(Notification.objects.values_list("recipient__username", "email_status"))
    assert status == {"agency1": Status.PENDING, "agency2": Status.DIGEST}

    settings.NOTIFICATIONS_AGENCY_DIGEST = False
    EmailPreference.objects.filter(organisation=w.agency1).update(daily_digest=True)
    notifications_create(specs=[spec(w.agency1_staff, "k2"), spec(w.agency2_staff, "k2")])
    status = dict(Notification.objects.filter(key="k2").values_list("recipient__username", "email_status"))
    assert status == {"agency1": Status.DIGEST, "agency2": Status.PENDING}


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL (row locks on the unique index)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_notify_each_recipient_once(world_with_emails):
    w = world_with_emails
    specs = [spec(u, f"deadline:{n}:overdue") for n in range(5) for u in (w.procurator, w.supervisor, w.discipline)]
    workers = 4
    barrier = threading.Barrier(workers)
    inserted: list[int] = []
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                inserted.append(notifications_create(specs=specs))
                # Keep the transaction open so the others meet its uncommitted rows in the index.
                time.sleep(0.2)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(inserted) == [0] * (workers - 1) + [len(specs)]
    assert Notification.objects.count() == len(specs)
    # Each committed notification was emailed once, after its commit (Celery runs eagerly here).
    assert len(mail.outbox) == len(specs)
    assert set(Notification.objects.values_list("email_status", flat=True)) == {Status.SENT}
