"""The case page costs a fixed number of queries: the same for a case with one recommendation,
lawsuit, assistance request and referral as for one with several of each and a long history; a part
the case has nothing for costs no query at all (cases.portal flags), and still shows its empty state."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from assistance import services as assistance_services
from assistance.models import AssistanceRequest
from cases import services as case_services
from cases.models import Case, Event, Recommendation
from feedback import services as feedback_services
from feedback.models import FeedbackReport
from litigation import services as litigation_services
from litigation.models import Material
from tests.factories import CaseFactory, UserFactory, advance_recommendation, draft_recommendation
from tests.feedback.conftest import DAY, answers_for, pdf_file
from tests.litigation.conftest import MATERIALS, TODAY, file_lawsuit, first_ruling, follow_up_case, propose
from tests.referrals.conftest import outgoing_in

pytestmark = pytest.mark.django_db


def _full_case(world, n: int) -> Case:
    """A district case in litigation, with a co-handler, `n` recommendations (each with a submitted
    report of its agency, replied, items evaluated), `n` lawsuits each with a material and a
    ruling with its document, `n` assistance requests, `n` referrals and 60·n events."""
    agencies = [world.agency1, world.agency2]
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=agencies)
    case.co_handlers.set([world.procurator_colleague])
    # Drafted while the case may still draft, then each served, reported on and replied.
    drafts = [draft_recommendation(case, agencies[i % 2]) for i in range(n)]
    for recommendation in drafts:
        served = advance_recommendation(recommendation, to=Recommendation.Status.SERVED, approver=world.supervisor)
        boss = UserFactory(organisation=served.agency, role=Role.AGENCY_STAFF, is_responsible_person=True)
        report = feedback_services.feedback_draft_create(
            user=boss,
            recommendation=served,
            kind=FeedbackReport.Kind.INTERIM,
            summary="已成立专班整改。",
            answers=answers_for(served),
            responsible_person_name="王局长",
            responsible_person_title="局长",
            uploads=[pdf_file("整改照片.pdf")],
            today=DAY,
        )
        feedback_services.feedback_submit(user=boss, report=report, today=DAY)
        replied = advance_recommendation(served, to=Recommendation.Status.REPLIED)
        for item in replied.items.all():
            case_services.item_evaluate(
                user=world.procurator, item=item, evaluation=item.Evaluation.NOT_RECTIFIED, note="未整改到位"
            )
    for _ in range(n):
        assistance_services.assistance_request_send(
            user=world.procurator,
            case=case,
            agency=world.agency1,
            kind=AssistanceRequest.Kind.FILES,
            subject="调取采砂许可卷宗",
            details="请提供2025年以来的采砂许可卷宗。",
            today=TODAY,
        )
        outgoing_in(world, case, "sent")
    proposal = litigation_services.lawsuit_propose(
        user=world.procurator, case=case, reasons="逾期未整改，依法提起诉讼", materials=MATERIALS, today=TODAY
    )
    litigation_services.lawsuit_proposal_approve(user=world.supervisor, proposal=proposal, today=TODAY)
    case.refresh_from_db()
    for _ in range(n):
        lawsuit = file_lawsuit(world, case)
        ruling = first_ruling(lawsuit)
        litigation_services.lawsuit_material_add(
            user=world.procurator, lawsuit=lawsuit, upload=pdf_file("起诉书.pdf"), material=Material.COMPLAINT
        )
        litigation_services.ruling_document_add(
            user=world.procurator, ruling=ruling, upload=pdf_file("一审判决书.pdf"), description="一审判决"
        )
    Event.objects.bulk_create(
        Event(case=case, kind=Event.Kind.CASE_EDITED, actor=world.procurator, note=f"记录{i}") for i in range(60 * n)
    )
    return case


def _page(client, case) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def test_the_case_page_costs_the_same_queries_whatever_the_number_of_records(client, world):
    small, large = _full_case(world, 1), _full_case(world, 3)
    client.force_login(world.procurator)
    html, small_queries = _page(client, small)
    co_handler = world.procurator_colleague.display_name
    for shown in ("调取采砂许可卷宗", "某局局长涉嫌失职渎职", "测试区人民法院", "整改照片.pdf", co_handler):
        assert shown in html, shown
    # The lawsuit's material under the lawsuit, the ruling's document under the ruling, once each.
    assert html.count("起诉书.pdf") == html.count("一审判决书.pdf") == 1
    assert (
        "一审判决书.pdf" in html[html.index("data-ruling=") :]
        and "起诉书.pdf" not in html[html.index("data-ruling=") :]
    )
    _, large_queries = _page(client, large)
    assert len(large_queries) == len(small_queries)
    # session, user, the case with its flags (cases.portal), its agencies, its co-handlers, its
    # deadlines, the latest events, the unread notifications and the user's procuratorate (page
    # header), the recommendations and their items (建议 tab), the assistance requests and their
    # deadlines, the referrals, the reviewed recommendations, their submitted reports and the
    # reports' files (反馈 tab), the lawsuits, their hearings, rulings and files (a ruling's
    # documents picked from its lawsuit's files), the proposals to sue (诉讼 tab; the actions
    # panel reuses them). Not here: deadline changes, supervision actions, plaintiff suits,
    # interference records (one query each when the case has some).
    assert len(small_queries) == 22, "\n".join(small_queries)


def test_a_case_without_records_costs_no_query_for_its_empty_parts(client, world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    client.force_login(world.procurator)
    html, queries = _page(client, case)
    # session, user, the case with its flags, its agencies, its deadlines, the latest events, the
    # unread notifications and the user's procuratorate (page header): no query for co-handlers,
    # deadline changes, recommendations, investigations, consultations, attachments, feedback,
    # supervision, lawsuits, proposals, plaintiff suits, assistance requests, referrals or
    # interference records (the case has none).
    assert len(queries) == 8, "\n".join(queries)
    for empty in ("尚未起草检察建议。", "暂无调查记录。", "暂无磋商记录。", "暂无附件。", "本案尚无已签发的检察建议。"):
        assert empty in html
    for empty in ("本案尚未记录诉讼。", "暂无协助调查请求。", "本案没有线索移送。", "干预记录 (0)"):
        assert empty in html


@pytest.mark.parametrize("reader", ["procurator", "supervisor"])
def test_the_pending_proposal_is_read_once_for_the_tab_and_the_actions(client, world, reader):
    case = follow_up_case(world)
    proposal = propose(world, case)
    client.force_login(getattr(world, reader))
    html, queries = _page(client, case)
    # The 诉讼 tab lists it; the actions panel offers the decision (supervisor) or says it waits
    # (handler, who is no longer offered to propose again): from the one read of the proposals.
    assert proposal.reasons in html
    approve = reverse("lawsuit_proposal_approve", args=[proposal.pk])
    if reader == "supervisor":
        assert approve in html
    else:
        assert "起诉待审批" in html and approve not in html
        assert reverse("case_decide_to_sue", args=[case.pk]) not in html
    assert sum(sql.startswith('SELECT "litigation_lawsuitproposal"') for sql in queries) == 1
