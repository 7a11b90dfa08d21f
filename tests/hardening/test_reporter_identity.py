"""Issuing a recommendation whose text names the lead's reporter: the issue page warns before the
procurator issues, and the API's issue action answers with a non-blocking warning."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Recommendation
from cases.selectors import reporter_identity_in
from tests.factories import CaseFactory, LeadFactory, recommendation_at


@pytest.fixture
def approved(world):
    lead = LeadFactory(
        procuratorate=world.district,
        registered_by=world.procurator,
        reporter_name="王举报",
        reporter_contact="139 0477 1234",
    )
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, lead=lead)
    return recommendation_at(Recommendation.Status.APPROVED, case=case, agency=world.agency1, approver=world.supervisor)


def _name_the_reporter(recommendation: Recommendation, text: str) -> None:
    # The text is frozen by the services once approved; the test writes it as a draft would have.
    Recommendation.objects.filter(pk=recommendation.pk).update(case_source=text)
    recommendation.refresh_from_db()


def test_a_clean_text_has_no_mentions(approved):
    assert reporter_identity_in(approved) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("群众王举报向本院举报", ["王举报"]),
        ("联系电话13904771234", ["13904771234"]),
        ("王举报（139 0477 1234）举报", ["王举报", "13904771234"]),
    ],
)
def test_mentions_are_found(approved, text, found):
    _name_the_reporter(approved, text)
    assert reporter_identity_in(approved) == found


def test_an_item_naming_the_reporter_is_found(approved):
    item = approved.items.first()
    type(item).objects.filter(pk=item.pk).update(text="请向王举报反馈整改情况")
    assert reporter_identity_in(approved) == ["王举报"]


def test_the_issue_page_warns_before_issuing(client, world, approved):
    client.force_login(world.procurator)
    url = reverse("recommendation_issue", args=[approved.pk])
    assert "reporter-identity-warning" not in client.get(url).content.decode()
    _name_the_reporter(approved, "经群众王举报举报，本院受理")
    page = client.get(url).content.decode()
    assert "reporter-identity-warning" in page
    assert "王举报" in page


def test_the_api_issue_action_warns(world, approved):
    api = APIClient()
    api.force_authenticate(world.procurator)
    _name_the_reporter(approved, "经群众王举报举报，本院受理")
    today = timezone.localdate().isoformat()
    response = api.post(f"/api/v1/recommendations/{approved.pk}/issue/", {"issued_on": today}, format="json")
    assert response.status_code == 200, response.content
    warnings = response.json()["warnings"]
    assert [w["code"] for w in warnings] == ["reporter_identity"]
    assert warnings[0]["values"] == ["王举报"]
    approved.refresh_from_db()
    assert approved.status == Recommendation.Status.ISSUED  # non-blocking


def test_the_api_issue_action_has_no_warning_for_a_clean_text(world, approved):
    api = APIClient()
    api.force_authenticate(world.procurator)
    today = timezone.localdate().isoformat()
    response = api.post(f"/api/v1/recommendations/{approved.pk}/issue/", {"issued_on": today}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["warnings"] == []
