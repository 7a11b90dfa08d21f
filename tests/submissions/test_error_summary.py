"""A form sent back with errors starts with a summary of every error, each linked to its field
(templates/_form_errors.html), announced and focusable; every form template includes it."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.factories import CaseFactory
from tests.submissions.test_submit_once import lead_data, recommendation_data

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SUMMARY = re.compile(
    r'<div class="alert alert-danger form-error-summary" role="alert" tabindex="-1"[^>]*>(.*?)</div>', re.S
)


def summary_of(response) -> str:
    found = SUMMARY.findall(response.content.decode())
    assert len(found) == 1, "one error summary"
    return found[0]


def test_the_summary_links_to_each_field_in_error(client, world):
    client.force_login(world.procurator)
    response = client.post(reverse("lead_create"), {**lead_data(world), "title": "", "summary": ""})
    assert response.status_code == 200
    summary = summary_of(response)
    assert 'href="#id_title"' in summary and 'href="#id_summary"' in summary
    for error in response.context["form"].errors["title"]:
        assert error in summary
    # The link's target exists on the page.
    assert 'id="id_title"' in response.content.decode()


def test_the_summary_lists_errors_that_belong_to_no_field(client, world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    client.force_login(world.procurator)
    data = {**recommendation_data(world), "items-0-text": ""}
    response = client.post(reverse("recommendation_create", args=[case.pk]), data)
    assert response.status_code == 200
    assert "检察建议至少要有一项建议事项。" in summary_of(response)


def test_no_summary_on_a_fresh_form(client, world):
    client.force_login(world.procurator)
    assert "form-error-summary" not in client.get(reverse("lead_create")).content.decode()


def test_the_summary_is_in_the_readers_language(client, world):
    client.force_login(world.procurator)
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    response = client.post(reverse("lead_create"), {**lead_data(world), "title": ""})
    assert "Please correct the following, then submit again:" in summary_of(response)


def test_every_form_template_includes_the_summary():
    """A template that renders a form's fields (through _field.html or the form itself) includes the
    summary, directly or through the partials that now delegate to it."""
    includes = ("_form_errors.html", "cases/actions/_non_field_errors.html", "feedback/_errors.html")
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if path.name == "_form_errors.html" or ("_field.html" not in text and "form.visible_fields" not in text):
            continue
        if not any(name in text for name in includes):
            missing.append(str(path.relative_to(TEMPLATES)))
    assert missing == []
    for partial in includes[1:]:
        assert '{% include "_form_errors.html" %}' in (TEMPLATES / partial).read_text(encoding="utf-8")
