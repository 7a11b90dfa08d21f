"""History (docs/domain.md, Lifecycles): every service records who did what, from which status to which, and
what an edit changed; an edit that changes nothing records nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.models import Case, CaseType, Event, Lead, Recommendation, RecommendationItem
from cases.models.records import Investigation
from cases.selectors import case_timeline
from cases.timeline import changes_shown
from tests.factories import (
    ISSUED_ON,
    REPLY_RECEIVED_ON,
    SERVED_ON,
    TODAY,
    CaseFactory,
    LeadFactory,
    domain,
    recommendation_at,
    recommendation_content,
)

K = Event.Kind
S = Recommendation.Status
C = Case.Status
Evaluation = RecommendationItem.Evaluation


@pytest.fixture
def case(world) -> Case:
    return CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])


def rec(world, case, status) -> Recommendation:
    return recommendation_at(status, case=case, agency=world.agency1, approver=world.supervisor)


LEAD_FIELDS = ["title", "summary", "source", "source_detail", "reporter_name", "reporter_contact", "received_on"]


def lead_fields(lead: Lead, **overrides) -> dict:
    return (
        {name: getattr(lead, name) for name in LEAD_FIELDS} | {"domain": lead.domain, "agency": lead.agency} | overrides
    )


def new_lead(world) -> dict:
    return {
        "title": "某河道非法采砂线索",
        "summary": "群众举报。",
        "source": Lead.Source.REPORT,
        "received_on": datetime.date(2026, 3, 1),
        "domain": domain(),
        "agency": world.agency1,
    }


# Each scenario prepares its objects, runs one service as `actor` and returns the events it must
# have recorded as (kind, actor, from_status, to_status), oldest first.
Scenario = Callable[..., list[tuple[str, str, str, str]]]


def _lead_register(world, case):
    services.lead_register(user=world.procurator, today=TODAY, **new_lead(world))
    return [(K.LEAD_REGISTERED, "procurator", "", Lead.Status.PENDING)]


def _lead_update(world, case):
    lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator)
    services.lead_update(user=world.procurator_colleague, lead=lead, today=TODAY, **lead_fields(lead, title="改名"))
    return [(K.LEAD_EDITED, "colleague", "", "")]


def _lead_decline(world, case):
    lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator)
    services.lead_decline(user=world.supervisor, lead=lead, reason="不属于受案范围")
    return [(K.LEAD_DECLINED, "supervisor", Lead.Status.PENDING, Lead.Status.DECLINED)]


def _lead_open_case(world, case, lead=None):
    lead = lead or LeadFactory(procuratorate=world.district, registered_by=world.procurator)
    services.lead_open_case(
        user=world.procurator,
        lead=lead,
        case_type=CaseType.ADMINISTRATIVE,
        title="案件",
        summary="摘要",
        domain=domain(),
        agencies=[world.agency1],
        handler=world.procurator,
        opened_on=datetime.date(2026, 3, 10),
        today=TODAY,
    )
    return [(K.CASE_OPENED, "procurator", "", C.INVESTIGATION)]


def _case_update(world, case):
    services.case_update(
        user=world.procurator,
        case=case,
        title="改名",
        summary=case.summary,
        domain=case.domain,
        agencies=[world.agency1],
        co_handlers=[],
        internal_notes="",
    )
    return [(K.CASE_EDITED, "procurator", "", "")]


def _start_consultation(world, case):
    services.case_start_consultation(user=world.procurator, case=case)
    return [(K.STATUS_CHANGED, "procurator", C.INVESTIGATION, C.CONSULTATION)]


def _end_consultation(world, case):
    Case.objects.filter(pk=case.pk).update(status=C.CONSULTATION)
    services.case_end_consultation(user=world.procurator, case=case)
    return [(K.STATUS_CHANGED, "procurator", C.CONSULTATION, C.INVESTIGATION)]


def _investigation(world, case):
    services.investigation_record(
        user=world.procurator,
        case=case,
        kind=Investigation.Kind.SITE_VISIT,
        conducted_on=TODAY,
        findings="采砂坑",
        today=TODAY,
    )
    return [(K.INVESTIGATION_RECORDED, "procurator", "", "")]


def _consultation(world, case):
    services.consultation_record(
        user=world.procurator, case=case, agency=world.agency1, held_on=TODAY, summary="磋商", today=TODAY
    )
    return [(K.CONSULTATION_RECORDED, "procurator", "", "")]


def _attachment(world, case):
    upload = SimpleUploadedFile("笔录.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    services.attachment_add(user=world.procurator, case=case, upload=upload)
    return [(K.ATTACHMENT_ADDED, "procurator", "", "")]


def _attachment_remove(world, case):
    upload = SimpleUploadedFile("笔录.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment = services.attachment_add(user=world.procurator, case=case, upload=upload)
    services.attachment_remove(user=world.procurator, attachment=attachment)
    return [(K.ATTACHMENT_ADDED, "procurator", "", ""), (K.ATTACHMENT_REMOVED, "procurator", "", "")]


def _create(world, case):
    services.recommendation_create(
        user=world.procurator, case=case, items=["查处"], **recommendation_content(world.agency1)
    )
    return [
        (K.RECOMMENDATION_DRAFTED, "procurator", "", S.DRAFT),
        (K.STATUS_CHANGED, "procurator", C.INVESTIGATION, C.RECOMMENDATION),
    ]


def _update(world, case):
    r = rec(world, case, S.DRAFT)
    services.recommendation_update(
        user=world.procurator, recommendation=r, items=["查处"], **recommendation_content(world.agency1, remarks="备注")
    )
    return [(K.RECOMMENDATION_EDITED, "procurator", "", "")]


def _submit(world, case):
    services.recommendation_submit(user=world.procurator, recommendation=rec(world, case, S.DRAFT))
    return [(K.RECOMMENDATION_SUBMITTED, "procurator", S.DRAFT, S.PENDING_APPROVAL)]


def _approve(world, case):
    services.recommendation_approve(user=world.city_supervisor, recommendation=rec(world, case, S.PENDING_APPROVAL))
    return [(K.RECOMMENDATION_APPROVED, "city_supervisor", S.PENDING_APPROVAL, S.APPROVED)]


def _return(world, case):
    r = rec(world, case, S.PENDING_APPROVAL)
    services.recommendation_return(user=world.supervisor, recommendation=r, comment="补充证据")
    return [(K.RECOMMENDATION_RETURNED, "supervisor", S.PENDING_APPROVAL, S.DRAFT)]


def _withdraw(world, case):
    services.recommendation_withdraw(
        user=world.procurator, recommendation=rec(world, case, S.APPROVED), reason="已整改"
    )
    return [(K.STATUS_CHANGED, "procurator", S.APPROVED, S.WITHDRAWN)]


def _issue(world, case):
    r = rec(world, case, S.APPROVED)
    services.recommendation_issue(user=world.procurator, recommendation=r, issued_on=ISSUED_ON, today=TODAY)
    return [(K.RECOMMENDATION_ISSUED, "procurator", S.APPROVED, S.ISSUED)]


def _serve(world, case):
    services.recommendation_serve(
        user=world.procurator,
        recommendation=rec(world, case, S.ISSUED),
        served_on=SERVED_ON,
        service_method=Recommendation.ServiceMethod.DIRECT,
        received_by="李某",
        today=TODAY,
    )
    return [
        (K.RECOMMENDATION_SERVED, "procurator", S.ISSUED, S.SERVED),
        (K.STATUS_CHANGED, "procurator", C.RECOMMENDATION, C.AWAITING_REPLY),
    ]


def _file(world, case):
    services.recommendation_file_with_superior(
        user=world.procurator, recommendation=rec(world, case, S.SERVED), filed_on=SERVED_ON, today=TODAY
    )
    return [(K.RECOMMENDATION_FILED, "procurator", "", "")]


def _reply(world, case):
    services.recommendation_record_reply(
        user=world.procurator,
        recommendation=rec(world, case, S.SERVED),
        received_on=REPLY_RECEIVED_ON,
        summary="已整改",
        today=TODAY,
    )
    return [
        (K.REPLY_RECORDED, "procurator", S.SERVED, S.REPLIED),
        (K.STATUS_CHANGED, "procurator", C.AWAITING_REPLY, C.FOLLOW_UP),
    ]


def _evaluate(world, case):
    item = rec(world, case, S.REPLIED).items.first()
    services.item_evaluate(user=world.procurator, item=item, evaluation=Evaluation.RECTIFIED)
    return [(K.ITEM_EVALUATED, "procurator", "", "")]


def _close(world, case):
    services.case_close(
        user=world.city_supervisor,
        case=case,
        ground=Case.ClosureGround.NO_VIOLATION,
        note="",
        closed_on=TODAY,
        today=TODAY,
    )
    return [(K.CASE_CLOSED, "city_supervisor", C.INVESTIGATION, C.CLOSED)]


def _announce(world, case):
    Case.objects.filter(pk=case.pk).update(case_type=CaseType.CIVIL)
    services.case_announce(user=world.procurator, case=case, published_on=TODAY, today=TODAY)
    return [(K.STATUS_CHANGED, "procurator", C.INVESTIGATION, C.ANNOUNCEMENT)]


SCENARIOS: dict[str, Scenario] = {
    "lead_register": _lead_register,
    "lead_update": _lead_update,
    "lead_decline": _lead_decline,
    "lead_open_case": _lead_open_case,
    "case_update": _case_update,
    "case_start_consultation": _start_consultation,
    "case_end_consultation": _end_consultation,
    "investigation_record": _investigation,
    "consultation_record": _consultation,
    "attachment_add": _attachment,
    "attachment_remove": _attachment_remove,
    "recommendation_create": _create,
    "recommendation_update": _update,
    "recommendation_submit": _submit,
    "recommendation_approve": _approve,
    "recommendation_return": _return,
    "recommendation_withdraw": _withdraw,
    "recommendation_issue": _issue,
    "recommendation_serve": _serve,
    "recommendation_file_with_superior": _file,
    "recommendation_record_reply": _reply,
    "item_evaluate": _evaluate,
    "case_close": _close,
    "case_announce": _announce,
}


def test_every_service_has_a_history_scenario():
    missing = set(services.__all__) - {"number_allocate"} - set(SCENARIOS)
    assert not missing, f"add a scenario to SCENARIOS in tests/cases/test_history.py for {missing}"


@pytest.mark.parametrize("service", SCENARIOS)
def test_every_service_records_who_did_what_from_which_status_to_which(world, case, service):
    # Preparing the scenario runs other services first: compare only the newest events.
    expected = SCENARIOS[service](world, case)
    recorded = list(Event.objects.order_by("pk").values_list("kind", "actor__username", "from_status", "to_status"))
    assert recorded[-len(expected) :] == expected
    assert not Event.objects.filter(at__isnull=True).exists()


def test_recommendation_events_belong_to_the_case_and_the_recommendation(world, case):
    r = rec(world, case, S.REPLIED)
    events = Event.objects.filter(recommendation=r)
    assert set(events.values_list("kind", flat=True)) >= {
        K.RECOMMENDATION_DRAFTED,
        K.RECOMMENDATION_SUBMITTED,
        K.RECOMMENDATION_APPROVED,
        K.RECOMMENDATION_ISSUED,
        K.RECOMMENDATION_SERVED,
        K.REPLY_RECORDED,
    }
    assert not events.exclude(case=case).exists()


def test_case_update_records_the_title_before_and_after(world, case):
    old = case.title
    _case_update(world, case)
    assert changes_shown(Event.objects.get()) == {"title": [old, "改名"]}


def test_no_op_edits_record_nothing(world, case):
    lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator)
    services.lead_update(user=world.procurator, lead=lead, today=TODAY, **lead_fields(lead))
    services.case_update(
        user=world.procurator,
        case=case,
        title=case.title,
        summary=case.summary,
        domain=case.domain,
        agencies=[world.agency1],
        co_handlers=[],
        internal_notes=case.internal_notes,
    )
    draft = rec(world, case, S.DRAFT)
    count = Event.objects.count()
    services.recommendation_update(
        user=world.procurator,
        recommendation=draft,
        items=list(draft.items.values_list("text", flat=True)),
        **recommendation_content(world.agency1),
    )
    assert Event.objects.count() == count
    assert not Event.objects.filter(kind__in=[K.LEAD_EDITED, K.CASE_EDITED, K.RECOMMENDATION_EDITED]).exists()


def test_the_case_timeline_has_the_leads_events_then_the_cases_oldest_first(world):
    lead = services.lead_register(user=world.procurator, today=TODAY, **new_lead(world))
    _lead_open_case(world, None, lead=lead)
    case = Case.objects.get(lead=lead)
    services.case_start_consultation(user=world.procurator, case=case)
    # Events of another lead and another case stay out of this timeline.
    services.lead_register(user=world.procurator, today=TODAY, **new_lead(world))
    other = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    services.case_start_consultation(user=world.procurator, case=other)
    assert list(case_timeline(case).values_list("kind", "lead", "case")) == [
        (K.LEAD_REGISTERED, lead.pk, None),
        (K.CASE_OPENED, lead.pk, case.pk),
        (K.STATUS_CHANGED, None, case.pk),
    ]
