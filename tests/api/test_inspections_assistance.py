"""Inspections, findings and assistance requests through the API: the scope matrix over every
`world` user (in scope 200, out of scope 404, in scope but not allowed 403 on writes), a finding's
lead made once, the agency never receiving a case field, the answer's files downloaded through
their scope, and refusals that change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assistance import services as assistance_services
from assistance.models import AssistanceFile, AssistanceRequest
from cases.models import Lead
from inspections import services as inspection_services
from inspections.models import Finding, Inspection
from tests.api.conftest import PDF, client_for
from tests.factories import CaseFactory, domain

D = datetime.date
PAST = D(2020, 6, 1)  # an inspection that already took place, whatever today is

pytestmark = pytest.mark.django_db

USERS = [
    "procurator",
    "procurator_colleague",
    "city_procurator",
    "other_procurator",
    "supervisor",
    "city_supervisor",
    "other_supervisor",
    "agency1_staff",
    "agency2_staff",
    "discipline",
]
INSPECTION_READERS = {
    "procurator",
    "procurator_colleague",
    "supervisor",
    "city_supervisor",
    "agency1_staff",
    "discipline",
}
RECORDERS = {"supervisor", "city_supervisor"}
LEAD_MAKERS = {"procurator", "procurator_colleague", "supervisor"}
# The case is the district's, handled by `procurator`, assisted by agency1.
ASSISTANCE_READERS = {"procurator", "procurator_colleague", "supervisor", "city_supervisor", "agency1_staff"}
HANDLERS = {"procurator"}


def _plan(world, **kwargs) -> Inspection:
    fields = {
        "kind": Inspection.Kind.JOINT,
        "title": "河道联合检查",
        "subject": "某河流域",
        "starts_on": PAST,
        "ends_on": PAST,
        "organiser": world.district,
        "participants": [world.agency1, world.commission],
    }
    return inspection_services.inspection_plan(user=world.supervisor, **(fields | kwargs))


@pytest.fixture
def inspection(world):
    """A held inspection with one finding about agency1 and one about agency2."""
    held = _plan(world)
    inspection_services.inspection_hold(user=world.supervisor, inspection=held, summary="检查了三处")
    for agency, text in ((world.agency1, "非法采砂"), (world.agency2, "违法占地")):
        inspection_services.finding_add(
            user=world.supervisor, inspection=held, description=text, agency=agency, domain=domain()
        )
    return held


@pytest.fixture
def case(world):
    return CaseFactory(
        procuratorate=world.district, handler=world.procurator, agencies=[world.agency1], title="秘密案名"
    )


def _send(world, case, subject="调取卷宗") -> AssistanceRequest:
    return assistance_services.assistance_request_send(
        user=world.procurator, case=case, agency=world.agency1, kind="files", subject=subject, details="请提供卷宗"
    )


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("name", USERS)
def test_inspection_scope_matrix(world, inspection, name):
    user = getattr(world, name)
    api = client_for(user)
    readable = name in INSPECTION_READERS
    assert _ids(api.get("/api/v1/inspections/")) == ({inspection.pk} if readable else set())
    assert api.get(f"/api/v1/inspections/{inspection.pk}/").status_code == (200 if readable else 404)
    findings = _ids(api.get("/api/v1/inspection-findings/"))
    own, other = Finding.objects.order_by("id")
    if name == "agency1_staff":
        assert findings == {own.pk}  # only what was found about itself
    else:
        assert findings == ({own.pk, other.pk} if readable else set())
    # Writes: recorders succeed, other readers 403, outsiders 404.
    expected = 201 if name in RECORDERS else (403 if readable else 404)
    response = api.post(
        f"/api/v1/inspections/{inspection.pk}/findings/", {"description": "x", "domain": domain().pk}, format="json"
    )
    assert response.status_code == expected, response.content
    # make-lead on the finding about agency2 (agency1 does not read it: 404).
    response = api.post(f"/api/v1/inspection-findings/{other.pk}/make-lead/")
    if name in LEAD_MAKERS:
        assert response.status_code == 201
    elif readable and name != "agency1_staff":
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    assert api.get("/api/v1/inspections/999999999/").status_code == 404


def test_plan_hold_cancel_and_make_lead_once(world):
    api = client_for(world.supervisor)
    body = {
        "kind": "enforcement",
        "title": "执法检查",
        "subject": "某区域",
        "starts_on": str(PAST),
        "ends_on": str(PAST),
        "organiser": world.district.pk,
        "participants": [world.agency1.pk],
    }
    created = api.post("/api/v1/inspections/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["participants"] == [{"id": world.agency1.pk, "name": world.agency1.name}]
    pk = created.json()["id"]
    held = api.post(f"/api/v1/inspections/{pk}/hold/", {"summary": "已检查"}, format="json")
    assert held.json()["status"] == "held"
    finding = api.post(
        f"/api/v1/inspections/{pk}/findings/", {"description": "问题", "domain": domain().pk}, format="json"
    ).json()
    first = client_for(world.procurator).post(f"/api/v1/inspection-findings/{finding['id']}/make-lead/")
    second = client_for(world.procurator_colleague).post(f"/api/v1/inspection-findings/{finding['id']}/make-lead/")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["lead"] == second.json()["lead"] and Lead.objects.count() == 1
    assert second.json()["created"] is False
    # Agency staff never learn which lead a finding became.
    client_for(world.supervisor).post(
        f"/api/v1/inspections/{pk}/findings/",
        {"description": "涉及生态环境局", "domain": domain().pk, "agency": world.agency1.pk},
        format="json",
    )
    rows = client_for(world.agency1_staff).get("/api/v1/inspection-findings/").json()["results"]
    assert rows and all("lead" not in row for row in rows)
    # A held inspection cannot be cancelled (400); a planned one can.
    assert api.post(f"/api/v1/inspections/{pk}/cancel/", {"reason": "x"}, format="json").status_code == 400
    planned = _plan(world, starts_on=D(2999, 1, 1), ends_on=D(2999, 1, 2))
    response = api.post(f"/api/v1/inspections/{planned.pk}/cancel/", {"reason": "汛期"}, format="json")
    assert response.json()["status"] == "cancelled"


def test_inspection_refusals_change_nothing(world, inspection):
    before = (Inspection.objects.count(), Finding.objects.count(), Lead.objects.count())
    procurator = client_for(world.procurator)
    body = {"kind": "joint", "title": "t", "subject": "s", "starts_on": str(PAST), "ends_on": str(PAST)}
    assert (
        procurator.post("/api/v1/inspections/", body | {"organiser": world.district.pk}, format="json").status_code
        == 403
    )
    supervisor = client_for(world.supervisor)
    bad_dates = body | {"organiser": world.district.pk, "ends_on": "2019-01-01"}
    assert supervisor.post("/api/v1/inspections/", bad_dates, format="json").status_code == 400
    assert supervisor.post("/api/v1/inspections/", body | {"organiser": 10**12}, format="json").status_code == 400
    assert (
        supervisor.post(f"/api/v1/inspections/{inspection.pk}/hold/", {"summary": "again"}, format="json").status_code
        == 400
    )
    city = client_for(world.city_procurator)
    assert city.post(f"/api/v1/inspection-findings/{Finding.objects.first().pk}/make-lead/").status_code == 404
    assert (Inspection.objects.count(), Finding.objects.count(), Lead.objects.count()) == before
    inspection.refresh_from_db()
    assert inspection.summary == "检查了三处"


@pytest.mark.parametrize("name", USERS)
def test_assistance_scope_matrix(world, case, name):
    request = _send(world, case)
    user = getattr(world, name)
    api = client_for(user)
    readable = name in ASSISTANCE_READERS
    assert _ids(api.get("/api/v1/assistance-requests/")) == ({request.pk} if readable else set())
    detail = api.get(f"/api/v1/assistance-requests/{request.pk}/")
    assert detail.status_code == (200 if readable else 404)
    if readable:
        # The agency never receives a field of the case.
        assert ("case" in detail.json()) == (name != "agency1_staff")
        assert "秘密案名" not in detail.content.decode()
    # withdraw: the handler (200), other readers 403, outsiders 404.
    response = api.post(f"/api/v1/assistance-requests/{request.pk}/withdraw/", {"reason": "不再需要"}, format="json")
    assert response.status_code == (200 if name in HANDLERS else 403 if readable else 404), response.content
    # A new request on the case: its handler only (others who read the case 403, the rest 404).
    body = {"case": case.pk, "agency": world.agency1.pk, "kind": "site", "subject": "s", "details": "d"}
    response = api.post("/api/v1/assistance-requests/", body, format="json")
    readers_of_case = ASSISTANCE_READERS - {"agency1_staff"}
    assert response.status_code == (201 if name in HANDLERS else 403 if name in readers_of_case else 404)


@pytest.mark.parametrize("name", USERS)
def test_answer_and_download_matrix(world, case, name):
    request = _send(world, case)
    api = client_for(getattr(world, name))
    response = api.post(
        f"/api/v1/assistance-requests/{request.pk}/answer/",
        {"answer": "卷宗已附", "files": [SimpleUploadedFile("卷宗.pdf", PDF, content_type="application/pdf")]},
        format="multipart",
    )
    readable = name in ASSISTANCE_READERS
    assert response.status_code == (200 if name == "agency1_staff" else 403 if readable else 404), response.content
    if name != "agency1_staff":
        assistance_services.assistance_answer(
            user=world.agency1_staff,
            request=request,
            answer="卷宗已附",
            files=[SimpleUploadedFile("卷宗.pdf", PDF, content_type="application/pdf")],
        )
    stored = AssistanceFile.objects.get(request=request)
    assert _ids(api.get(f"/api/v1/assistance-files/?request={request.pk}")) == ({stored.pk} if readable else set())
    download = api.get(f"/api/v1/assistance-files/{stored.pk}/download/")
    assert download.status_code == (200 if readable else 404)
    if readable:
        assert b"".join(download.streaming_content) == PDF
    close = api.post(f"/api/v1/assistance-requests/{request.pk}/close/", {"note": "收到"}, format="json")
    assert close.status_code == (200 if name in HANDLERS else 403 if readable else 404)


def test_assistance_refusals_change_nothing(world, case):
    request = _send(world, case)
    agency = client_for(world.agency1_staff)
    # Blank answer and a program disguised as a PDF: 400, nothing kept.
    assert agency.post(f"/api/v1/assistance-requests/{request.pk}/answer/", {"answer": " "}).status_code == 400
    exe = SimpleUploadedFile("卷宗.pdf", b"MZ\x90\x00" + b"\x00" * 60, content_type="application/pdf")
    response = agency.post(f"/api/v1/assistance-requests/{request.pk}/answer/", {"answer": "好", "files": [exe]})
    assert response.status_code == 400
    handler = client_for(world.procurator)
    assert handler.post(f"/api/v1/assistance-requests/{request.pk}/close/", {}, format="json").status_code == 400
    body = {"case": case.pk, "agency": world.district.pk, "kind": "site", "subject": "s", "details": "d"}
    assert handler.post("/api/v1/assistance-requests/", body, format="json").status_code == 404
    request.refresh_from_db()
    assert (request.status, request.answer) == (AssistanceRequest.Status.SENT, "")
    assert AssistanceRequest.objects.count() == 1 and not AssistanceFile.objects.exists()
