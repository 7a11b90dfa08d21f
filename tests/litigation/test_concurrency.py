"""Two court clerks record the same decision at the same moment: one ruling, one refusal (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection

from litigation.models import Ruling
from litigation.services import court
from pil_tracker.errors import DomainError
from tests.litigation.conftest import file_lawsuit, first_ruling

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")

THREADS = 6


def record_at_once(lawsuit) -> tuple[list[str], list[BaseException]]:
    """THREADS clerks record the first-instance ruling of `lawsuit` at the same moment: what each
    was told ("recorded", or the refusal's field or code), and the unexpected errors."""
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
    return outcomes, errors


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_instance_rulings_record_one(world):
    lawsuit = file_lawsuit(world)
    outcomes, errors = record_at_once(lawsuit)
    assert not errors, errors
    assert sorted(outcomes) == ["instance"] * (THREADS - 1) + ["recorded"]
    assert Ruling.objects.filter(lawsuit=lawsuit).count() == 1


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_row_locks_two_clerks_get_past_the_check(world, monkeypatch):
    """Control for the test above: with the case and lawsuit locks switched off, two clerks both
    find no first-instance ruling and both insert one; only the unique constraint then stops the
    second, with a database error instead of a clear refusal. So the test above shows the locks at
    work. The threads may not overlap on every try: a few tries, each on a new lawsuit."""
    monkeypatch.setattr(court, "lock", lambda model, pk: model.objects.get(pk=pk))
    for _ in range(5):
        lawsuit = file_lawsuit(world)
        outcomes, errors = record_at_once(lawsuit)
        assert all(isinstance(error, IntegrityError) for error in errors), errors
        if len(errors) + outcomes.count("recorded") >= 2:
            break
    else:
        pytest.fail("in five tries no two clerks got past the check together")
    assert outcomes.count("recorded") == 1
    assert "ruling_unique_per_instance" in str(errors[0])
    assert Ruling.objects.filter(lawsuit=lawsuit).count() == 1
