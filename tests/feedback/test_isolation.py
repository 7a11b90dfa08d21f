"""The isolation matrix of the agency portal, generated: every page, file download and export of
feedback, for agency1 (drafter and responsible person), agency2, procurators of the case's own,
parent and another procuratorate, supervisors, the discipline liaison and anonymous users — and by
URL guessing: every URL with the id of another agency's object, and with ids that do not exist.

Out of scope answers 404 exactly like a missing id; a user who may read an object but not act on
it gets 403."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import Role
from cases.models import Recommendation
from feedback import services
from feedback.models import CompletionDateProposal, FeedbackAttachment, FeedbackReport, ItemAnswer
from tests.factories import UserFactory
from tests.feedback.conftest import DAY, draft, pdf_file

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

USERS = [
    "agency1_staff",
    "boss",
    "agency2_staff",
    "procurator",
    "procurator_colleague",
    "supervisor",
    "city_procurator",
    "city_supervisor",
    "other_procurator",
    "other_supervisor",
    "discipline",
    "anonymous",
]
AGENCY1 = {"agency1_staff", "boss"}
CASE_READERS = {"procurator", "procurator_colleague", "supervisor", "city_supervisor"}
HANDLER = {"procurator"}
READ_ONLY_PROCURATORATE = CASE_READERS - HANDLER
PROPOSED = datetime.date(2027, 6, 30)  # after the real today of any run for years: accepting it is allowed


@dataclass
class Scene:
    """One agency's objects: a served recommendation, a draft and a submitted report with files, a
    pending completion-date proposal."""

    recommendation: Recommendation
    draft: FeedbackReport
    submitted: FeedbackReport
    draft_file: FeedbackAttachment
    submitted_file: FeedbackAttachment
    proposal: CompletionDateProposal


def build_scene(staff, boss, recommendation) -> Scene:
    first, second = recommendation.items.order_by("number")
    answers = [
        services.AnswerInput(item_id=first.pk, status=ItemAnswer.Status.RECTIFIED, measures="已查处。"),
        services.AnswerInput(
            item_id=second.pk,
            status=ItemAnswer.Status.CANNOT_YET,
            measures="已编制方案。",
            reason="汛期不宜施工。",
            proposed_completion_on=PROPOSED,
        ),
    ]
    submitted = draft(staff, recommendation, answers=answers, uploads=[pdf_file()])
    services.feedback_submit(user=boss, report=submitted, today=DAY)
    pending = draft(staff, recommendation, uploads=[pdf_file("草稿附件.pdf")])
    return Scene(
        recommendation=recommendation,
        draft=pending,
        submitted=submitted,
        draft_file=pending.attachments.get(),
        submitted_file=submitted.attachments.get(),
        proposal=CompletionDateProposal.objects.get(answer__report=submitted),
    )


@pytest.fixture
def scenes(world, served, served2, boss):
    boss2 = UserFactory(
        username="agency2_boss", organisation=world.agency2, role=Role.AGENCY_STAFF, is_responsible_person=True
    )
    return build_scene(world.agency1_staff, boss, served), build_scene(world.agency2_staff, boss2, served2)


def report_post(recommendation) -> dict:
    data = {"kind": "interim", "summary": "进展情况。", "responsible_person_title": "局长"}
    for item in recommendation.items.all():
        data[f"item_{item.pk}_status"] = "rectifying"
        data[f"item_{item.pk}_measures"] = "正在整改。"
    return data


# Each page: (url name, object of the scene, method, POST data maker, expected status per user; 404 otherwise).
# 302 on a POST means the action ran (or was refused with a message on the page it returns to).
PAGES = [
    ("agency_home", None, "get", None, dict.fromkeys(AGENCY1 | {"agency2_staff"}, 200)),
    ("agency_recommendation_detail", "recommendation", "get", None, dict.fromkeys(AGENCY1, 200)),
    (
        "agency_acknowledge",
        "recommendation",
        "post",
        lambda s: {"acknowledged_on": "2026-04-03"},
        dict.fromkeys(AGENCY1, 302),
    ),
    ("feedback_report_create", "recommendation", "get", None, dict.fromkeys(AGENCY1, 200)),
    (
        "feedback_report_create",
        "recommendation",
        "post",
        lambda s: report_post(s.recommendation),
        dict.fromkeys(AGENCY1, 302),
    ),
    ("feedback_report_detail", "draft", "get", None, dict.fromkeys(AGENCY1, 200)),
    ("feedback_report_detail", "submitted", "get", None, dict.fromkeys(AGENCY1 | CASE_READERS, 200)),
    ("feedback_report_edit", "draft", "get", None, dict.fromkeys(AGENCY1, 200)),
    ("feedback_report_edit", "draft", "post", lambda s: report_post(s.recommendation), dict.fromkeys(AGENCY1, 302)),
    ("feedback_report_edit", "submitted", "get", None, dict.fromkeys(AGENCY1 | CASE_READERS, 403)),
    ("feedback_report_submit", "draft", "post", None, {"boss": 302, "agency1_staff": 403}),
    (
        "feedback_report_submit",
        "submitted",
        "post",
        None,
        {"boss": 302, "agency1_staff": 302} | dict.fromkeys(CASE_READERS, 403),
    ),
    ("feedback_report_delete", "draft", "post", None, dict.fromkeys(AGENCY1, 302)),
    (
        "feedback_report_delete",
        "submitted",
        "post",
        None,
        dict.fromkeys(AGENCY1, 302) | dict.fromkeys(CASE_READERS, 403),
    ),
    ("feedback_report_export", "draft", "get", None, dict.fromkeys(AGENCY1, 200)),
    ("feedback_report_export", "submitted", "get", None, dict.fromkeys(AGENCY1 | CASE_READERS, 200)),
    ("feedback_attachment_download", "draft_file", "get", None, dict.fromkeys(AGENCY1, 200)),
    ("feedback_attachment_download", "submitted_file", "get", None, dict.fromkeys(AGENCY1 | CASE_READERS, 200)),
    ("feedback_recommendation_review", "recommendation", "get", None, dict.fromkeys(CASE_READERS, 200)),
    (
        "feedback_supplement_request",
        "recommendation",
        "get",
        None,
        {"procurator": 200} | dict.fromkeys(READ_ONLY_PROCURATORATE, 403),
    ),
    (
        "feedback_supplement_request",
        "recommendation",
        "post",
        lambda s: {"text": "请补充材料。", "due_on": "2099-01-01"},
        {"procurator": 302} | dict.fromkeys(READ_ONLY_PROCURATORATE, 403),
    ),
    (
        "feedback_follow_up",
        "recommendation",
        "get",
        None,
        {"procurator": 200} | dict.fromkeys(READ_ONLY_PROCURATORATE, 403),
    ),
    (
        "feedback_proposal_decide",
        "proposal",
        "post",
        lambda s: {"decision": "accept"},
        {"procurator": 302} | dict.fromkeys(READ_ONLY_PROCURATORATE | AGENCY1, 403),
    ),
]


def _client_for(client, world, boss, name):
    client.logout()
    if name == "anonymous":
        return client
    user = boss if name == "boss" else getattr(world, name)
    client.force_login(user)
    return client


def _request(client, method, url, data) -> int:
    # Each request runs in a savepoint that is rolled back: every user meets the same state.
    savepoint = transaction.savepoint()
    try:
        response = client.get(url) if method == "get" else client.post(url, data or {})
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # consuming it closes the file (the client's wrapper)
        if response.status_code == 302 and client.session.get("_auth_user_id") is None:
            assert response["Location"].startswith(reverse("login")), url
        return response.status_code
    finally:
        transaction.savepoint_rollback(savepoint)


def _url(name, obj):
    return reverse(name) if obj is None else reverse(name, args=[obj.pk])


def _label(page) -> str:
    name, attr, method, _data, _expected = page
    return f"{method.upper()} {name}({attr or ''})"


def test_isolation_matrix(client, world, boss, scenes):
    """Every page × every user: the status each gets (one database set-up, a savepoint per request)."""
    scene = scenes[0]
    requests = []
    for page in PAGES:
        name, attr, method, data_maker, _expected = page
        url = _url(name, getattr(scene, attr) if attr else None)
        requests.append((page, method, url, data_maker(scene) if data_maker else None))
    mismatches = []
    for user in USERS:
        logged_in = _client_for(client, world, boss, user)
        for page, method, url, data in requests:
            want = 302 if user == "anonymous" else page[4].get(user, 404)
            got = _request(logged_in, method, url, data)
            if got != want:
                mismatches.append(f"{_label(page)} {user}: {got} != {want}")
    assert not mismatches, "\n".join(mismatches)


GUESSABLE = [p for p in PAGES if p[1] is not None]


def test_url_guessing_another_agencys_objects_answers_404(client, world, boss, scenes):
    """agency1's users try every URL with agency2's ids: not found, exactly like a missing id."""
    theirs = scenes[1]
    mismatches = []
    for user in sorted(AGENCY1):
        logged_in = _client_for(client, world, boss, user)
        for page in GUESSABLE:
            name, attr, method, data_maker, _expected = page
            data = data_maker(theirs) if data_maker else None
            status = _request(logged_in, method, _url(name, getattr(theirs, attr)), data)
            if status != 404:
                mismatches.append(f"{_label(page)} {user}: {status}")
    assert not mismatches, "\n".join(mismatches)


def test_url_guessing_ids_that_do_not_exist_answers_404(client, world, boss, scenes):
    mismatches = []
    for user in USERS[:-1]:
        logged_in = _client_for(client, world, boss, user)
        for page in GUESSABLE:
            name, _attr, method, data_maker, _expected = page
            data = data_maker(scenes[0]) if data_maker else None
            status = _request(logged_in, method, reverse(name, args=[987654]), data)
            if status != 404:
                mismatches.append(f"{_label(page)} {user}: {status}")
    assert not mismatches, "\n".join(mismatches)


def test_agency_home_lists_only_the_users_own_agency(client, world, boss, scenes):
    client.force_login(world.agency2_staff)
    body = client.get(reverse("agency_home")).content.decode()
    assert scenes[1].recommendation.document_number in body
    assert scenes[0].recommendation.document_number not in body


def test_agency_pages_never_show_case_internals(client, world, boss, scenes):
    case = scenes[0].recommendation.case
    case.internal_notes = "内部备注：拟约谈局长"
    case.save()
    lead_marker = "举报人张某某"
    Recommendation.objects.filter(pk=scenes[0].recommendation.pk).update(decision_comment="审批意见：内部")
    client.force_login(world.agency1_staff)
    pages = [
        reverse("agency_home"),
        reverse("agency_recommendation_detail", args=[scenes[0].recommendation.pk]),
        reverse("feedback_report_detail", args=[scenes[0].submitted.pk]),
        reverse("feedback_report_detail", args=[scenes[0].draft.pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        for secret in ("内部备注", lead_marker, "审批意见：内部", case.title, scenes[1].recommendation.document_number):
            assert secret not in body, (url, secret)


def test_procurators_see_submitted_reports_but_never_drafts_on_the_case_tab(client, world, boss, scenes):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.procurator
    html = Template('{% include "feedback/_case_feedback_tab.html" %}').render(
        Context({"case": scenes[0].recommendation.case, "request": request})
    )
    assert reverse("feedback_report_detail", args=[scenes[0].submitted.pk]) in html
    assert reverse("feedback_report_detail", args=[scenes[0].draft.pk]) not in html
    assert reverse("feedback_attachment_download", args=[scenes[0].draft_file.pk]) not in html
    request.user = world.other_procurator
    html = Template('{% include "feedback/_case_feedback_tab.html" %}').render(
        Context({"case": scenes[0].recommendation.case, "request": request})
    )
    assert reverse("feedback_report_detail", args=[scenes[0].submitted.pk]) not in html
