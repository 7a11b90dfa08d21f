"""The case's status follows the court side (issue 5): 提起诉讼 → 已裁判 → 裁判已生效 → 已履行 /
已移送执行 → 已终结, with an appeal putting it back before the court, and every change on the
case's history with its before and after."""

from __future__ import annotations

import pytest

from cases.models import Case, Event
from litigation import services
from litigation.models import Ruling
from tests.litigation.conftest import TODAY, D, file_lawsuit, first_ruling, litigation_case

pytestmark = pytest.mark.django_db

S = Case.Status


def status(case: Case) -> str:
    case.refresh_from_db()
    return case.status


def last_event(case: Case) -> Event:
    return case.events.order_by("id").last()


def test_the_case_follows_its_lawsuit_to_compliance_and_closing(world):
    case = litigation_case(world)
    lawsuit = file_lawsuit(world, case)
    assert status(case) == S.LITIGATION and last_event(case).to_status == ""
    ruling = first_ruling(lawsuit)
    assert status(case) == S.RULED
    event = last_event(case)
    assert (event.kind, event.from_status, event.to_status) == (Event.Kind.COURT_RECORDED, S.LITIGATION, S.RULED)
    services.ruling_take_effect(user=world.procurator, ruling=ruling, effective_on=D(2026, 7, 17), today=TODAY)
    assert status(case) == S.EFFECTIVE
    services.compliance_record(user=world.procurator, ruling=ruling, complied_on=D(2026, 9, 1), today=TODAY)
    assert status(case) == S.COMPLIED
    assert (last_event(case).from_status, last_event(case).to_status) == (S.EFFECTIVE, S.COMPLIED)
    services.litigation_case_close(user=world.procurator, case=case, closed_on=D(2026, 9, 2), note="", today=TODAY)
    assert status(case) == S.CLOSED


def test_transfer_for_enforcement_puts_the_case_in_enforced(world):
    case = litigation_case(world)
    ruling = first_ruling(file_lawsuit(world, case))
    services.ruling_take_effect(user=world.procurator, ruling=ruling, effective_on=D(2026, 7, 17), today=TODAY)
    services.enforcement_transfer(user=world.procurator, ruling=ruling, transferred_on=D(2026, 10, 9), today=TODAY)
    assert status(case) == S.ENFORCED
    services.litigation_case_close(
        user=world.procurator, case=case, closed_on=D(2026, 10, 10), note="已移送执行", today=TODAY
    )
    assert status(case) == S.CLOSED


def test_an_appeal_puts_the_case_back_before_the_court_and_the_second_instance_makes_it_effective(world):
    case = litigation_case(world)
    lawsuit = file_lawsuit(world, case)
    ruling = first_ruling(lawsuit)
    services.ruling_appeal(
        user=world.procurator, ruling=ruling, appealed_on=D(2026, 7, 10), appealed_by="defendant", today=TODAY
    )
    assert status(case) == S.LITIGATION
    assert (last_event(case).from_status, last_event(case).to_status) == (S.RULED, S.LITIGATION)
    services.ruling_record(
        user=world.procurator,
        lawsuit=lawsuit,
        instance=Ruling.Instance.SECOND,
        kind=Ruling.Kind.JUDGMENT,
        outcome=Ruling.Outcome.UPHELD,
        decided_on=D(2026, 9, 1),
        served_on=D(2026, 9, 3),
        ordered_action="依法履职",
        compliance_due_on=D(2026, 12, 1),
        today=TODAY,
    )
    assert status(case) == S.EFFECTIVE


def test_a_ruling_without_an_ordered_action_leaves_the_case_effective_until_closed(world):
    case = litigation_case(world)
    ruling = first_ruling(
        file_lawsuit(world, case), outcome=Ruling.Outcome.DECLARE_UNLAWFUL, ordered_action="", compliance_due_on=None
    )
    services.ruling_take_effect(user=world.procurator, ruling=ruling, effective_on=D(2026, 7, 17), today=TODAY)
    assert status(case) == S.EFFECTIVE
    services.litigation_case_close(user=world.procurator, case=case, closed_on=D(2026, 7, 20), note="", today=TODAY)
    assert status(case) == S.CLOSED


def test_with_two_lawsuits_the_least_advanced_one_decides(world):
    case = litigation_case(world)
    case.agencies.add(world.agency2)
    first = file_lawsuit(world, case)
    ruling = first_ruling(first)
    services.ruling_take_effect(user=world.procurator, ruling=ruling, effective_on=D(2026, 7, 17), today=TODAY)
    assert status(case) == S.EFFECTIVE
    # A second defendant is sued in the court phase: the case is before the court again.
    second = file_lawsuit(world, case, defendant_agency=world.agency2, filed_on=D(2026, 8, 1))
    assert status(case) == S.LITIGATION
    assert (last_event(case).from_status, last_event(case).to_status) == (S.EFFECTIVE, S.LITIGATION)
    first_ruling(second, decided_on=D(2026, 8, 20), served_on=D(2026, 8, 21), compliance_due_on=D(2026, 11, 30))
    assert status(case) == S.RULED
    services.compliance_record(user=world.procurator, ruling=ruling, complied_on=D(2026, 9, 1), today=TODAY)
    assert status(case) == S.RULED  # the second lawsuit is still in its appeal window


@pytest.mark.parametrize("case_status", sorted(Case.LITIGATION_STATUSES))
def test_court_records_are_accepted_in_every_court_status(world, case_status):
    case = litigation_case(world)
    lawsuit = file_lawsuit(world, case)
    Case.objects.filter(pk=case.pk).update(status=case_status)
    services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
    assert lawsuit.case.lawsuits.count() == 1
