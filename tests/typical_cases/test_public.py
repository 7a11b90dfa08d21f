"""The public page and API: no login, published summary fields only, nothing else of the case.

The leak check reads every text field of the case, its lead, its lawsuit and the people and
agencies named in them generically (model _meta), so a field added later is checked too."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from cases.models import Case, Lead
from typical_cases import services
from typical_cases.models import TypicalCase

PUBLIC = {"title", "summary", "outcome", "significance"}


def _published(world, case) -> TypicalCase:
    typical = services.typical_case_start(user=world.supervisor, case=case)
    typical = services.typical_case_update(
        user=world.supervisor,
        typical=typical,
        title="督促整治化工企业违法排污行政公益诉讼案",
        domain=case.domain,
        year=2026,
        summary=typical.summary,
        outcome=typical.outcome,
        significance="检察机关以诉前检察建议督促行政机关依法履职，守护河道生态。",
        replacements=[tuple(pair) for pair in typical.replacements],
    )
    typical = services.typical_case_submit(user=world.supervisor, typical=typical)
    return services.typical_case_publish(user=world.city_supervisor, typical=typical)


def _values(instance: models.Model) -> set[str]:
    """Every non-empty text of the instance: raw values, choice labels."""
    found = set()
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if not isinstance(value, str) or len(value.strip()) < 2:
            continue
        if field.choices:
            found.add(str(dict(field.flatchoices).get(value, value)))
        elif isinstance(field, models.CharField | models.TextField):
            found.add(value)
    return found


def _secrets(case: Case) -> set[str]:
    lead: Lead = case.lead
    secrets = _values(case) | _values(lead)
    for lawsuit in case.lawsuits.all():
        secrets |= _values(lawsuit)
    for user in (case.handler, lead.registered_by):
        secrets |= {user.full_name, user.username} - {""}
    for agency in case.agencies.all():
        secrets.add(agency.name)
        secrets |= {u.full_name for u in agency.users.all() if u.full_name}
    # Public by nature: the domain (a summary field) and the case type (a typical title names it,
    # "…行政公益诉讼案").
    secrets -= {case.domain.name, case.get_case_type_display()}
    return {s for s in secrets if len(s) >= 2}


def test_nothing_of_the_case_reaches_the_public_page_or_api(client, world, closed_case):
    typical = _published(world, closed_case)
    secrets = _secrets(closed_case)
    # The fixture holds what must never leak.
    assert {"张举报", "13912345678", "12345热线转办第77号", closed_case.number, "内部备注：请勿外传的考量"} <= secrets
    assert closed_case.lead.get_source_display() in secrets  # the lead's source, as its label
    pages = [
        client.get(reverse("public_typical_case_list")).content.decode(),
        client.get(reverse("public_typical_case_detail", args=[typical.pk])).content.decode(),
        client.get("/api/v1/public/typical-cases/").content.decode(),
        client.get(f"/api/v1/public/typical-cases/{typical.pk}/").content.decode(),
    ]
    for page in pages:
        assert typical.title in page or "督促整治化工企业违法排污" in page
        leaked = sorted(s for s in secrets if s in page)
        assert leaked == [], leaked
    detail = client.get(f"/api/v1/public/typical-cases/{typical.pk}/").json()
    assert set(detail) == {"id", "domain", "domain_code", "year", *PUBLIC}


def test_only_published_ones_are_public(client, world, closed_case):
    typical = services.typical_case_start(user=world.supervisor, case=closed_case)
    assert client.get(reverse("public_typical_case_detail", args=[typical.pk])).status_code == 404
    assert client.get(f"/api/v1/public/typical-cases/{typical.pk}/").status_code == 404
    assert client.get("/api/v1/public/typical-cases/").json()["count"] == 0


def test_public_search_domain_and_year(client, world, closed_case, django_assert_num_queries):
    typical = _published(world, closed_case)
    url = reverse("public_typical_case_list")
    assert typical.title in client.get(url, {"q": "化工企业"}).content.decode()
    assert typical.title not in client.get(url, {"q": "不存在的词"}).content.decode()
    assert typical.title not in client.get(url, {"year": "2025"}).content.decode()
    assert typical.title in client.get(url, {"domain": closed_case.domain.code, "year": "2026"}).content.decode()
    api = client.get("/api/v1/public/typical-cases/", {"q": "化工企业"})
    assert api.json()["count"] == 1 and "max-age=300" in api["Cache-Control"]
    # count, page, domains, years
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
