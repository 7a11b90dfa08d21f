"""Recording a supervision action: who may, what is checked, what follows (timeline, handler told),
and a refusal changes nothing."""

from __future__ import annotations

import datetime

import pytest

from cases.models import Event
from notifications.models import Notification
from pil_tracker.errors import DomainError
from supervision.models import SupervisionAction, SupervisionActionFile
from supervision.services import supervision_action_record
from tests.factories import DisciplineFactory, UserFactory
from tests.feedback.conftest import exe_file, pdf_file

day = datetime.timedelta(days=1)


def state() -> tuple:
    return (
        list(SupervisionAction.objects.values()),
        list(SupervisionActionFile.objects.values()),
        Event.objects.count(),
        Notification.objects.filter(kind="supervision_action_recorded").count(),
    )


def record(user, escalation, today, **overrides):
    data = {"kind": "interview", "taken_on": today, "note": "约谈该局主要负责人。", "files": (), "today": today}
    data.update(overrides)
    return supervision_action_record(user=user, escalation=escalation, **data)


def test_the_liaison_records_an_action_the_case_timeline_and_the_handler_hear_of_it(world, escalation, today):
    action = record(world.discipline, escalation, today, files=[pdf_file("约谈笔录.pdf")])
    assert (action.kind, action.commission, action.recommendation) == (
        "interview",
        world.commission,
        escalation.deadline.recommendation,
    )
    assert [f.original_name for f in action.files.all()] == ["约谈笔录.pdf"]
    event = Event.objects.get(kind=Event.Kind.SUPERVISION_ACTION_RECORDED)
    assert event.case == escalation.deadline.case
    assert "约谈" in event.note and world.commission.name in event.note
    note = Notification.objects.get(kind="supervision_action_recorded")
    assert note.recipient == world.procurator
    assert note.url == f"/cases/{escalation.deadline.case_id}/"
    assert "约谈" in note.title and escalation.deadline.recommendation.document_number in note.title


@pytest.mark.parametrize("who", ["procurator", "supervisor", "agency1_staff", "city_supervisor"])
def test_only_a_liaison_may_record(world, escalation, today, who):
    before = state()
    with pytest.raises(DomainError) as info:
        record(getattr(world, who), escalation, today)
    assert info.value.code == "permission_denied"
    assert state() == before


def test_a_liaison_of_another_region_may_not_record(world, escalation, today):
    from agencies.models import Region

    far = DisciplineFactory(region=Region.objects.create(name="外市", code="999000"))
    liaison = UserFactory(organisation=far, role="discipline_liaison")
    before = state()
    with pytest.raises(DomainError):
        record(liaison, escalation, today)
    assert state() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "bribe"}, "kind"),
        ({"taken_on_shift": 1}, "taken_on"),  # tomorrow
        ({"taken_on_due": -1}, "taken_on"),  # before the reply was due
        ({"note": "   "}, "note"),
        ({"files": "exe"}, "files"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_changes_nothing(world, escalation, today, overrides, field, settings):
    if "taken_on_shift" in overrides:
        overrides = {"taken_on": today + day}
    elif "taken_on_due" in overrides:
        overrides = {"taken_on": escalation.deadline.due_date - day}
    elif overrides.get("files") == "exe":
        overrides = {"files": [pdf_file("好的.pdf"), exe_file()]}
    before = state()
    with pytest.raises(DomainError) as info:
        record(world.discipline, escalation, today, **overrides)
    assert info.value.field == field
    assert state() == before
    media = settings.MEDIA_ROOT / "supervision"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
