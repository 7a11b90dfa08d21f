"""Two submissions at the same moment (PostgreSQL): a double click, or two responsible persons of the
same agency, submit one draft; or two final reports of one recommendation are submitted together.
Each race test has a control with the lock switched off, to show that the race does happen."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from accounts.models import Role
from cases.models import Case, Event, Recommendation
from deadlines.models import Deadline
from feedback import services
from feedback.models import FeedbackReport
from notifications.models import Notification
from pil_tracker.errors import DomainError
from tests.deadlines.conftest import seeded  # noqa: F401  (a fixture: the deadline rules, after a flush)
from tests.factories import CaseFactory, UserFactory, recommendation_at
from tests.feedback.conftest import DAY, draft

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")

# Serving a recommendation opens its reply deadline: the rules must be there, and an earlier
# transactional test may have flushed them.
pytestmark = pytest.mark.usefixtures("seeded")

Kind = FeedbackReport.Kind

TRIES = 5


@pytest.fixture
def bosses(world, boss):
    """agency1's two responsible persons: either may submit."""
    deputy = UserFactory(
        username="agency1_deputy",
        full_name="李副局长",
        title="副局长",
        organisation=world.agency1,
        role=Role.AGENCY_STAFF,
        is_responsible_person=True,
    )
    return [boss, deputy]


def served_recommendation(world) -> Recommendation:
    """A new recommendation of a district case served on agency1 (a fresh one for each try)."""
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    return recommendation_at(Recommendation.Status.SERVED, case=case, agency=world.agency1, approver=world.supervisor)


def submit_at_once(submissions) -> tuple[list[str], list[BaseException]]:
    """Each (user, report) of `submissions` submitted by its own thread at the same moment: what each
    was told ("submitted", or the refusal's code), and the unexpected errors."""
    barrier = threading.Barrier(len(submissions))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def worker(user, report) -> None:
        try:
            barrier.wait(timeout=30)
            services.feedback_submit(user=user, report=report, today=DAY)
            outcomes.append("submitted")
        except DomainError as error:
            outcomes.append(error.code or error.field)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=submission) for submission in submissions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, errors


def events(recommendation: Recommendation, kind: str) -> int:
    return Event.objects.filter(recommendation=recommendation, kind=kind).count()


def reply_deadline(recommendation: Recommendation) -> Deadline:
    return Deadline.objects.get(recommendation=recommendation, rule__code__in=["reply", "reply_urgent"])


def without_lock_on(model, monkeypatch) -> None:
    """feedback_submit reads `model`'s rows without a row lock; its other locks stay."""
    locked = services.lock
    monkeypatch.setattr(services, "lock", lambda m, pk: m.objects.get(pk=pk) if m is model else locked(m, pk))


# --- One draft submitted twice ------------------------------------------------------------------


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_draft_submitted_twice_at_once_is_submitted_once(world, served, bosses):
    report = draft(world.agency1_staff, served, kind=Kind.FINAL)

    outcomes, errors = submit_at_once([(user, report) for user in bosses])

    assert not errors, errors
    assert sorted(outcomes) == ["immutable", "submitted"]
    report.refresh_from_db()
    assert report.is_submitted and report.submitted_by in bosses
    assert events(served, Event.Kind.FEEDBACK_SUBMITTED) == 1
    # The final report is the written reply: recorded once, the reply deadline closed once.
    served.refresh_from_db()
    assert served.status == Recommendation.Status.REPLIED
    assert served.case.status == Case.Status.FOLLOW_UP
    assert events(served, Event.Kind.REPLY_RECORDED) == 1
    assert (reply_deadline(served).status, reply_deadline(served).fulfilled_on) == (Deadline.Status.MET, DAY)
    # Each of the case's handlers is told once.
    notified = Notification.objects.filter(key=f"feedback:report:{report.pk}")
    assert list(notified.values_list("recipient", flat=True)) == [world.procurator.pk]


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_draft_lock_one_draft_is_submitted_twice(world, bosses, monkeypatch):
    """Control for the test above: with the draft read without its row lock, both submissions find
    a draft and both submit it, with a second history event (the recommendation's lock and the
    notifications' unique key still keep the written reply and the notice single). So the test above
    shows the draft lock at work. The threads may not overlap on every try: a few tries, each on a
    new recommendation."""
    without_lock_on(FeedbackReport, monkeypatch)
    for _ in range(TRIES):
        served = served_recommendation(world)
        report = draft(world.agency1_staff, served, kind=Kind.FINAL)
        outcomes, errors = submit_at_once([(user, report) for user in bosses])
        assert not errors, errors
        if outcomes == ["submitted", "submitted"]:
            break
    else:
        pytest.fail(f"in {TRIES} tries the two submissions never both found the draft")
    assert events(served, Event.Kind.FEEDBACK_SUBMITTED) == 2
    assert events(served, Event.Kind.REPLY_RECORDED) == 1


# --- Two final reports of one recommendation ----------------------------------------------------


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_final_reports_at_once_record_the_written_reply_once(world, served, bosses):
    """A second final report is accepted (as it is one after the other); the written reply is the
    first one's, recorded once."""
    reports = [draft(world.agency1_staff, served, kind=Kind.FINAL) for _ in bosses]

    outcomes, errors = submit_at_once(list(zip(bosses, reports, strict=True)))

    assert not errors, errors
    assert outcomes == ["submitted", "submitted"]
    assert all(FeedbackReport.objects.get(pk=r.pk).is_submitted for r in reports)
    assert events(served, Event.Kind.FEEDBACK_SUBMITTED) == 2
    served.refresh_from_db()
    assert served.status == Recommendation.Status.REPLIED
    assert events(served, Event.Kind.REPLY_RECORDED) == 1
    assert reply_deadline(served).status == Deadline.Status.MET


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_recommendation_lock_a_final_report_is_refused(world, bosses, monkeypatch):
    """Control for the test above: with feedback_submit reading the recommendation without its row
    lock, both final reports find it served and both go to record the written reply; the reply's own
    status check then refuses the second, so one of two valid final reports is lost to a state error.
    So the test above shows the recommendation lock at work."""
    without_lock_on(Recommendation, monkeypatch)
    for _ in range(TRIES):
        served = served_recommendation(world)
        reports = [draft(world.agency1_staff, served, kind=Kind.FINAL) for _ in bosses]
        outcomes, errors = submit_at_once(list(zip(bosses, reports, strict=True)))
        assert not errors, errors
        if outcomes != ["submitted", "submitted"]:
            break
    else:
        pytest.fail(f"in {TRIES} tries the two final reports never both found the recommendation served")
    assert sorted(outcomes) == ["invalid_transition", "submitted"]
    assert FeedbackReport.objects.filter(recommendation=served, status=FeedbackReport.Status.SUBMITTED).count() == 1
    assert events(served, Event.Kind.REPLY_RECORDED) == 1
