"""/healthz for a load balancer (issue 16): each component's status, no data, no login; 200 while
the database answers, 503 when it does not."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from deadlines.tasks import scan_deadlines
from pil_tracker import health
from pil_tracker.celery import heartbeat

ROOT = Path(__file__).resolve().parent.parent.parent


def test_healthz_answers_without_a_login_and_reports_each_component(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "components"}
    assert set(body["components"]) == {"database", "broker", "worker", "deadline_scan"}
    assert body["components"]["database"] == {"status": "ok"}
    # Nobody has reported in yet.
    assert body["components"]["worker"] == {"status": "unknown"}
    assert body["status"] == "degraded"
    assert "no-store" in response["Cache-Control"]


def test_the_worker_heartbeat_and_the_deadline_scan_report_in(client, db):
    heartbeat()
    scan_deadlines.apply()
    body = client.get("/healthz").json()
    assert body["components"]["worker"]["status"] == "ok"
    assert body["components"]["deadline_scan"]["status"] == "ok"
    assert body["components"]["deadline_scan"]["age_seconds"] < 60
    health.record("worker", at=time.time() - 3600)
    assert client.get("/healthz").json()["components"]["worker"] == {"status": "stale", "age_seconds": 3600}


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",  # the discard port: nothing answers
        "PIL_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "pil_tracker.settings",
        "SECRET_KEY": "insecure-test-only-key-not-a-secret",
        "ALLOWED_HOSTS": "testserver",
    }
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz')\n"
        "print(r.status_code, r.json()['status'], r.json()['components']['database']['status'])\n"
    )
    result = subprocess.run(  # noqa: S603 - the test's own fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split() == ["503", "down", "error"], result.stderr[-2000:]
