"""Files through the API: uploads are checked by their content (a refused file is a 400 field
error, never a 500, and nothing is kept), several files are saved all or nothing, downloads answer
whatever the client accepts; and the read-only case timeline and recommendation document."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from cases.models import Attachment
from feedback.models import FeedbackAttachment
from litigation.models import LitigationFile
from tests.api.conftest import EXE, pdf, today
from tests.api.test_actions import api_state


def stored_files() -> set[str]:
    media = settings.MEDIA_ROOT
    return {str(p) for p in media.rglob("*") if p.is_file()} if media.exists() else set()


def _upload_cases(s):
    """(user, url, body with one bad file, the field the error names) per upload endpoint."""
    ruling = s.lawsuit.rulings.get()
    return [
        ("procurator", f"/api/v1/cases/{s.case.pk}/attachments/", {"file": [pdf("照片.pdf", EXE)]}, "file.0"),
        ("agency1", f"/api/v1/feedback/{s.report_draft.pk}/attachments/", {"files": [pdf("照片.pdf", EXE)]}, "files"),
        ("procurator", f"/api/v1/lawsuits/{s.lawsuit.pk}/materials/", {"file": pdf("起诉书.pdf", EXE)}, "file"),
        ("procurator", f"/api/v1/rulings/{ruling.pk}/documents/", {"file": pdf("判决书.pdf", EXE)}, "file"),
        (
            "procurator",
            f"/api/v1/recommendations/{s.served.pk}/follow-up/",
            {"conducted_on": str(today()), "findings": "已整改。", "photos": [pdf("照片.pdf", EXE)]},
            "photos",
        ),
    ]


@pytest.mark.parametrize("index", range(5), ids=["case", "feedback", "material", "ruling", "follow-up"])
def test_a_file_of_a_refused_type_is_a_400_field_error_and_nothing_is_kept(index, scenario, api):
    name, url, body, field = _upload_cases(scenario)[index]
    before, files = api_state(), stored_files()
    response = api(scenario.users[name]).post(url, body, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == [field]
    assert "不支持的文件类型" in response.json()["fields"][field][0]
    assert api_state() == before and stored_files() == files


def test_several_files_are_saved_all_or_nothing(scenario, api):
    files = stored_files()
    response = api(scenario.users["procurator"]).post(
        f"/api/v1/cases/{scenario.case.pk}/attachments/",
        {"file": [pdf("勘验笔录.pdf"), pdf("程序.pdf", EXE)]},
        format="multipart",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file.1"]
    assert Attachment.objects.count() == 1  # the scenario's own
    assert stored_files() == files  # the first file, written before the refusal, is gone too


def test_an_upload_needs_a_file_and_multipart(scenario, api):
    client = api(scenario.users["procurator"])
    url = f"/api/v1/cases/{scenario.case.pk}/attachments/"
    missing = client.post(url, {"description": "无文件"}, format="multipart")
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["file"]
    not_a_file = client.post(url, {"file": "abc"}, format="multipart")
    assert not_a_file.status_code == 400 and list(not_a_file.json()["fields"]) == ["file.0"]
    as_json = client.post(url, {"file": "abc"}, format="json")
    assert as_json.status_code == 415 and as_json.json()["code"] == "unsupported_media_type"
    empty = client.post(url, {"file": [pdf("空.pdf", b"")]}, format="multipart")
    assert empty.status_code == 400 and "file.0" in empty.json()["fields"]


def test_evidence_of_an_investigation_of_another_case_is_refused(scenario, api):
    from cases import services

    other = services.investigation_record(
        user=scenario.users["other_procurator"],
        case=scenario.case_other,
        kind="site_visit",
        conducted_on=today(),
        findings="x",
    )
    response = api(scenario.users["procurator"]).post(
        f"/api/v1/cases/{scenario.case.pk}/attachments/",
        {"file": [pdf()], "investigation": other.pk},
        format="multipart",
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["investigation"]


def test_a_follow_up_dated_before_service_is_refused_on_its_field(scenario, api):
    response = api(scenario.users["procurator"]).post(
        f"/api/v1/recommendations/{scenario.served.pk}/follow-up/",
        {"conducted_on": "2026-01-01", "findings": "x"},  # before service
        format="json",
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["conducted_on"]


def test_a_feedback_file_limit_is_a_field_error(scenario, api, settings):
    settings.FEEDBACK_MAX_FILES = 2
    response = api(scenario.users["agency1"]).post(
        f"/api/v1/feedback/{scenario.report_draft.pk}/attachments/",
        {"files": [pdf("一.pdf"), pdf("二.pdf")]},
        format="multipart",
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["files"]
    assert FeedbackAttachment.objects.filter(report=scenario.report_draft).count() == 1


def test_removing_a_file_from_a_draft_keeps_its_content_and_deletes_the_stored_file_after_commit(
    scenario, api, django_capture_on_commit_callbacks
):
    draft = scenario.report_draft
    attachment = draft.attachments.get()
    answers = list(draft.answers.order_by("item__number").values("item", "status", "measures"))
    client = api(scenario.users["agency1"])
    url = f"/api/v1/feedback-attachments/{attachment.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(url)
        assert response.status_code == 204 and not response.content
        assert (settings.MEDIA_ROOT / attachment.file.name).exists()  # until the removal is committed
    assert not (settings.MEDIA_ROOT / attachment.file.name).exists()
    assert not FeedbackAttachment.objects.filter(pk=attachment.pk).exists()
    draft.refresh_from_db()
    assert draft.is_draft and draft.summary == "第二次进展报告（草稿）。"
    assert list(draft.answers.order_by("item__number").values("item", "status", "measures")) == answers
    assert client.get(url).status_code == 404
    assert client.delete(url).json()["code"] == "not_found"


@pytest.mark.parametrize("who", ["agency1", "boss"])
def test_a_file_of_a_submitted_report_cannot_be_removed_by_its_agency(who, scenario, api):
    attachment = scenario.report.attachments.get()
    before, files = api_state(), stored_files()
    response = api(scenario.users[who]).delete(f"/api/v1/feedback-attachments/{attachment.pk}/")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "immutable"
    assert response.json()["message"] == "已提交的整改反馈不能修改；如需更正，请提交新的报告。"
    assert api_state() == before and stored_files() == files


def test_a_download_answers_whatever_the_client_accepts(scenario, api):
    client = api(scenario.users["procurator"])
    response = client.get(f"/api/v1/litigation-files/{scenario.material.pk}/download/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    b"".join(response.streaming_content)
    missing = client.get("/api/v1/litigation-files/999999/download/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_the_defendant_lists_the_ruling_documents_without_internal_fields(scenario, api):
    rows = api(scenario.users["agency1"]).get("/api/v1/litigation-files/").json()["results"]
    assert [r["id"] for r in rows] == [scenario.ruling_document.pk]
    assert not {"description", "uploaded_by", "material"} & set(rows[0])
    internal = api(scenario.users["procurator"]).get(f"/api/v1/litigation-files/?lawsuit={scenario.lawsuit.pk}")
    kinds = sorted(r["kind"] for r in internal.json()["results"])
    assert kinds == [LitigationFile.Kind.MATERIAL, LitigationFile.Kind.RULING_DOCUMENT]


# --- The case timeline ---------------------------------------------------------------------------


def test_the_timeline_hides_confidential_changes_from_those_who_may_not_see_them(scenario, api):
    handler = api(scenario.users["procurator"])
    url = f"/api/v1/cases/{scenario.case.pk}/"
    assert (
        handler.patch(url, {"internal_notes": "内部：举报人系附近村民。", "title": "新标题"}, format="json").status_code
        == 200
    )

    def edits(name):
        events = api(scenario.users[name]).get(url + "timeline/").json()
        return [e["changes"] for e in events if e["kind"] == "case_edited"]

    assert "internal_notes" in edits("procurator")[-1] and "internal_notes" in edits("city_supervisor")[-1]
    colleague = edits("colleague")[-1]
    assert "internal_notes" not in colleague and colleague  # the title change stays
    assert "内部" not in api(scenario.users["colleague"]).get(url + "timeline/").content.decode()
    for outsider in ("other_procurator", "agency1"):
        assert api(scenario.users[outsider]).get(url + "timeline/").status_code == 404


def test_the_timeline_costs_a_fixed_number_of_queries(scenario, api, django_assert_num_queries):
    client = api(scenario.users["city_supervisor"])
    url = f"/api/v1/cases/{scenario.case.pk}/timeline/"
    # the token with its user, the supervisor's organisation (scope: its tree path), the case,
    # the events with their actors and recommendations (joined)
    with django_assert_num_queries(4):
        few = client.get(url).json()
    handler = api(scenario.users["procurator"])
    for n in range(3):
        handler.patch(f"/api/v1/cases/{scenario.case.pk}/", {"title": f"标题{n}"}, format="json")
    with django_assert_num_queries(4):
        more = client.get(url).json()
    assert len(more) == len(few) + 3
    assert [e["at"] for e in more] == sorted(e["at"] for e in more)


# --- The recommendation document -----------------------------------------------------------------


def test_the_recommendation_document_is_a_docx_for_everyone_who_reads_the_recommendation(scenario, api):
    url = f"/api/v1/recommendations/{scenario.served.pk}/document/"
    for name in ("procurator", "city_supervisor", "agency1"):
        response = api(scenario.users[name]).get(url, HTTP_ACCEPT="application/octet-stream")
        assert response.status_code == 200, name
        assert response.content[:2] == b"PK"  # a zip: the .docx
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response["Content-Disposition"].startswith("attachment;")
    for name in ("agency2", "other_procurator"):
        assert api(scenario.users[name]).get(url).status_code == 404
    # A draft is never the agency's to read.
    assert (
        api(scenario.users["agency2"]).get(f"/api/v1/recommendations/{scenario.draft.pk}/document/").status_code == 404
    )


def test_a_proposal_of_another_recommendation_is_not_found(scenario, world, api):
    from tests.api.test_actions import pending_proposal

    pending_proposal(scenario, world)
    response = api(scenario.users["procurator"]).post(
        f"/api/v1/recommendations/{scenario.draft.pk}/decide-completion-date/",
        {"proposal": scenario.extra["proposal"].pk, "decision": "refuse", "note": "x"},
        format="json",
    )
    assert response.status_code == 404


def test_a_refusal_of_a_completion_date_needs_a_reason(scenario, world, api):
    from tests.api.test_actions import pending_proposal

    pending_proposal(scenario, world)
    response = api(scenario.users["procurator"]).post(
        f"/api/v1/recommendations/{scenario.served.pk}/decide-completion-date/",
        {"proposal": scenario.extra["proposal"].pk, "decision": "refuse"},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["note"]
    agency = api(scenario.users["agency1"]).get(f"/api/v1/recommendations/{scenario.served.pk}/").json()
    assert agency["completion_proposals"][0]["status"] == "pending"
    assert "decided_by" not in agency["completion_proposals"][0]


def test_a_supplement_request_is_due_after_today(scenario, api):
    response = api(scenario.users["procurator"]).post(
        f"/api/v1/recommendations/{scenario.served.pk}/request-supplement/",
        {"text": "请补充。", "due_on": str(today() - datetime.timedelta(days=1))},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["due_on"]
