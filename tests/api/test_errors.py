"""Errors are JSON with a stable code and field errors, in the request's language; no malformed
request gives a 500."""

from __future__ import annotations

import pytest

from tests.api.conftest import today


def test_a_refused_action_gives_the_domain_code_and_its_field_in_chinese_and_english(scenario, api):
    client = api(scenario.users["procurator"])
    url = f"/api/v1/leads/{scenario.lead.pk}/decline/"
    zh = client.post(url, {"reason": "   "}, format="json")
    assert zh.status_code == 400
    assert zh.json() == {
        "code": "invalid",
        "message": "请填写不予立案的理由。",
        "fields": {"reason": ["请填写不予立案的理由。"]},
    }
    en = client.post(url, {"reason": "   "}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert en.json()["code"] == "invalid"
    assert en.json()["fields"]["reason"] != zh.json()["fields"]["reason"]


def test_validation_errors_name_their_fields(scenario, api):
    client = api(scenario.users["procurator"])
    response = client.post("/api/v1/leads/", {"title": 5, "received_on": "tomorrow"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {"summary", "source", "received_on", "domain"} <= set(body["fields"])
    en = client.post("/api/v1/leads/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert en["fields"]["summary"] == ["This field is required."]


def test_nested_field_errors_are_dotted_paths(scenario, api):
    client = api(scenario.users["procurator"])
    response = client.post(
        "/api/v1/recommendations/", {"case": scenario.case.pk, "items": ["ok", 7, {"x": 1}]}, format="json"
    )
    assert response.status_code == 400
    assert "items.2" in response.json()["fields"]


def test_an_invalid_transition_has_its_own_code(scenario, api):
    response = api(scenario.users["procurator"]).post(
        f"/api/v1/recommendations/{scenario.served.pk}/issue/", {"issued_on": str(today())}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_transition"


def test_permission_refusal_in_scope_is_403_with_its_code(scenario, api):
    response = api(scenario.users["supervisor"]).post(f"/api/v1/recommendations/{scenario.draft.pk}/submit/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["message"] == "只有本案承办检察官或协办人可以进行此操作。"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"reason": ', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('"just a string"', "application/json"),
        ("null", "application/json"),
        ('{"reason": {"nested": [1e999]}}', "application/json"),
        ('{"reason": "\\u0000"}', "application/json"),
        ('{"reason": "lone surrogate \\ud800"}', "application/json"),
        ("reason=x", "application/x-www-form-urlencoded"),
        ("\xff\xfe", "application/json"),
    ],
)
def test_malformed_bodies_are_4xx_never_500(body, content_type, scenario, api):
    client = api(scenario.users["procurator"])
    response = client.generic("POST", f"/api/v1/leads/{scenario.lead.pk}/decline/", body, content_type=content_type)
    assert 400 <= response.status_code < 500, response.content
    assert "code" in response.json()


@pytest.mark.parametrize(
    "query",
    [
        "status=nonsense",
        "domain=99999999999999999999999",
        "opened_after=2026-13-45",
        "due_within=1e400",
        "due_within=-5",
        "ordering=password",
        "page=999999",
        "page=abc",
        "page_size=100000",
        "procuratorate=1.5",
        "unknown_filter=1",
        "q=%00",
    ],
)
def test_odd_filters_are_never_a_500(query, scenario, api):
    response = api(scenario.users["supervisor"]).get(f"/api/v1/cases/?{query}")
    assert response.status_code in (200, 400, 404), response.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/99999999999999999999999999999/",
        "/api/v1/cases/-1/",
        "/api/v1/nothing-here/",
        "/api/v1/",
        "/api/",
    ],
)
def test_unknown_addresses_answer_a_json_404(path, scenario, api):
    response = api(scenario.users["procurator"]).get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_post_to_an_unknown_address_is_a_json_404_not_a_csrf_page(scenario):
    # Found by the fuzzing: the catch-all answered a POST with Django's HTML CSRF failure (403).
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(scenario.users["procurator"])
    response = client.post("/api/v1/cases/not-a-number/", {}, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_wrong_method_has_its_code(scenario, api):
    response = api(scenario.users["procurator"]).delete(f"/api/v1/cases/{scenario.case.pk}/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
