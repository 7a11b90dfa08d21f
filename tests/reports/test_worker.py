"""A report job through a real broker and a Celery worker (Redis)."""

from __future__ import annotations

import os
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections, transaction

from pil_tracker.celery import app
from reports.models import ReportJob
from reports.services import report_request
from tests.factories import CaseFactory
from tests.reports.conftest import START, TODAY
from tests.reports.helpers import docx_text


def _close_worker_thread_connections(**kwargs) -> None:
    # The worker runs in a thread of this process; its database connections must not outlive the
    # test (PostgreSQL refuses to drop a test database that still has sessions).
    if threading.current_thread() is not threading.main_thread():
        connections.close_all()


def _reset_producer_pools() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_worker(celery_eager):
    app.conf.task_always_eager = False
    task_postrun.connect(_close_worker_thread_connections, weak=False)
    _reset_producer_pools()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
            yield
    finally:
        task_postrun.disconnect(_close_worker_thread_connections)
        app.conf.task_always_eager = True


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real Redis broker)")
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_builds_a_report_through_redis(world, redis_worker):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    with transaction.atomic():
        job = report_request(
            user=world.supervisor,
            kind=ReportJob.Kind.BRIEFING,
            params={"agency": world.agency1, "start": START},
            today=TODAY,
        )
    limit = time.monotonic() + 30
    while time.monotonic() < limit:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert (job.status, job.error) == (ReportJob.Status.DONE, "")
    with job.file.open("rb") as handle:
        text = docx_text(handle.read())
    assert "逾期未书面回复0件" in text
    assert case.number not in text  # a case without recommendations is in no table
