"""Through a real broker: a worker delivers, and a broker that is down loses nothing."""

from __future__ import annotations

import datetime
import os
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connections, transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services import SWEEP_GRACE, notifications_create, notifications_sweep
from pil_tracker.celery import app
from tests.notifications.helpers import spec

Status = Notification.EmailStatus


def _reset_producer_pools() -> None:
    """Make the next publish connect with the current app.conf (pools keep the old broker)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def real_broker(celery_eager):
    """Publish for real instead of running tasks in-process (undoes the autouse celery_eager)."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def broker_down(real_broker):
    """A broker nobody listens on; the publish gives up after a second instead of retrying."""
    names = ("broker_url", "broker_transport_options", "broker_connection_timeout", "task_publish_retry_policy")
    saved = {name: app.conf[name] for name in names}
    app.conf.broker_url = "redis://127.0.0.1:6390/0"
    app.conf.broker_transport_options = {}
    app.conf.broker_connection_timeout = 1
    app.conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
    _reset_producer_pools()
    yield
    for name, value in saved.items():
        app.conf[name] = value
    _reset_producer_pools()


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_loses_no_email(world_with_emails, broker_down, caplog):
    w = world_with_emails

    # The save that decides to notify commits although the enqueue after commit fails.
    with transaction.atomic():
        assert notifications_create(specs=[spec(w.procurator), spec(w.supervisor)]) == 2

    notifications = Notification.objects.all()
    assert notifications.count() == 2
    assert set(notifications.values_list("email_status", flat=True)) == {Status.PENDING}
    assert "stay pending for the sweeper" in caplog.text
    assert mail.outbox == []

    # The broker is back (the worker runs in-process here); the sweeper's next run delivers.
    app.conf.task_always_eager = True
    assert notifications_sweep(now=timezone.now() + SWEEP_GRACE + datetime.timedelta(seconds=1)) == 2
    assert set(notifications.values_list("email_status", flat=True)) == {Status.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == ["procurator@example.test", "supervisor@example.test"]


def _close_worker_thread_connections(**kwargs) -> None:
    # The worker runs in a thread of this process; its database connections must not outlive the
    # test (PostgreSQL refuses to drop a test database that still has sessions).
    if threading.current_thread() is not threading.main_thread():
        connections.close_all()


@pytest.fixture
def redis_worker(real_broker):
    task_postrun.connect(_close_worker_thread_connections, weak=False)
    _reset_producer_pools()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
            yield
    finally:
        task_postrun.disconnect(_close_worker_thread_connections)


def _wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real Redis broker)")
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_delivers_through_redis(world_with_emails, redis_worker):
    w = world_with_emails

    with transaction.atomic():
        created = notifications_create(
            specs=[spec(w.procurator), spec(w.supervisor), spec(w.agency1_staff), spec(w.discipline)]
        )
    assert created == 4

    sent = Notification.objects.filter(email_status=Status.SENT)
    assert _wait_for(lambda: sent.count() == 3), list(
        Notification.objects.values_list("email_status", "email_last_error")
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "discipline@example.test",
        "procurator@example.test",
        "supervisor@example.test",
    ]
    # The agency's item waits for the digest, which the worker sends when beat asks for it.
    app.send_task("notifications.tasks.send_agency_digests", args=[timezone.localdate().isoformat()])
    assert _wait_for(lambda: sent.count() == 4)
    assert len(mail.outbox) == 4
    assert mail.outbox[-1].to == ["agency1_staff@example.test"]
