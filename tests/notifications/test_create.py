"""notifications_create: each (recipient, key) once, however often and however concurrently."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections, transaction
from django.utils import timezone

from notifications import services
from notifications.models import EmailPreference, Notification
from notifications.services import notifications_create
from tests.notifications.helpers import spec
from tests.races import without_unique_constraint

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
    # One statement: the INSERT reads the recipients and their agencies' digest preference itself
    # and returns the rows it inserted.
    with django_assert_num_queries(1):
        assert notifications_create(specs=specs) == 40


def test_many_specs_cost_one_statement_per_batch(world_with_emails, django_assert_max_num_queries):
    w = world_with_emails
    users = (w.procurator, w.supervisor, w.agency1_staff, w.discipline)
    specs = [spec(user, f"deadline:{n}:overdue") for n in range(1500) for user in users]
    batch = services._insert_batch_size()
    with django_assert_max_num_queries(-(-len(specs) // batch)):
        assert notifications_create(specs=specs) == 6000
    assert Notification.objects.count() == 6000


def test_every_column_gets_its_value(world_with_emails):
    w = world_with_emails
    w.procurator_colleague.email = ""
    w.procurator_colleague.save()
    before = timezone.now()

    notifications_create(
        specs=[
            spec(w.procurator, "k", title="标" * 250, body="正文", url="/cases/3/"),
            spec(w.procurator_colleague, "k"),
            spec(w.agency1_staff, "k"),
        ]
    )

    rows = {n.recipient_id: n for n in Notification.objects.all()}
    pending = rows[w.procurator.pk]
    assert (pending.kind, pending.title, pending.body, pending.url, pending.key) == (
        Notification.Kind.DEADLINE_OVERDUE,
        "标" * 200,
        "正文",
        "/cases/3/",
        "k",
    )
    assert before <= pending.created_at <= timezone.now()
    assert pending.email_due_at == pending.created_at
    for n in rows.values():
        assert n.created_at == pending.created_at
        assert (n.read_at, n.email_attempts, n.email_last_error, n.email_sent_at, n.email_batch) == (
            None,
            0,
            "",
            None,
            None,
        )
        assert n.insert_token is not None and n.insert_token == pending.insert_token
    assert rows[w.procurator_colleague.pk].email_due_at is None  # skipped
    assert rows[w.agency1_staff.pk].email_due_at is None  # digest


def test_each_recipients_ids_follow_the_order_of_their_specs(world_with_emails):
    # The ids break ties in a recipient's list (same created_at): it shows their specs in order.
    w = world_with_emails
    users = [w.discipline, w.procurator, w.agency2_staff, w.supervisor]
    keys = ["deadline:9:overdue", "deadline:10:overdue", "deadline:2:overdue"]
    notifications_create(specs=[spec(user, key) for key in keys for user in users])

    for user in users:
        assert list(user.notifications.order_by("id").values_list("key", flat=True)) == keys


def test_only_the_pending_rows_this_call_inserted_are_enqueued(
    world_with_emails, django_capture_on_commit_callbacks, monkeypatch
):
    w = world_with_emails
    monkeypatch.setattr(services, "_insert_batch_size", lambda: 3)  # several statements in one call
    already = notifications_create(specs=[spec(w.procurator, "old")])
    enqueued: list[list[int]] = []
    monkeypatch.setattr(services, "enqueue_delivery", enqueued.append)

    with django_capture_on_commit_callbacks(execute=True):
        inserted = notifications_create(
            specs=[
                spec(w.procurator, "old"),  # exists: not inserted, not enqueued again
                spec(w.procurator, "new"),
                spec(w.agency1_staff, "new"),  # digest
                spec(w.supervisor, "new"),
                spec(w.procurator, "new"),  # the same spec twice, across statements
                spec(w.discipline, "new"),
            ]
        )

    assert already == 1 and inserted == 4
    new = Notification.objects.filter(key="new")
    assert enqueued == [sorted(new.filter(email_status=Status.PENDING).values_list("pk", flat=True))]
    assert len(enqueued[0]) == 3


@pytest.mark.skipif(on_postgres, reason="SQLite before 3.35 (no RETURNING)")
def test_without_returning_the_inserted_rows_are_found_by_their_token(
    world_with_emails, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import connection

    w = world_with_emails
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    notifications_create(specs=[spec(w.procurator, "k1")])
    with django_capture_on_commit_callbacks(execute=True):
        inserted = notifications_create(
            specs=[spec(w.procurator, "k1"), spec(w.procurator, "k2"), spec(w.agency1_staff, "k2")]
        )

    assert inserted == 2
    assert dict(Notification.objects.filter(key="k2").values_list("recipient_id", "email_status")) == {
        w.procurator.pk: Status.SENT,  # enqueued after commit (Celery runs in-process here)
        w.agency1_staff.pk: Status.DIGEST,
    }
    assert [m.to for m in mail.outbox] == [["procurator@example.test"]]  # k1 was never committed


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


def create_at_once(specs, workers: int) -> tuple[list[int], list[BaseException]]:
    """`workers` transactions create the same notifications at the same moment, each kept open a
    while after its INSERT: how many rows each inserted, and the errors."""
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
    return inserted, errors


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL (row locks on the unique index)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_notify_each_recipient_once(world_with_emails):
    w = world_with_emails
    specs = [spec(u, f"deadline:{n}:overdue") for n in range(5) for u in (w.procurator, w.supervisor, w.discipline)]
    workers = 4
    inserted, errors = create_at_once(specs, workers)

    assert errors == []
    assert sorted(inserted) == [0] * (workers - 1) + [len(specs)]
    assert Notification.objects.count() == len(specs)
    # Each committed notification was emailed once, after its commit (Celery runs eagerly here).
    assert len(mail.outbox) == len(specs)
    assert set(Notification.objects.values_list("email_status", flat=True)) == {Status.SENT}


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL (two connections writing at once)")
@pytest.mark.django_db(transaction=True)
def test_control_without_the_unique_constraint_concurrent_scans_notify_twice(world_with_emails, monkeypatch):
    """Control for the test above: the same race without the unique constraint on (recipient, key)
    does notify a recipient more than once, so the test above shows the constraint at work. A few
    tries, each with new keys, in case the transactions do not overlap."""
    w = world_with_emails
    workers = 4
    with without_unique_constraint(Notification, "notification_recipient_key_uniq", monkeypatch):
        for attempt in range(5):
            specs = [spec(u, f"control:{attempt}:{n}") for n in range(5) for u in (w.procurator, w.supervisor)]
            inserted, errors = create_at_once(specs, workers)
            assert errors == []
            if sum(inserted) > len(specs):
                break
        else:
            pytest.fail("in five tries the concurrent creations never overlapped")
        assert Notification.objects.filter(key__startswith=f"control:{attempt}:").count() == sum(inserted)
