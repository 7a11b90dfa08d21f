"""The action matrix through the API: for every state-changing endpoint, a user in scope who may not
act gets 403 and an outsider 404 — both changing nothing — and the allowed user succeeds.

Each row names the endpoint, how to put the scenario in the state the action needs, the request
body, and the three users; the test is generated from the rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from cases import services
from cases.models import Case, Investigation, Recommendation, RecommendationItem
from feedback import services as feedback_services
from feedback.models import CompletionDateProposal, FeedbackAttachment, FeedbackReport, ItemAnswer, SupplementRequest
from litigation import services as litigation_services
from litigation.models import LitigationFile, PlaintiffSuit
from tests.api.conftest import LIT_TODAY, Scenario, file_lawsuit, litigation_case, pdf, today
from tests.factories import TODAY, CaseFactory, advance_recommendation, db_state, recommendation_at


def api_state() -> dict[str, list[dict]]:
    """db_state() and the tables of feedback and litigation that the API's actions write, with the
    stored files: a refused request must leave all of them as they were."""
    from django.conf import settings

    models = [FeedbackReport, FeedbackAttachment, SupplementRequest, CompletionDateProposal, PlaintiffSuit]
    state = db_state() | {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}
    state[LitigationFile._meta.label] = list(LitigationFile.objects.order_by("pk").values())
    media = settings.MEDIA_ROOT
    state["files"] = sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    return state


@dataclass
class Action:
    name: str
    method: str
    url: Callable[[Scenario], str]
    allowed: str
    readonly: str | None = None  # in scope, may not act: 403
    outsider: str | None = None  # out of scope: 404
    body: Callable[[Scenario], dict] = field(default=lambda s: {})
    setup: Callable[[Scenario, Any], None] | None = None
    status: int = 200
    check: Callable[[Scenario, Any], bool] | None = None
    format: str = "json"  # "multipart" for the uploads


def fresh_case(s: Scenario, world) -> None:
    s.extra["case"] = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])


def at(status: str, source: str = "draft") -> Callable[[Scenario, Any], None]:
    def setup(s: Scenario, world) -> None:
        recommendation = getattr(s, source)
        advance_recommendation(recommendation, to=status, approver=world.supervisor)

    return setup


def follow_up_case(s: Scenario, world) -> None:
    fresh_case(s, world)
    recommendation = recommendation_at(
        Recommendation.Status.REPLIED, case=s.extra["case"], agency=world.agency1, approver=world.supervisor
    )
    for item in recommendation.items.all():
        services.item_evaluate(
            user=world.procurator, item=item, evaluation=RecommendationItem.Evaluation.NOT_RECTIFIED, note="未整改"
        )


def proposed_case(s: Scenario, world) -> None:
    follow_up_case(s, world)
    litigation_services.lawsuit_propose(
        user=world.procurator, case=s.extra["case"], reasons="未整改", materials=["complaint"], today=TODAY
    )


def fresh_lawsuit(s: Scenario, world) -> None:
    s.extra["lawsuit"] = file_lawsuit(litigation_case(world.district, world.procurator, world.agency1), world.agency1)


def scheduled_hearing(s: Scenario, world, *, days: int) -> None:
    fresh_lawsuit(s, world)
    held_on = today() + datetime.timedelta(days=days)
    s.extra["hearing"] = litigation_services.hearing_schedule(
        user=world.procurator, lawsuit=s.extra["lawsuit"], held_on=held_on, today=min(held_on, today())
    )


def take_effect(s: Scenario, world, *, comply: bool = False) -> None:
    ruling = s.lawsuit.rulings.get()
    ruling = litigation_services.ruling_take_effect(
        user=world.procurator, ruling=ruling, effective_on=datetime.date(2026, 7, 17), today=datetime.date(2026, 7, 17)
    )
    if comply:
        litigation_services.compliance_record(
            user=world.procurator, ruling=ruling, complied_on=datetime.date(2026, 9, 1), today=datetime.date(2026, 9, 1)
        )


def lawsuit_url(suffix: str, *, fresh: bool = False) -> Callable[[Scenario], str]:
    return lambda s: f"/api/v1/lawsuits/{(s.extra['lawsuit'] if fresh else s.lawsuit).pk}/{suffix}"


def ruling_url(suffix: str) -> Callable[[Scenario], str]:
    return lambda s: f"/api/v1/rulings/{s.lawsuit.rulings.get().pk}/{suffix}"


def content(s: Scenario, **extra) -> dict:
    return {
        "agency": s.users["agency1"].organisation_id,
        "case_source": "群众举报",
        "harm_facts": "河床遭到破坏。",
        "failure_facts": "未依法查处。",
        "legal_basis": "《中华人民共和国水法》第三十九条",
        "rectification_period": "两个月内",
        "items": ["依法查处", "修复河床"],
    } | extra


def report_body(s: Scenario) -> dict:
    return {
        "recommendation": s.served.pk,
        "kind": FeedbackReport.Kind.INTERIM,
        "summary": "正在整改。",
        "answers": [{"item": i.pk, "status": "rectifying", "measures": "已开展排查。"} for i in s.served.items.all()],
    }


def case_url(suffix: str = "", key: str = "case") -> Callable[[Scenario], str]:
    return lambda s: f"/api/v1/cases/{s.extra.get(key, s.case).pk}/{suffix}"


def rec_url(suffix: str, source: str = "draft") -> Callable[[Scenario], str]:
    return lambda s: f"/api/v1/recommendations/{getattr(s, source).pk}/{suffix}"


D = lambda: str(today())  # noqa: E731
LATER = lambda days=10: str(today() + datetime.timedelta(days=days))  # noqa: E731


def pending_proposal(s: Scenario, world) -> None:
    """agency1 proposed a completion date for item 1 of `served` (客观原因), pending a decision."""
    boss = s.users["boss"]
    items = list(s.served.items.order_by("number"))
    answers = [
        feedback_services.AnswerInput(
            item_id=item.pk,
            status=ItemAnswer.Status.CANNOT_YET if n == 0 else ItemAnswer.Status.RECTIFIED,
            measures="已制定方案。",
            reason="需待汛期结束后施工。" if n == 0 else "",
            proposed_completion_on=today() + datetime.timedelta(days=90) if n == 0 else None,
        )
        for n, item in enumerate(items)
    ]
    report = feedback_services.feedback_draft_create(
        user=boss, recommendation=s.served, kind=FeedbackReport.Kind.INTERIM, summary="进展", answers=answers
    )
    feedback_services.feedback_submit(user=boss, report=report)
    s.extra["proposal"] = CompletionDateProposal.objects.get(recommendation=s.served)


def civil_case_announced(s: Scenario, world, *, suit: bool = False) -> None:
    case = CaseFactory(
        procuratorate=world.district, handler=world.procurator, agencies=[world.agency1], case_type="civil"
    )
    services.case_announce(user=world.procurator, case=case, published_on=today())
    s.extra["case"] = case
    if suit:
        s.extra["suit"] = litigation_services.plaintiff_suit_record(
            user=world.procurator, case=case, plaintiff="某环保协会", court="测试市中级人民法院", filed_on=today()
        )


def investigation(s: Scenario, world) -> None:
    s.extra["investigation"] = services.investigation_record(
        user=world.procurator,
        case=s.case,
        kind=Investigation.Kind.SITE_VISIT,
        conducted_on=today(),
        findings="河道内堆放砂石。",
    )


ACTIONS = [
    # Leads: the lead's own procuratorate acts; the city supervisor above only reads.
    Action(
        "lead register",
        "post",
        lambda s: "/api/v1/leads/",
        allowed="procurator",
        readonly="agency1",
        body=lambda s: {
            "title": "线索",
            "summary": "内容",
            "source": "report",
            "received_on": D(),
            "domain": s.lead.domain_id,
        },
        status=201,
    ),
    Action(
        "lead edit",
        "patch",
        lambda s: f"/api/v1/leads/{s.lead.pk}/",
        allowed="supervisor",
        readonly="city_supervisor",
        outsider="other_supervisor",
        body=lambda s: {"title": "修改后的线索名称", "reporter_contact": "13900000000"},
        check=lambda s, body: body["title"] == "修改后的线索名称" and body["reporter_contact"] == "13900000000",
    ),
    Action(
        "lead decline",
        "post",
        lambda s: f"/api/v1/leads/{s.lead.pk}/decline/",
        allowed="procurator",
        readonly="city_supervisor",
        outsider="other_procurator",
        body=lambda s: {"reason": "不属于公益诉讼范围。"},
        check=lambda s, body: body["status"] == "declined",
    ),
    Action(
        "lead open case",
        "post",
        lambda s: f"/api/v1/leads/{s.lead.pk}/open-case/",
        allowed="procurator",
        readonly="city_supervisor",
        outsider="agency1",
        body=lambda s: {
            "case_type": "administrative",
            "title": "督促整治案",
            "summary": "摘要",
            "domain": s.lead.domain_id,
            "agencies": [s.users["agency1"].organisation_id],
            "handler": s.users["procurator"].pk,
            "opened_on": D(),
        },
        status=201,
        check=lambda s, body: body["number"] and body["status"] == "investigation",
    ),
    # Cases: the handler acts; colleagues and supervisors read (supervisors also close).
    Action(
        "case edit",
        "patch",
        case_url(),
        allowed="procurator",
        readonly="supervisor",
        outsider="other_procurator",
        body=lambda s: {"title": "新的案件名称", "internal_notes": "内部"},
        check=lambda s, body: body["title"] == "新的案件名称" and body["internal_notes"] == "内部",
    ),
    Action(
        "case transition",
        "post",
        case_url("transition/"),
        allowed="procurator",
        readonly="colleague",
        outsider="other_supervisor",
        setup=fresh_case,
        body=lambda s: {"to": "consultation", "note": "与行政机关磋商"},
        check=lambda s, body: body["status"] == "consultation",
    ),
    Action(
        "case investigation",
        "post",
        case_url("investigations/"),
        allowed="procurator",
        readonly="city_supervisor",
        outsider="agency1",
        setup=fresh_case,
        body=lambda s: {"kind": "site_visit", "conducted_on": D(), "findings": "现场发现采砂痕迹。"},
        status=201,
    ),
    Action(
        "case consultation",
        "post",
        case_url("consultations/"),
        allowed="procurator",
        readonly="colleague",
        outsider="other_procurator",
        setup=fresh_case,
        body=lambda s: {"agency": s.users["agency1"].organisation_id, "held_on": D(), "summary": "磋商情况"},
        status=201,
    ),
    Action(
        "case close",
        "post",
        case_url("close/"),
        allowed="supervisor",
        readonly="colleague",
        outsider="other_supervisor",
        setup=fresh_case,
        body=lambda s: {"ground": "no_violation", "closed_on": D()},
        check=lambda s, body: body["status"] == "closed",
    ),
    Action(
        "case decide lawsuit",
        "post",
        case_url("decide-lawsuit/"),
        allowed="procurator",
        readonly="supervisor",
        outsider="other_procurator",
        setup=follow_up_case,
        body=lambda s: {"reasons": "经评估未整改，提请起诉。", "materials": ["complaint", "evidence"]},
        check=lambda s, body: body["status"] == Case.Status.FOLLOW_UP,  # until a supervisor approves
    ),
    # Recommendations.
    Action(
        "recommendation create",
        "post",
        lambda s: "/api/v1/recommendations/",
        allowed="procurator",
        readonly="colleague",
        outsider="other_procurator",
        setup=fresh_case,
        body=lambda s: content(s, case=s.extra["case"].pk),
        status=201,
        check=lambda s, body: body["status"] == "draft" and len(body["items"]) == 2,
    ),
    Action(
        "recommendation edit",
        "patch",
        rec_url(""),
        allowed="procurator",
        readonly="supervisor",
        outsider="other_procurator",
        body=lambda s: {"items": ["只有一项"]},
        check=lambda s, body: [i["text"] for i in body["items"]] == ["只有一项"],
    ),
    Action(
        "recommendation submit",
        "post",
        rec_url("submit/"),
        allowed="procurator",
        readonly="supervisor",
        outsider="agency2",
        check=lambda s, body: body["status"] == "pending_approval",
    ),
    Action(
        "recommendation approve",
        "post",
        rec_url("approve/"),
        allowed="city_supervisor",
        readonly="procurator",
        outsider="other_supervisor",
        setup=at(Recommendation.Status.PENDING_APPROVAL),
        body=lambda s: {"comment": "同意"},
        check=lambda s, body: body["status"] == "approved",
    ),
    Action(
        "recommendation return",
        "post",
        rec_url("return/"),
        allowed="supervisor",
        readonly="colleague",
        outsider="other_supervisor",
        setup=at(Recommendation.Status.PENDING_APPROVAL),
        body=lambda s: {"comment": "请补充法律依据"},
        check=lambda s, body: body["status"] == "draft",
    ),
    Action(
        "recommendation withdraw",
        "post",
        rec_url("withdraw/"),
        allowed="procurator",
        readonly="city_supervisor",
        outsider="other_procurator",
        body=lambda s: {"reason": "已无必要"},
        check=lambda s, body: body["status"] == "withdrawn",
    ),
    Action(
        "recommendation issue",
        "post",
        rec_url("issue/"),
        allowed="procurator",
        readonly="supervisor",
        outsider="other_procurator",
        setup=at(Recommendation.Status.APPROVED),
        body=lambda s: {"issued_on": D()},
        check=lambda s, body: body["status"] == "issued" and body["document_number"],
    ),
    Action(
        "recommendation serve",
        "post",
        rec_url("serve/"),
        allowed="procurator",
        readonly="agency2",  # the agency it is addressed to reads it once issued
        outsider="agency1",
        setup=at(Recommendation.Status.ISSUED),
        body=lambda s: {"served_on": D(), "service_method": "direct", "received_by": "李某"},
        check=lambda s, body: body["status"] == "served",
    ),
    Action(
        "recommendation file",
        "post",
        rec_url("file/", "served"),
        allowed="procurator",
        readonly="agency1",
        outsider="agency2",
        body=lambda s: {"filed_on": D()},
        check=lambda s, body: body["filed_with_superior_on"] == D(),
    ),
    Action(
        "recommendation reply",
        "post",
        rec_url("reply/", "served"),
        allowed="procurator",
        readonly="colleague",
        outsider="other_procurator",
        body=lambda s: {"received_on": D(), "summary": "已整改完毕。"},
        check=lambda s, body: body["status"] == "replied",
    ),
    Action(
        "recommendation evaluate",
        "post",
        rec_url("evaluate/", "served"),
        allowed="procurator",
        readonly="supervisor",
        outsider="agency2",
        setup=at(Recommendation.Status.REPLIED, "served"),
        body=lambda s: {"items": [{"item": i.pk, "evaluation": "rectified"} for i in s.served.items.all()]},
        check=lambda s, body: all(i["evaluation"] == "rectified" for i in body["items"]),
    ),
    Action(
        "recommendation acknowledge",
        "post",
        rec_url("acknowledge/", "served"),
        allowed="agency1",
        readonly="procurator",
        outsider="agency2",
        body=lambda s: {"acknowledged_on": D()},
        check=lambda s, body: body["acknowledged_on"] == D(),
    ),
    # Feedback: agency1 drafts, its responsible person submits.
    Action(
        "feedback create",
        "post",
        lambda s: "/api/v1/feedback/",
        allowed="agency1",
        readonly="procurator",
        outsider="agency2",
        body=report_body,
        status=201,
        check=lambda s, body: body["status"] == "draft",
    ),
    Action(
        "feedback edit draft",
        "patch",
        lambda s: f"/api/v1/feedback/{s.report_draft.pk}/",
        allowed="boss",
        outsider="procurator",  # drafts never leave the agency
        body=lambda s: {"summary": "修改后的总体情况"},
        check=lambda s, body: body["summary"] == "修改后的总体情况",
    ),
    Action(
        "feedback submit",
        "post",
        lambda s: f"/api/v1/feedback/{s.report_draft.pk}/submit/",
        allowed="boss",
        readonly="agency1",  # drafting staff, not the responsible person
        outsider="agency2",
        check=lambda s, body: body["status"] == "submitted",
    ),
    Action(
        "feedback delete draft",
        "delete",
        lambda s: f"/api/v1/feedback/{s.report_draft.pk}/",
        allowed="agency1",
        outsider="supervisor",
        status=204,
    ),
    Action(
        "feedback edit submitted",
        "patch",
        lambda s: f"/api/v1/feedback/{s.report.pk}/",
        allowed="",  # nobody: a submitted report never changes
        readonly="procurator",
        outsider="agency2",
        body=lambda s: {"summary": "x"},
    ),
    # Litigation: the decision to sue and its approval, then the court events.
    Action(
        "case approve lawsuit",
        "post",
        case_url("approve-lawsuit/"),
        allowed="city_supervisor",
        readonly="procurator",
        outsider="other_supervisor",
        setup=lambda s, w: proposed_case(s, w),
        body=lambda s: {"comment": "同意起诉"},
        check=lambda s, body: body["status"] == Case.Status.LITIGATION,
    ),
    Action(
        "case return lawsuit",
        "post",
        case_url("return-lawsuit/"),
        allowed="supervisor",
        readonly="colleague",
        outsider="other_supervisor",
        setup=lambda s, w: proposed_case(s, w),
        body=lambda s: {"comment": "证据不足"},
        check=lambda s, body: body["status"] == Case.Status.FOLLOW_UP,
    ),
    Action(
        "lawsuit file",
        "post",
        lambda s: "/api/v1/lawsuits/",
        allowed="procurator",
        readonly="colleague",
        outsider="other_procurator",
        setup=lambda s, w: s.extra.update(case=litigation_case(w.district, w.procurator, w.agency1)),
        body=lambda s: {
            "case": s.extra["case"].pk,
            "court": "测试区人民法院",
            "court_case_number": "(2026)内0602行初999号",
            "filed_on": D(),
            "claims": "判令被告依法履职。",
            "materials": ["complaint"],
            "defendant_agency": s.users["agency1"].organisation_id,
        },
        status=201,
        check=lambda s, body: body["status"] == "filed",
    ),
    Action(
        "lawsuit complaint copy",
        "post",
        lawsuit_url("complaint-copy/"),
        allowed="procurator",
        readonly="agency1",
        outsider="agency2",
        body=lambda s: {"received_on": D()},
        check=lambda s, body: body["complaint_copy_received_on"] == D(),
    ),
    Action(
        "lawsuit defence",
        "post",
        lawsuit_url("defence/"),
        allowed="agency1",  # the defendant's own staff answer court deadlines
        readonly="colleague",
        outsider="agency2",
        setup=lambda s, w: litigation_services.complaint_copy_received(
            user=w.procurator, lawsuit=s.lawsuit, received_on=LIT_TODAY, today=LIT_TODAY
        ),
        body=lambda s: {"submitted_on": D()},
        check=lambda s, body: body["defence_submitted_on"] == D(),
    ),
    Action(
        "lawsuit schedule hearing",
        "post",
        lawsuit_url("schedule-hearing/", fresh=True),
        allowed="procurator",
        readonly="supervisor",
        outsider="agency2",
        setup=fresh_lawsuit,
        body=lambda s: {"held_on": str(today() + datetime.timedelta(days=10)), "court_room": "第一法庭"},
        status=201,
        check=lambda s, body: body["is_held"] is False,
    ),
    Action(
        "hearing record",
        "post",
        lambda s: "/api/v1/hearings/",
        allowed="procurator",
        readonly="agency1",
        outsider="other_procurator",
        setup=fresh_lawsuit,
        body=lambda s: {"lawsuit": s.extra["lawsuit"].pk, "held_on": D(), "appearance": "lawyer_only"},
        status=201,
        check=lambda s, body: body["is_violation"] is True,
    ),
    Action(
        "hearing register appearance",
        "post",
        lambda s: f"/api/v1/hearings/{s.extra['hearing'].pk}/register-appearance/",
        allowed="agency1",
        readonly="colleague",
        outsider="agency2",
        setup=lambda s, w: scheduled_hearing(s, w, days=10),
        body=lambda s: {"appearance": "head", "names": "王局长（局长）"},
        check=lambda s, body: body["registered_appearance"] == "head",
    ),
    Action(
        "hearing outcome",
        "post",
        lambda s: f"/api/v1/hearings/{s.extra['hearing'].pk}/outcome/",
        allowed="procurator",
        readonly="agency1",
        outsider="other_procurator",
        setup=lambda s, w: scheduled_hearing(s, w, days=0),
        body=lambda s: {"appearance": "staff", "appeared_names": "李科长"},
        check=lambda s, body: body["is_held"] is True,
    ),
    Action(
        "ruling record",
        "post",
        lambda s: "/api/v1/rulings/",
        allowed="procurator",
        readonly="agency1",
        outsider="agency2",
        setup=fresh_lawsuit,
        body=lambda s: {
            "lawsuit": s.extra["lawsuit"].pk,
            "instance": "first",
            "kind": "judgment",
            "outcome": "declare_unlawful",
            "decided_on": D(),
            "served_on": D(),
        },
        status=201,
    ),
    Action(
        "ruling appeal",
        "post",
        ruling_url("appeal/"),
        allowed="procurator",
        readonly="agency1",
        outsider="agency2",
        body=lambda s: {"appealed_on": D(), "appealed_by": "defendant", "late_reason": "法院准许顺延上诉期限"},
        check=lambda s, body: body["appealed_on"] == D(),
    ),
    Action(
        "ruling effect",
        "post",
        ruling_url("effect/"),
        allowed="procurator",
        readonly="city_supervisor",
        outsider="other_procurator",
        body=lambda s: {"effective_on": "2026-07-17"},  # before the compliance date the judgment set
        check=lambda s, body: body["effective_on"] == "2026-07-17",
    ),
    Action(
        "ruling compliance",
        "post",
        ruling_url("compliance/"),
        allowed="procurator",
        readonly="agency1",
        outsider="agency2",
        setup=lambda s, w: take_effect(s, w),
        body=lambda s: {"complied_on": D()},
        check=lambda s, body: body["complied_on"] == D(),
    ),
    Action(
        "ruling enforcement",
        "post",
        ruling_url("enforcement/"),
        allowed="procurator",
        readonly="supervisor",
        outsider="agency2",
        setup=lambda s, w: take_effect(s, w),
        body=lambda s: {"transferred_on": D(), "note": "逾期未履行"},
        check=lambda s, body: body["transferred_for_enforcement_on"] == D(),
    ),
    Action(
        "case close after litigation",
        "post",
        lambda s: f"/api/v1/cases/{s.lawsuit.case_id}/close-litigation/",
        allowed="procurator",
        readonly="supervisor",
        outsider="agency1",
        setup=lambda s, w: take_effect(s, w, comply=True),
        body=lambda s: {"closed_on": D(), "note": "判决已履行。"},
        check=lambda s, body: body["status"] == "closed",
    ),
    # The procurator's side of feedback: supplement requests, completion dates, the follow-up.
    Action(
        "recommendation request supplement",
        "post",
        rec_url("request-supplement/", "served"),
        allowed="procurator",
        readonly="agency1",
        outsider="agency2",
        body=lambda s: {"text": "请补充第1项整改的现场照片。", "due_on": LATER()},
        check=lambda s, body: [r["due_on"] for r in body["supplement_requests"]] == [LATER()],
    ),
    Action(
        "recommendation decide completion date",
        "post",
        rec_url("decide-completion-date/", "served"),
        allowed="procurator",
        readonly="colleague",
        outsider="agency2",
        setup=pending_proposal,
        body=lambda s: {"proposal": s.extra["proposal"].pk, "decision": "accept"},
        check=lambda s, body: [p["status"] for p in body["completion_proposals"]] == ["accepted"],
    ),
    Action(
        "recommendation follow-up",
        "post",
        rec_url("follow-up/", "served"),
        allowed="procurator",
        readonly="supervisor",
        outsider="agency2",
        body=lambda s: {"conducted_on": D(), "findings": "现场已清理完毕。", "location": "某河段"},
        status=201,
        check=lambda s, body: body["kind"] == Investigation.Kind.FOLLOW_UP,
    ),
    Action(
        "recommendation follow-up with photos",
        "post",
        rec_url("follow-up/", "served"),
        allowed="procurator",
        readonly="agency1",
        outsider="other_procurator",
        body=lambda s: {
            "conducted_on": D(),
            "findings": "现场已清理完毕。",
            "photos": [pdf("照片一.pdf"), pdf("照片二.pdf")],
        },
        format="multipart",
        status=201,
        check=lambda s, body: Investigation.objects.get(pk=body["id"]).attachments.count() == 2,
    ),
    # Civil path: another qualified plaintiff sues after the announcement; the procuratorate supports it.
    Action(
        "case plaintiff suit",
        "post",
        case_url("plaintiff-suits/"),
        allowed="procurator",
        readonly="supervisor",
        outsider="other_procurator",
        setup=civil_case_announced,
        body=lambda s: {"plaintiff": "某环保协会", "court": "测试市中级人民法院", "filed_on": D()},
        status=201,
        check=lambda s, body: body["plaintiff"] == "某环保协会" and body["supported_on"] is None,
    ),
    Action(
        "case support suit",
        "post",
        case_url("support-suit/"),
        allowed="procurator",
        readonly="colleague",
        outsider="agency1",
        setup=lambda s, w: civil_case_announced(s, w, suit=True),
        body=lambda s: {"suit": s.extra["suit"].pk, "supported_on": D(), "note": "提供法律咨询。"},
        check=lambda s, body: body["supported_on"] == D(),
    ),
    # Uploads (multipart/form-data): case evidence, feedback evidence, litigation files.
    Action(
        "case upload evidence",
        "post",
        case_url("attachments/"),
        allowed="procurator",
        readonly="supervisor",
        outsider="agency1",
        body=lambda s: {"file": [pdf("现场勘验笔录.pdf"), pdf("询问笔录.pdf")], "description": "现场勘验"},
        format="multipart",
        status=201,
        check=lambda s, body: [a["original_name"] for a in body] == ["现场勘验笔录.pdf", "询问笔录.pdf"],
    ),
    Action(
        "case upload investigation evidence",
        "post",
        case_url("attachments/"),
        allowed="procurator",
        readonly="colleague",
        outsider="other_procurator",
        setup=investigation,
        body=lambda s: {"file": [pdf()], "investigation": s.extra["investigation"].pk},
        format="multipart",
        status=201,
        check=lambda s, body: body[0]["investigation"] == s.extra["investigation"].pk,
    ),
    Action(
        "feedback upload evidence to a draft",
        "post",
        lambda s: f"/api/v1/feedback/{s.report_draft.pk}/attachments/",
        allowed="agency1",
        outsider="procurator",  # drafts never leave the agency
        body=lambda s: {"files": [pdf("整改前后对比.pdf"), pdf("验收报告.pdf")]},
        format="multipart",
        check=lambda s, body: len(body["attachments"]) == 3 and body["summary"] == "第二次进展报告（草稿）。",
    ),
    Action(
        "feedback upload evidence to a submitted report",
        "post",
        lambda s: f"/api/v1/feedback/{s.report.pk}/attachments/",
        allowed="",  # nobody: a submitted report never changes
        readonly="procurator",
        outsider="agency2",
        body=lambda s: {"files": [pdf()]},
        format="multipart",
    ),
    Action(
        "feedback remove evidence from a draft",
        "delete",
        lambda s: f"/api/v1/feedback-attachments/{s.report_draft.attachments.get().pk}/",
        allowed="agency1",
        outsider="procurator",  # drafts never leave the agency
        status=204,
        check=lambda s, body: not s.report_draft.attachments.exists(),
    ),
    Action(
        "feedback remove evidence from a submitted report",
        "delete",
        lambda s: f"/api/v1/feedback-attachments/{s.report.attachments.get().pk}/",
        allowed="",  # nobody: a submitted report keeps its files
        readonly="procurator",
        outsider="agency2",
    ),
    Action(
        "lawsuit upload material",
        "post",
        lawsuit_url("materials/"),
        allowed="procurator",
        readonly="agency1",
        outsider="agency2",
        body=lambda s: {"file": pdf("证据目录.pdf"), "material": "evidence", "description": "证据目录"},
        format="multipart",
        status=201,
        check=lambda s, body: body["kind"] == "material" and body["material"] == "evidence",
    ),
    Action(
        "ruling upload document",
        "post",
        ruling_url("documents/"),
        allowed="procurator",
        readonly="city_supervisor",
        outsider="other_procurator",
        body=lambda s: {"file": pdf("一审判决书.pdf")},
        format="multipart",
        status=201,
        check=lambda s, body: body["kind"] == "ruling_document" and body["ruling"] == s.lawsuit.rulings.get().pk,
    ),
    # Notifications: one's own only.
    Action(
        "notification read",
        "post",
        lambda s: f"/api/v1/notifications/{s.notifications['procurator'].pk}/read/",
        allowed="procurator",
        outsider="colleague",
        check=lambda s, body: body["is_read"],
    ),
    Action(
        "notifications read all",
        "post",
        lambda s: "/api/v1/notifications/read-all/",
        allowed="agency1",
        check=lambda s, body: body["marked"] >= 1,
    ),
    # The holiday calendar: administrators write.
    Action(
        "holidays set a year",
        "put",
        lambda s: "/api/v1/holidays/2031/",
        allowed="admin",
        readonly="supervisor",
        body=lambda s: {
            "year": 2031,
            "source": "国务院办公厅通知",
            "days": [{"date": "2031-01-01", "is_rest_day": True, "name": "元旦"}],
        },
        check=lambda s, body: body["year"] == 2031 and body["days"][0]["name"] == "元旦",
    ),
]


def _send(client, action: Action, s: Scenario):
    return getattr(client, action.method)(action.url(s), action.body(s), format=action.format)


@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
def test_allowed_role_acts_read_only_role_gets_403_outsider_404(action, scenario, world, api):
    s = scenario
    if action.setup:
        action.setup(s, world)
    for attr in ("served", "draft"):
        getattr(s, attr).refresh_from_db()
    for name, expected in ((action.readonly, 403), (action.outsider, 404)):
        if name is None:
            continue
        before = api_state()
        response = _send(api(s.users[name]), action, s)
        assert response.status_code == expected, (name, response.content.decode())
        assert response.json()["code"] == ("permission_denied" if expected == 403 else "not_found")
        assert api_state() == before, f"{name}'s refused request changed something"
    if not action.allowed:
        return
    response = _send(api(s.users[action.allowed]), action, s)
    assert response.status_code == action.status, response.content.decode()
    if action.check:
        body = response.json() if response.content else None  # a DELETE answers 204, no body
        assert action.check(s, body), body


def test_evaluation_is_all_or_nothing(scenario, world, api):
    recommendation = advance_recommendation(scenario.served, to=Recommendation.Status.REPLIED)
    first, second = recommendation.items.order_by("number")
    response = api(scenario.users["procurator"]).post(
        f"/api/v1/recommendations/{recommendation.pk}/evaluate/",
        {"items": [{"item": first.pk, "evaluation": "rectified"}, {"item": second.pk, "evaluation": "partly"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"items.1.note": ["未整改或部分整改的，请说明情况。"]}
    first.refresh_from_db()
    assert first.evaluation == ""


def test_a_feedback_answer_error_points_at_the_answer(scenario, api):
    body = report_body(scenario)
    body["answers"][1] |= {"status": "cannot_yet", "reason": ""}
    response = api(scenario.users["agency1"]).post("/api/v1/feedback/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["answers.1.reason"]


def test_closing_a_case_refuses_while_a_reply_is_awaited(scenario, api):
    response = api(scenario.users["procurator"]).post(
        f"/api/v1/cases/{scenario.case.pk}/close/", {"ground": "rectified", "closed_on": str(TODAY)}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_transition"


def test_a_civil_case_publishes_its_announcement_through_the_transition(scenario, world, api):
    case = CaseFactory(
        procuratorate=world.district, handler=world.procurator, agencies=[world.agency1], case_type="civil"
    )
    client = api(scenario.users["procurator"])
    url = f"/api/v1/cases/{case.pk}/transition/"
    missing = client.post(url, {"to": "announcement"}, format="json")
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["published_on"]
    response = client.post(url, {"to": "announcement", "published_on": str(today())}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "announcement" and response.json()["next_due"]
