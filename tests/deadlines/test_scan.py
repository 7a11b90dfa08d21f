"""The scan: reminders, overdue flags and escalations, each once per deadline and level, however
often and however many at once it runs; catching up after a pause; never about a closed deadline."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from deadlines.models import Deadline, DeadlineAlert, RuleCode
from deadlines.services import alert_levels, deadlines_scan
from notifications.models import Notification
from tests.deadlines.conftest import deadline_due
from tests.factories import CaseFactory, DisciplineFactory, UserFactory
from tests.races import without_unique_constraint

D = datetime.date
DUE = D(2026, 10, 20)
day = datetime.timedelta(days=1)


def alerts(deadline: Deadline) -> list[str]:
    return sorted(deadline.alerts.values_list("level", flat=True))


def notified(**filters) -> set[tuple[str, str]]:
    """(recipient username, kind) of the notifications, optionally filtered."""
    return set(Notification.objects.filter(**filters).values_list("recipient__username", "kind"))


@pytest.fixture
def deadline(world, regions):
    d = deadline_due(world, DUE)
    d.case.co_handlers.add(world.procurator_colleague)
    return d


def test_levels_follow_the_settings(settings):
    settings.DEADLINE_REMINDER_DAYS = (10, 2)
    settings.DEADLINE_ESCALATION_DAYS = 30
    levels = {level.code: level.threshold for level in alert_levels(D(2026, 10, 1))}
    assert levels == {
        "remind_10": D(2026, 10, 11),
        "remind_2": D(2026, 10, 3),
        "overdue": D(2026, 9, 30),
        "escalated": D(2026, 9, 1),
    }


def test_nothing_happens_before_the_first_reminder_day(deadline):
    result = deadlines_scan(today=DUE - 8 * day)
    assert (result.alerts, result.notifications) == ({}, 0)
    assert alerts(deadline) == []


def test_reminders_go_out_seven_three_and_one_day_before(world, deadline):
    result = deadlines_scan(today=DUE - 7 * day)
    assert result.alerts == {"remind_7": 1}
    assert alerts(deadline) == ["remind_7"]
    # The handler, the co-handler and the staff of the agency that must reply.
    assert notified() == {
        ("procurator", "deadline_reminder"),
        ("colleague", "deadline_reminder"),
        ("agency1", "deadline_reminder"),
    }
    assert result.notifications == 3
    handler_note = Notification.objects.get(recipient=world.procurator)
    assert handler_note.title == "期限提醒：检察建议书面回复期限还剩7天（2026-10-20届满）"
    assert handler_note.key == f"deadline:{deadline.pk}:remind_7"
    assert handler_note.url == f"/cases/{deadline.case_id}/"
    assert deadline.case.number in handler_note.body
    agency_note = Notification.objects.get(recipient=world.agency1_staff)
    assert deadline.case.number not in agency_note.body  # the agency sees the recommendation, not the case
    assert deadline.recommendation.document_number in agency_note.body
    assert agency_note.url == f"/agency/recommendations/{deadline.recommendation_id}/"

    for days_before in (6, 5, 4):
        assert deadlines_scan(today=DUE - days_before * day).alerts == {}
    assert deadlines_scan(today=DUE - 3 * day).alerts == {"remind_3": 1}
    assert deadlines_scan(today=DUE - 1 * day).alerts == {"remind_1": 1}
    assert alerts(deadline) == ["remind_1", "remind_3", "remind_7"]
    assert Notification.objects.filter(recipient=world.procurator).count() == 3


def test_the_due_day_itself_is_not_overdue_and_the_day_after_is(world, deadline):
    deadlines_scan(today=DUE - 1 * day)
    assert deadlines_scan(today=DUE).alerts == {}
    assert not deadline.is_overdue_on(DUE)
    result = deadlines_scan(today=DUE + day)
    assert result.alerts == {"overdue": 1}
    assert deadline.is_overdue_on(DUE + day)
    assert notified(kind="deadline_overdue") == {
        ("procurator", "deadline_overdue"),
        ("colleague", "deadline_overdue"),
        ("agency1", "deadline_overdue"),
    }
    note = Notification.objects.get(recipient=world.procurator, kind="deadline_overdue")
    assert note.title == "已逾期：检察建议书面回复期限（2026-10-20届满）"


def test_escalation_after_fifteen_days_overdue_goes_to_supervisors_and_the_discipline_liaison(world, deadline):
    deadlines_scan(today=DUE + day)
    assert deadlines_scan(today=DUE + 14 * day).alerts == {}
    result = deadlines_scan(today=DUE + 15 * day)
    assert result.alerts == {"escalated": 1}
    # The issuing (district) procuratorate's supervisor and the liaison of the commission in the
    # parent region; not the city supervisor, not the handlers again, not another region's liaison.
    assert notified(kind="deadline_escalated") == {
        ("supervisor", "deadline_escalated"),
        ("discipline", "deadline_escalated"),
    }
    note = Notification.objects.get(recipient=world.discipline)
    assert note.title == "逾期升级督办：检察建议书面回复期限已逾期15天"
    assert "测试区人民检察院" in note.body


def test_the_escalation_delay_is_configurable(settings, deadline):
    settings.DEADLINE_ESCALATION_DAYS = 30
    assert "escalated" not in deadlines_scan(today=DUE + 15 * day).alerts
    assert "escalated" in deadlines_scan(today=DUE + 30 * day).alerts


def test_a_liaison_of_an_unrelated_region_hears_nothing(world, deadline):
    from agencies.models import Region

    elsewhere = DisciplineFactory(name="外市纪委监委", region=Region.objects.create(name="外市", code="999000"))
    UserFactory(username="far_liaison", organisation=elsewhere, role="discipline_liaison")
    deadlines_scan(today=DUE + 15 * day)
    assert ("far_liaison", "deadline_escalated") not in notified()


def test_after_a_week_without_a_scan_each_level_happens_once_and_only_the_latest_is_sent(world, deadline):
    assert deadlines_scan(today=DUE - 10 * day).alerts == {}
    result = deadlines_scan(today=DUE + 20 * day)
    assert result.alerts == {"remind_7": 1, "remind_3": 1, "remind_1": 1, "overdue": 1, "escalated": 1}
    assert dict(deadline.alerts.values_list("level", "notified")) == {
        "remind_7": False,
        "remind_3": False,
        "remind_1": False,
        "overdue": True,
        "escalated": True,
    }
    # Stale reminders are not sent: the handlers hear that it is overdue, the supervisors of the escalation.
    assert notified() == {
        ("procurator", "deadline_overdue"),
        ("colleague", "deadline_overdue"),
        ("agency1", "deadline_overdue"),
        ("supervisor", "deadline_escalated"),
        ("discipline", "deadline_escalated"),
    }


def test_a_scan_that_first_sees_a_deadline_on_its_due_day_says_it_is_due_today(world, deadline):
    result = deadlines_scan(today=DUE)
    assert result.alerts == {"remind_7": 1, "remind_3": 1, "remind_1": 1}
    assert Notification.objects.get(recipient=world.procurator).title == "今天到期：检察建议书面回复期限"


def test_running_twice_has_one_effect(deadline):
    first = deadlines_scan(today=DUE + 20 * day)
    counts = (DeadlineAlert.objects.count(), Notification.objects.count())
    second = deadlines_scan(today=DUE + 20 * day)
    assert (second.alerts, second.notifications) == ({}, 0)
    assert (DeadlineAlert.objects.count(), Notification.objects.count()) == counts == (5, first.notifications)


@pytest.mark.parametrize("status", [Deadline.Status.MET, Deadline.Status.LATE, Deadline.Status.CANCELLED])
def test_a_closed_deadline_is_never_flagged(world, status):
    closed = deadline_due(world, DUE, status=status)
    result = deadlines_scan(today=DUE + 30 * day)
    assert (result.alerts, result.notifications) == ({}, 0)
    assert alerts(closed) == []


def test_a_deadline_closed_after_its_reminder_gets_nothing_more(deadline):
    deadlines_scan(today=DUE - 7 * day)
    Deadline.objects.filter(pk=deadline.pk).update(status=Deadline.Status.MET)
    assert deadlines_scan(today=DUE + 30 * day).alerts == {}
    assert alerts(deadline) == ["remind_7"]


def test_the_agency_hears_only_about_its_own_duties(world, regions):
    filing = deadline_due(world, DUE, rule=RuleCode.FILING)  # the procuratorate's own act
    deadlines_scan(today=DUE + day)
    assert notified() == {("procurator", "deadline_overdue")}
    assert alerts(filing) == ["overdue", "remind_1", "remind_3", "remind_7"]


def test_inactive_people_are_not_notified(world, deadline):
    world.procurator_colleague.is_active = False
    world.procurator_colleague.save()
    world.agency1_staff.is_active = False
    world.agency1_staff.save()
    deadlines_scan(today=DUE - 7 * day)
    assert notified() == {("procurator", "deadline_reminder")}


def test_other_agencies_and_procuratorates_hear_nothing(world, deadline):
    other_case = CaseFactory(procuratorate=world.other, handler=world.other_procurator)
    deadline_due(world, DUE, case=other_case)
    deadlines_scan(today=DUE + 15 * day)
    names = {name for name, _kind in notified()}
    assert "agency2" not in names
    assert "other_supervisor" in names  # escalation of the other procuratorate's own deadline
    assert "city_supervisor" not in names


def test_the_reminder_days_are_configurable(settings, deadline):
    settings.DEADLINE_REMINDER_DAYS = (10,)
    assert deadlines_scan(today=DUE - 10 * day).alerts == {"remind_10": 1}
    assert deadlines_scan(today=DUE - 1 * day).alerts == {}


def test_the_scan_costs_the_same_number_of_queries_for_two_or_twelve_deadlines(world, regions):
    # Twelve, not more: SQLite splits a bulk INSERT of notifications every ~60 rows (999 parameters).
    def queries_for(n: int, today: datetime.date) -> int:
        for _ in range(n):
            d = deadline_due(world, today - 20 * day)
            d.case.co_handlers.add(world.procurator_colleague)
        with CaptureQueriesContext(connection) as captured:
            result = deadlines_scan(today=today)
        assert result.alerts["escalated"] == n
        return len(captured)

    assert queries_for(2, D(2026, 10, 1)) == queries_for(12, D(2026, 11, 1))


def test_the_scan_claims_with_one_insert_statement(deadline):
    with CaptureQueriesContext(connection) as captured:
        deadlines_scan(today=DUE + 20 * day)
    inserts = [q["sql"] for q in captured if "INSERT INTO deadlines_deadlinealert" in q["sql"]]
    assert len(inserts) == 1
    assert "ON CONFLICT" in inserts[0]


def scan_at_once(threads_count: int) -> tuple[list, list[BaseException]]:
    """`threads_count` scans started at the same moment: their results, and the errors."""
    barrier = threading.Barrier(threads_count)
    results: list = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(deadlines_scan(today=DUE + 20 * day))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.postgres
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (two connections writing at once)",
)
@pytest.mark.django_db(transaction=True)
def test_scans_running_at_the_same_time_on_postgresql_have_one_effect(seeded, world, regions):
    deadlines = [deadline_due(world, DUE) for _ in range(20)]
    for d in deadlines:
        d.case.co_handlers.add(world.procurator_colleague)
    threads_count = 4
    results, errors = scan_at_once(threads_count)
    assert not errors, errors
    assert DeadlineAlert.objects.count() == 20 * 5
    assert sum(r.alerts_total for r in results) == 20 * 5
    # Overdue to handler, co-handler and agency staff; escalation to supervisor and liaison.
    assert Notification.objects.count() == 20 * 5 == sum(r.notifications for r in results)
    assert sorted(r.alerts_total for r in results) == [0] * (threads_count - 1) + [100]


@pytest.mark.postgres
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (two connections writing at once)",
)
@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_and_the_constraint_concurrent_scans_alert_twice(seeded, world, monkeypatch):
    """Control for the test above: the same race with the scan's advisory lock skipped and without
    the unique constraint on (deadline, level) does raise one alert twice, so the test above shows
    those protections at work. A few tries, each on new deadlines, in case the scans do not overlap."""
    execute = CursorWrapper.execute

    def execute_without_scan_lock(self, sql, params=None):
        return None if "pg_advisory_xact_lock" in sql else execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute_without_scan_lock)
    with without_unique_constraint(DeadlineAlert, "deadlinealert_once_per_level", monkeypatch):
        for _ in range(5):
            deadlines = [deadline_due(world, DUE) for _ in range(5)]
            results, errors = scan_at_once(4)
            assert not errors, errors
            twice = (
                DeadlineAlert.objects.filter(deadline__in=deadlines)
                .values("deadline", "level")
                .annotate(n=Count("id"))
                .filter(n__gt=1)
            )
            if twice.exists():
                break
        else:
            pytest.fail("in five tries the concurrent scans never overlapped")
        assert (
            sum(r.alerts_total for r in results)
            > DeadlineAlert.objects.filter(deadline__in=deadlines).values("deadline", "level").distinct().count()
        )


def test_emails_not_yet_sent_about_a_deadline_are_stopped_when_its_case_closes(world, deadline):
    from deadlines.services import deadlines_cancel_for_case

    world.procurator.email = "procurator@example.org"
    world.procurator.save(update_fields=["email"])
    deadlines_scan(today=DUE + day)
    mine = Notification.objects.get(recipient=world.procurator, kind="deadline_overdue")
    assert mine.email_status == Notification.EmailStatus.PENDING
    deadlines_cancel_for_case(case=deadline.case)
    mine.refresh_from_db()
    # The in-app record stays; the email about a settled deadline is not sent.
    assert mine.email_status == Notification.EmailStatus.SKIPPED


def test_emails_about_other_deadlines_still_go_out_when_one_is_met(world, deadline):
    from deadlines.services import deadline_close

    world.procurator.email = "procurator@example.org"
    world.procurator.save(update_fields=["email"])
    other = deadline_due(world, DUE)
    deadlines_scan(today=DUE + day)
    deadline_close(deadline=deadline, fulfilled_on=DUE + day)
    statuses = dict(
        Notification.objects.filter(recipient=world.procurator, kind="deadline_overdue").values_list(
            "key", "email_status"
        )
    )
    assert statuses[f"deadline:{deadline.pk}:overdue"] == Notification.EmailStatus.SKIPPED
    assert statuses[f"deadline:{other.pk}:overdue"] == Notification.EmailStatus.PENDING
