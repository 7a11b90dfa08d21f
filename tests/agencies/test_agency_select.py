"""The searchable agency select: the search endpoint, the widget that renders only the chosen
organisations, the fallback without JavaScript, and the co-handler rule."""

from __future__ import annotations

import re
from pathlib import Path

import factory
import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from agencies.choices import registered_choice_sources
from agencies.models import Organisation, Region
from agencies.views import PAGE_SIZE
from agencies.widgets import AgencySelect
from cases.forms.browse import CaseForm, LeadForm, LeadOpenCaseForm
from cases.models import Lead
from tests.factories import AgencyFactory, CaseFactory, LeadFactory, domain

ROOT = Path(__file__).resolve().parent.parent.parent


def factory_name(prefix: str):
    return factory.Sequence(lambda n: f"{prefix}{n:04d}")


def _search(client, **params):
    return client.get(reverse("agency_search"), {"source": "agencies", **params})


def test_search_requires_login(client, world):
    response = _search(client, q="生态")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_source_is_404(client, world):
    client.force_login(world.procurator)
    assert client.get(reverse("agency_search"), {"source": "everyone"}).status_code == 404


def test_search_matches_name_and_region_and_gives_the_region_to_group_by(client, world):
    region = Region.objects.create(name="东胜区", code="150602")
    world.agency1.region = region
    world.agency1.save()
    client.force_login(world.procurator)

    by_name = _search(client, q="自然资源").json()
    assert by_name == {
        "results": [{"id": world.agency2.pk, "name": world.agency2.name, "region": ""}],
        "more": False,
    }
    by_region = _search(client, q="东胜").json()
    assert by_region["results"] == [{"id": world.agency1.pk, "name": world.agency1.name, "region": "东胜区"}]


def test_search_offers_only_what_the_form_accepts(client, world):
    """Procuratorates and inactive agencies are not agencies one may name; agency staff may name none."""
    AgencyFactory(name="测试区已撤销局", is_active=False)
    client.force_login(world.procurator)
    names = {row["name"] for row in _search(client).json()["results"]}
    assert names == {world.agency1.name, world.agency2.name}

    client.force_login(world.agency1_staff)
    assert _search(client).json() == {"results": [], "more": False}


def test_search_results_are_paged_and_limited(client, world, django_assert_num_queries):
    AgencyFactory.create_batch(PAGE_SIZE * 2, name=factory_name("测试县交通局"))
    client.force_login(world.procurator)
    first = _search(client, q="交通").json()
    assert len(first["results"]) == PAGE_SIZE and first["more"] is True
    second = _search(client, q="交通", page=2).json()
    assert len(second["results"]) == PAGE_SIZE and second["more"] is False
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    # However many agencies exist: the session, the user, and one query for the page.
    with django_assert_num_queries(3):
        _search(client, q="交通", page=2)
    assert _search(client, q="x" * 500, page="zz").status_code == 200  # clamped, not an error


def test_every_widget_source_is_registered():
    used = set()
    for path in ROOT.glob("*/forms*.py"):
        used |= set(re.findall(r'AgencySelect(?:Multiple)?\(source="([a-z_]+)"\)', path.read_text()))
    for path in ROOT.glob("*/forms/*.py"):
        used |= set(re.findall(r'AgencySelect(?:Multiple)?\(source="([a-z_]+)"\)', path.read_text()))
    assert used and used <= set(registered_choice_sources())


# --- The widget -----------------------------------------------------------------------------------


def test_form_page_does_not_carry_the_agencies(client, world):
    """500 agencies: none of them is in the page, only the chosen one and the search URL."""
    Organisation.objects.bulk_create(
        Organisation(name=f"测试旗水务局{n:03d}", kind=Organisation.Kind.AGENCY, level=Organisation.Level.COUNTY)
        for n in range(500)
    )
    client.force_login(world.procurator)
    html = client.get(reverse("lead_create")).content.decode()
    assert "测试旗水务局" not in html
    assert world.agency1.name not in html
    assert f'data-agency-search="{reverse("agency_search")}?source=agencies"' in html

    lead = LeadFactory(procuratorate=world.district, agency=world.agency2, registered_by=world.procurator)
    html = client.get(reverse("lead_edit", args=[lead.pk])).content.decode()
    select = re.search(r'<select name="agency".*?</select>', html, re.S).group(0)
    assert select.count("<option") == 2  # the empty choice and the chosen agency
    assert re.search(rf'<option value="{world.agency2.pk}"[^>]*selected[^>]*>{world.agency2.name}</option>', select)
    assert "测试旗水务局" not in html


def test_chosen_agencies_are_rendered_again_after_an_error(world):
    AgencyFactory.create_batch(50)
    lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator)
    form = LeadOpenCaseForm(
        data={"agencies": [world.agency1.pk, world.agency2.pk], "title": ""}, user=world.procurator, lead=lead
    )
    assert not form.is_valid()
    html = str(form["agencies"])
    assert html.count("<option") == 2
    assert world.agency1.name in html and world.agency2.name in html


def test_server_still_validates_against_the_allowed_agencies(world):
    retired = AgencyFactory(name="测试区已撤销局", is_active=False)
    form = LeadForm(data=_lead_data(world, agency=retired.pk), user=world.procurator)
    assert not form.is_valid()
    assert "agency" in form.errors


def test_without_javascript_the_typed_name_chooses_the_agency(world):
    form = LeadForm(data=_lead_data(world, agency="", agency__name="自然资源局"), user=world.procurator)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["agency"] == world.agency2

    ambiguous = LeadForm(data=_lead_data(world, agency="", agency__name="测试区"), user=world.procurator)
    assert not ambiguous.is_valid()
    assert "agency" in ambiguous.errors

    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    typed = CaseForm(
        data={"title": "t", "summary": "s", "domain": domain().pk, "agencies__name": "生态环境局\n自然资源局"},
        user=world.procurator,
        case=case,
    )
    assert typed.is_valid(), typed.errors
    assert set(typed.cleaned_data["agencies"]) == {world.agency1, world.agency2}


def test_widget_renders_a_no_script_name_box():
    html = AgencySelect(source="agencies").render("agency", None, attrs={"id": "id_agency"})
    assert "<noscript>" in html and 'name="agency__name"' in html and 'id="id_agency__name"' in html
    assert "required" not in html


def _lead_data(world, **overrides) -> dict:
    data = {
        "title": "某湖泊违法排污线索",
        "summary": "群众反映某企业向湖泊排放污水。",
        "source": Lead.Source.REPORT,
        "received_on": timezone.localdate().isoformat(),
        "domain": domain().pk,
        "agency": world.agency1.pk,
    }
    return data | overrides


# --- Co-handlers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("co_handlers", ["handler", "both"])
def test_the_handler_cannot_also_be_a_co_handler(world, co_handlers):
    lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator)
    chosen = [world.procurator.pk] + ([world.procurator_colleague.pk] if co_handlers == "both" else [])
    form = LeadOpenCaseForm(
        data={
            "case_type": "administrative",
            "title": "t",
            "summary": "s",
            "domain": domain().pk,
            "agencies": [world.agency1.pk],
            "handler": world.procurator.pk,
            "co_handlers": chosen,
            "opened_on": timezone.localdate().isoformat(),
        },
        user=world.procurator,
        lead=lead,
    )
    assert not form.is_valid()
    assert form.errors["co_handlers"] == ["承办人不能同时是协办人。"]


def test_case_form_does_not_offer_the_handler_as_co_handler(world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    form = CaseForm(user=world.procurator, case=case)
    offered = {choice.data["value"].value for choice in form["co_handlers"].subwidgets}
    assert world.procurator.pk not in offered and world.procurator_colleague.pk in offered
    assert "data-local-search" in str(form["co_handlers"])


# --- A source of people: the case list's handler filter --------------------------------------------


def _handlers(client, **params):
    return client.get(reverse("agency_search"), {"source": "case_handlers", **params}).json()


def test_handler_search_offers_exactly_the_filter_s_handlers(client, world):
    """The search answers the very queryset the case filter validates against: the procurators and
    supervisors of the procuratorates in the user's scope, labelled by name, grouped by procuratorate."""
    from cases.filters import CaseFilter
    from cases.selectors import case_list

    request = RequestFactory().get("/cases/")
    for user in (world.city_supervisor, world.procurator, world.other_supervisor):
        request.user = user
        accepted = set(CaseFilter({}, queryset=case_list(user), request=request).form.fields["handler"].queryset)
        client.force_login(user)
        offered = {row["id"] for row in _handlers(client)["results"]}
        assert offered == {u.pk for u in accepted}
    client.force_login(world.city_supervisor)
    row = next(r for r in _handlers(client)["results"] if r["id"] == world.procurator.pk)
    assert row == {"id": world.procurator.pk, "name": world.procurator.display_name, "region": world.district.name}
    assert world.other_procurator.pk not in {r["id"] for r in _handlers(client)["results"]}


def test_handler_search_matches_name_username_and_procuratorate(client, world):
    world.procurator.full_name = "王检察"
    world.procurator.save()
    client.force_login(world.city_supervisor)
    assert [r["id"] for r in _handlers(client, q="王检")["results"]] == [world.procurator.pk]
    assert [r["id"] for r in _handlers(client, q="city_proc")["results"]] == [world.city_procurator.pk]
    by_procuratorate = {r["id"] for r in _handlers(client, q="测试区")["results"]}
    assert by_procuratorate == {world.procurator.pk, world.procurator_colleague.pk, world.supervisor.pk}


def test_case_list_renders_only_the_chosen_handler_and_filters_by_a_typed_name(client, world):
    world.procurator.full_name = "王检察"
    world.procurator.save()
    CaseFactory(procuratorate=world.district, handler=world.procurator, title="王的案件")
    CaseFactory(procuratorate=world.city, handler=world.city_procurator, title="市院的案件")
    client.force_login(world.city_supervisor)
    html = client.get(reverse("case_list")).content.decode()
    select = re.search(r'<select name="handler".*?</select>', html, re.S).group(0)
    assert select.count("<option") == 1  # the empty choice only: the handlers are searched
    assert f'data-agency-search="{reverse("agency_search")}?source=case_handlers"' in select
    html = client.get(reverse("case_list"), {"handler": world.procurator.pk}).content.decode()
    select = re.search(r'<select name="handler".*?</select>', html, re.S).group(0)
    option = re.search(rf'<option value="{world.procurator.pk}"([^>]*)>王检察</option>', select)
    assert option and " selected" in option.group(1) and f'data-region="{world.district.name}"' in option.group(1)
    assert select.count("<option") == 2
    # Without JavaScript: the name typed in the text box.
    titles = [case.title for case in client.get(reverse("case_list"), {"handler__name": "王检察"}).context["page_obj"]]
    assert titles == ["王的案件"]


# --- The select that writes its own options -------------------------------------------------------


@pytest.mark.parametrize("value", ["a", "x", "3", None, ""])
def test_fast_select_renders_the_same_options_as_django(value):
    from django import forms

    from agencies.widgets import FastSelect, FastSelectMultiple

    choices = [("", "---------"), ("a", "A&<"), ("组", [("x", "X"), ("y", "Y")]), (3, "three"), ("a", "again")]

    def options(html: str) -> list[str]:
        return [line.strip() for line in html.splitlines() if line.strip()]

    attrs = {"class": "form-select", "id": "id_s", "data-x": 'q"uote'}
    assert options(FastSelect(attrs=attrs, choices=choices).render("s", value, attrs={"disabled": True})) == options(
        forms.Select(attrs=attrs, choices=choices).render("s", value, attrs={"disabled": True})
    )
    several = [value, "y"]
    assert options(FastSelectMultiple(choices=choices).render("s", several)) == options(
        forms.SelectMultiple(choices=choices).render("s", several)
    )
