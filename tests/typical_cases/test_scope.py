"""Who sees and does what, over the world fixture's users, for the pages and the API:
allowed role succeeds, outsider 404, read-only 403 on writes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.typical_cases.conftest import TODAY
from typical_cases import services
from typical_cases.models import CongressRequest, TypicalCase

READERS = {"procurator", "procurator_colleague", "supervisor", "city_supervisor"}
WRITERS = {"supervisor", "city_supervisor"}
EVERYONE = [
    "procurator",
    "procurator_colleague",
    "city_procurator",
    "other_procurator",
    "supervisor",
    "city_supervisor",
    "other_supervisor",
    "agency1_staff",
    "agency2_staff",
    "discipline",
]


@pytest.fixture
def draft(world, closed_case) -> TypicalCase:
    return services.typical_case_start(user=world.supervisor, case=closed_case)


@pytest.fixture
def congress(world) -> CongressRequest:
    return services.congress_request_record(
        user=world.supervisor,
        procuratorate=world.district,
        kind=CongressRequest.Kind.INQUIRY,
        requested_on=datetime.date(2026, 3, 1),
        content="询问公益诉讼办案情况",
        due_on=datetime.date(2026, 4, 1),
        today=TODAY,
    )


@pytest.mark.parametrize("who", EVERYONE)
def test_typical_case_pages(client, world, draft, who):
    client.force_login(getattr(world, who))
    detail = client.get(reverse("typical_case_detail", args=[draft.pk]))
    assert detail.status_code == (200 if who in READERS else 404)
    listing = client.get(reverse("typical_case_list"))
    if who in READERS:
        assert draft.title in listing.content.decode()
    else:
        assert listing.status_code == 404 or draft.title not in listing.content.decode()
    edit = client.post(reverse("typical_case_submit", args=[draft.pk]))
    assert edit.status_code == (302 if who in WRITERS else 403 if who in READERS else 404)


@pytest.mark.parametrize("who", EVERYONE)
def test_typical_case_api(world, draft, who):
    api = APIClient()
    api.force_authenticate(getattr(world, who))
    detail = api.get(f"/api/v1/typical-cases/{draft.pk}/")
    assert detail.status_code == (200 if who in READERS else 404)
    ids = [row["id"] for row in api.get("/api/v1/typical-cases/").json()["results"]]
    assert ids == ([draft.pk] if who in READERS else [])
    response = api.post(f"/api/v1/typical-cases/{draft.pk}/withdraw/", {"reason": "测试"}, format="json")
    assert response.status_code == (200 if who in WRITERS else 403 if who in READERS else 404)


@pytest.mark.parametrize("who", EVERYONE)
def test_congress_pages_and_api(client, world, congress, who):
    user = getattr(world, who)
    client.force_login(user)
    detail = client.get(reverse("congress_detail", args=[congress.pk]))
    assert detail.status_code == (200 if who in READERS else 404)
    answer = client.get(reverse("congress_answer", args=[congress.pk]))
    assert answer.status_code == (200 if who in WRITERS else 403 if who in READERS else 404)
    api = APIClient()
    api.force_authenticate(user)
    assert api.get(f"/api/v1/congress-requests/{congress.pk}/").status_code == (200 if who in READERS else 404)
    created = api.post(
        "/api/v1/congress-requests/",
        {
            "procuratorate": world.district.pk,
            "kind": "inspection",
            "requested_on": "2026-03-02",
            "content": "执法检查",
            "due_on": "2099-01-01",
        },
        format="json",
    )
    assert created.status_code == (201 if who in WRITERS else 403 if who in READERS else 404)


def test_the_writer_is_refused_publishing_with_a_clear_message(client, world, closed_case):
    typical = services.typical_case_start(user=world.supervisor, case=closed_case)
    typical = services.typical_case_update(
        user=world.supervisor,
        typical=typical,
        title="标题",
        domain=closed_case.domain,
        year=2026,
        summary="案情",
        outcome="结果",
        significance="意义",
        replacements=[],
    )
    services.typical_case_submit(user=world.supervisor, typical=typical)
    client.force_login(world.supervisor)
    response = client.post(reverse("typical_case_publish", args=[typical.pk]))
    assert response.status_code == 403
    assert "撰写人不能审核自己撰写的典型案例" in response.content.decode()
    api = APIClient()
    api.force_authenticate(world.supervisor)
    response = api.post(f"/api/v1/typical-cases/{typical.pk}/publish/")
    assert response.status_code == 403 and "撰写人不能审核" in response.json()["message"]
    client.force_login(world.city_supervisor)
    assert client.post(reverse("typical_case_publish", args=[typical.pk])).status_code == 302
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.PUBLISHED


def test_congress_list_marks_overdue_and_counts_queries(client, world, congress, django_assert_num_queries):
    client.force_login(world.city_supervisor)
    client.get(reverse("congress_list"))
    # session, user, organisation, procuratorates in scope, count, page, the bell
    with django_assert_num_queries(6):
        response = client.get(reverse("congress_list"), {"status": "overdue"})
    assert "询问公益诉讼办案情况" in response.content.decode() and "table-danger" in response.content.decode()


def test_typical_case_list_query_count(client, world, draft, django_assert_num_queries):
    client.force_login(world.city_supervisor)
    client.get(reverse("typical_case_list"))
    with django_assert_num_queries(6):
        assert client.get(reverse("typical_case_list")).status_code == 200


def test_dashboard_counts_congress_requests(client, world, congress):
    client.force_login(world.city_supervisor)
    response = client.get(reverse("dashboard"), {"start": "2026-01-01", "end": "2026-12-31"})
    figures = {f.code: f.value for f in response.context["congress_figures"]}
    assert figures["received"] == 1 and figures["answered"] == 0
    listing = client.get(
        reverse("congress_list"),
        {"figure": "received", "start": "2026-01-01", "end": "2026-12-31", "procuratorates": str(world.district.pk)},
    )
    assert "询问公益诉讼办案情况" in listing.content.decode()
