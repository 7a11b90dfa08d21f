"""The confidential fields (cases.selectors.CONFIDENTIAL_FIELDS) under one rule on every surface.

A matrix per field and per surface — web list, web filter, sort, search, CSV/XLSX export, API
list, detail, filter and ordering — for the handler (sees), the supervisors in scope (see) and
another procurator of the same procuratorate (does not). For that procurator, the filter and the
ordering are no oracle: the answer does not change with the confidential value asked for.
"""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cases.models import Case, Lead
from cases.selectors import (
    CONFIDENTIAL_FIELDS,
    can_see_confidential,
    confidential_cases_q,
    confidential_leads_q,
)
from tests.factories import CaseFactory, LeadFactory

# A distinctive value per field, found in a page or a file only if the field leaks.
MARKERS = {
    "source": Lead.Source.DEPUTY,
    "source_detail": "来源说明标记甲",
    "reporter_name": "举报人标记乙",
    "reporter_contact": "13912345678",
    "internal_notes": "内部备注标记丙",
}
LEAD_FIELDS = ["source", "source_detail", "reporter_name", "reporter_contact"]
SEES = {"procurator": True, "supervisor": True, "city_supervisor": True, "procurator_colleague": False}
USERS = list(SEES)


def test_the_markers_cover_every_confidential_field():
    assert set(MARKERS) == CONFIDENTIAL_FIELDS


@pytest.fixture
def secret(world):
    """A lead turned case, handled by `procurator`, with a marker in every confidential field."""
    lead = LeadFactory(
        procuratorate=world.district,
        registered_by=world.procurator,
        title="保密测试线索",
        source=MARKERS["source"],
        source_detail=MARKERS["source_detail"],
        reporter_name=MARKERS["reporter_name"],
        reporter_contact=MARKERS["reporter_contact"],
        status=Lead.Status.OPENED,
    )
    case = CaseFactory(
        procuratorate=world.district, handler=world.procurator, lead=lead, internal_notes=MARKERS["internal_notes"]
    )
    # Another opened lead of the same procuratorate with another source: a filter oracle would
    # tell the two apart.
    other = LeadFactory(
        procuratorate=world.district,
        registered_by=world.procurator,
        source=Lead.Source.MEDIA,
        status=Lead.Status.OPENED,
    )
    CaseFactory(procuratorate=world.district, handler=world.procurator, lead=other)
    return lead, case


def _marker_text(field: str) -> str:
    return str(Lead.Source(MARKERS["source"]).label) if field == "source" else MARKERS[field]


def _tbody(html: str) -> str:
    # The rows only: the filter form lists every source as an option whatever the user reads.
    return "".join(re.findall(r"<tbody>(.*?)</tbody>", html, flags=re.S))


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- The rule --------------------------------------------------------------------------------


def test_the_query_rule_agrees_with_the_object_rule(world, secret):
    pending = LeadFactory(procuratorate=world.district, registered_by=world.procurator)
    for name in [*USERS, "city_procurator", "other_procurator", "other_supervisor", "agency1_staff"]:
        user = getattr(world, name)
        for lead in Lead.objects.all():
            expected = can_see_confidential(user, lead=lead)
            assert Lead.objects.filter(confidential_leads_q(user), pk=lead.pk).exists() == expected, (name, lead)
        for case in Case.objects.all():
            expected = can_see_confidential(user, case=case)
            assert Case.objects.filter(confidential_cases_q(user), pk=case.pk).exists() == expected, (name, case)
    # A lead without a case: its procuratorate's procurators evaluate it and read its source.
    assert can_see_confidential(world.procurator_colleague, lead=pending)


# --- Web -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("field", LEAD_FIELDS)
def test_web_lead_list(client, world, secret, who, field):
    client.force_login(getattr(world, who))
    rows = _tbody(client.get(reverse("lead_list")).content.decode())
    assert "保密测试线索" in rows
    # The list shows the source (to those who read it) and never the other fields.
    shown = SEES[who] and field == "source"
    assert (_marker_text(field) in rows) == shown


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("field", MARKERS)
def test_web_detail(client, world, secret, who, field):
    lead, case = secret
    client.force_login(getattr(world, who))
    url = (
        reverse("case_detail", args=[case.pk]) if field == "internal_notes" else reverse("lead_detail", args=[lead.pk])
    )
    assert (_marker_text(field) in client.get(url).content.decode()) == SEES[who]


def _web_ids(client, **params) -> list[int]:
    response = client.get(reverse("lead_list"), params)
    return [lead.pk for lead in response.context["page_obj"]]


def _api_ids(client, **params) -> list[int]:
    return [row["id"] for row in client.get("/api/v1/leads/", params).json()["results"]]


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("surface", ["web", "api"])
def test_source_filter(client, world, secret, who, surface):
    lead, _case = secret
    user = getattr(world, who)
    if surface == "web":
        client.force_login(user)
        answers = {value: _web_ids(client, source=value) for value in Lead.Source.values}
    else:
        api = _api(user)
        answers = {value: _api_ids(api, source=value) for value in Lead.Source.values}
    if SEES[who]:
        assert answers[MARKERS["source"]] == [lead.pk]
    else:
        # No oracle: every source gives the same answer (nothing, the user reads no source here).
        assert all(ids == [] for ids in answers.values()), answers


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("field", MARKERS)
def test_search_never_matches_a_confidential_field(client, world, secret, who, field):
    client.force_login(getattr(world, who))
    assert _web_ids(client, q=MARKERS[field]) == []
    assert _api_ids(_api(getattr(world, who)), q=MARKERS[field]) == []
    response = client.get(reverse("case_list"), {"q": MARKERS[field]})
    assert list(response.context["page_obj"]) == []


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("field", MARKERS)
def test_ordering_by_a_confidential_field_is_ignored(client, world, secret, who, field):
    api = _api(getattr(world, who))
    plain = _api_ids(api)
    assert _api_ids(api, ordering=field) == plain
    assert _api_ids(api, ordering=f"-{field}") == plain
    # The case list's orderings are a closed choice: a confidential field is refused, for everyone.
    assert api.get("/api/v1/cases/", {"ordering": field}).status_code == 400
    assert api.get("/api/v1/cases/", {"ordering": f"-{field}"}).status_code == 400
    client.force_login(getattr(world, who))
    web = client.get(reverse("case_list"), {"ordering": field})
    web_reverse = client.get(reverse("case_list"), {"ordering": f"-{field}"})
    assert list(web.context["page_obj"]) == list(web_reverse.context["page_obj"])


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("field", MARKERS)
def test_exports_carry_no_confidential_field(client, world, secret, who, field):
    client.force_login(getattr(world, who))
    csv = b"".join(client.get(reverse("case_export_csv")).streaming_content).decode("utf-8-sig")
    assert secret[1].number in csv
    assert _marker_text(field) not in csv
    workbook = load_workbook(io.BytesIO(b"".join(client.get(reverse("case_export_xlsx")).streaming_content)))
    cells = {str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row}
    assert secret[1].number in cells
    assert not any(_marker_text(field) in cell for cell in cells)


# --- API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("field", MARKERS)
def test_api_lists_carry_no_confidential_field(world, secret, who, field):
    api = _api(getattr(world, who))
    for url in ("/api/v1/leads/", "/api/v1/cases/"):
        response = api.get(url)
        assert response.status_code == 200
        assert MARKERS[field] not in response.content.decode(), url
        assert all(field not in row for row in response.json()["results"])


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("field", MARKERS)
def test_api_detail(world, secret, who, field):
    lead, case = secret
    api = _api(getattr(world, who))
    url = f"/api/v1/cases/{case.pk}/" if field == "internal_notes" else f"/api/v1/leads/{lead.pk}/"
    body = api.get(url).json()
    assert (body.get(field) == MARKERS[field]) == SEES[who]
    assert (field in body) == SEES[who]
