"""The court-side transitions (docs/domain.md, Litigation and rulings) and their periods
(Deadlines), with fixed 2026 dates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cases.models import Case, CaseType, Event
from deadlines.models import Deadline, RuleCode
from litigation import services
from litigation.models import Hearing, Lawsuit, Ruling
from tests.litigation.conftest import (
    TODAY,
    D,
    effective_ruling,
    file_lawsuit,
    first_ruling,
    litigation_case,
    refused,
)

pytestmark = pytest.mark.django_db


# --- Filing -------------------------------------------------------------------------------------


def test_the_handler_files_a_lawsuit_and_the_case_history_records_it(world):
    lawsuit = file_lawsuit(world)
    assert lawsuit.status == Lawsuit.Status.FILED
    assert lawsuit.defendant_agency == world.agency1
    assert lawsuit.materials == ["complaint", "evidence"]
    event = Event.objects.get(case=lawsuit.case)
    assert event.kind == Event.Kind.COURT_RECORDED
    assert lawsuit.court_case_number in event.note
    lawsuit.case.refresh_from_db()
    assert lawsuit.case.status == Case.Status.LITIGATION


def test_a_civil_lawsuit_names_its_defendant_without_an_agency(world):
    lawsuit = file_lawsuit(world, litigation_case(world, case_type=CaseType.CIVIL))
    assert (lawsuit.defendant_agency, lawsuit.defendant) == (None, "某砂石有限公司")


@pytest.mark.parametrize(
    "status", [s for s in Case.Status.values if s not in Case.LITIGATION_STATUSES and s != Case.Status.CLOSED]
)
def test_filing_is_refused_before_the_decision_to_sue(world, status):
    case = litigation_case(world)
    Case.objects.filter(pk=case.pk).update(status=status)
    with refused(code="invalid_transition"):
        file_lawsuit(world, case)


def test_only_the_handler_files_a_lawsuit(world):
    case = litigation_case(world)
    for user in (world.procurator_colleague, world.supervisor, world.agency1_staff):
        with refused(code="permission_denied"):
            file_lawsuit(world, case, user=user)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"filed_on": D(2027, 1, 1)}, "filed_on"),  # in the future
        ({"filed_on": D(2026, 3, 9)}, "filed_on"),  # before the case was opened (03-10)
        ({"defendant_agency": None}, "defendant_agency"),
        ({"claims": "  "}, "claims"),
        ({"materials": ["bogus"]}, "materials"),
    ],
)
def test_filing_with_bad_input_is_refused(world, overrides, field):
    case = litigation_case(world)
    with refused(field=field):
        file_lawsuit(world, case, **overrides)


def test_the_defendant_must_be_an_agency_of_the_case(world):
    case = litigation_case(world)
    with refused(field="defendant_agency"):
        file_lawsuit(world, case, defendant_agency=world.agency2)


def test_a_court_case_number_is_used_once_per_court(world):
    first = file_lawsuit(world)
    with refused(field="court_case_number"):
        file_lawsuit(world, first.case, court_case_number=first.court_case_number)


# --- The defence: 15 days from the day after receipt of the complaint copy -------------------------


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        (D(2026, 6, 2), D(2026, 6, 17)),  # a Wednesday
        (D(2026, 9, 20), D(2026, 10, 8)),  # 10-05 is inside the National Day holiday
    ],
)
def test_receiving_the_complaint_copy_opens_the_fifteen_day_defence_deadline(world, received_on, due):
    lawsuit = file_lawsuit(world)
    lawsuit = services.complaint_copy_received(
        user=world.procurator, lawsuit=lawsuit, received_on=received_on, today=TODAY
    )
    deadline = lawsuit.defence_deadline
    assert (deadline.rule.code, deadline.start_date, deadline.due_date) == (RuleCode.DEFENCE, received_on, due)
    assert deadline.status == Deadline.Status.OPEN


@pytest.mark.parametrize(
    ("submitted_on", "status"),
    [(D(2026, 6, 17), Deadline.Status.MET), (D(2026, 6, 18), Deadline.Status.LATE)],
)
def test_the_defence_closes_its_deadline_met_or_late(world, submitted_on, status):
    lawsuit = file_lawsuit(world)
    services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
    lawsuit = services.defence_submitted(user=world.procurator, lawsuit=lawsuit, submitted_on=submitted_on, today=TODAY)
    lawsuit.defence_deadline.refresh_from_db()
    assert (lawsuit.defence_submitted_on, lawsuit.defence_deadline.status) == (submitted_on, status)


def test_the_defendant_agency_staff_record_the_defence_but_another_agency_cannot(world):
    lawsuit = file_lawsuit(world)
    services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
    with refused(code="permission_denied"):
        services.defence_submitted(user=world.agency2_staff, lawsuit=lawsuit, submitted_on=D(2026, 6, 5), today=TODAY)
    lawsuit = services.defence_submitted(
        user=world.agency1_staff, lawsuit=lawsuit, submitted_on=D(2026, 6, 5), today=TODAY
    )
    assert Event.objects.filter(case=lawsuit.case).last().actor == world.agency1_staff


def test_the_trial_periods_are_shown_from_filing_and_appeal(world):
    lawsuit = file_lawsuit(world, filed_on=D(2026, 8, 31))
    assert lawsuit.first_instance_expected_by == D(2027, 2, 28)  # no 02-31: the month's last day
    ruling = first_ruling(
        lawsuit, decided_on=D(2026, 9, 10), served_on=D(2026, 9, 11), compliance_due_on=D(2026, 12, 1)
    )
    ruling = services.ruling_appeal(
        user=world.procurator, ruling=ruling, appealed_on=D(2026, 9, 20), appealed_by="defendant", today=TODAY
    )
    assert ruling.second_instance_expected_by == D(2026, 12, 20)


def test_the_complaint_copy_cannot_be_received_before_filing_nor_twice(world):
    lawsuit = file_lawsuit(world)
    with refused(field="received_on"):
        services.complaint_copy_received(
            user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 5, 31), today=TODAY
        )
    services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
    with refused(code="invalid_transition"):
        services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 3), today=TODAY)


def test_the_defence_needs_the_complaint_copy_first_and_is_recorded_once(world):
    lawsuit = file_lawsuit(world)
    with refused(code="invalid_transition"):
        services.defence_submitted(user=world.procurator, lawsuit=lawsuit, submitted_on=D(2026, 6, 5), today=TODAY)
    services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
    with refused(field="submitted_on"):
        services.defence_submitted(user=world.procurator, lawsuit=lawsuit, submitted_on=D(2026, 6, 1), today=TODAY)
    services.defence_submitted(user=world.procurator, lawsuit=lawsuit, submitted_on=D(2026, 6, 5), today=TODAY)
    with refused(code="invalid_transition"):
        services.defence_submitted(user=world.procurator, lawsuit=lawsuit, submitted_on=D(2026, 6, 6), today=TODAY)


# --- Hearings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("appearance", "violation"),
    [
        (Hearing.Appearance.HEAD, False),
        (Hearing.Appearance.DEPUTY_HEAD, False),
        (Hearing.Appearance.STAFF, False),
        (Hearing.Appearance.LAWYER_ONLY, True),
        (Hearing.Appearance.NOBODY, True),
    ],
)
def test_a_hearing_with_only_a_lawyer_or_nobody_for_the_agency_is_a_violation(world, appearance, violation):
    lawsuit = file_lawsuit(world)
    hearing = services.hearing_record(
        user=world.procurator, lawsuit=lawsuit, held_on=D(2026, 6, 20), appearance=appearance, today=TODAY
    )
    assert hearing.is_violation is violation
    assert Hearing.objects.filter(appearance__in=Hearing.VIOLATIONS).count() == int(violation)
    assert ("违反" in Event.objects.filter(case=lawsuit.case).last().note) is violation


def test_a_hearing_before_filing_is_refused(world):
    lawsuit = file_lawsuit(world)
    with refused(field="held_on"):
        services.hearing_record(
            user=world.procurator, lawsuit=lawsuit, held_on=D(2026, 5, 20), appearance="head", today=TODAY
        )


def test_a_hearing_after_the_ruling_took_effect_is_refused(world):
    lawsuit = file_lawsuit(world)
    effective_ruling(lawsuit)
    with refused(code="invalid_transition"):
        services.hearing_record(
            user=world.procurator, lawsuit=lawsuit, held_on=D(2026, 8, 1), appearance="head", today=TODAY
        )


# --- Rulings and the appeal window -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "served_on", "rule", "due"),
    [
        (Ruling.Kind.JUDGMENT, D(2026, 7, 1), RuleCode.APPEAL_JUDGMENT, D(2026, 7, 16)),
        (Ruling.Kind.JUDGMENT, D(2026, 9, 25), RuleCode.APPEAL_JUDGMENT, D(2026, 10, 10)),  # a worked Saturday
        (Ruling.Kind.RULING, D(2026, 7, 1), RuleCode.APPEAL_RULING, D(2026, 7, 13)),  # 07-11 is a Saturday
        (Ruling.Kind.RULING, D(2026, 9, 21), RuleCode.APPEAL_RULING, D(2026, 10, 8)),  # 10-01 National Day
    ],
)
def test_serving_a_first_instance_decision_opens_its_appeal_window(world, kind, served_on, rule, due):
    lawsuit = file_lawsuit(world)
    outcome = Ruling.Outcome.DISMISS if kind == Ruling.Kind.RULING else Ruling.Outcome.ORDER_PERFORMANCE
    ruling = first_ruling(lawsuit, kind=kind, outcome=outcome, served_on=served_on, compliance_due_on=D(2026, 12, 30))
    assert (ruling.appeal_deadline.rule.code, ruling.appeal_deadline.due_date) == (rule, due)
    lawsuit.refresh_from_db()
    assert lawsuit.status == Lawsuit.Status.RULED


def test_a_ruling_dated_before_the_filing_is_refused(world):
    lawsuit = file_lawsuit(world)
    with refused(field="decided_on"):
        first_ruling(lawsuit, decided_on=D(2026, 5, 31))


def test_a_second_first_instance_ruling_is_refused(world):
    lawsuit = file_lawsuit(world)
    first_ruling(lawsuit)
    with refused(field="instance"):
        first_ruling(lawsuit)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"served_on": D(2026, 6, 27)}, "served_on"),  # before the decision
        ({"outcome": Ruling.Outcome.SUPPORTED_FULLY}, "outcome"),  # a civil outcome on an administrative case
        ({"compliance_due_on": None}, "compliance_due_on"),  # an ordered action needs its date
        ({"compensation_amount": Decimal("-1.00")}, "compensation_amount"),
        ({"kind": Ruling.Kind.MEDIATION}, "outcome"),  # mediation ⇔ outcome 调解结案
    ],
)
def test_a_ruling_with_bad_input_is_refused(world, overrides, field):
    lawsuit = file_lawsuit(world)
    with refused(field=field):
        first_ruling(lawsuit, **overrides)


def test_a_second_instance_ruling_needs_an_appeal(world):
    lawsuit = file_lawsuit(world)
    first_ruling(lawsuit)
    with refused(code="invalid_transition"):
        first_ruling(lawsuit, instance=Ruling.Instance.SECOND, outcome=Ruling.Outcome.UPHELD)


def test_civil_amounts_are_kept_exactly_in_yuan(world):
    lawsuit = file_lawsuit(world, litigation_case(world, case_type=CaseType.CIVIL))
    ruling = first_ruling(
        lawsuit,
        outcome=Ruling.Outcome.SUPPORTED_PARTLY,
        compensation_amount=Decimal("1234567890.10"),
        restoration_cost=Decimal("0.30"),
    )
    ruling.refresh_from_db()
    assert (ruling.compensation_amount, ruling.restoration_cost) == (Decimal("1234567890.10"), Decimal("0.30"))


def test_a_mediation_statement_is_effective_on_service_with_its_compliance_deadline(world):
    lawsuit = file_lawsuit(world, litigation_case(world, case_type=CaseType.CIVIL))
    ruling = first_ruling(lawsuit, kind=Ruling.Kind.MEDIATION, outcome=Ruling.Outcome.MEDIATED)
    assert (ruling.appeal_deadline, ruling.effective_on) == (None, D(2026, 7, 1))
    assert ruling.compliance_deadline.due_date == D(2026, 9, 30)


# --- Appeal -------------------------------------------------------------------------------------


@pytest.mark.parametrize("appealed_by", ["procuratorate", "defendant"])
def test_an_appeal_within_the_window_opens_the_second_instance(world, appealed_by):
    lawsuit = file_lawsuit(world)
    ruling = first_ruling(lawsuit)
    ruling = services.ruling_appeal(
        user=world.procurator, ruling=ruling, appealed_on=D(2026, 7, 16), appealed_by=appealed_by, today=TODAY
    )
    ruling.appeal_deadline.refresh_from_db()
    assert ruling.appeal_deadline.status == Deadline.Status.MET
    lawsuit.refresh_from_db()
    assert lawsuit.status == Lawsuit.Status.APPEALED
    second = first_ruling(
        lawsuit,
        instance=Ruling.Instance.SECOND,
        outcome=Ruling.Outcome.UPHELD,
        decided_on=D(2026, 9, 1),
        served_on=D(2026, 9, 3),
        compliance_due_on=D(2026, 11, 3),
    )
    # 二审终审: final on service, and the ordered action's compliance period runs.
    assert second.effective_on == D(2026, 9, 3)
    assert (second.compliance_deadline.rule.code, second.compliance_deadline.due_date) == (
        RuleCode.COMPLIANCE,
        D(2026, 11, 3),
    )
    lawsuit.refresh_from_db()
    assert lawsuit.status == Lawsuit.Status.EFFECTIVE


def test_an_appeal_after_the_window_is_refused_without_a_reason(world):
    ruling = first_ruling(file_lawsuit(world))
    with refused(field="appealed_on"):
        services.ruling_appeal(
            user=world.procurator, ruling=ruling, appealed_on=D(2026, 7, 17), appealed_by="defendant", today=TODAY
        )


def test_an_appeal_after_the_window_is_recorded_late_with_a_reason(world):
    ruling = first_ruling(file_lawsuit(world))
    ruling = services.ruling_appeal(
        user=world.procurator,
        ruling=ruling,
        appealed_on=D(2026, 7, 20),
        appealed_by="defendant",
        late_reason="法院准许顺延上诉期限。",
        today=TODAY,
    )
    ruling.appeal_deadline.refresh_from_db()
    assert ruling.appeal_deadline.status == Deadline.Status.LATE


def test_an_effective_ruling_cannot_be_appealed(world):
    ruling = effective_ruling(file_lawsuit(world))
    with refused(code="invalid_transition"):
        services.ruling_appeal(
            user=world.procurator, ruling=ruling, appealed_on=D(2026, 7, 10), appealed_by="defendant", today=TODAY
        )


# --- Taking effect and compliance ------------------------------------------------------------------


def test_without_appeal_the_ruling_takes_effect_the_day_after_the_window_and_compliance_is_watched(world):
    lawsuit = file_lawsuit(world)
    ruling = effective_ruling(lawsuit)
    assert ruling.effective_on == D(2026, 7, 17)
    ruling.appeal_deadline.refresh_from_db()
    assert ruling.appeal_deadline.status == Deadline.Status.CANCELLED
    deadline = ruling.compliance_deadline
    assert (deadline.rule.code, deadline.start_date, deadline.due_date) == (
        RuleCode.COMPLIANCE,
        D(2026, 7, 17),
        D(2026, 9, 30),
    )
    lawsuit.refresh_from_db()
    assert lawsuit.status == Lawsuit.Status.EFFECTIVE


def test_an_effect_date_before_the_window_closes_is_refused(world):
    ruling = first_ruling(file_lawsuit(world))  # window ends 07-16
    with refused(field="effective_on"):
        services.ruling_take_effect(user=world.procurator, ruling=ruling, effective_on=D(2026, 7, 16), today=TODAY)


def test_an_appealed_ruling_does_not_take_effect(world):
    ruling = first_ruling(file_lawsuit(world))
    services.ruling_appeal(
        user=world.procurator, ruling=ruling, appealed_on=D(2026, 7, 10), appealed_by="defendant", today=TODAY
    )
    with refused(code="invalid_transition"):
        services.ruling_take_effect(user=world.procurator, ruling=ruling, effective_on=D(2026, 7, 17), today=TODAY)


@pytest.mark.parametrize(("complied_on", "status"), [(D(2026, 9, 30), "met"), (D(2026, 10, 9), "late")])
def test_compliance_closes_the_compliance_deadline(world, complied_on, status):
    lawsuit = file_lawsuit(world)
    ruling = services.compliance_record(
        user=world.procurator, ruling=effective_ruling(lawsuit), complied_on=complied_on, today=TODAY
    )
    ruling.compliance_deadline.refresh_from_db()
    assert ruling.compliance_deadline.status == status
    lawsuit.refresh_from_db()
    assert lawsuit.status == Lawsuit.Status.COMPLIED


def test_transfer_for_enforcement_ends_the_watch_and_excludes_compliance(world):
    lawsuit = file_lawsuit(world)
    ruling = services.enforcement_transfer(
        user=world.procurator, ruling=effective_ruling(lawsuit), transferred_on=D(2026, 10, 15), today=TODAY
    )
    ruling.compliance_deadline.refresh_from_db()
    assert ruling.compliance_deadline.status == Deadline.Status.CANCELLED
    with refused(code="invalid_transition"):
        services.compliance_record(user=world.procurator, ruling=ruling, complied_on=D(2026, 10, 20), today=TODAY)


def test_compliance_before_the_ruling_is_effective_is_refused(world):
    ruling = first_ruling(file_lawsuit(world))
    with refused(code="invalid_transition"):
        services.compliance_record(user=world.procurator, ruling=ruling, complied_on=D(2026, 7, 20), today=TODAY)


# --- Closing the case -----------------------------------------------------------------------------


def test_the_case_closes_through_case_close_once_the_ruling_is_complied_with(world):
    lawsuit = file_lawsuit(world)
    ruling = effective_ruling(lawsuit)
    with refused(code="invalid_transition"):
        services.litigation_case_close(
            user=world.procurator, case=lawsuit.case, closed_on=D(2026, 8, 1), note="", today=TODAY
        )
    services.compliance_record(user=world.procurator, ruling=ruling, complied_on=D(2026, 9, 1), today=TODAY)
    case = services.litigation_case_close(
        user=world.procurator, case=lawsuit.case, closed_on=D(2026, 9, 2), note="判决已履行。", today=TODAY
    )
    assert (case.status, case.closure_ground) == (Case.Status.CLOSED, Case.ClosureGround.PUBLIC_INTEREST_RESTORED)
    assert Event.objects.filter(case=case, kind=Event.Kind.CASE_CLOSED).count() == 1


def test_the_ordinary_close_is_refused_while_a_lawsuit_is_not_finished(world):
    from cases.services import case_close

    lawsuit = file_lawsuit(world)
    ruling = effective_ruling(lawsuit)
    with refused(code="invalid_transition"):
        case_close(
            user=world.procurator,
            case=lawsuit.case,
            ground=Case.ClosureGround.PUBLIC_INTEREST_RESTORED,
            note="",
            closed_on=D(2026, 8, 1),
            today=TODAY,
        )
    assert Case.objects.get(pk=lawsuit.case_id).status != Case.Status.CLOSED
    services.compliance_record(user=world.procurator, ruling=ruling, complied_on=D(2026, 9, 1), today=TODAY)
    case = case_close(
        user=world.procurator,
        case=lawsuit.case,
        ground=Case.ClosureGround.PUBLIC_INTEREST_RESTORED,
        note="",
        closed_on=D(2026, 9, 2),
        today=TODAY,
    )
    assert case.status == Case.Status.CLOSED


def test_a_closed_case_refuses_further_court_records(world):
    lawsuit = file_lawsuit(world)
    Case.objects.filter(pk=lawsuit.case_id).update(status=Case.Status.CLOSED)
    with refused(code="case_closed"):
        services.hearing_record(
            user=world.procurator, lawsuit=lawsuit, held_on=D(2026, 6, 20), appearance="head", today=TODAY
        )
