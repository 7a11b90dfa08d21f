"""Failures of the real services: Redis stopped, a worker killed, the database connection dropped.

Each test brings its own trouble instead of disturbing the machine's services: a private
redis-server on a free port that the test starts and stops, a Celery worker in a child process that
the test kills with SIGKILL, a database session that the test terminates from a second connection.
PostgreSQL only (the worker child must reach the test database); `.ci/run` runs them in its
PostgreSQL pass.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Lead
from deadlines.models import DeadlineAlert
from deadlines.services import alert_levels, deadlines_scan
from notifications.models import Notification
from notifications.services import SWEEP_GRACE, notifications_create, notifications_sweep
from pil_tracker.celery import app
from reports.models import ReportJob
from reports.services import report_job_run, report_jobs_sweep, report_request
from tests.deadlines.conftest import deadline_due
from tests.deadlines.conftest import seeded as seeded  # a fixture
from tests.factories import CaseFactory, LeadFactory
from tests.notifications.helpers import spec

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "redis-server"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
    ),
    pytest.mark.skipif(REDIS_SERVER == "redis-server", reason="needs the redis-server program"),
    pytest.mark.django_db(transaction=True),
]


# --- a private Redis --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    def __init__(self, tmp: Path) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp = tmp
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed command
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert _wait_for(self.answers, 10), "the private redis-server did not start"

    def answers(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        assert not self.answers()


def _wait_for(condition, timeout: float = 20.0) -> bool:
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        if condition():
            return True
        time.sleep(0.1)
    return bool(condition())


def _reset_producer_pools() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis(tmp_path, settings) -> Iterator[PrivateRedis]:
    """The app's cache and broker on a Redis of this test's own, started; publishing for real."""
    server = PrivateRedis(tmp_path)
    server.start()
    reachable = settings.CACHES
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": server.url}}
    names = ("broker_url", "broker_transport_options", "broker_connection_timeout", "task_publish_retry_policy")
    saved = {name: app.conf[name] for name in names} | {"task_always_eager": app.conf.task_always_eager}
    app.conf.broker_url = server.url
    app.conf.broker_transport_options = {}
    app.conf.broker_connection_timeout = 1
    app.conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
    app.conf.task_always_eager = False
    _reset_producer_pools()
    yield server
    settings.CACHES = reachable  # before the autouse fixture clears the cache
    server.stop()
    for name, value in saved.items():
        app.conf[name] = value
    _reset_producer_pools()


# --- Redis stopped ----------------------------------------------------------------------------


def _pages_of(world, case, lead) -> dict[str, list[str]]:
    everyone = [reverse("home"), reverse("notifications:list")]
    staff = [
        reverse("case_list"),
        reverse("case_detail", args=[case.pk]),
        reverse("lead_list"),
        reverse("lead_detail", args=[lead.pk]),
        "/api/v1/cases/",
    ]
    return {
        "procurator": everyone + staff,
        "supervisor": everyone + staff + [reverse("dashboard"), reverse("approval_list"), reverse("reports_index")],
        "city_supervisor": everyone + staff + [reverse("dashboard"), reverse("dashboard") + "?refresh=1"],
        "agency1_staff": everyone,
        "discipline": everyone,
    }


def test_with_redis_stopped_every_page_answers_and_saves_keep_their_email(client, world, redis, settings):
    settings.DASHBOARD_CACHE_MINUTES = 15
    lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator, title="线索")
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, lead=lead)
    world.supervisor.email = "supervisor@example.test"
    world.supervisor.save()
    redis.stop()

    # Every page of every role answers; the dashboard says its numbers are computed live.
    for who, pages in _pages_of(world, case, lead).items():
        client.force_login(getattr(world, who))
        for url in pages:
            response = client.get(url)
            assert response.status_code in (200, 302), (who, url, response.status_code)
    client.force_login(world.supervisor)
    assert "实时计算" in client.get(reverse("dashboard")).content.decode()

    # A save that notifies commits although the enqueue after commit finds no broker.
    with transaction.atomic():
        lead.title = "线索（补充）"
        lead.save()
        assert notifications_create(specs=[spec(world.supervisor)]) == 1
    (pending,) = Notification.objects.filter(recipient=world.supervisor)
    assert pending.email_status == Notification.EmailStatus.PENDING
    assert Lead.objects.get(pk=lead.pk).title == "线索（补充）"
    assert mail.outbox == []

    # Redis is back: the sweeper's next run enqueues it and a real worker delivers it.
    redis.start()
    _reset_producer_pools()
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        assert notifications_sweep(now=timezone.now() + SWEEP_GRACE + datetime.timedelta(seconds=1)) == 1
        assert _wait_for(lambda: Notification.objects.get(pk=pending.pk).email_status == Notification.EmailStatus.SENT)
    assert [m.to for m in mail.outbox] == [["supervisor@example.test"]]


# --- a worker killed --------------------------------------------------------------------------


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _second_connection():
    s = connection.settings_dict
    other = psycopg2.connect(
        dbname=s["NAME"], user=s["USER"] or "postgres", host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432
    )
    return other


@contextlib.contextmanager
def _worker_process(redis: PrivateRedis, tmp: Path) -> Iterator[subprocess.Popen]:
    env = os.environ | {
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis.url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "insecure-test-only-key-not-a-secret"),
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
    }
    log = (tmp / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 - fixed command
        [sys.executable, "-m", "celery", "-A", "pil_tracker", "worker", "--pool", "solo", "--loglevel=INFO",
         "-n", f"failure-test-{redis.port}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        yield worker
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        log.close()


def _waiting_on_a_lock(text: str) -> bool:
    """Whether a session of the test database waits for a lock in a statement that names `text`.
    Its own connection each time: pg_stat_activity is a snapshot kept for a whole transaction."""
    monitor = _second_connection()
    try:
        with monitor.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE %s",
                [f"%{text}%"],
            )
            return cursor.fetchone()[0] > 0
    finally:
        monitor.close()


def test_a_worker_killed_in_the_middle_of_a_scan_leaves_nothing_for_the_next_scan_to_repeat(
    seeded, world, redis, tmp_path
):
    today = timezone.localdate()  # the worker's scan uses the real date
    deadlines = [deadline_due(world, today - datetime.timedelta(days=n)) for n in (3, 5, 40)]
    last_level = alert_levels(today)[-1].code
    other = _second_connection()
    try:
        # Hold one alert row the scan must insert: the worker's scan stops there, mid-transaction.
        with other.cursor() as cursor:
            cursor.execute(
                "INSERT INTO deadlines_deadlinealert (deadline_id, level, created_at, scan_id, notified)"
                " VALUES (%s, %s, now(), gen_random_uuid(), false)",
                [deadlines[-1].pk, last_level],
            )
        with _worker_process(redis, tmp_path) as worker:
            app.send_task("deadlines.tasks.scan_deadlines")
            assert _wait_for(lambda: _waiting_on_a_lock("deadlines_deadlinealert"), 60), (
                tmp_path / "worker.log"
            ).read_text()
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        other.rollback()  # the held row goes; the killed worker's session ends with its transaction
    finally:
        other.close()

    assert DeadlineAlert.objects.count() == 0  # the killed scan committed nothing
    first = deadlines_scan(today=today)
    assert sum(first.alerts.values()) > 0
    again = deadlines_scan(today=today)
    assert again.alerts == {}
    pairs = list(DeadlineAlert.objects.values_list("deadline_id", "level"))
    assert len(pairs) == len(set(pairs))
    assert {d for d, _level in pairs} == {d.pk for d in deadlines}


def test_a_worker_killed_while_building_a_report_leaves_no_job_running_for_ever(seeded, world, redis, tmp_path):
    CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    today = timezone.localdate()
    with transaction.atomic():  # queued on the private Redis at commit; no worker runs yet
        job = report_request(
            user=world.supervisor,
            kind=ReportJob.Kind.BRIEFING,
            params={"agency": world.agency1, "start": today.replace(month=1, day=1)},
            today=today,
        )
    other = _second_connection()
    try:
        with other.cursor() as cursor:  # the builder's first read of the cases waits here
            cursor.execute("LOCK TABLE cases_case IN ACCESS EXCLUSIVE MODE")
        with _worker_process(redis, tmp_path) as worker:
            assert _wait_for(lambda: _waiting_on_a_lock("cases_case"), 60), (tmp_path / "worker.log").read_text()
            assert ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.RUNNING
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        other.rollback()
    finally:
        other.close()

    # Nobody will finish it: the sweep fails it with a message once it has run past the time limit.
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING
    assert report_jobs_sweep(now=timezone.now()) == 0  # not before the limit
    later = timezone.now() + datetime.timedelta(seconds=django_settings.REPORTS_TIME_LIMIT + 121)
    assert report_jobs_sweep(now=later) == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and job.error
    assert not ReportJob.objects.filter(status=ReportJob.Status.RUNNING).exists()

    # The supervisor asks again and gets the report.
    app.conf.task_always_eager = False
    with transaction.atomic():
        again = report_request(
            user=world.supervisor,
            kind=ReportJob.Kind.BRIEFING,
            params={"agency": world.agency1, "start": today.replace(month=1, day=1)},
            today=today,
        )
    report_job_run(job_id=again.pk)
    again.refresh_from_db()
    assert again.status == ReportJob.Status.DONE


# --- the database connection dropped ------------------------------------------------------------


def test_a_dropped_database_connection_mid_save_gives_the_error_page_and_saves_nothing(
    seeded, client, world, monkeypatch
):
    from cases.services import leads as lead_services
    from tests.cases.test_views_browse import _lead_data

    original = lead_services.event_record

    def drop_the_connection_then_record(**kwargs):
        # The lead row is inserted, its history row not yet: the session is killed in between.
        pid = connection.connection.info.backend_pid
        other = _second_connection()
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            other.commit()
        finally:
            other.close()
        return original(**kwargs)

    monkeypatch.setattr(lead_services, "event_record", drop_the_connection_then_record)
    client.force_login(world.procurator)
    client.raise_request_exception = False
    response = client.post(reverse("lead_create"), _lead_data(world))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Traceback" not in page and "<html" in page.lower()
    connection.close()  # the test's own session was the one terminated
    assert not Lead.objects.exists()
