"""The scan as a Celery task (beat and worker start-up), as a command, and through a real Redis."""

from __future__ import annotations

import datetime
import os
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun, worker_ready
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections

from cases.models import Recommendation
from cases.services.recommendations import recommendation_serve
from deadlines import tasks
from deadlines.models import DeadlineAlert
from deadlines.services import deadlines_scan
from notifications.models import Notification
from pil_tracker.celery import app
from tests.deadlines.conftest import deadline_due, issued_recommendation

D = datetime.date


@pytest.fixture
def celery_eager():
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _reset_producer_pools() -> None:
    app._pool = None
    app.amqp._producer_pool = None


def test_beat_runs_the_scan_every_fifteen_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["scan-deadlines"]
    assert entry["task"] == "deadlines.tasks.scan_deadlines" == tasks.scan_deadlines.name
    assert entry["schedule"] == 15 * 60
    assert entry["task"] in app.tasks


def test_the_task_scans_as_of_today_in_china_standard_time(world, celery_eager, monkeypatch):
    deadline = deadline_due(world, D(2026, 10, 20))
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: D(2026, 10, 21))
    result = tasks.scan_deadlines.delay().get()
    assert result["today"] == "2026-10-21"
    assert result["alerts"]["overdue"] == 1
    assert deadline.alerts.filter(level="overdue").exists()


def test_a_starting_worker_enqueues_a_scan(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.scan_deadlines, "delay", lambda *a, **k: calls.append(1))
    worker_ready.send(sender=None)
    assert calls == [1]


def test_the_command_scans_as_of_the_given_day(world):
    deadline_due(world, D(2026, 10, 20))
    from io import StringIO

    out = StringIO()
    call_command("scan_deadlines", "--today", "2026-10-21", stdout=out)
    assert out.getvalue().startswith("2026-10-21: alerts 4 (")
    out = StringIO()
    call_command("scan_deadlines", "--today", "2026-10-21", stdout=out)
    assert "alerts 0 (none); notifications 0" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("scan_deadlines", "--today", "21/10/2026")


@pytest.mark.django_db(transaction=True)
def test_a_save_while_the_broker_is_down_succeeds_and_the_scan_notifies_later(seeded, world, regions):
    """Serving enqueues nothing: the deadline is a row, and the level-triggered scan finds it."""
    names = ("broker_url", "broker_transport_options", "broker_connection_timeout", "task_publish_retry_policy")
    saved = {name: app.conf[name] for name in names}
    app.conf.broker_url = "redis://127.0.0.1:6390/0"  # nobody listens there
    app.conf.broker_transport_options = {}
    app.conf.broker_connection_timeout = 1
    app.conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
    _reset_producer_pools()
    try:
        world.procurator.email = "procurator@example.test"
        world.procurator.save()
        recommendation = recommendation_serve(
            user=world.procurator,
            recommendation=issued_recommendation(world),
            served_on=D(2026, 9, 20),
            service_method=Recommendation.ServiceMethod.DIRECT,
            received_by="李某",
            today=D(2026, 9, 20),
        )
        assert recommendation.deadlines.count() == 2
        # The scan's transaction commits although the emails cannot be enqueued now; they stay
        # pending for the notification sweeper.
        result = deadlines_scan(today=D(2026, 12, 1))
        assert result.notifications > 0
        assert Notification.objects.filter(recipient=world.procurator, kind="deadline_overdue").exists()
    finally:
        for name, value in saved.items():
            app.conf[name] = value
        _reset_producer_pools()


def _close_worker_thread_connections(**kwargs) -> None:
    if threading.current_thread() is not threading.main_thread():
        connections.close_all()


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real Redis broker)")
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_runs_the_scan_through_redis(seeded, world, regions):
    from django.utils import timezone

    today = timezone.localdate()
    deadline = deadline_due(world, today - datetime.timedelta(days=20))
    app.conf.task_always_eager = False
    task_postrun.connect(_close_worker_thread_connections, weak=False)
    _reset_producer_pools()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
            tasks.scan_deadlines.delay()
            limit = time.monotonic() + 30
            while time.monotonic() < limit and not DeadlineAlert.objects.filter(level="escalated").exists():
                time.sleep(0.2)
    finally:
        task_postrun.disconnect(_close_worker_thread_connections)
    assert sorted(deadline.alerts.values_list("level", flat=True)) == [
        "escalated",
        "overdue",
        "remind_1",
        "remind_3",
        "remind_7",
    ]
    assert Notification.objects.filter(recipient=world.supervisor, kind="deadline_escalated").exists()
    assert Notification.objects.filter(recipient=world.procurator, kind="deadline_overdue").exists()
