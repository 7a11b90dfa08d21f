"""Lead services: register, edit while pending, decline with a reason, open a case (立案)."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import Role
from cases.models import Case, CaseType, Domain, Event, Lead
from cases.services import lead_decline, lead_open_case, lead_register, lead_update
from cases.timeline import changes_shown
from tests.factories import TODAY, LeadFactory, UserFactory, domain, refused


@pytest.fixture
def lead(world) -> Lead:
    return LeadFactory(procuratorate=world.district, registered_by=world.procurator, agency=world.agency1)


def lead_data(world, **overrides) -> dict:
    return {
        "title": "某河道非法采砂线索",
        "summary": "群众举报河道内有非法采砂行为。",
        "source": Lead.Source.REPORT,
        "source_detail": "12345热线",
        "reporter_name": "张某某",
        "reporter_contact": "13800000000",
        "received_on": datetime.date(2026, 3, 1),
        "domain": domain(),
        "agency": world.agency1,
    } | overrides


def open_data(world, **overrides) -> dict:
    return {
        "case_type": CaseType.ADMINISTRATIVE,
        "title": "督促整治某河道非法采砂行政公益诉讼案",
        "summary": "某河道存在非法采砂，生态环境局未依法履职。",
        "domain": domain(),
        "agencies": [world.agency1],
        "handler": world.procurator,
        "opened_on": datetime.date(2026, 3, 10),
        "today": TODAY,
    } | overrides


# --- register --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["procurator", "supervisor"])
def test_procuratorate_staff_register_a_lead_at_their_own_procuratorate(world, who):
    user = getattr(world, who)
    lead = lead_register(user=user, today=TODAY, **lead_data(world))
    lead.refresh_from_db()
    assert (lead.procuratorate, lead.registered_by, lead.status) == (world.district, user, Lead.Status.PENDING)
    event = Event.objects.get()
    assert (event.kind, event.actor, event.lead, event.from_status, event.to_status) == (
        Event.Kind.LEAD_REGISTERED,
        user,
        lead,
        "",
        Lead.Status.PENDING,
    )


@pytest.mark.parametrize("who", ["agency1_staff", "discipline"])
def test_agency_staff_and_discipline_liaison_cannot_register_leads(world, who):
    with refused(code="permission_denied"):
        lead_register(user=getattr(world, who), today=TODAY, **lead_data(world))


def test_register_refuses_a_received_date_after_today(world):
    with refused(field="received_on"):
        lead_register(
            user=world.procurator, today=TODAY, **lead_data(world, received_on=TODAY + datetime.timedelta(days=1))
        )


@pytest.mark.parametrize("org", ["district", "commission"])
def test_register_refuses_an_organisation_that_is_not_an_agency(world, org):
    with refused(field="agency"):
        lead_register(user=world.procurator, today=TODAY, **lead_data(world, agency=getattr(world, org)))


def test_register_refuses_an_inactive_agency(world):
    world.agency2.is_active = False
    world.agency2.save()
    with refused(field="agency"):
        lead_register(user=world.procurator, today=TODAY, **lead_data(world, agency=world.agency2))


def test_register_refuses_an_inactive_domain(world):
    retired = Domain.objects.create(code="retired", name="已停用领域", is_active=False)
    with refused(field="domain"):
        lead_register(user=world.procurator, today=TODAY, **lead_data(world, domain=retired))


# --- edit ------------------------------------------------------------------------------------


def test_editing_a_pending_lead_records_before_and_after(world, lead):
    old_title = lead.title
    lead_update(user=world.procurator_colleague, lead=lead, today=TODAY, **lead_data(world, title="新线索名称"))
    lead.refresh_from_db()
    assert lead.title == "新线索名称"
    event = Event.objects.get()
    assert (event.kind, event.actor, event.lead) == (Event.Kind.LEAD_EDITED, world.procurator_colleague, lead)
    assert changes_shown(event)["title"] == [old_title, "新线索名称"]


def test_editing_the_agency_records_the_agency_names(world, lead):
    data = lead_data(world, title=lead.title, summary=lead.summary, agency=world.agency2)
    lead_update(user=world.procurator, lead=lead, today=TODAY, **data)
    assert changes_shown(Event.objects.get()) == {
        "agency": [world.agency1.name, world.agency2.name],
        "source_detail": ["", "12345热线"],
    }


def test_an_edit_that_changes_nothing_records_nothing(world, lead):
    data = lead_data(world, title=lead.title, summary=lead.summary, source_detail=lead.source_detail)
    lead_update(user=world.procurator, lead=lead, today=TODAY, **data)
    assert Event.objects.count() == 0


@pytest.mark.parametrize("status", [Lead.Status.DECLINED, Lead.Status.OPENED])
def test_a_lead_is_editable_only_while_pending(world, status):
    lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator, status=status)
    with refused(code="invalid_transition"):
        lead_update(user=world.procurator, lead=lead, today=TODAY, **lead_data(world, title="改名"))


@pytest.mark.parametrize("who", ["other_procurator", "city_procurator", "agency1_staff", "discipline"])
def test_only_staff_of_the_leads_procuratorate_may_edit_it(world, lead, who):
    with refused(code="permission_denied"):
        lead_update(user=getattr(world, who), lead=lead, today=TODAY, **lead_data(world, title="改名"))


def test_edit_refuses_a_future_received_date(world, lead):
    with refused(field="received_on"):
        lead_update(
            user=world.procurator, lead=lead, today=TODAY, **lead_data(world, received_on=datetime.date(2026, 7, 1))
        )


# --- decline ---------------------------------------------------------------------------------


def test_declining_records_reason_evaluator_and_transition(world, lead):
    lead_decline(user=world.supervisor, lead=lead, reason="经核实不属于公益诉讼受案范围")
    lead.refresh_from_db()
    assert (lead.status, lead.decline_reason, lead.evaluated_by) == (
        Lead.Status.DECLINED,
        "经核实不属于公益诉讼受案范围",
        world.supervisor,
    )
    assert lead.evaluated_at is not None
    event = Event.objects.get()
    assert (event.kind, event.actor, event.from_status, event.to_status, event.note) == (
        Event.Kind.LEAD_DECLINED,
        world.supervisor,
        Lead.Status.PENDING,
        Lead.Status.DECLINED,
        "经核实不属于公益诉讼受案范围",
    )


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_declining_needs_a_reason(world, lead, reason):
    with refused(field="reason"):
        lead_decline(user=world.procurator, lead=lead, reason=reason)


@pytest.mark.parametrize("status", [Lead.Status.DECLINED, Lead.Status.OPENED])
def test_only_a_pending_lead_can_be_declined(world, status):
    lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator, status=status)
    with refused(code="invalid_transition"):
        lead_decline(user=world.procurator, lead=lead, reason="理由")


@pytest.mark.parametrize("who", ["other_supervisor", "city_supervisor", "agency1_staff", "discipline"])
def test_only_staff_of_the_leads_procuratorate_may_decline_it(world, lead, who):
    with refused(code="permission_denied"):
        lead_decline(user=getattr(world, who), lead=lead, reason="理由")


# --- open a case -----------------------------------------------------------------------------


def test_opening_a_case_assigns_the_number_and_marks_the_lead_opened(world, lead):
    case = lead_open_case(
        user=world.supervisor, lead=lead, **open_data(world, co_handlers=[world.procurator_colleague])
    )
    case.refresh_from_db()
    lead.refresh_from_db()
    assert case.number == "测区检行公立〔2026〕1号"
    assert (case.procuratorate, case.status, case.lead, case.handler, case.opened_on) == (
        world.district,
        Case.Status.INVESTIGATION,
        lead,
        world.procurator,
        datetime.date(2026, 3, 10),
    )
    assert list(case.agencies.all()) == [world.agency1]
    assert list(case.co_handlers.all()) == [world.procurator_colleague]
    assert (lead.status, lead.evaluated_by) == (Lead.Status.OPENED, world.supervisor)
    event = Event.objects.get()
    assert (event.kind, event.actor, event.case, event.lead, event.from_status, event.to_status, event.note) == (
        Event.Kind.CASE_OPENED,
        world.supervisor,
        case,
        lead,
        "",
        Case.Status.INVESTIGATION,
        case.number,
    )


def test_opening_on_the_received_date_is_allowed(world, lead):
    case = lead_open_case(user=world.procurator, lead=lead, **open_data(world, opened_on=lead.received_on))
    assert case.opened_on == lead.received_on


def test_the_handler_named_again_as_co_handler_is_not_duplicated(world, lead):
    case = lead_open_case(user=world.procurator, lead=lead, **open_data(world, co_handlers=[world.procurator]))
    assert case.co_handlers.count() == 0


def test_opening_a_case_twice_is_refused(world, lead):
    lead_open_case(user=world.procurator, lead=lead, **open_data(world))
    with refused(code="invalid_transition"):
        lead_open_case(user=world.procurator, lead=lead, **open_data(world))
    assert Case.objects.count() == 1


def test_a_declined_lead_cannot_be_opened(world, lead):
    lead_decline(user=world.procurator, lead=lead, reason="不属于受案范围")
    with refused(code="invalid_transition"):
        lead_open_case(user=world.procurator, lead=lead, **open_data(world))


def test_open_date_before_the_received_date_is_refused(world, lead):
    with refused(field="opened_on"):
        lead_open_case(user=world.procurator, lead=lead, **open_data(world, opened_on=datetime.date(2026, 2, 28)))


def test_open_date_after_today_is_refused(world, lead):
    with refused(field="opened_on"):
        lead_open_case(user=world.procurator, lead=lead, **open_data(world, opened_on=datetime.date(2026, 7, 1)))


@pytest.mark.parametrize("who", ["other_procurator", "city_procurator", "agency1_staff"])
def test_handler_from_outside_the_leads_procuratorate_is_refused(world, lead, who):
    with refused(field="handler"):
        lead_open_case(user=world.procurator, lead=lead, **open_data(world, handler=getattr(world, who)))


def test_co_handler_from_another_procuratorate_is_refused(world, lead):
    with refused(field="handler"):
        lead_open_case(user=world.procurator, lead=lead, **open_data(world, co_handlers=[world.other_procurator]))


def test_a_supervisor_cannot_be_named_handler_because_only_procurators_edit_cases(world, lead):
    # docs/domain.md, Who sees what: procurators edit where handler; supervisors read and approve. A supervisor
    # handler would leave a case nobody may work on.
    with refused(field="handler"):
        lead_open_case(user=world.procurator, lead=lead, **open_data(world, handler=world.supervisor))


def test_an_inactive_procurator_cannot_be_named_handler(world, lead):
    gone = UserFactory(organisation=world.district, role=Role.PROCURATOR, is_active=False)
    with refused(field="handler"):
        lead_open_case(user=world.procurator, lead=lead, **open_data(world, handler=gone))


@pytest.mark.parametrize("org", ["district", "commission"])
def test_an_organisation_that_is_not_an_agency_is_refused(world, lead, org):
    with refused(field="agencies"):
        lead_open_case(user=world.procurator, lead=lead, **open_data(world, agencies=[getattr(world, org)]))


def test_an_inactive_agency_is_refused(world, lead):
    world.agency2.is_active = False
    world.agency2.save()
    with refused(field="agencies"):
        lead_open_case(user=world.procurator, lead=lead, **open_data(world, agencies=[world.agency1, world.agency2]))


def test_an_administrative_case_needs_an_agency(world, lead):
    with refused(field="agencies"):
        lead_open_case(user=world.procurator, lead=lead, **open_data(world, agencies=[]))


def test_a_civil_case_may_be_opened_without_an_agency_and_gets_a_civil_number(world, lead):
    case = lead_open_case(user=world.procurator, lead=lead, **open_data(world, case_type=CaseType.CIVIL, agencies=[]))
    assert case.number == "测区检民公立〔2026〕1号"


@pytest.mark.parametrize("who", ["other_procurator", "city_supervisor", "agency1_staff", "discipline"])
def test_only_staff_of_the_leads_procuratorate_may_open_a_case(world, lead, who):
    with refused(code="permission_denied"):
        lead_open_case(user=getattr(world, who), lead=lead, **open_data(world))
