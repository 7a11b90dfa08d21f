"""The dashboard page and its data endpoint: who may open them, the filter form, the figures and
charts on the page, and a fixed number of queries."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.dashboard.conftest import END, START

ENDPOINTS = ["dashboard", "dashboard_data"]
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 6, 30))


# --- Access ---------------------------------------------------------------------------------------

# Every role of the shared world: supervisors see the dashboard, everyone else gets 403.
ACCESS = {
    "city_supervisor": 200,
    "supervisor": 200,
    "other_supervisor": 200,
    "procurator": 403,
    "procurator_colleague": 403,
    "city_procurator": 403,
    "other_procurator": 403,
    "agency1_staff": 403,
    "agency2_staff": 403,
    "discipline": 403,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("role", "status"), ACCESS.items())
def test_only_supervisors_reach_the_dashboard(client, world, endpoint, role, status):
    client.force_login(getattr(world, role))
    assert client.get(reverse(endpoint)).status_code == status


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_is_sent_to_login(client, db, endpoint):
    response = client.get(reverse(endpoint))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# (user, selected procuratorate, expected status): a supervisor may narrow to his procuratorate or a
# subordinate one; anything else is 404 like an id that does not exist.
SELECTIONS = [
    ("city_supervisor", "city", 200),
    ("city_supervisor", "district", 200),
    ("city_supervisor", "other", 404),
    ("supervisor", "district", 200),
    ("supervisor", "city", 404),
    ("supervisor", "other", 404),
    ("other_supervisor", "district", 404),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("user", "procuratorate", "status"), SELECTIONS)
def test_procuratorate_selection_is_limited_to_the_scope(client, world, endpoint, user, procuratorate, status):
    client.force_login(getattr(world, user))
    response = client.get(reverse(endpoint), {"procuratorate": getattr(world, procuratorate).pk})
    assert response.status_code == status


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_nonexistent_procuratorate_is_not_found(client, world, endpoint):
    client.force_login(world.city_supervisor)
    assert client.get(reverse(endpoint), {"procuratorate": 987654}).status_code == 404
    assert client.get(reverse(endpoint), {"procuratorate": "x"}).status_code == 404


# --- The page -------------------------------------------------------------------------------------


def test_city_supervisor_sees_the_citys_figures(client, world, dataset):
    client.force_login(world.city_supervisor)
    response = client.get(reverse("dashboard"), PERIOD)
    figures = {f.code: f for f in response.context["figures"]}
    assert figures["cases_opened"].value == 6
    assert (figures["on_time_reply_rate"].numerator, figures["on_time_reply_rate"].denominator) == (1, 4)
    html = response.content.decode()
    assert "按期回复率" in html and "25.0%" in html
    assert figures["on_time_reply_rate"].numerator_url.replace("&", "&amp;") in html
    # The procuratorate selector offers the scope only.
    choices = [str(c[1]) for c in response.context["form"].fields["procuratorate"].choices][1:]
    assert choices == [world.city.name, world.district.name]


def test_district_supervisor_sees_only_the_district(client, world, dataset):
    client.force_login(world.supervisor)
    response = client.get(reverse("dashboard"), PERIOD)
    figures = {f.code: f for f in response.context["figures"]}
    assert figures["cases_opened"].value == 2
    assert world.city.name not in response.content.decode().split('id="key-figures"')[1]


def test_narrowing_to_a_subordinate(client, world, dataset):
    client.force_login(world.city_supervisor)
    response = client.get(reverse("dashboard"), {**PERIOD, "procuratorate": world.district.pk})
    assert response.context["scope"].procuratorate_ids == (world.district.pk,)
    assert {f.code: f for f in response.context["figures"]}["cases_opened"].value == 2


def test_default_period_is_this_year_in_china(client, world, db):
    client.force_login(world.city_supervisor)
    response = client.get(reverse("dashboard"))
    scope = response.context["scope"]
    assert (scope.start, scope.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert response.context["form"]["start"].value() == datetime.date(2026, 1, 1)


def test_an_inverted_period_is_an_error_not_a_crash(client, world, db):
    client.force_login(world.city_supervisor)
    response = client.get(reverse("dashboard"), {"start": "2026-05-01", "end": "2026-02-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert response.context["scope"].start == datetime.date(2026, 5, 1)


def test_charts_have_server_rendered_tables_and_json_data(client, world, dataset):
    client.force_login(world.city_supervisor)
    response = client.get(reverse("dashboard"), PERIOD)
    html = response.content.decode()
    charts = {c["key"]: c for c in response.context["charts"]}
    assert set(charts) == {
        "trend",
        "domains",
        "procuratorates",
        "agencies_overdue",
        "agencies_lawsuits",
        "outcomes",
        "ageing",
    }
    trend = dict(charts["trend"]["rows"])
    assert trend["2026-03"] == [1, 1]  # C1 opened; R6 served
    assert dict(charts["procuratorates"]["rows"]) == {world.city.name: [4], world.district.name: [2]}
    assert dict(charts["agencies_overdue"]["rows"]) == {world.agency1.name: [1], world.agency2.name: [1]}
    assert dict(charts["agencies_lawsuits"]["rows"]) == {world.agency1.name: [1]}
    assert dict(charts["outcomes"]["rows"]) == {
        "撤销": [1],
        "责令限期履行": [1],
        "驳回诉讼请求": [1],
        "调解结案": [1],
        "驳回上诉，维持原判": [1],
    }
    # Open deadlines as of 2026-06-30: D2 due 07-01 (soon); D4 05-04 and the filing deadline
    # 04-08 (30+ days); D5 2025-12-01 (30+). D8 is out of scope.
    assert [v for _c, (v,) in charts["ageing"]["rows"]] == [1, 0, 0, 3]
    assert 'id="dashboard-charts"' in html and "vendor/echarts/echarts.min.js" in html
    assert "js/dashboard.js" in html
    assert "<table" in html
    data = json.loads(html.split('id="dashboard-charts" type="application/json">')[1].split("</script>")[0])
    assert data["trend"]["series"][0]["name"] == "立案数"


def test_chart_labels_follow_the_ui_language(client, world, dataset):
    from django.conf import settings

    client.force_login(world.city_supervisor)
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    response = client.get(reverse("dashboard"), PERIOD)
    charts = {c["key"]: c for c in response.context["charts"]}
    assert set(dict(charts["domains"]["rows"])) == {
        "Ecological environment and resource protection",
        dataset.other_domain.name_en or dataset.other_domain.name,
    }


def test_data_endpoint(client, world, dataset):
    client.force_login(world.city_supervisor)
    data = client.get(reverse("dashboard_data"), PERIOD).json()
    figures = {f["code"]: f for f in data["figures"]}
    assert figures["rectification_rate"]["numerator"] == 2 and figures["rectification_rate"]["denominator"] == 4
    assert figures["rectification_rate"]["value"] == "0.5"
    assert figures["lawsuits"]["value"] == 3
    assert data["scope"]["start"] == "2026-01-01"
    assert set(data["charts"]) >= {"trend", "ageing"}


def test_page_has_a_fixed_number_of_queries(client, world, dataset, django_assert_num_queries):
    client.force_login(world.city_supervisor)
    client.get(reverse("dashboard"), PERIOD)  # warm the session
    # 1 session, 2 user, 3 the user's organisation, 4 the procuratorates in scope (scope_for);
    # 5-12 the charts (two for the trend, domains, procuratorates, agencies overdue, agencies sued,
    # outcomes, ageing); 13-21 the key figures, one per figure group (leads, cases, recommendations,
    # reply deadlines, items, pre-litigation, lawsuits, rulings, hearings); the filter form's
    # choices (22 procuratorates, 23 domains); 24 the notification bell; 25 the congress block
    # (counted live); 26 when the pre-aggregated counts were built (none here: live). `refresh`
    # recomputes.
    with django_assert_num_queries(26):
        client.get(reverse("dashboard"), {**PERIOD, "refresh": "1"})
    # Kept: the figures and charts come from the cache; 1-4 and 22-26 remain.
    with django_assert_num_queries(9):
        client.get(reverse("dashboard"), PERIOD)


def test_from_the_counts_the_page_has_a_fixed_number_of_queries(client, world, dataset, django_assert_num_queries):
    from dashboard import aggregates

    aggregates.rebuild()
    client.force_login(world.city_supervisor)
    client.get(reverse("dashboard"), PERIOD)  # warm the session
    # 1-4 session, user, organisation, scope; 5 when the counts were built; 6 the key figures (one
    # query over the counts); 7-13 the charts (trend, domains, procuratorates, two agency charts,
    # outcomes, ageing); the form's two choice lists, the bell, the congress block.
    with django_assert_num_queries(17):
        client.get(reverse("dashboard"), {**PERIOD, "start": "2026-02-15"})


def test_query_count_does_not_grow_with_the_data(client, world, dataset, django_assert_num_queries):
    from tests.factories import CaseFactory

    client.force_login(world.city_supervisor)
    client.get(reverse("dashboard"), PERIOD)
    for n in range(15):
        CaseFactory(
            procuratorate=world.district, handler=world.procurator, opened_on=datetime.date(2026, 1 + n % 12, 1)
        )
    with django_assert_num_queries(26):
        client.get(reverse("dashboard"), {**PERIOD, "refresh": "1"})


# --- Home page and navigation ----------------------------------------------------------------------


def test_dashboard_is_the_supervisors_home(client, world):
    client.force_login(world.city_supervisor)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


@pytest.mark.parametrize("role", ["procurator", "agency1_staff"])
def test_others_keep_their_home(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse("home"))["Location"] != reverse("dashboard")


@pytest.mark.parametrize(
    ("role", "shown"), [("city_supervisor", True), ("procurator", False), ("agency1_staff", False)]
)
def test_nav_item_for_supervisors_only(client, world, role, shown):
    client.force_login(getattr(world, role))
    target = reverse("dashboard") if role == "city_supervisor" else reverse("home")
    html = client.get(target, follow=True).content.decode()
    assert (f'href="{reverse("dashboard")}"' in html) == shown
