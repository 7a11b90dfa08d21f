"""The demo's inspections and assistance requests (demo/inspections.py, demo/assistance.py): in
every state, one finding turned into a lead, agency1's home showing an open request, and a second
seed adding nothing."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assistance.models import AssistanceFile, AssistanceRequest
from inspections.models import Finding, Inspection
from tests.demo.test_seed_demo import seeded  # noqa: F401 - the module's seeded demo (pytest fixture)


def _counts() -> tuple[int, ...]:
    return (
        Inspection.objects.count(),
        Finding.objects.count(),
        AssistanceRequest.objects.count(),
        AssistanceFile.objects.count(),
    )


def test_inspections_in_every_state_with_a_finding_made_a_lead(seeded, db):  # noqa: F811
    assert set(Inspection.objects.values_list("status", flat=True)) == set(Inspection.Status.values)
    assert set(Inspection.objects.values_list("kind", flat=True)) == set(Inspection.Kind.values)
    made = Finding.objects.filter(lead__isnull=False).select_related("lead", "inspection")
    assert len(made) == 1 and made[0].lead.procuratorate_id == made[0].inspection.procuratorate_id
    agency1 = User.objects.get(username="agency1")
    assert Inspection.objects.filter(participants=agency1.organisation, status=Inspection.Status.HELD).exists()


def test_assistance_in_every_state_one_overdue_and_on_agency1_home(seeded, db, client):  # noqa: F811
    assert set(AssistanceRequest.objects.values_list("status", flat=True)) == set(AssistanceRequest.Status.values)
    today = timezone.localdate()
    assert AssistanceRequest.objects.filter(status=AssistanceRequest.Status.SENT, due_date__lt=today).exists()
    assert AssistanceFile.objects.exists()
    assert all(r.sent_on >= r.case.opened_on for r in AssistanceRequest.objects.select_related("case"))
    agency1 = User.objects.get(username="agency1")
    open_request = AssistanceRequest.objects.filter(agency=agency1.organisation, status="sent").first()
    client.force_login(agency1)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert open_request.subject in page


def test_seeding_again_adds_no_inspection_or_request(seeded, db):  # noqa: F811
    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before
