"""Joint-meeting services: scheduling, holding, decisions watched by the deadline engine, and
refusals that change nothing."""

from __future__ import annotations

import pytest

from cases.models import Event
from deadlines.models import Deadline
from deadlines.services import deadlines_scan
from meetings import services
from meetings.models import DECISION_RULE, DECISION_SUBJECT, Decision, Meeting, MeetingEvent, Participant
from notifications.models import Notification
from pil_tracker.errors import DomainError
from tests.meetings.conftest import TODAY, D

pytestmark = pytest.mark.django_db


def state() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Meeting, Participant, Decision, MeetingEvent, Deadline, Event)
    }


def refuses(call, *, field=None, code="invalid"):
    before = state()
    with pytest.raises(DomainError) as info:
        call()
    assert (info.value.field, info.value.code) == (field, code), info.value.message
    assert state() == before


def test_scheduling_records_participants_and_history_on_the_meeting_and_the_case(world, meeting, case):
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.procuratorate == world.district and meeting.recorder == world.supervisor
    assert {p.organisation for p in meeting.participants.all()} == {world.district, world.agency1, world.commission}
    assert meeting.participants.get(organisation=world.agency1).attendees == "王局长、李科长"
    assert list(meeting.events.values_list("kind", flat=True)) == [MeetingEvent.Kind.SCHEDULED]
    event = Event.objects.get(case=case, kind=Event.Kind.MEETING_SCHEDULED)
    assert "2026年第二次联席会议" in event.note


@pytest.mark.parametrize("who", ["procurator", "agency1_staff", "discipline", "other_supervisor"])
def test_only_a_supervisor_of_the_procuratorate_schedules(world, who):
    def call():
        services.meeting_schedule(
            user=getattr(world, who),
            title="会议",
            host=world.district,
            date=TODAY,
            participants=[world.agency1],
            procuratorate=world.district,
        )

    refuses(call, code="permission_denied")


def test_a_superior_supervisor_schedules_for_a_subordinate(world):
    meeting = services.meeting_schedule(
        user=world.city_supervisor,
        title="会议",
        host=world.district,
        date=TODAY,
        participants=[world.agency1],
        procuratorate=world.district,
    )
    assert meeting.procuratorate == world.district


def test_postpone_then_hold_then_no_cancel(world, meeting):
    services.meeting_postpone(user=world.supervisor, meeting=meeting, date=D(2026, 6, 25), reason="领导出差")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.date, meeting.status_reason) == (
        Meeting.Status.POSTPONED,
        D(2026, 6, 25),
        "领导出差",
    )
    services.meeting_hold(user=world.supervisor, meeting=meeting, held_on=D(2026, 6, 25), minutes="纪要", today=TODAY)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    refuses(
        lambda: services.meeting_cancel(user=world.supervisor, meeting=meeting, reason="x"), code="invalid_transition"
    )


def test_cancel_needs_a_reason(world, meeting):
    refuses(lambda: services.meeting_cancel(user=world.supervisor, meeting=meeting, reason=" "), field="reason")
    services.meeting_cancel(user=world.supervisor, meeting=meeting, reason="议题已解决")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_holding_refuses_a_future_date_and_empty_minutes(world, meeting):
    refuses(
        lambda: services.meeting_hold(
            user=world.supervisor, meeting=meeting, held_on=D(2026, 7, 1), minutes="x", today=TODAY
        ),
        field="held_on",
    )
    refuses(
        lambda: services.meeting_hold(user=world.supervisor, meeting=meeting, held_on=TODAY, minutes="", today=TODAY),
        field="minutes",
    )
    refuses(
        lambda: services.meeting_hold(user=world.procurator, meeting=meeting, held_on=TODAY, minutes="x", today=TODAY),
        code="permission_denied",
    )


def test_a_decision_opens_a_watched_follow_up_of_its_owner(world, held, decisions, case):
    own, _ = decisions
    deadline = Deadline.objects.get(subject_type=DECISION_SUBJECT, subject_id=own.pk)
    assert deadline.rule.code == DECISION_RULE
    assert (deadline.due_date, deadline.agency, deadline.watcher) == (D(2026, 7, 31), world.agency1, world.supervisor)
    assert deadline.status == Deadline.Status.OPEN
    assert Event.objects.filter(case=case, kind=Event.Kind.MEETING_DECISION_RECORDED).count() == 2


def test_decision_refusals(world, meeting, held):
    def record(**kw):
        args = {
            "user": world.supervisor,
            "meeting": held,
            "text": "事项",
            "owner": world.agency1,
            "due_date": D(2026, 7, 31),
            "today": TODAY,
        } | kw
        return lambda: services.decision_record(**args)

    refuses(record(owner=world.agency2), field="owner")  # not a participant
    refuses(record(due_date=TODAY), field="due_date")
    refuses(record(due_date=D(2999, 1, 1)), field="due_date")  # the period would not fit
    refuses(record(text=" "), field="text")
    refuses(record(user=world.agency1_staff), code="permission_denied")


def test_no_decision_before_the_meeting_is_held(world, meeting):
    refuses(
        lambda: services.decision_record(
            user=world.supervisor, meeting=meeting, text="x", owner=world.agency1, due_date=D(2026, 7, 31), today=TODAY
        ),
        code="invalid_transition",
    )


def test_the_owner_marks_done_and_the_deadline_closes(world, decisions):
    own, _ = decisions
    services.decision_done(
        user=world.agency1_staff, decision=own, note="已清理完毕", done_on=D(2026, 7, 20), today=D(2026, 7, 20)
    )
    own.refresh_from_db()
    assert (own.status, own.done_on, own.done_by) == (Decision.Status.DONE, D(2026, 7, 20), world.agency1_staff)
    deadline = Deadline.objects.get(subject_type=DECISION_SUBJECT, subject_id=own.pk)
    assert (deadline.status, deadline.fulfilled_on) == (Deadline.Status.MET, D(2026, 7, 20))
    refuses(
        lambda: services.decision_done(
            user=world.agency1_staff, decision=own, note="x", done_on=D(2026, 7, 20), today=D(2026, 7, 20)
        ),
        code="invalid_transition",
    )


def test_done_late_closes_the_deadline_late_and_the_supervisor_may_record_it(world, decisions):
    _, commission = decisions
    services.decision_done(
        user=world.supervisor, decision=commission, note="已督办", done_on=D(2026, 9, 5), today=D(2026, 9, 5)
    )
    assert Deadline.objects.get(subject_type=DECISION_SUBJECT, subject_id=commission.pk).status == Deadline.Status.LATE


@pytest.mark.parametrize("who", ["agency2_staff", "procurator", "discipline", "other_supervisor"])
def test_others_cannot_mark_agency1s_decision_done(world, decisions, who):
    own, _ = decisions
    refuses(
        lambda: services.decision_done(user=getattr(world, who), decision=own, note="x", done_on=TODAY, today=TODAY),
        code="permission_denied",
    )


def test_done_needs_a_note_and_no_future_date(world, decisions):
    own, _ = decisions
    refuses(
        lambda: services.decision_done(user=world.agency1_staff, decision=own, note="", done_on=TODAY, today=TODAY),
        field="note",
    )
    refuses(
        lambda: services.decision_done(
            user=world.agency1_staff, decision=own, note="x", done_on=D(2026, 7, 1), today=TODAY
        ),
        field="done_on",
    )
    refuses(
        lambda: services.decision_done(
            user=world.agency1_staff, decision=own, note="x", done_on=D(2026, 6, 19), today=TODAY
        ),
        field="done_on",
    )  # before the meeting


def test_the_scan_reminds_the_owner_and_the_recorder_with_a_link_to_the_meeting(world, decisions):
    own, _ = decisions
    deadlines_scan(today=D(2026, 8, 3))  # overdue
    deadline = Deadline.objects.get(subject_type=DECISION_SUBJECT, subject_id=own.pk)
    sent = Notification.objects.filter(key=f"deadline:{deadline.pk}:overdue")
    assert {n.recipient for n in sent} == {world.supervisor, world.agency1_staff}
    assert all(n.url == f"/meetings/{own.meeting_id}/#decision-{own.pk}" for n in sent)


def test_a_merged_agency_reads_its_decision_but_cannot_mark_it_done(world, decisions):
    own, _ = decisions
    world.agency1.is_active = False
    world.agency1.save()
    own.refresh_from_db()
    refuses(
        lambda: services.decision_done(user=world.agency1_staff, decision=own, note="x", done_on=TODAY, today=TODAY),
        code="permission_denied",
    )
