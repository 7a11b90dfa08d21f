"""Fixtures for the notification tests: users with email addresses, and Celery run in-process."""

from __future__ import annotations

import pytest

from pil_tracker.celery import app


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks run in the test's own process when enqueued; test_worker.py uses a real broker."""
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, False
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def world_with_emails(world):
    for name, user in vars(world).items():
        if hasattr(user, "email"):
            user.email = f"{name}@example.test"
            user.save(update_fields=["email"])
    return world
