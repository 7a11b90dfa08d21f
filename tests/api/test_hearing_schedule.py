"""POST /api/v1/hearings/{id}/reschedule/ and /cancel/: the case's handler acts; a user in scope
who may not gets 403, an outsider 404, bad input 400 with the field named — and a refusal changes
nothing (the hearing, the case's history, the notifications)."""

from __future__ import annotations

import datetime

import pytest

from cases.models import Event
from litigation import services as litigation_services
from litigation.models import Hearing
from notifications.models import Notification
from tests.api.conftest import client_for, file_lawsuit, litigation_case, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(world) -> Hearing:
    """A hearing against agency1 scheduled a month ahead of the real day (the API passes no fixed
    day to the services)."""
    lawsuit = file_lawsuit(litigation_case(world.district, world.procurator, world.agency1), world.agency1)
    return litigation_services.hearing_schedule(
        user=world.procurator, lawsuit=lawsuit, held_on=today() + datetime.timedelta(days=30), court_room="第一法庭"
    )


def url(hearing: Hearing, action: str) -> str:
    return f"/api/v1/hearings/{hearing.pk}/{action}/"


def state(hearing: Hearing) -> tuple:
    return (
        Hearing.objects.filter(pk=hearing.pk).values().get(),
        Event.objects.count(),
        Notification.objects.count(),
    )


def new_date(days: int = 60) -> str:
    return (today() + datetime.timedelta(days=days)).isoformat()


BODIES = {
    "reschedule": lambda: {"held_on": new_date(), "reason": "被告申请延期"},
    "cancel": lambda: {"reason": "原告撤回起诉"},
}

# role → status for both actions. In scope but not the handler: 403; out of scope: 404.
REFUSED = {
    "procurator_colleague": 403,
    "supervisor": 403,
    "city_supervisor": 403,
    "agency1_staff": 403,  # the defendant reads its hearings, does not move them
    "other_procurator": 404,
    "other_supervisor": 404,
    "agency2_staff": 404,
    "discipline": 404,
}


def test_the_handler_reschedules_a_hearing(world, hearing):
    previous = hearing.held_on
    response = client_for(world.procurator).post(
        url(hearing, "reschedule"),
        {"held_on": new_date(), "court_room": "第三法庭", "reason": "被告申请延期"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["held_on"] == new_date() and body["rescheduled_from"] == previous.isoformat()
    assert (body["reschedule_count"], body["court_room"], body["is_cancelled"]) == (1, "第三法庭", False)
    assert Notification.objects.filter(
        recipient=world.agency1_staff, key=f"litigation:hearing:{hearing.pk}:rescheduled:1"
    ).exists()


def test_the_handler_cancels_a_hearing(world, hearing):
    response = client_for(world.procurator).post(url(hearing, "cancel"), {"reason": "原告撤回起诉"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["is_cancelled"], body["is_held"], body["cancel_reason"]) == (True, False, "原告撤回起诉")
    assert body["cancelled_on"] == today().isoformat()
    # The defendant reads the cancelled hearing, with its reason.
    agency = client_for(world.agency1_staff).get(f"/api/v1/hearings/{hearing.pk}/").json()
    assert (agency["is_cancelled"], agency["cancel_reason"]) == (True, "原告撤回起诉")
    assert "note" not in agency


@pytest.mark.parametrize("action", list(BODIES))
@pytest.mark.parametrize(("role", "expected"), REFUSED.items(), ids=list(REFUSED))
def test_others_are_refused_and_nothing_changes(world, hearing, action, role, expected):
    before = state(hearing)
    response = client_for(getattr(world, role)).post(url(hearing, action), BODIES[action](), format="json")
    assert response.status_code == expected
    assert response.json()["code"] == ("permission_denied" if expected == 403 else "not_found")
    assert state(hearing) == before


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("reschedule", {"held_on": "2099-01-01"}, "reason"),
        ("reschedule", {"held_on": "2099-01-01", "reason": ""}, "reason"),
        ("reschedule", {"reason": "改期"}, "held_on"),
        ("reschedule", {"held_on": "明天", "reason": "改期"}, "held_on"),
        ("reschedule", {"held_on": "2020-01-01", "reason": "改期"}, "held_on"),  # in the past: the service
        ("reschedule", {"held_on": "2099-01-01", "reason": "   "}, "reason"),  # blank: the service
        ("cancel", {}, "reason"),
        ("cancel", {"reason": "  "}, "reason"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(world, hearing, action, body, field):
    before = state(hearing)
    response = client_for(world.procurator).post(url(hearing, action), body, format="json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "invalid" and field in payload["fields"], payload
    assert state(hearing) == before


@pytest.mark.parametrize("action", list(BODIES))
def test_a_cancelled_hearing_is_refused_everything(world, hearing, action):
    litigation_services.hearing_cancel(user=world.procurator, hearing=hearing, reason="合并审理")
    before = state(hearing)
    response = client_for(world.procurator).post(url(hearing, action), BODIES[action](), format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_transition"
    assert state(hearing) == before
    register = client_for(world.agency1_staff).post(
        url(hearing, "register-appearance"), {"appearance": "head", "names": "王某"}, format="json"
    )
    assert register.status_code == 400 and register.json()["code"] == "invalid_transition"
    assert state(hearing) == before
