"""Who sees which joint meeting and which decision, in the pages and the API (docs/domain.md, Joint
meetings). The matrix is generated over the `world` users: a reading role gets 200, a role that
reads but may not record gets 403 on the forms, everyone else 404 (like a missing id).

The meeting is the district's, attended by agency1 and the commission; agency2 did not take part.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Decision, Meeting
from tests.api.conftest import client_for
from tests.factories import CaseFactory
from tests.meetings.conftest import D

pytestmark = pytest.mark.django_db

READ, FORBIDDEN, NOT_FOUND = 200, 403, 404
# The list page: session, user, meetings (with host and procuratorate), … whatever their number.
QUERIES = 5

# role → (meeting page, recording forms)
SCOPE = {
    "procurator": (READ, FORBIDDEN),
    "procurator_colleague": (READ, FORBIDDEN),
    "supervisor": (READ, READ),
    "city_supervisor": (READ, READ),  # the superior procuratorate
    "city_procurator": (NOT_FOUND, NOT_FOUND),  # not their procuratorate's meeting
    "other_procurator": (NOT_FOUND, NOT_FOUND),
    "other_supervisor": (NOT_FOUND, NOT_FOUND),
    "agency1_staff": (READ, FORBIDDEN),  # attended
    "agency2_staff": (NOT_FOUND, NOT_FOUND),  # did not take part
    "discipline": (READ, FORBIDDEN),  # the commission attended
}

# role → the decisions it sees: "all", "agency1", "commission" or none
DECISIONS = {
    "procurator": {"agency1", "commission"},
    "procurator_colleague": {"agency1", "commission"},
    "supervisor": {"agency1", "commission"},
    "city_supervisor": {"agency1", "commission"},
    "city_procurator": set(),
    "other_procurator": set(),
    "other_supervisor": set(),
    "agency1_staff": {"agency1"},
    "agency2_staff": set(),
    "discipline": {"commission"},
}


@pytest.fixture
def named(decisions):
    own, commission = decisions
    return {"agency1": own, "commission": commission}


@pytest.mark.parametrize(("role", "expected"), SCOPE.items())
def test_the_meeting_page(client, world, held, named, role, expected):
    page, _ = expected
    client.force_login(getattr(world, role))
    response = client.get(reverse("meeting_detail", args=[held.pk]))
    assert response.status_code == page
    listed = client.get(reverse("meeting_list"))
    assert (held.title in listed.content.decode()) == (page == READ)
    if page == READ:
        html = response.content.decode()
        assert "会议议定两项事项。" in html  # the minutes
        assert "通报检察建议整改情况" in html  # the agenda
        for name, decision in named.items():
            assert (decision.text in html) == (name in DECISIONS[role]), name


@pytest.mark.parametrize(("role", "expected"), SCOPE.items())
def test_the_recording_forms(client, world, held, role, expected):
    _, forms = expected
    client.force_login(getattr(world, role))
    assert client.get(reverse("meeting_decision_record", args=[held.pk])).status_code == forms


@pytest.mark.parametrize(("role", "expected"), SCOPE.items())
def test_the_forms_of_a_scheduled_meeting(client, world, meeting, role, expected):
    _, forms = expected
    client.force_login(getattr(world, role))
    for name in ("meeting_hold", "meeting_postpone", "meeting_cancel"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == forms, name


@pytest.mark.parametrize("role", SCOPE)
def test_who_may_mark_a_decision_done(client, world, named, role):
    client.force_login(getattr(world, role))
    for name, decision in named.items():
        status = client.get(reverse("meeting_decision_done", args=[decision.pk])).status_code
        if name not in DECISIONS[role]:
            assert status == NOT_FOUND
        elif role in ("supervisor", "city_supervisor") or (role, name) in {
            ("agency1_staff", "agency1"),
            ("discipline", "commission"),
        }:
            assert status == READ
        else:
            assert status == FORBIDDEN


def test_the_agency_marks_its_decision_done_in_the_page(client, world, named):
    client.force_login(world.agency1_staff)
    today = datetime.date.today()
    response = client.post(
        reverse("meeting_decision_done", args=[named["agency1"].pk]),
        {"note": "已完成清理", "done_on": today.isoformat()},
    )
    assert response.status_code == 302
    named["agency1"].refresh_from_db()
    assert named["agency1"].status == Decision.Status.DONE


def test_scheduling_is_for_supervisors(client, world):
    for role in SCOPE:
        client.force_login(getattr(world, role))
        expected = READ if role.endswith("supervisor") else FORBIDDEN  # any supervisor, for their own procuratorate
        assert client.get(reverse("meeting_schedule")).status_code == expected, role


# --- API -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), SCOPE.items())
def test_the_api_meeting(world, held, named, role, expected):
    page, forms = expected
    api = client_for(getattr(world, role))
    response = api.get(f"/api/v1/meetings/{held.pk}/")
    assert response.status_code == page
    ids = {row["id"] for row in api.get("/api/v1/meetings/").json()["results"]}
    assert (held.pk in ids) == (page == READ)
    if page == READ:
        internal = role not in ("agency1_staff", "discipline")
        assert ("cases" in response.json()) == internal
    seen = {row["id"] for row in api.get("/api/v1/meeting-decisions/").json()["results"]}
    assert seen == {named[name].pk for name in DECISIONS[role]}
    post = api.post(
        f"/api/v1/meetings/{held.pk}/decisions/",
        {
            "text": "新事项",
            "owner": world.agency1.pk,
            "due_date": (datetime.date.today() + datetime.timedelta(days=60)).isoformat(),
        },
        format="json",
    )
    assert post.status_code == (201 if forms == READ else forms)


def test_the_api_schedule_and_mark_done(world, case):
    api = client_for(world.supervisor)
    response = api.post(
        "/api/v1/meetings/",
        {
            "title": "API会议",
            "date": "2026-06-20",
            "host": world.district.pk,
            "participants": [world.district.pk, world.agency1.pk],
            "attendees": {str(world.agency1.pk): "王局长"},
            "cases": [case.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    meeting_id = response.json()["id"]
    assert response.json()["cases"] == [case.pk]
    today = datetime.date.today().isoformat()
    assert (
        api.post(
            f"/api/v1/meetings/{meeting_id}/hold/", {"held_on": today, "minutes": "纪要"}, format="json"
        ).status_code
        == 200
    )
    decision = api.post(
        f"/api/v1/meetings/{meeting_id}/decisions/",
        {
            "text": "事项",
            "owner": world.agency1.pk,
            "due_date": (datetime.date.today() + datetime.timedelta(days=60)).isoformat(),
        },
        format="json",
    ).json()
    agency = client_for(world.agency1_staff)
    done = agency.post(
        f"/api/v1/meeting-decisions/{decision['id']}/mark-done/", {"note": "已完成", "done_on": today}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["status"] == "done"
    again = agency.post(
        f"/api/v1/meeting-decisions/{decision['id']}/mark-done/", {"note": "x", "done_on": today}, format="json"
    )
    assert again.status_code == 400
    outsider = client_for(world.agency2_staff)
    assert (
        outsider.post(
            f"/api/v1/meeting-decisions/{decision['id']}/mark-done/", {"note": "x", "done_on": today}, format="json"
        ).status_code
        == 404
    )


def test_the_api_refuses_a_case_out_of_scope(world):
    foreign = CaseFactory(procuratorate=world.other)
    response = client_for(world.supervisor).post(
        "/api/v1/meetings/",
        {
            "title": "会议",
            "date": "2026-06-20",
            "host": world.district.pk,
            "participants": [world.agency1.pk],
            "cases": [foreign.pk],
        },
        format="json",
    )
    assert response.status_code == 404


def test_the_list_page_costs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world.supervisor)
    for n in range(3):
        services.meeting_schedule(
            user=world.supervisor,
            title=f"会议{n}",
            host=world.district,
            date=D(2026, 6, 1 + n),
            participants=[world.agency1],
        )
    with django_assert_num_queries(QUERIES):
        client.get(reverse("meeting_list"))
    for n in range(3):
        services.meeting_schedule(
            user=world.supervisor,
            title=f"又一会议{n}",
            host=world.agency1,
            date=D(2026, 7, 1 + n),
            participants=[world.agency1],
        )
    with django_assert_num_queries(QUERIES):
        client.get(reverse("meeting_list"))


@pytest.mark.parametrize("role", ["agency1_staff", "discipline"])
def test_participants_outside_the_procuratorate_do_not_see_what_was_discussed(client, world, held, case, role):
    Meeting.objects.filter(pk=held.pk).update(referrals_text="移送线索 内部-1")
    client.force_login(getattr(world, role))
    html = client.get(reverse("meeting_detail", args=[held.pk])).content.decode()
    assert case.number not in html and "内部-1" not in html
    client.force_login(world.procurator)
    html = client.get(reverse("meeting_detail", args=[held.pk])).content.decode()
    assert case.number in html and "内部-1" in html
