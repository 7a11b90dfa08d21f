"""The forms that act on a case and its recommendations (cases/views/actions.py).

Dates are fixed in the past (2026-03 … 2026-06): the services refuse dates after today.
"""

from __future__ import annotations

import datetime
import struct
import zlib
from urllib.parse import unquote

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from cases import services
from cases.models import Attachment, Case, Event, Investigation, Recommendation, RecommendationItem
from cases.selectors import can_approve, can_edit_case, can_file_with_superior
from tests.factories import (
    APPROVED_AT,
    CaseFactory,
    advance_recommendation,
    db_state,
    draft_recommendation,
)

# WhiteNoise warns when `collectstatic` has not run (STATIC_ROOT missing), as in a test checkout.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

Status = Recommendation.Status
D = datetime.date

# --- Files ---------------------------------------------------------------------------------------


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- Fixtures and helpers --------------------------------------------------------------------------


@pytest.fixture
def case(world) -> Case:
    return CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])


def recommendation_in(world, case: Case, status: str) -> Recommendation:
    recommendation = draft_recommendation(case, world.agency1)
    return advance_recommendation(recommendation, to=status, approver=world.supervisor)


def login(client, world, who: str):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client


def read_through(response) -> bytes:
    """The body of a response; reading a file download to the end closes the file (as a WSGI
    server would), without the test client's request_finished closing the database connection."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def recommendation_data(agency, items: list[str], **overrides) -> dict:
    data = {
        "agency": agency.pk,
        "urgency": Recommendation.Urgency.NORMAL,
        "case_source": "本院在履行职责中发现。",
        "harm_facts": "某河道内存在非法采砂，河床遭到破坏。",
        "failure_facts": "区生态环境局未依法查处。",
        "legal_basis": "《中华人民共和国水法》第三十九条",
        "rectification_period": "收到本检察建议书之日起两个月内",
        "remarks": "",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "50",
    }
    for i, text in enumerate(items):
        data[f"items-{i}-text"] = text
    return data | overrides


# --- The permission matrix, generated ------------------------------------------------------------

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
    "anonymous",
]
EDITORS = ("procurator",)
# In scope (they read the case) but not on it: they may not write.
READ_ONLY = ("procurator_colleague", "supervisor", "city_supervisor")
READERS = ("procurator", *READ_ONLY)
APPROVERS = ("supervisor", "city_supervisor")


def expected(ok: tuple[str, ...], forbidden: tuple[str, ...], ok_code: int) -> dict[str, int | str]:
    """Everyone else is out of scope: 404, like an id that does not exist; anonymous logs in first."""
    codes: dict[str, int | str] = dict.fromkeys(USERS, 404)
    codes["anonymous"] = "login"
    codes.update(dict.fromkeys(forbidden, 403))
    codes.update(dict.fromkeys(ok, ok_code))
    return codes


# (url name, object, recommendation status, method, who succeeds, who is forbidden, success code)
VIEWS = [
    ("investigation_create", "case", None, "get", EDITORS, READ_ONLY, 200),
    ("consultation_create", "case", None, "get", EDITORS, READ_ONLY, 200),
    ("attachment_upload", "case", None, "get", EDITORS, READ_ONLY, 200),
    ("recommendation_create", "case", None, "get", EDITORS, READ_ONLY, 200),
    ("case_decide_to_sue", "case", None, "get", EDITORS, READ_ONLY, 200),
    ("case_close", "case", None, "get", (*EDITORS, *APPROVERS), ("procurator_colleague",), 200),
    ("case_consultation_start", "case", None, "post", EDITORS, READ_ONLY, 302),
    ("case_consultation_end", "case", None, "post", EDITORS, READ_ONLY, 302),
    ("attachment_download", "attachment", None, "get", READERS, (), 200),
    ("recommendation_detail", "recommendation", Status.DRAFT, "get", READERS, (), 200),
    ("recommendation_detail", "recommendation", Status.ISSUED, "get", (*READERS, "agency1_staff"), (), 200),
    ("recommendation_docx", "recommendation", Status.DRAFT, "get", READERS, (), 200),
    ("recommendation_docx", "recommendation", Status.SERVED, "get", (*READERS, "agency1_staff"), (), 200),
    ("recommendation_edit", "recommendation", Status.DRAFT, "get", EDITORS, READ_ONLY, 200),
    ("recommendation_submit", "recommendation", Status.DRAFT, "post", EDITORS, READ_ONLY, 302),
    ("recommendation_withdraw", "recommendation", Status.DRAFT, "get", EDITORS, READ_ONLY, 200),
    (
        "recommendation_approve",
        "recommendation",
        Status.PENDING_APPROVAL,
        "get",
        APPROVERS,
        ("procurator", "procurator_colleague"),
        200,
    ),
    (
        "recommendation_return",
        "recommendation",
        Status.PENDING_APPROVAL,
        "get",
        APPROVERS,
        ("procurator", "procurator_colleague"),
        200,
    ),
    ("recommendation_issue", "recommendation", Status.APPROVED, "get", EDITORS, READ_ONLY, 200),
    # From issue on, the addressed agency sees the recommendation: it may read, not act (403).
    ("recommendation_serve", "recommendation", Status.ISSUED, "get", EDITORS, (*READ_ONLY, "agency1_staff"), 200),
    ("recommendation_file", "recommendation", Status.SERVED, "get", EDITORS, (*READ_ONLY, "agency1_staff"), 200),
    ("recommendation_reply", "recommendation", Status.SERVED, "get", EDITORS, (*READ_ONLY, "agency1_staff"), 200),
    ("recommendation_evaluate", "recommendation", Status.REPLIED, "get", EDITORS, (*READ_ONLY, "agency1_staff"), 200),
]
MATRIX = [
    pytest.param(name, target, status, method, who, expected(ok, forbidden, code)[who], id=f"{name}-{status}-{who}")
    for name, target, status, method, ok, forbidden, code in VIEWS
    for who in USERS
]


def target_pk(world, case: Case, target: str, status: str | None) -> int:
    if target == "case":
        return case.pk
    if target == "attachment":
        return services.attachment_add(
            user=world.procurator, case=case, upload=upload("现场照片.png", png_bytes(), "image/png")
        ).pk
    return recommendation_in(world, case, status).pk


@pytest.mark.parametrize(("name", "target", "status", "method", "who", "code"), MATRIX)
def test_permission_matrix(client, world, case, name, target, status, method, who, code):
    url = reverse(name, args=[target_pk(world, case, target, status)])
    login(client, world, who)
    response = getattr(client, method)(url)
    read_through(response)
    if code == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == code


WRITE_VIEWS = [
    pytest.param(name, target, status, who, expected(ok, forbidden, 0)[who], id=f"{name}-{who}")
    for name, target, status, method, ok, forbidden, _code in VIEWS
    if name not in ("recommendation_detail", "recommendation_docx", "attachment_download")
    for who in USERS
    if who not in ok
]


@pytest.mark.parametrize(("name", "target", "status", "who", "code"), WRITE_VIEWS)
def test_refused_users_post_changes_nothing(client, world, case, name, target, status, who, code):
    pk = target_pk(world, case, target, status)
    login(client, world, who)
    before = db_state()
    response = client.post(reverse(name, args=[pk]), {"note": "x", "comment": "x", "reason": "x"})
    assert response.status_code == (302 if code == "login" else code)
    assert db_state() == before


URL_NAMES = sorted({name for name, *_ in VIEWS})


@pytest.mark.parametrize("name", URL_NAMES)
def test_guessed_id_is_not_found(client, world, case, name):
    login(client, world, "procurator")
    assert client.get(reverse(name, args=[987654])).status_code in (404, 405)
    assert client.post(reverse(name, args=[987654])).status_code == 404


@pytest.mark.parametrize("name", ["case_consultation_start", "case_consultation_end", "recommendation_submit"])
def test_state_changes_are_post_only(client, world, case, name):
    pk = case.pk if name.startswith("case_") else draft_recommendation(case, world.agency1).pk
    login(client, world, "procurator")
    before = db_state()
    assert client.get(reverse(name, args=[pk])).status_code == 405
    assert db_state() == before


# --- The whole recommendation flow through the views -----------------------------------------------


def test_recommendation_flow_from_draft_to_closed_case(client, world, case):
    login(client, world, "procurator")

    # Draft, with two items.
    response = client.post(
        reverse("recommendation_create", args=[case.pk]),
        recommendation_data(world.agency1, ["依法查处非法采砂行为", "", "对受损河床进行生态修复"]),
    )
    recommendation = Recommendation.objects.get(case=case)
    assert response.status_code == 302
    assert response.url == reverse("recommendation_detail", args=[recommendation.pk])
    assert recommendation.status == Status.DRAFT
    assert list(recommendation.items.values_list("number", "text")) == [
        (1, "依法查处非法采砂行为"),
        (2, "对受损河床进行生态修复"),
    ]
    case.refresh_from_db()
    assert case.status == Case.Status.RECOMMENDATION

    # Submit; a second submit is refused with a message and changes nothing.
    url = reverse("recommendation_submit", args=[recommendation.pk])
    assert client.post(url).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == Status.PENDING_APPROVAL
    before = db_state()
    response = client.post(url)
    assert response.status_code == 302
    assert "当前状态为“待审批”，不能提请审批。" in messages_of(response)
    assert db_state() == before

    # The handler cannot approve their own recommendation.
    assert client.post(reverse("recommendation_approve", args=[recommendation.pk])).status_code == 403

    # The supervisor approves.
    login(client, world, "supervisor")
    response = client.post(reverse("recommendation_approve", args=[recommendation.pk]), {"comment": "同意制发。"})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.decided_by, recommendation.decision_comment) == (
        Status.APPROVED,
        world.supervisor,
        "同意制发。",
    )
    # Approval happened "now"; date it in the past so that the flow uses fixed dates.
    Recommendation.objects.filter(pk=recommendation.pk).update(decided_at=APPROVED_AT)

    login(client, world, "procurator")
    issue_url = reverse("recommendation_issue", args=[recommendation.pk])
    serve_url = reverse("recommendation_serve", args=[recommendation.pk])
    reply_url = reverse("recommendation_reply", args=[recommendation.pk])

    # Service before issue: wrong state.
    before = db_state()
    response = client.post(serve_url, {"served_on": "2026-04-03", "service_method": "direct", "received_by": "李某"})
    assert response.status_code == 200
    assert "当前状态为“已审批”，不能送达。" in response.content.decode()
    assert db_state() == before

    # Issue in the future, or before approval: refused.
    for day, message in [
        (datetime.date.today() + datetime.timedelta(days=3), "日期不能晚于今天。"),
        (D(2026, 3, 31), "签发日期不能早于审批日期。"),
    ]:
        response = client.post(issue_url, {"issued_on": day.isoformat()})
        assert response.status_code == 200
        assert message in response.content.decode()
        assert db_state() == before

    # Issue: the document number is assigned.
    response = client.post(issue_url, {"issued_on": "2026-04-02"})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == Status.ISSUED
    assert recommendation.document_number == "测区检行公建〔2026〕1号"

    # Frozen: the edit page sends back with a message, and a forged edit changes nothing.
    before = db_state()
    response = client.get(reverse("recommendation_edit", args=[recommendation.pk]))
    assert response.status_code == 302
    assert "当前状态为“已签发”，不能修改。" in messages_of(response)
    response = client.post(
        reverse("recommendation_edit", args=[recommendation.pk]), recommendation_data(world.agency1, ["改写"])
    )
    assert response.status_code == 200
    assert "当前状态为“已签发”，不能修改。" in response.content.decode()
    assert db_state() == before

    # A reply before service: wrong state.
    response = client.post(reply_url, {"received_on": "2026-05-20", "summary": "已整改。"})
    assert "当前状态为“已签发”，不能记录书面回复。" in response.content.decode()
    assert db_state() == before

    # Service dated before the issue date: refused.
    response = client.post(serve_url, {"served_on": "2026-04-01", "service_method": "direct", "received_by": "李某"})
    assert response.status_code == 200
    assert "送达日期不能早于签发日期。" in response.content.decode()
    assert db_state() == before

    response = client.post(serve_url, {"served_on": "2026-04-03", "service_method": "post", "received_by": "李某"})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    case.refresh_from_db()
    assert (recommendation.status, recommendation.served_on) == (Status.SERVED, D(2026, 4, 3))
    assert case.status == Case.Status.AWAITING_REPLY

    # Filing with the superior procuratorate (备案).
    response = client.post(reverse("recommendation_file", args=[recommendation.pk]), {"filed_on": "2026-04-07"})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.filed_with_superior_on == D(2026, 4, 7)

    # A reply dated before service: refused.
    before = db_state()
    response = client.post(reply_url, {"received_on": "2026-04-02", "summary": "已整改。"})
    assert "回复日期不能早于送达日期。" in response.content.decode()
    assert db_state() == before

    response = client.post(reply_url, {"received_on": "2026-05-20", "posted_on": "2026-05-18", "summary": "已整改。"})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    case.refresh_from_db()
    assert (recommendation.status, recommendation.reply_posted_on) == (Status.REPLIED, D(2026, 5, 18))
    assert case.status == Case.Status.FOLLOW_UP

    # Evaluate all items at once; a bad row saves nothing, not even the good row.
    item1, item2 = recommendation.items.order_by("number")
    evaluate_url = reverse("recommendation_evaluate", args=[recommendation.pk])
    assert client.get(evaluate_url).status_code == 200
    before = db_state()
    response = client.post(
        evaluate_url,
        {
            f"item-{item1.pk}-evaluation": "rectified",
            f"item-{item2.pk}-evaluation": "partly",
            f"item-{item2.pk}-note": "",
        },
    )
    assert response.status_code == 200
    assert "未整改或部分整改的，请说明情况。" in response.content.decode()
    assert db_state() == before

    response = client.post(
        evaluate_url,
        {f"item-{item1.pk}-evaluation": "rectified", f"item-{item2.pk}-evaluation": "already_performed"},
    )
    assert response.status_code == 302
    assert list(recommendation.items.order_by("number").values_list("evaluation", flat=True)) == [
        "rectified",
        "already_performed",
    ]

    # Close the case.
    response = client.post(
        reverse("case_close", args=[case.pk]),
        {"ground": "rectified", "closed_on": "2026-06-30", "note": "", "confirmed": "on"},
    )
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[case.pk])
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (Case.Status.CLOSED, D(2026, 6, 30))

    # Closed: the handler is told so instead of being shown a form.
    response = client.get(reverse("investigation_create", args=[case.pk]))
    assert response.status_code == 302
    assert "案件已终结，不能再修改。" in messages_of(response)

    # The document carries the number.
    response = client.get(reverse("recommendation_docx", args=[recommendation.pk]))
    assert response.status_code == 200
    assert "〔2026〕1号" in unquote(response["Content-Disposition"])


def test_supervisor_returns_with_comment_and_handler_edits_again(client, world, case):
    recommendation = recommendation_in(world, case, Status.PENDING_APPROVAL)
    login(client, world, "city_supervisor")
    before = db_state()
    response = client.post(reverse("recommendation_return", args=[recommendation.pk]), {"comment": "  "})
    assert response.status_code == 200
    assert db_state() == before
    response = client.post(reverse("recommendation_return", args=[recommendation.pk]), {"comment": "请补充法律依据。"})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == Status.DRAFT

    login(client, world, "procurator")
    url = reverse("recommendation_edit", args=[recommendation.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "依法查处非法采砂行为" in response.content.decode()
    data = recommendation_data(
        world.agency1,
        ["依法查处非法采砂行为", "对受损河床进行生态修复", "建立长效监管机制"],
        legal_basis="《中华人民共和国水法》第三十九条；《河道管理条例》第二十五条",
        urgency=Recommendation.Urgency.URGENT,
    )
    data["items-0-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.urgency == Recommendation.Urgency.URGENT
    assert list(recommendation.items.values_list("number", "text")) == [
        (1, "对受损河床进行生态修复"),
        (2, "建立长效监管机制"),
    ]
    assert Event.objects.filter(recommendation=recommendation, kind=Event.Kind.RECOMMENDATION_EDITED).count() == 1


def test_recommendation_needs_an_item_and_an_agency_of_the_case(client, world, case):
    login(client, world, "procurator")
    url = reverse("recommendation_create", args=[case.pk])
    before = db_state()
    response = client.post(url, recommendation_data(world.agency1, ["", "  "]))
    assert response.status_code == 200
    assert "检察建议至少要有一项建议事项。" in response.content.decode()
    response = client.post(url, recommendation_data(world.agency2, ["依法查处"]))
    assert response.status_code == 200
    assert response.context["form"].errors["agency"]
    assert db_state() == before


def test_add_item_row_without_javascript_keeps_what_was_typed(client, world, case):
    login(client, world, "procurator")
    data = recommendation_data(world.agency1, ["依法查处非法采砂行为"], harm_facts="河床遭到破坏。", add_item="1")
    before = db_state()
    response = client.post(reverse("recommendation_create", args=[case.pk]), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() == 2
    assert [f.initial.get("text") for f in formset.forms] == ["依法查处非法采砂行为", ""]
    assert "河床遭到破坏。" in response.content.decode()
    assert db_state() == before


def test_withdraw_needs_a_reason(client, world, case):
    recommendation = recommendation_in(world, case, Status.APPROVED)
    login(client, world, "procurator")
    url = reverse("recommendation_withdraw", args=[recommendation.pk])
    before = db_state()
    assert client.post(url, {"reason": ""}).status_code == 200
    assert db_state() == before
    assert client.post(url, {"reason": "已经磋商解决。"}).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == Status.WITHDRAWN


def test_consultation_start_record_and_end(client, world, case):
    login(client, world, "procurator")
    response = client.post(reverse("case_consultation_start", args=[case.pk]), {"note": "与区生态环境局磋商"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CONSULTATION

    # Starting twice: refused with a message.
    before = db_state()
    response = client.post(reverse("case_consultation_start", args=[case.pk]))
    assert "当前状态为“磋商”，不能开始磋商。" in messages_of(response)
    assert db_state() == before

    response = client.get(reverse("consultation_create", args=[case.pk]))
    assert list(response.context["form"].fields["agency"].queryset) == [world.agency1]
    response = client.post(
        reverse("consultation_create", args=[case.pk]),
        {"agency": world.agency1.pk, "held_on": "2026-03-20", "summary": "双方就整改达成一致。"},
    )
    assert response.status_code == 302
    assert case.consultations.get().held_on == D(2026, 3, 20)

    assert client.post(reverse("case_consultation_end", args=[case.pk])).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.INVESTIGATION


def test_decide_to_sue_when_items_are_not_rectified(client, world, case):
    """The handler proposes; the case goes to court once a supervisor approves (tests/litigation)."""
    recommendation = recommendation_in(world, case, Status.REPLIED)
    for item in recommendation.items.all():
        services.item_evaluate(user=world.procurator, item=item, evaluation="not_rectified", note="仍在采砂")
    login(client, world, "procurator")
    url = reverse("case_decide_to_sue", args=[case.pk])
    before = db_state()
    assert client.post(url, {"reasons": "", "materials": ["complaint"]}).status_code == 200
    assert db_state() == before
    data = {"reasons": "经跟进调查，行政机关仍未依法履职。", "materials": ["complaint", "evidence"]}
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.FOLLOW_UP
    assert case.lawsuit_proposals.get().status == "pending"


def test_case_close_is_refused_while_waiting_for_the_reply(client, world, case):
    recommendation_in(world, case, Status.SERVED)
    login(client, world, "supervisor")
    before = db_state()
    response = client.post(
        reverse("case_close", args=[case.pk]),
        {"ground": "other", "closed_on": "2026-06-30", "note": "x", "confirmed": "on"},
    )
    assert response.status_code == 200
    assert "检察建议尚在等待回复，请先记录行政机关的书面回复。" in response.content.decode()
    assert db_state() == before


# --- Files -----------------------------------------------------------------------------------------


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_investigation_with_evidence_files(client, world, case, settings):
    login(client, world, "procurator")
    response = client.post(
        reverse("investigation_create", args=[case.pk]),
        {
            "kind": "site_visit",
            "conducted_on": "2026-03-15",
            "location": "某河道",
            "findings": "现场有采砂船两艘。",
            "description": "现场勘验材料",
            "file": [upload("现场照片.png", png_bytes(), "image/png"), upload("勘验笔录.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[case.pk]) + "#pane-investigation"
    record = Investigation.objects.get(case=case)
    assert sorted(record.attachments.values_list("original_name", "content_type")) == [
        ("勘验笔录.pdf", "application/pdf"),
        ("现场照片.png", "image/png"),
    ]
    assert len(stored_files(settings)) == 2


def test_investigation_with_a_disguised_executable_saves_nothing(client, world, case, settings):
    login(client, world, "procurator")
    before = db_state()
    response = client.post(
        reverse("investigation_create", args=[case.pk]),
        {
            "kind": "site_visit",
            "conducted_on": "2026-03-15",
            "findings": "现场有采砂船两艘。",
            "file": [upload("勘验笔录.pdf", PDF), upload("照片.pdf", EXE)],
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "不支持的文件类型" in content
    assert "照片.pdf" in content
    assert db_state() == before
    assert stored_files(settings) == []


def test_investigation_refused_by_the_service_saves_no_file(client, world, case, settings):
    login(client, world, "procurator")
    before = db_state()
    response = client.post(
        reverse("investigation_create", args=[case.pk]),
        {"kind": "site_visit", "conducted_on": "2026-03-01", "findings": "x", "file": [upload("a.pdf", PDF)]},
    )
    assert "调查日期不能早于立案日期。" in response.content.decode()
    assert db_state() == before
    assert stored_files(settings) == []


def test_upload_accepts_pdf_and_png(client, world, case):
    login(client, world, "procurator")
    response = client.post(
        reverse("attachment_upload", args=[case.pk]),
        {"file": [upload("整改方案.pdf", PDF), upload("照片.png", png_bytes(), "image/png")], "description": "材料"},
    )
    assert response.status_code == 302
    assert "已上传 2 个文件。" in messages_of(response)
    assert set(case.attachments.values_list("content_type", flat=True)) == {"application/pdf", "image/png"}


def test_upload_refuses_renamed_executable(client, world, case, settings):
    login(client, world, "procurator")
    before = db_state()
    response = client.post(reverse("attachment_upload", args=[case.pk]), {"file": upload("报告.pdf", EXE)})
    assert response.status_code == 200
    assert "不支持的文件类型" in response.content.decode()
    assert db_state() == before
    assert stored_files(settings) == []


def test_upload_refuses_oversize_file(client, world, case, settings):
    settings.UPLOAD_MAX_BYTES = 100
    login(client, world, "procurator")
    before = db_state()
    response = client.post(reverse("attachment_upload", args=[case.pk]), {"file": upload("大文件.pdf", PDF * 10)})
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()
    assert db_state() == before


def test_upload_needs_a_file(client, world, case):
    login(client, world, "procurator")
    before = db_state()
    assert client.post(reverse("attachment_upload", args=[case.pk]), {}).status_code == 200
    assert db_state() == before


def test_download_sends_the_file_as_attachment_with_its_name_and_detected_type(client, world, case):
    attachment = services.attachment_add(user=world.procurator, case=case, upload=upload("勘验笔录.pdf", PDF))
    login(client, world, "supervisor")
    response = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert read_through(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition
    assert unquote(disposition.split("''", 1)[1]) == "勘验笔录.pdf"


def test_download_of_another_procuratorates_file_is_not_found(client, world, case):
    other_case = CaseFactory(procuratorate=world.other, handler=world.other_procurator, agencies=[world.agency2])
    theirs = services.attachment_add(user=world.other_procurator, case=other_case, upload=upload("a.pdf", PDF))
    ours = services.attachment_add(user=world.procurator, case=case, upload=upload("b.pdf", PDF))
    login(client, world, "procurator")
    assert client.get(reverse("attachment_download", args=[theirs.pk])).status_code == 404
    response = client.get(reverse("attachment_download", args=[ours.pk]))
    assert response.status_code == 200
    read_through(response)
    assert client.get(reverse("attachment_download", args=[ours.pk + theirs.pk + 100])).status_code == 404
    # Agency staff never download case files, even of a case concerning their agency.
    login(client, world, "agency1_staff")
    assert client.get(reverse("attachment_download", args=[ours.pk])).status_code == 404


def test_download_of_a_missing_file_is_not_found(client, world, case):
    attachment = services.attachment_add(user=world.procurator, case=case, upload=upload("b.pdf", PDF))
    attachment.file.delete(save=False)
    login(client, world, "procurator")
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# --- What agency staff see -----------------------------------------------------------------------


def test_agency_staff_see_the_recommendation_without_internal_record(client, world, case):
    recommendation = recommendation_in(world, case, Status.SERVED)
    Recommendation.objects.filter(pk=recommendation.pk).update(decision_comment="内部审批意见甲乙丙")
    login(client, world, "agency1_staff")
    content = client.get(reverse("recommendation_detail", args=[recommendation.pk])).content.decode()
    assert recommendation.document_number in content
    assert "依法查处非法采砂行为" in content
    for internal in (
        "内部审批意见甲乙丙",
        case.number,
        case.title,
        reverse("recommendation_serve", args=[recommendation.pk]),
    ):
        assert internal not in content
    login(client, world, "procurator")
    assert (
        "内部审批意见甲乙丙" in client.get(reverse("recommendation_detail", args=[recommendation.pk])).content.decode()
    )


def test_agency_staff_never_see_drafts_or_other_agencies(client, world, case):
    draft = draft_recommendation(case, world.agency1)
    issued = recommendation_in(world, case, Status.ISSUED)
    login(client, world, "agency1_staff")
    assert client.get(reverse("recommendation_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("recommendation_docx", args=[draft.pk])).status_code == 404
    login(client, world, "agency2_staff")
    assert client.get(reverse("recommendation_detail", args=[issued.pk])).status_code == 404


# --- The partials included by the case detail page -----------------------------------------------


def render_partial(template: str, world, user, case: Case) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        template,
        {
            "case": case,
            "can_edit": can_edit_case(user, case),
            "can_approve": can_approve(user, case),
            "can_file": can_file_with_superior(user, case),
            "recommendations": case.recommendations.select_related("agency").prefetch_related("items"),
            "user": user,
        },
        request=request,
    )


def test_case_actions_show_only_what_the_user_may_do_now(world, case):
    handler_view = render_partial("cases/_case_actions.html", world, world.procurator, case)
    for url_name in ("case_consultation_start", "investigation_create", "recommendation_create", "case_close"):
        assert reverse(url_name, args=[case.pk]) in handler_view
    assert reverse("case_consultation_end", args=[case.pk]) not in handler_view
    assert reverse("case_decide_to_sue", args=[case.pk]) not in handler_view

    colleague_view = render_partial("cases/_case_actions.html", world, world.procurator_colleague, case)
    assert reverse("investigation_create", args=[case.pk]) not in colleague_view
    assert reverse("case_close", args=[case.pk]) not in colleague_view

    supervisor_view = render_partial("cases/_case_actions.html", world, world.city_supervisor, case)
    assert reverse("case_close", args=[case.pk]) in supervisor_view
    assert reverse("recommendation_create", args=[case.pk]) not in supervisor_view

    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    case.refresh_from_db()
    closed_view = render_partial("cases/_case_actions.html", world, world.procurator, case)
    assert reverse("case_close", args=[case.pk]) not in closed_view
    assert "当前没有可执行的操作。" in closed_view


def test_recommendations_tab_offers_the_next_step_and_no_edit_after_issue(world, case):
    recommendation = recommendation_in(world, case, Status.PENDING_APPROVAL)
    pk = recommendation.pk
    handler_view = render_partial("cases/_recommendations_tab.html", world, world.procurator, case)
    assert "检察建议（未编号）" in handler_view  # no number before issue, and not called a draft
    assert "草稿" not in handler_view
    assert reverse("recommendation_withdraw", args=[pk]) in handler_view
    assert reverse("recommendation_approve", args=[pk]) not in handler_view
    assert reverse("recommendation_docx", args=[pk]) in handler_view
    assert reverse("recommendation_detail", args=[pk]) in handler_view

    supervisor_view = render_partial("cases/_recommendations_tab.html", world, world.supervisor, case)
    assert reverse("recommendation_approve", args=[pk]) in supervisor_view
    assert reverse("recommendation_return", args=[pk]) in supervisor_view
    assert reverse("recommendation_withdraw", args=[pk]) not in supervisor_view

    recommendation = advance_recommendation(recommendation, to=Status.SERVED, approver=world.supervisor)
    handler_view = render_partial("cases/_recommendations_tab.html", world, world.procurator, case)
    assert recommendation.document_number in handler_view
    assert reverse("recommendation_edit", args=[pk]) not in handler_view
    assert reverse("recommendation_reply", args=[pk]) in handler_view
    assert reverse("recommendation_file", args=[pk]) in handler_view

    advance_recommendation(recommendation, to=Status.REPLIED)
    item = recommendation.items.get(number=1)
    services.item_evaluate(user=world.procurator, item=item, evaluation="partly", note="尚未修复完毕")
    handler_view = render_partial("cases/_recommendations_tab.html", world, world.procurator, case)
    assert reverse("recommendation_evaluate", args=[pk]) in handler_view
    assert str(RecommendationItem.Evaluation.PARTLY.label) in handler_view
    assert "尚未修复完毕" in handler_view


def test_case_detail_page_includes_the_partials(client, world, case):
    recommendation = draft_recommendation(case, world.agency1)
    login(client, world, "procurator")
    content = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("recommendation_submit", args=[recommendation.pk]) in content
    assert reverse("investigation_create", args=[case.pk]) in content
