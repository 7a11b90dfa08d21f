"""The whole administrative workflow through the API only, with tokens as a script would use them:
lead → case → recommendation drafted, submitted, approved (supervisor), issued, served → the
agency acknowledges, drafts its final report (the written reply), adds an evidence file (multipart)
and submits → the procurator downloads the evidence, evaluates every item → the case is closed."""

from __future__ import annotations

from rest_framework.test import APIClient

from cases.models import Case
from tests.api.conftest import PDF, pdf, today
from tests.factories import TEST_PASSWORD


def login(username: str) -> APIClient:
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": username, "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json() if response.content else {}


def test_lead_to_closed_case_through_the_api_only(world, boss):
    day = str(today())
    procurator, supervisor, agency = login("procurator"), login("supervisor"), login("agency1_boss")
    domain_id = ok(procurator.get("/api/v1/domains/"))["results"][0]["id"]
    agency_id = ok(agency.get("/api/v1/agencies/"))["results"][0]["id"]
    assert agency_id == world.agency1.pk

    lead = ok(
        procurator.post(
            "/api/v1/leads/",
            {
                "title": "某河道非法采砂",
                "summary": "群众举报河道内非法采砂。",
                "source": "report",
                "reporter_name": "张某",
                "received_on": day,
                "domain": domain_id,
                "agency": agency_id,
            },
            format="json",
        ),
        201,
    )
    case = ok(
        procurator.post(
            f"/api/v1/leads/{lead['id']}/open-case/",
            {
                "case_type": "administrative",
                "title": "督促整治某河道非法采砂行政公益诉讼案",
                "summary": "行政机关未依法查处。",
                "domain": domain_id,
                "agencies": [agency_id],
                "handler": world.procurator.pk,
                "opened_on": day,
            },
            format="json",
        ),
        201,
    )
    recommendation = ok(
        procurator.post(
            "/api/v1/recommendations/",
            {
                "case": case["id"],
                "agency": agency_id,
                "case_source": "群众举报",
                "harm_facts": "河床遭到破坏，影响防洪安全。",
                "failure_facts": "行政机关未依法查处。",
                "legal_basis": "《中华人民共和国水法》第三十九条",
                "rectification_period": "收到本检察建议书之日起两个月内",
                "items": ["依法查处非法采砂行为", "对受损河床进行生态修复"],
            },
            format="json",
        ),
        201,
    )
    url = f"/api/v1/recommendations/{recommendation['id']}"
    assert ok(procurator.post(f"{url}/submit/"))["status"] == "pending_approval"
    assert ok(supervisor.post(f"{url}/approve/", {"comment": "同意"}, format="json"))["status"] == "approved"
    issued = ok(procurator.post(f"{url}/issue/", {"issued_on": day}, format="json"))
    assert issued["document_number"]
    served = ok(
        procurator.post(
            f"{url}/serve/", {"served_on": day, "service_method": "direct", "received_by": "李某"}, format="json"
        )
    )
    assert served["status"] == "served"
    assert ok(procurator.get(f"/api/v1/cases/{case['id']}/"))["next_due"] is not None

    # The agency: its deadlines, the acknowledgement, the final report answering every item.
    assert ok(agency.get(f"/api/v1/deadlines/?recommendation={recommendation['id']}"))["count"] >= 1
    document = ok(agency.post(f"{url}/acknowledge/", {"acknowledged_on": day}, format="json"))
    assert document["acknowledged_on"] == day and "decision_comment" not in document
    report = ok(
        agency.post(
            "/api/v1/feedback/",
            {
                "recommendation": recommendation["id"],
                "kind": "final",
                "summary": "已立案查处并组织修复。",
                "responsible_person_title": "局长",
                "answers": [
                    {"item": item["id"], "status": "rectified", "measures": f"第{item['number']}项已完成。"}
                    for item in document["items"]
                ],
            },
            format="json",
        ),
        201,
    )
    with_evidence = ok(
        agency.post(
            f"/api/v1/feedback/{report['id']}/attachments/", {"files": [pdf("验收报告.pdf")]}, format="multipart"
        )
    )
    [evidence] = with_evidence["attachments"]
    assert evidence["original_name"] == "验收报告.pdf" and with_evidence["status"] == "draft"
    # A draft never leaves the agency, its files included.
    assert procurator.get(f"/api/v1/feedback-attachments/{evidence['id']}/download/").status_code == 404
    assert ok(agency.post(f"/api/v1/feedback/{report['id']}/submit/"))["status"] == "submitted"

    # The procurator: the reply is on record; evaluate every item and close.
    replied = ok(procurator.get(f"{url}/"))
    assert replied["status"] == "replied" and replied["reply_received_on"] == day
    assert ok(procurator.get(f"/api/v1/feedback/?recommendation={recommendation['id']}"))["count"] == 1
    files = ok(procurator.get(f"/api/v1/feedback-attachments/?report={report['id']}"))["results"]
    assert [f["id"] for f in files] == [evidence["id"]]
    download = procurator.get(f"/api/v1/feedback-attachments/{evidence['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    notifications = ok(procurator.get("/api/v1/notifications/?unread=true"))["results"]
    assert any(n["kind"] == "feedback_submitted" for n in notifications)
    evaluated = ok(
        procurator.post(
            f"{url}/evaluate/",
            {"items": [{"item": item["id"], "evaluation": "rectified"} for item in replied["items"]]},
            format="json",
        )
    )
    assert all(item["evaluation"] == "rectified" for item in evaluated["items"])
    closed = ok(
        procurator.post(
            f"/api/v1/cases/{case['id']}/close/",
            {"ground": "rectified", "closed_on": day, "confirmed": True},
            format="json",
        )
    )
    assert closed["status"] == Case.Status.CLOSED
    # Every deadline is settled but the filing with the higher procuratorate, never recorded here:
    # the procuratorate's own duty outlives the case, and the filing closes it.
    still_open = ok(procurator.get(f"/api/v1/deadlines/?case={case['id']}&status=open"))["results"]
    assert [d["rule"] for d in still_open] == ["filing"]
    ok(procurator.post(f"{url}/file/", {"filed_on": day}, format="json"))
    assert ok(procurator.get(f"/api/v1/deadlines/?case={case['id']}&status=open"))["count"] == 0
