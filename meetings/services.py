"""Joint meetings (docs/domain.md, Joint meetings): schedule, postpone, cancel, hold with minutes,
record decisions (each a watched follow-up of its owner organisation) and mark them done.

Every service checks who may act (DomainError code "permission_denied") and the meeting's state,
in one transaction, changing nothing when it refuses. Events go to the meeting's history and to
the timeline of every case it discussed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from agencies.models import Organisation
from cases.models import Case, Event, Recommendation
from cases.services.history import event_record, message
from deadlines.models import Deadline
from deadlines.services import deadline_close, deadline_open_until
from meetings.models import DECISION_RULE, DECISION_SUBJECT, Decision, Meeting, MeetingEvent, Participant
from meetings.selectors import can_mark_done, can_record, can_schedule
from pil_tracker.errors import DomainError

OPEN_STATES = (Meeting.Status.SCHEDULED, Meeting.Status.POSTPONED)
# A decision's due date at most five years ahead: the deadline stores its period in days (a small
# integer), and a follow-up further away is no follow-up.
DECISION_MAX_DAYS = 5 * 366


def _denied() -> DomainError:
    return DomainError(_("您无权办理此联席会议事项。"), code="permission_denied")


def _require_record(user: User, meeting: Meeting) -> None:
    if not can_record(user, meeting):
        raise _denied()


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _history(
    *, meeting: Meeting, kind: str, case_kind: str, actor: User, msgid: str, note: str = "", decision=None, **params
) -> None:
    MeetingEvent.objects.create(meeting=meeting, decision=decision, kind=kind, actor=actor, note=note)
    for case in meeting.cases.all():
        event_record(
            kind=case_kind,
            actor=actor,
            case=case,
            parts=[message(msgid, title=meeting.title, **params)],
            note=note,
        )


def _set_participants(meeting: Meeting, participants: Iterable[Organisation], attendees: dict[int, str]) -> None:
    orgs = list(dict.fromkeys(participants))
    if not orgs:
        raise DomainError(_("请至少选择一个参会单位。"), field="participants")
    meeting.participants.exclude(organisation__in=orgs).delete()
    for org in orgs:
        Participant.objects.update_or_create(
            meeting=meeting, organisation=org, defaults={"attendees": attendees.get(org.pk, "")}
        )


@transaction.atomic
def meeting_schedule(
    *,
    user: User,
    title: str,
    host: Organisation,
    date: datetime.date,
    participants: Iterable[Organisation],
    place: str = "",
    agenda: str = "",
    other_participants: str = "",
    attendees: dict[int, str] | None = None,
    cases: Iterable[Case] = (),
    recommendations: Iterable[Recommendation] = (),
    referrals_text: str = "",
    procuratorate: Organisation | None = None,
) -> Meeting:
    """Schedule a meeting kept by `procuratorate` (the user's own by default)."""
    if not can_schedule(user):
        raise _denied()
    assert user.organisation is not None  # can_schedule checked it
    procuratorate = procuratorate or user.organisation
    if not user.acts_as_supervisor_of(procuratorate):
        raise _denied()
    meeting = Meeting.objects.create(
        title=title,
        procuratorate=procuratorate,
        host=host,
        date=date,
        place=place,
        agenda=agenda,
        other_participants=other_participants,
        referrals_text=referrals_text,
        recorder=user,
    )
    _set_participants(meeting, participants, attendees or {})
    meeting.cases.set(list(cases))
    meeting.recommendations.set(list(recommendations))
    _history(
        meeting=meeting,
        kind=MeetingEvent.Kind.SCHEDULED,
        case_kind=Event.Kind.MEETING_SCHEDULED,
        actor=user,
        msgid=gettext_noop("安排联席会议“%(title)s”，会议日期%(date)s"),
        date=date.isoformat(),
    )
    return meeting


@transaction.atomic
def meeting_postpone(*, user: User, meeting: Meeting, date: datetime.date, reason: str) -> Meeting:
    _require_record(user, meeting)
    meeting = _locked(meeting)
    if meeting.status not in OPEN_STATES:
        raise DomainError(_("只有尚未召开的会议可以延期。"), code="invalid_transition")
    if not reason.strip():
        raise DomainError(_("请说明原因。"), field="reason")
    meeting.date, meeting.status, meeting.status_reason = date, Meeting.Status.POSTPONED, reason
    meeting.save(update_fields=["date", "status", "status_reason"])
    MeetingEvent.objects.create(meeting=meeting, kind=MeetingEvent.Kind.POSTPONED, actor=user, note=reason)
    return meeting


@transaction.atomic
def meeting_cancel(*, user: User, meeting: Meeting, reason: str) -> Meeting:
    _require_record(user, meeting)
    meeting = _locked(meeting)
    if meeting.status not in OPEN_STATES:
        raise DomainError(_("只有尚未召开的会议可以取消。"), code="invalid_transition")
    if not reason.strip():
        raise DomainError(_("请说明原因。"), field="reason")
    meeting.status, meeting.status_reason = Meeting.Status.CANCELLED, reason
    meeting.save(update_fields=["status", "status_reason"])
    MeetingEvent.objects.create(meeting=meeting, kind=MeetingEvent.Kind.CANCELLED, actor=user, note=reason)
    return meeting


@transaction.atomic
def meeting_hold(
    *, user: User, meeting: Meeting, held_on: datetime.date, minutes: str, today: datetime.date
) -> Meeting:
    """Record that the meeting took place on `held_on` (not in the future), with its minutes."""
    _require_record(user, meeting)
    meeting = _locked(meeting)
    if meeting.status not in OPEN_STATES:
        raise DomainError(_("该会议已召开或已取消。"), code="invalid_transition")
    if held_on > today:
        raise DomainError(_("召开日期不能晚于今天。"), field="held_on")
    if not minutes.strip():
        raise DomainError(_("请填写会议纪要。"), field="minutes")
    meeting.date, meeting.status, meeting.minutes = held_on, Meeting.Status.HELD, minutes
    meeting.save(update_fields=["date", "status", "minutes"])
    _history(
        meeting=meeting,
        kind=MeetingEvent.Kind.HELD,
        case_kind=Event.Kind.MEETING_HELD,
        actor=user,
        msgid=gettext_noop("召开联席会议“%(title)s”"),
    )
    return meeting


@transaction.atomic
def decision_record(
    *,
    user: User,
    meeting: Meeting,
    text: str,
    owner: Organisation,
    due_date: datetime.date,
    today: datetime.date,
) -> Decision:
    """A decision of a held meeting, owned by one of its participants: its due date is watched
    (rule meeting_decision; the owner is reminded, the recorder watches)."""
    _require_record(user, meeting)
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.HELD:
        raise DomainError(_("会议召开后才能记录议定事项。"), code="invalid_transition")
    if not meeting.participants.filter(organisation=owner).exists():
        raise DomainError(_("责任单位须为参会单位。"), field="owner")
    if not text.strip():
        raise DomainError(_("请填写议定事项。"), field="text")
    if due_date <= today:
        raise DomainError(_("完成期限须晚于今天。"), field="due_date")
    if (due_date - today).days > DECISION_MAX_DAYS:
        raise DomainError(_("完成期限不能晚于五年以后。"), field="due_date")
    decision = Decision.objects.create(meeting=meeting, text=text, owner=owner, due_date=due_date)
    deadline_open_until(
        rule_code=DECISION_RULE,
        start_date=today,
        due_date=due_date,
        subject=(DECISION_SUBJECT, decision.pk),
        watcher=meeting.recorder,
        agency=owner,
        label=f"{meeting.title}：{text}"[:200],
    )
    _history(
        meeting=meeting,
        kind=MeetingEvent.Kind.DECISION_RECORDED,
        case_kind=Event.Kind.MEETING_DECISION_RECORDED,
        actor=user,
        decision=decision,
        note=text,
        msgid=gettext_noop("联席会议“%(title)s”议定事项，责任单位%(owner)s，完成期限%(due)s"),
        owner=owner.name,
        due=due_date.isoformat(),
    )
    return decision


@transaction.atomic
def decision_done(
    *, user: User, decision: Decision, note: str, done_on: datetime.date, today: datetime.date
) -> Decision:
    """The owner organisation (or the procuratorate) reports the decision carried out: its
    deadline closes on `done_on`."""
    if not can_mark_done(user, decision):
        raise _denied()
    decision = Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    if decision.status != Decision.Status.OPEN:
        raise DomainError(_("该议定事项已落实。"), code="invalid_transition")
    if not note.strip():
        raise DomainError(_("请填写落实情况。"), field="note")
    if done_on > today:
        raise DomainError(_("落实日期不能晚于今天。"), field="done_on")
    if done_on < decision.meeting.date:
        raise DomainError(_("落实日期不能早于会议召开日期。"), field="done_on")
    decision.status, decision.done_on, decision.done_note, decision.done_by = Decision.Status.DONE, done_on, note, user
    decision.save(update_fields=["status", "done_on", "done_note", "done_by"])
    running = Deadline.objects.filter(
        subject_type=DECISION_SUBJECT, subject_id=decision.pk, status=Deadline.Status.OPEN
    ).first()
    if running is not None:
        deadline_close(deadline=running, fulfilled_on=max(done_on, running.start_date))
    _history(
        meeting=decision.meeting,
        kind=MeetingEvent.Kind.DECISION_DONE,
        case_kind=Event.Kind.MEETING_DECISION_DONE,
        actor=user,
        decision=decision,
        note=note,
        msgid=gettext_noop("联席会议“%(title)s”议定事项已落实"),
    )
    return decision
