"""/api/v1/escalations/ and /api/v1/supervision-actions/: the same scope as the pages, no field of
the case, bad input answered with field errors, a fixed number of queries per page."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from supervision.models import SupervisionAction
from supervision.services import supervision_action_record
from tests.api.conftest import client_for
from tests.feedback.conftest import pdf_file
from tests.supervision.conftest import SECRETS
from tests.supervision.test_views import USERS

ESCALATIONS = "/api/v1/escalations/"
ACTIONS = "/api/v1/supervision-actions/"


@pytest.mark.parametrize("who", USERS)
def test_escalations_are_the_liaisons_only(world, escalation, who):
    client = client_for(getattr(world, who))
    listed = client.get(ESCALATIONS)
    assert listed.status_code == 200
    ids = [row["id"] for row in listed.json()["results"]]
    detail = client.get(f"{ESCALATIONS}{escalation.pk}/")
    if who == "discipline":
        assert ids == [escalation.pk]
        assert detail.status_code == 200
    else:
        assert ids == []
        assert detail.status_code == 404


def test_the_escalation_carries_the_page_fields_and_nothing_of_the_case(world, report, escalation):
    body = client_for(world.discipline).get(f"{ESCALATIONS}{escalation.pk}/").json()
    recommendation = escalation.deadline.recommendation
    assert body["agency"]["name"] == world.agency1.name
    assert body["procuratorate"]["name"] == world.district.name
    assert body["document_number"] == recommendation.document_number
    assert body["served_on"] == recommendation.served_on.isoformat()
    # Still open: overdue until today (the API counts with the real day).
    assert body["days_overdue"] == (timezone.localdate() - escalation.deadline.due_date).days
    assert [i["text"] for i in body["items"]] == [i.text for i in recommendation.items.order_by("number")]
    assert [r["summary"] for r in body["reports"]] == ["已成立专班整改。"]
    assert body["reports"][0]["files"][0]["original_name"] == "整改照片.pdf"
    text = json.dumps(body, ensure_ascii=False)
    for secret in (*SECRETS, escalation.deadline.case.number, escalation.deadline.case.title):
        assert secret not in text
    assert "case" not in body and "internal_notes" not in text


@pytest.mark.parametrize("who", USERS)
def test_only_the_liaison_creates_actions(world, escalation, today, who):
    response = client_for(getattr(world, who)).post(
        ACTIONS,
        {"escalation": escalation.pk, "kind": "interview", "taken_on": today.isoformat(), "note": "约谈。"},
        format="json",
    )
    if who == "discipline":
        assert response.status_code == 201, response.json()
        assert response.json()["kind"] == "interview"
    else:
        assert response.status_code == 403
        assert SupervisionAction.objects.count() == 0


def test_an_escalation_of_another_region_is_404_for_the_api(world, escalation, today):
    from agencies.models import Region
    from tests.factories import DisciplineFactory, UserFactory

    far = UserFactory(
        organisation=DisciplineFactory(region=Region.objects.create(name="外市", code="999000")),
        role="discipline_liaison",
    )
    response = client_for(far).post(
        ACTIONS,
        {"escalation": escalation.pk, "kind": "interview", "taken_on": today.isoformat(), "note": "约谈。"},
        format="json",
    )
    assert response.status_code == 404
    assert client_for(far).get(f"{ESCALATIONS}{escalation.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "bribe"}, "kind"),
        ({"taken_on": "2999-01-01"}, "taken_on"),
        ({"taken_on": "not a date"}, "taken_on"),
        ({"note": ""}, "note"),
        ({"escalation": 0}, "escalation"),
    ],
)
def test_bad_input_gets_field_errors_and_changes_nothing(world, escalation, today, payload, field):
    data = {"escalation": escalation.pk, "kind": "interview", "taken_on": today.isoformat(), "note": "约谈。"}
    data.update(payload)
    response = client_for(world.discipline).post(ACTIONS, data, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert SupervisionAction.objects.count() == 0


def test_files_go_up_as_multipart(world, escalation, today):
    response = client_for(world.discipline).post(
        ACTIONS,
        {
            "escalation": escalation.pk,
            "kind": "written_inquiry",
            "taken_on": today.isoformat(),
            "note": "书面询问。",
            "files": [pdf_file("询问函.pdf")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert [f["original_name"] for f in response.json()["files"]] == ["询问函.pdf"]


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("discipline", True),
        ("procurator", True),
        ("supervisor", True),
        ("city_supervisor", True),
        ("procurator_colleague", False),
        ("other_supervisor", False),
        ("agency1_staff", False),
    ],
)
def test_the_procuratorate_side_reads_the_actions_on_its_cases(world, escalation, today, who, sees):
    action = supervision_action_record(
        user=world.discipline, escalation=escalation, kind="interview", taken_on=today, note="约谈。", today=today
    )
    client = client_for(getattr(world, who))
    ids = [row["id"] for row in client.get(ACTIONS).json()["results"]]
    assert ids == ([action.pk] if sees else [])
    assert client.get(f"{ACTIONS}{action.pk}/").status_code == (200 if sees else 404)


def test_the_lists_cost_a_fixed_number_of_queries(world, escalation, today, django_assert_num_queries):
    supervision_action_record(
        user=world.discipline, escalation=escalation, kind="interview", taken_on=today, note="约谈。", today=today
    )
    client = client_for(world.discipline)
    client.get(ESCALATIONS)
    with django_assert_num_queries(3):
        assert client.get(ESCALATIONS).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(ACTIONS).status_code == 200
