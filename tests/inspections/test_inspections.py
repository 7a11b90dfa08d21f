"""Inspections: planning, holding, findings, a finding turned into a lead once (linked both ways),
and who sees what (docs/domain.md, Inspections)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cases.models import Lead
from inspections import services
from inspections.models import Finding, Inspection
from pil_tracker.errors import DomainError
from tests.factories import domain

D = datetime.date
TODAY = D(2026, 6, 10)

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world):
    inspection = services.inspection_plan(
        user=world.supervisor,
        kind=Inspection.Kind.JOINT,
        title="河道联合检查",
        subject="某河流域",
        starts_on=D(2026, 6, 1),
        ends_on=D(2026, 6, 3),
        organiser=world.district,
        participants=[world.agency1, world.commission],
    )
    services.inspection_hold(user=world.supervisor, inspection=inspection, summary="检查了三处", today=TODAY)
    return inspection


@pytest.fixture
def findings(world, held):
    own = services.finding_add(
        user=world.supervisor,
        inspection=held,
        description="非法采砂",
        location="某村",
        agency=world.agency1,
        domain=domain(),
    )
    other = services.finding_add(
        user=world.supervisor, inspection=held, description="违法占地", agency=world.agency2, domain=domain()
    )
    return own, other


def test_a_finding_becomes_a_lead_once_linked_both_ways(world, findings, client):
    finding = findings[0]
    lead, created = services.finding_make_lead(user=world.procurator, finding=finding, today=TODAY)
    assert created
    assert (lead.procuratorate, lead.agency, lead.source) == (world.district, world.agency1, Lead.Source.OWN_WORK)
    assert "非法采砂" in lead.summary and "河道联合检查" in lead.source_detail
    again, created = services.finding_make_lead(user=world.procurator_colleague, finding=finding, today=TODAY)
    assert (again, created) == (lead, False)
    assert Lead.objects.count() == 1
    client.force_login(world.procurator)
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert "来自联合检查" in page and reverse("inspection_detail", args=[finding.inspection_id]) in page
    page = client.get(reverse("inspection_detail", args=[finding.inspection_id])).content.decode()
    assert reverse("lead_detail", args=[lead.pk]) in page
    # The second click on the page lands on the same lead.
    response = client.post(reverse("inspection_finding_make_lead", args=[finding.pk]))
    assert response.url == reverse("lead_detail", args=[lead.pk])
    assert Lead.objects.count() == 1


def test_refusals_change_nothing(world, held, findings):
    with pytest.raises(DomainError) as info:
        services.finding_make_lead(user=world.city_procurator, finding=findings[0], today=TODAY)
    assert info.value.code == "permission_denied"
    with pytest.raises(DomainError):
        services.inspection_cancel(user=world.supervisor, inspection=held, reason="x")  # held already
    with pytest.raises(DomainError) as info:
        services.inspection_plan(
            user=world.procurator,
            kind=Inspection.Kind.ENFORCEMENT,
            title="t",
            subject="s",
            starts_on=TODAY,
            ends_on=TODAY,
            organiser=world.district,
        )
    assert info.value.code == "permission_denied"
    assert Lead.objects.count() == 0 and Inspection.objects.count() == 1
    assert Finding.objects.filter(lead__isnull=False).count() == 0


def test_planned_inspections_take_no_findings_and_a_cancel_needs_a_reason(world):
    planned = services.inspection_plan(
        user=world.supervisor,
        kind=Inspection.Kind.ENFORCEMENT,
        title="计划",
        subject="s",
        starts_on=D(2026, 7, 1),
        ends_on=D(2026, 7, 2),
        organiser=world.district,
    )
    with pytest.raises(DomainError):
        services.finding_add(user=world.supervisor, inspection=planned, description="x", domain=domain())
    with pytest.raises(DomainError):
        services.inspection_hold(user=world.supervisor, inspection=planned, summary="x", today=TODAY)
    with pytest.raises(DomainError):
        services.inspection_cancel(user=world.supervisor, inspection=planned, reason=" ")
    services.inspection_cancel(user=world.supervisor, inspection=planned, reason="汛期")
    assert Inspection.objects.get(pk=planned.pk).status == Inspection.Status.CANCELLED


READERS = {
    "procurator": True,
    "procurator_colleague": True,
    "city_procurator": False,
    "other_procurator": False,
    "supervisor": True,
    "city_supervisor": True,
    "other_supervisor": False,
    "agency1_staff": True,  # took part
    "agency2_staff": False,  # did not
    "discipline": True,  # the commission took part
}
RECORDERS = {"supervisor", "city_supervisor"}


@pytest.mark.parametrize("name", sorted(READERS))
def test_scope_matrix(world, held, findings, client, name):
    user = getattr(world, name)
    client.force_login(user)
    detail = client.get(reverse("inspection_detail", args=[held.pk]))
    assert detail.status_code == (200 if READERS[name] else 404)
    listed = client.get(reverse("inspection_list")).content.decode()
    assert ("河道联合检查" in listed) == READERS[name]
    if READERS[name]:
        page = detail.content.decode()
        # Agency staff read the findings about their own agency only.
        assert "非法采砂" in page
        assert ("违法占地" in page) == (name != "agency1_staff")
    hold = client.post(
        reverse("inspection_finding_create", args=[held.pk]), {"description": "x", "domain": domain().pk}
    )
    expected = 302 if name in RECORDERS else (403 if READERS[name] else 404)
    assert hold.status_code == expected
    make = client.post(reverse("inspection_finding_make_lead", args=[findings[1].pk]))
    if name in ("procurator", "procurator_colleague", "supervisor"):
        assert make.status_code == 302
    elif READERS[name] and name != "agency1_staff":
        assert make.status_code == 403
    else:
        assert make.status_code == 404  # out of scope, or a finding about another agency
    assert client.get(reverse("inspection_detail", args=[10**9])).status_code == 404


def test_the_list_costs_a_fixed_number_of_queries(world, held, client, django_assert_max_num_queries):
    client.force_login(world.procurator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("inspection_list")).status_code == 200
