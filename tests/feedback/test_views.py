"""The agency portal through HTTP: acknowledge, draft with files, refusals shown at the field,
submit, the procurator's review and decisions, downloads and export, the home page groups and its
fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from cases.models import Case, Recommendation
from feedback import selectors, services
from feedback.models import Acknowledgement, CompletionDateProposal, FeedbackAttachment, FeedbackReport
from tests.factories import SERVED_ON, CaseFactory, UserFactory, recommendation_at
from tests.feedback.conftest import DAY, PDF, answers_for, draft, exe_file, pdf_file, png_file

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def report_data(recommendation, **overrides) -> dict:
    data = {
        "kind": "final",
        "summary": "已全部整改完毕。",
        "responsible_person_name": "",
        "responsible_person_title": "",
    }
    for item in recommendation.items.all():
        data[f"item_{item.pk}_status"] = "rectified"
        data[f"item_{item.pk}_measures"] = f"第{item.number}项已整改。"
    return data | overrides


def test_agency_acknowledges_drafts_with_files_and_the_responsible_person_submits(client, world, served, boss):
    client.force_login(world.agency1_staff)
    response = client.post(reverse("agency_acknowledge", args=[served.pk]), {"acknowledged_on": "2026-04-03"})
    assert response.status_code == 302
    assert Acknowledgement.objects.get().acknowledged_by == world.agency1_staff

    response = client.post(
        reverse("feedback_report_create", args=[served.pk]),
        report_data(served) | {"files": [pdf_file(), png_file()]},
    )
    report = FeedbackReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("feedback_report_detail", args=[report.pk])
    assert report.is_draft and report.attachments.count() == 2

    page = client.get(reverse("feedback_report_detail", args=[report.pk])).content.decode()
    assert (
        "草稿" in page and reverse("feedback_report_submit", args=[report.pk]) not in page
    )  # not the responsible person

    client.force_login(boss)
    page = client.get(reverse("feedback_report_detail", args=[report.pk])).content.decode()
    assert reverse("feedback_report_submit", args=[report.pk]) in page
    response = client.post(reverse("feedback_report_submit", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    served.refresh_from_db()
    assert (
        report.is_submitted and report.responsible_person_name == "王局长" and report.responsible_person_title == "局长"
    )
    assert served.status == Recommendation.Status.REPLIED

    client.force_login(world.procurator)
    review = client.get(reverse("feedback_recommendation_review", args=[served.pk])).content.decode()
    assert reverse("feedback_report_detail", args=[report.pk]) in review
    attachment = report.attachments.get(original_name="整改报告.pdf")
    download = client.get(reverse("feedback_attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
    export = client.get(reverse("feedback_report_export", args=[report.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    import io

    from docx import Document

    paragraphs = [p.text for p in Document(io.BytesIO(b"".join(export.streaming_content))).paragraphs]
    assert paragraphs[0] == f"关于{served.document_number}检察建议的{report.get_kind_display()}"
    assert report.summary in paragraphs
    assert any(p.startswith("整改情况：") for p in paragraphs)
    assert "1. 整改报告.pdf" in paragraphs


def test_forbidden_file_type_is_shown_at_the_files_field_and_nothing_is_saved(client, world, served):
    client.force_login(world.agency1_staff)
    response = client.post(
        reverse("feedback_report_create", args=[served.pk]), report_data(served) | {"files": [pdf_file(), exe_file()]}
    )
    assert response.status_code == 200
    assert "evidence.pdf" in " ".join(response.context["form"].errors["files"])
    assert not FeedbackReport.objects.exists() and not FeedbackAttachment.objects.exists()


def test_missing_item_answer_is_shown_at_that_item_and_nothing_is_saved(client, world, served):
    second = served.items.get(number=2)
    client.force_login(world.agency1_staff)
    response = client.post(
        reverse("feedback_report_create", args=[served.pk]), report_data(served, **{f"item_{second.pk}_status": ""})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"item_{second.pk}_status"]
    assert not FeedbackReport.objects.exists()


def test_report_on_a_closed_case_is_refused_with_a_message(client, world, served):
    Case.objects.filter(pk=served.case_id).update(status=Case.Status.CLOSED)
    client.force_login(world.agency1_staff)
    response = client.post(reverse("feedback_report_create", args=[served.pk]), report_data(served))
    assert response.status_code == 200
    assert "案件已终结" in " ".join(response.context["form"].non_field_errors())
    assert not FeedbackReport.objects.exists()


def test_procurator_requests_supplement_and_decides_a_proposed_date(client, world, served, boss):
    _first, second = served.items.order_by("number")
    answers = answers_for(served)
    answers[1] = services.AnswerInput(
        item_id=second.pk,
        status="cannot_yet",
        measures="已编制方案。",
        reason="汛期不宜施工。",
        proposed_completion_on=datetime.date(2027, 6, 30),
    )
    services.feedback_submit(user=boss, report=draft(world.agency1_staff, served, answers=answers), today=DAY)
    proposal = CompletionDateProposal.objects.get()

    client.force_login(world.procurator)
    response = client.post(
        reverse("feedback_supplement_request", args=[served.pk]), {"text": "请补充验收材料。", "due_on": "2099-01-01"}
    )
    assert response.status_code == 302
    response = client.post(reverse("feedback_proposal_decide", args=[proposal.pk]), {"decision": "refuse", "note": ""})
    proposal.refresh_from_db()
    assert proposal.status == CompletionDateProposal.Status.PENDING  # a refusal needs a reason
    client.post(reverse("feedback_proposal_decide", args=[proposal.pk]), {"decision": "accept"})
    proposal.refresh_from_db()
    assert proposal.status == CompletionDateProposal.Status.ACCEPTED and proposal.deadline is not None

    client.force_login(world.agency1_staff)
    page = client.get(reverse("agency_recommendation_detail", args=[served.pk])).content.decode()
    assert "请补充验收材料。" in page and "已同意" in page and "2027-06-30" in page


def test_follow_up_with_photos_through_the_form(client, world, served):
    client.force_login(world.procurator)
    response = client.post(
        reverse("feedback_follow_up", args=[served.pk]),
        {"conducted_on": "2026-05-20", "findings": "现场已回填。", "photos": [png_file()]},
    )
    assert response.status_code == 302
    assert served.case.investigations.get().attachments.count() == 1


# --- The home page ----------------------------------------------------------------------------------


def _recommendation(world, status, agency=None):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[agency or world.agency1])
    return recommendation_at(status, case=case, agency=agency or world.agency1, approver=world.supervisor)


def test_home_groups_recommendations_by_what_needs_doing(world, boss):
    to_ack = _recommendation(world, Recommendation.Status.SERVED)
    acknowledged = _recommendation(world, Recommendation.Status.SERVED)
    services.acknowledgement_record(
        user=world.agency1_staff, recommendation=acknowledged, acknowledged_on=SERVED_ON, today=DAY
    )
    replied = _recommendation(world, Recommendation.Status.REPLIED)
    evaluated = _recommendation(world, Recommendation.Status.REPLIED)
    evaluated.items.update(evaluation="rectified")
    issued = _recommendation(world, Recommendation.Status.ISSUED)
    _recommendation(world, Recommendation.Status.SERVED, agency=world.agency2)

    home = selectors.agency_home(world.agency1_staff, today=DAY)
    groups = {name: [row.recommendation for row in rows] for name, rows in home.groups.items()}
    assert set(groups["to_acknowledge"]) == {to_ack, issued}
    assert groups["reply_due"] == [acknowledged]
    assert groups["rectifying"] == [replied]
    assert groups["evaluated"] == [evaluated]
    assert groups["overdue"] == []
    row = home.group("reply_due")[0]
    assert (row.due_on, row.days_left) == (datetime.date(2026, 6, 3), 19)

    services.supplement_request_create(
        user=world.procurator, recommendation=replied, text="请补充。", due_on=datetime.date(2026, 5, 25), today=DAY
    )
    asked = selectors.agency_home(world.agency1_staff, today=DAY)
    row = next(r for r in asked.group("reply_due") if r.recommendation == replied)
    assert (row.due_on, row.days_left) == (datetime.date(2026, 5, 25), 10)

    late = selectors.agency_home(world.agency1_staff, today=datetime.date(2026, 6, 10))
    assert {r.recommendation for r in late.group("overdue")} == {to_ack, acknowledged, replied}
    days = {r.recommendation: r.days_left for r in late.group("overdue")}
    assert (days[acknowledged], days[replied]) == (-7, -16)


def test_home_page_costs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    for _ in range(3):
        _recommendation(world, Recommendation.Status.SERVED)
    _recommendation(world, Recommendation.Status.REPLIED)
    client.force_login(world.agency1_staff)
    # session, user, the user's organisation (merged or abolished?), the open groups' sizes and first
    # ids (one window query), the agency's total, the evaluated group's first ids, those
    # recommendations with their annotations, their agency deadlines, the
    # running lawsuits against the agency (none here: see tests/feedback/test_court_duties.py) and
    # the count of finished ones, the agency's open joint-meeting decisions, the open assistance
    # requests (assistance app), the notification bell's unread count.
    with django_assert_num_queries(13):
        response = client.get(reverse("agency_home"))
    assert response.status_code == 200
    for _ in range(3):
        _recommendation(world, Recommendation.Status.SERVED)
    with django_assert_num_queries(13):
        client.get(reverse("agency_home"))


def test_merged_agency_staff_see_a_read_only_home(client, world, served, boss):
    services.feedback_submit(user=boss, report=draft(world.agency1_staff, served), today=DAY)
    world.agency1.merged_into = world.agency2
    world.agency1.save()
    client.force_login(boss)
    page = client.get(reverse("agency_home")).content.decode()
    assert "已被撤销或合并" in page
    detail = client.get(reverse("agency_recommendation_detail", args=[served.pk])).content.decode()
    assert reverse("feedback_report_create", args=[served.pk]) not in detail
    assert client.get(reverse("feedback_report_detail", args=[FeedbackReport.objects.get().pk])).status_code == 200


def test_deactivated_agency_user_cannot_log_in(client, world):
    user = UserFactory(username="leaver", organisation=world.agency1, role=Role.AGENCY_STAFF, password="Lv-2026-pass!")
    user.is_active = False
    user.save()
    response = client.post(reverse("login"), {"username": "leaver", "password": "Lv-2026-pass!"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
