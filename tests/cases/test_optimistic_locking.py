"""Two people editing the same case or the same recommendation draft (issue 16): the second save is
refused with a message saying it was not saved, and the first one's changes survive. The edit forms
carry the version they were loaded with; the API takes it in the body and answers 409."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from cases import services
from cases.models import Case, Recommendation
from tests.cases.test_views_actions import recommendation_data
from tests.factories import CaseFactory, UserFactory, db_state, draft_recommendation, refused

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

CONFLICT = "此记录已被他人修改，您的修改未保存。"


@pytest.fixture
def co_handler(world):
    return UserFactory(username="co_handler", organisation=world.district, role=Role.PROCURATOR)


@pytest.fixture
def case(world, co_handler) -> Case:
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    case.co_handlers.add(co_handler)
    return case


def case_form_data(form) -> dict:
    """What the browser sends back for a loaded case form, hidden version included."""
    data = {name: form[name].value() for name in form.fields}
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_second_case_editor_is_told_and_the_first_edit_survives(client, world, co_handler, case):
    first, second = client, client.__class__()
    first.force_login(world.procurator)
    second.force_login(co_handler)
    url = reverse("case_edit", args=[case.pk])
    first_form = first.get(url).context["form"]
    second_form = second.get(url).context["form"]
    assert 'name="version"' in first.get(url).content.decode()

    response = first.post(url, case_form_data(first_form) | {"title": "第一位的标题"})
    assert response.status_code == 302

    before = db_state()
    response = second.post(url, case_form_data(second_form) | {"title": "第二位的标题"})
    assert response.status_code == 200  # back on the form, with what they typed
    page = response.content.decode()
    assert CONFLICT in page
    assert "第二位的标题" in page
    assert db_state() == before
    case.refresh_from_db()
    assert (case.title, case.version) == ("第一位的标题", 2)

    # Reloaded, the second editor works from the first one's version and may save.
    reloaded = second.get(url).context["form"]
    assert second.post(url, case_form_data(reloaded) | {"title": "第二位的标题"}).status_code == 302
    case.refresh_from_db()
    assert (case.title, case.version) == ("第二位的标题", 3)


def test_second_draft_editor_is_told_and_the_first_draft_survives(client, world, co_handler, case):
    recommendation = draft_recommendation(case, world.agency1)
    first, second = client, client.__class__()
    first.force_login(world.procurator)
    second.force_login(co_handler)
    url = reverse("recommendation_edit", args=[recommendation.pk])
    first_page, second_page = first.get(url), second.get(url)
    version = first_page.context["form"]["version"].value()
    assert version == second_page.context["form"]["version"].value() == 1

    response = first.post(url, recommendation_data(world.agency1, ["第一位的建议事项"], version=version))
    assert response.status_code == 302

    before = db_state()
    response = second.post(url, recommendation_data(world.agency1, ["第二位的建议事项"], version=version))
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert db_state() == before
    recommendation.refresh_from_db()
    assert list(recommendation.items.values_list("text", flat=True)) == ["第一位的建议事项"]
    assert recommendation.version == 2


def test_the_services_check_and_increment_the_version(world, case):
    fields = {
        "title": case.title,
        "summary": case.summary,
        "domain": case.domain,
        "agencies": list(case.agencies.all()),
        "co_handlers": list(case.co_handlers.all()),
        "internal_notes": "",
    }
    services.case_update(user=world.procurator, case=case, version=1, **fields | {"title": "一"})
    with refused(code="conflict"):
        services.case_update(user=world.procurator, case=case, version=1, **fields | {"title": "二"})
    # A caller that does not say which version it read (a script) is not checked.
    services.case_update(user=world.procurator, case=case, **fields | {"title": "三"})
    case.refresh_from_db()
    assert (case.title, case.version) == ("三", 3)


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_refuses_a_stale_case_edit_with_409(world, co_handler, case):
    url = f"/api/v1/cases/{case.pk}/"
    version = api_for(world.procurator).get(url).json()["version"]
    assert api_for(world.procurator).patch(url, {"title": "甲", "version": version}, format="json").status_code == 200
    before = db_state()
    response = api_for(co_handler).patch(url, {"title": "乙", "version": version}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert CONFLICT in response.json()["message"]
    assert db_state() == before
    assert Case.objects.get(pk=case.pk).title == "甲"


def test_the_api_refuses_a_stale_draft_edit_with_409(world, co_handler, case):
    recommendation = draft_recommendation(case, world.agency1)
    url = f"/api/v1/recommendations/{recommendation.pk}/"
    version = api_for(world.procurator).get(url).json()["version"]
    ok = api_for(world.procurator).patch(url, {"items": ["甲"], "version": version}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["version"] == version + 1
    before = db_state()
    response = api_for(co_handler).patch(url, {"items": ["乙"], "version": version}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert db_state() == before
    assert list(Recommendation.objects.get(pk=recommendation.pk).items.values_list("text", flat=True)) == ["甲"]
