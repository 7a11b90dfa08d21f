"""Every filter of every list, web and API, with out-of-range values: never a server error.

The filters are read from the FilterSets themselves (and the dashboard's form), so a filter added
later is fuzzed too. A refused value is a 400 with a field error in the API's JSON error format
(API), or the list with the form's error and no results, or a 400 (web). Runs on SQLite and, with
DATABASE_URL set, PostgreSQL (where an integer beyond 64 bits or a NUL byte is a database error).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api.urls import router
from api.views.cases import CaseViewSet
from cases.filters import CaseFilter, LeadFilter
from dashboard.forms import DashboardFilterForm
from tests.factories import CaseFactory, LeadFactory

HUGE = "99999999999999999999999"
BAD_VALUES = [
    HUGE,
    "-" + HUGE,
    "9223372036854775808",  # one beyond the largest bigint
    "-1",
    "abc",
    "1e400",
    "0001-01-01",
    "9999-12-31",
    "x" * 5000,
    "1\x00",
    f"1,{HUGE}",
]

API_LISTS = [
    (prefix, viewset) for prefix, viewset, _basename in router.registry if getattr(viewset, "filterset_class", None)
]


def _params(filterset_class) -> list[str]:
    names = []
    for name, flt in filterset_class.base_filters.items():
        names.append(name)
        # A range or ordering filter reads more than one parameter name.
        names.extend(f"{name}_{suffix}" for suffix in getattr(flt.field_class, "widget_suffixes", ()) or ())
    return names


@pytest.fixture
def data(world):
    lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator)
    CaseFactory(procuratorate=world.district, handler=world.procurator, lead=lead)
    return world


def _read(response) -> bytes:
    # A streamed export fails while it is consumed, not when the response is made.
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(("prefix", "viewset"), API_LISTS, ids=[p for p, _ in API_LISTS])
def test_api_list_filters_refuse_out_of_range_values(data, prefix, viewset):
    client = APIClient()
    client.force_authenticate(data.city_supervisor)
    url = f"/api/v1/{prefix}/"
    names = [*_params(viewset.filterset_class), "ordering", "page", "page_size"]
    for name in names:
        for value in BAD_VALUES:
            response = client.get(url, {name: value})
            assert response.status_code < 500, (url, name, value, response.status_code)
            if response.status_code >= 400:
                body = json.loads(response.content)
                assert {"code", "message", "fields"} <= set(body), (url, name, value, body)


def test_api_huge_id_filter_is_a_field_error(data):
    client = APIClient()
    client.force_authenticate(data.city_supervisor)
    response = client.get("/api/v1/recommendations/", {"case": HUGE})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "case" in response.json()["fields"]


WEB_LISTS = [
    ("lead_list", LeadFilter),
    ("case_list", CaseFilter),
    ("case_export_csv", CaseFilter),
    ("case_export_xlsx", CaseFilter),
]


@pytest.mark.parametrize(("url_name", "filterset_class"), WEB_LISTS, ids=[n for n, _ in WEB_LISTS])
def test_web_list_filters_refuse_out_of_range_values(client, data, url_name, filterset_class):
    client.force_login(data.city_supervisor)
    url = reverse(url_name)
    for name in _params(filterset_class):
        for value in BAD_VALUES:
            response = client.get(url, {name: value})
            _read(response)
            assert response.status_code < 500, (url, name, value, response.status_code)


@pytest.mark.parametrize("url_name", ["lead_list", "case_list"])
def test_web_list_shows_the_error_and_no_results(client, data, url_name):
    client.force_login(data.city_supervisor)
    response = client.get(reverse(url_name), {"procuratorate_in": HUGE})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["procuratorate_in"]
    assert len(response.context["page_obj"].object_list) == 0


@pytest.mark.parametrize("url_name", ["case_export_csv", "case_export_xlsx"])
def test_export_with_an_invalid_filter_is_a_400(client, data, url_name):
    client.force_login(data.city_supervisor)
    response = client.get(reverse(url_name), {"procuratorate_in": HUGE})
    assert response.status_code == 400


@pytest.mark.parametrize("url_name", ["dashboard", "dashboard_data"])
def test_dashboard_filters_refuse_out_of_range_values(client, data, url_name):
    client.force_login(data.city_supervisor)
    url = reverse(url_name)
    for name in DashboardFilterForm.base_fields:
        for value in BAD_VALUES:
            response = client.get(url, {name: value})
            assert response.status_code < 500, (url, name, value, response.status_code)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("name", ["start", "end"])
def test_dashboard_out_of_range_date_is_a_field_error(client, data, name, value):
    client.force_login(data.city_supervisor)
    response = client.get(reverse("dashboard"), {name: value})
    assert response.status_code == 200
    assert name in response.context["form"].errors


def test_deeply_nested_json_is_a_parse_error(data):
    client = APIClient()
    client.force_authenticate(data.procurator)
    body = "[" * 5000 + "]" * 5000
    response = client.post("/api/v1/leads/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    nested = '{"title": ' + "[" * 200 + "]" * 200 + "}"
    response = client.post("/api/v1/leads/", nested, content_type="application/json")
    assert response.status_code == 400
    assert {"code", "message", "fields"} <= set(response.json())


def test_an_unexpected_api_error_answers_in_the_json_error_format(data, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(CaseViewSet, "list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(data.city_supervisor)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "server_error"
    assert {"code", "message", "fields"} <= set(response.json())
