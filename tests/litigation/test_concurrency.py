"""Two court clerks record the same decision at the same moment: one ruling, one refusal (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from litigation.models import Ruling
from pil_tracker.errors import DomainError
from tests.litigation.conftest import file_lawsuit, first_ruling

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")

THREADS = 6


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_instance_rulings_record_one(world):
    lawsuit = file_lawsuit(world)
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            first_ruling(lawsuit)
            outcomes.append("recorded")
        except DomainError as error:
            outcomes.append(error.field or error.code)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(outcomes) == ["instance"] * (THREADS - 1) + ["recorded"]
    assert Ruling.objects.filter(lawsuit=lawsuit).count() == 1
