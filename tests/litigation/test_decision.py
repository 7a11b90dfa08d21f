"""The decision to sue with its approval (docs/domain.md: Roles, Litigation and rulings), and the
civil path after the announcement (Lifecycles): who proposes, who decides, from which states, and
what each leaves behind."""

from __future__ import annotations

import pytest

from cases import services as case_services
from cases.models import Case, CaseType, Event, RecommendationItem
from deadlines.models import Deadline, RuleCode
from litigation import services
from litigation.models import Material
from tests.factories import CaseFactory
from tests.litigation.conftest import MATERIALS, TODAY, D, file_lawsuit, follow_up_case, propose, refused

pytestmark = pytest.mark.django_db

Evaluation = RecommendationItem.Evaluation


def announced_case(world, case_type=CaseType.CIVIL) -> Case:
    """Announced on 2026-04-01."""
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, case_type=case_type)
    case_services.case_announce(user=world.procurator, case=case, published_on=D(2026, 4, 1), today=TODAY)
    case.refresh_from_db()
    return case


# --- Administrative: propose, approve, return ------------------------------------------------------


@pytest.mark.parametrize("evaluation", [Evaluation.NOT_RECTIFIED, Evaluation.PARTLY])
def test_the_handler_proposes_and_the_case_waits_for_the_supervisor(world, evaluation):
    case = follow_up_case(world, (evaluation, Evaluation.RECTIFIED))
    proposal = propose(world, case)
    case.refresh_from_db()
    assert case.status == Case.Status.FOLLOW_UP
    assert (proposal.status, proposal.proposed_by, proposal.materials) == ("pending", world.procurator, MATERIALS)
    event = case.events.order_by("id").last()
    assert (event.kind, event.note, event.from_status, event.to_status) == (
        Event.Kind.LAWSUIT_PROPOSED,
        "逾期未整改，依法提起诉讼",
        "",
        "",
    )


@pytest.mark.parametrize("approver", ["supervisor", "city_supervisor"])
def test_a_supervisor_of_the_case_or_a_higher_procuratorate_approves_and_the_case_goes_to_court(world, approver):
    case = follow_up_case(world)
    proposal = services.lawsuit_proposal_approve(
        user=getattr(world, approver), proposal=propose(world, case), comment="同意", today=TODAY
    )
    case.refresh_from_db()
    assert case.status == Case.Status.LITIGATION
    assert (proposal.status, proposal.decided_by, proposal.decision_comment) == (
        "approved",
        getattr(world, approver),
        "同意",
    )
    event = case.events.order_by("id").last()
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        Event.Kind.LAWSUIT_DECIDED,
        getattr(world, approver),
        Case.Status.FOLLOW_UP,
        Case.Status.LITIGATION,
    )
    # Now the lawsuit can be filed, its claims following the recommendation.
    lawsuit = file_lawsuit(world, case)
    assert lawsuit.recommendation == case.recommendations.get()


def test_a_returned_proposal_needs_a_reason_and_may_be_made_again(world):
    case = follow_up_case(world)
    proposal = propose(world, case)
    with refused(field="comment"):
        services.lawsuit_proposal_return(user=world.supervisor, proposal=proposal, comment=" ")
    services.lawsuit_proposal_return(user=world.supervisor, proposal=proposal, comment="证据不足，请补充鉴定意见")
    case.refresh_from_db()
    assert case.status == Case.Status.FOLLOW_UP
    assert case.events.order_by("id").last().kind == Event.Kind.LAWSUIT_RETURNED
    again = propose(world, case)
    assert list(case.lawsuit_proposals.values_list("status", flat=True)) == ["returned", "pending"]
    assert again.status == "pending"


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("procurator_colleague", "permission_denied"),
        ("supervisor", "permission_denied"),
        ("city_supervisor", "permission_denied"),
        ("agency1_staff", "permission_denied"),
    ],
)
def test_only_the_handler_proposes(world, who, code):
    case = follow_up_case(world)
    with refused(code=code):
        propose(world, case, user=getattr(world, who))


@pytest.mark.parametrize(
    "who", ["procurator", "procurator_colleague", "city_procurator", "other_supervisor", "agency1_staff"]
)
def test_only_a_supervisor_in_the_line_decides(world, who):
    case = follow_up_case(world)
    proposal = propose(world, case)
    with refused(code="permission_denied"):
        services.lawsuit_proposal_approve(user=getattr(world, who), proposal=proposal, today=TODAY)
    with refused(code="permission_denied"):
        services.lawsuit_proposal_return(user=getattr(world, who), proposal=proposal, comment="退回")


def test_a_decided_proposal_is_not_decided_again_and_one_waits_at_a_time(world):
    case = follow_up_case(world)
    proposal = propose(world, case)
    with refused(code="invalid_transition"):
        propose(world, case)
    services.lawsuit_proposal_approve(user=world.supervisor, proposal=proposal, today=TODAY)
    for decide in (
        lambda: services.lawsuit_proposal_approve(user=world.supervisor, proposal=proposal, today=TODAY),
        lambda: services.lawsuit_proposal_return(user=world.supervisor, proposal=proposal, comment="退回"),
    ):
        with refused(code="invalid_transition"):
            decide()


@pytest.mark.parametrize(
    ("evaluations", "why"),
    [
        ((Evaluation.RECTIFIED, Evaluation.ALREADY_PERFORMED), "every item rectified"),
        ((Evaluation.NOT_RECTIFIED,), "an item not evaluated"),
    ],
)
def test_proposing_is_refused_without_grounds(world, evaluations, why):
    case = follow_up_case(world, evaluations)
    with refused(code="invalid_transition"):
        propose(world, case)


@pytest.mark.parametrize("status", [s for s in Case.Status.values if s not in (Case.Status.FOLLOW_UP, "closed")])
def test_proposing_is_refused_outside_follow_up(world, status):
    case = follow_up_case(world)
    Case.objects.filter(pk=case.pk).update(status=status)
    with refused(code="invalid_transition"):
        propose(world, case)


@pytest.mark.parametrize(("overrides", "field"), [({"reasons": "  "}, "reasons"), ({"materials": []}, "materials")])
def test_proposing_needs_reasons_and_the_materials_checklist(world, overrides, field):
    case = follow_up_case(world)
    with refused(field=field):
        propose(world, case, **overrides)
    with refused(field="materials"):
        propose(world, case, materials=["bogus"])


def test_approval_checks_the_grounds_again(world):
    """The case moved meanwhile (say a second recommendation was served): no lawsuit now."""
    case = follow_up_case(world)
    proposal = propose(world, case)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.AWAITING_REPLY)
    with refused(code="invalid_transition"):
        services.lawsuit_proposal_approve(user=world.supervisor, proposal=proposal, today=TODAY)


def test_a_closed_case_refuses_the_decision(world):
    case = follow_up_case(world)
    proposal = propose(world, case)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    with refused(code="case_closed"):
        services.lawsuit_proposal_approve(user=world.supervisor, proposal=proposal, today=TODAY)


# --- Civil and criminal-incidental: after the announcement ----------------------------------------


@pytest.mark.parametrize("case_type", [CaseType.CIVIL, CaseType.CRIMINAL_CIVIL])
def test_nobody_sued_within_the_announcement_so_the_procuratorate_sues(world, case_type):
    # Published 2026-04-01: the 30 days end on 2026-05-01 (a holiday) → 2026-05-06.
    case = announced_case(world, case_type=case_type)
    deadline = Deadline.objects.get(case=case, rule__code=RuleCode.CIVIL_ANNOUNCEMENT)
    assert deadline.due_date == D(2026, 5, 6)
    with refused(code="invalid_transition"):
        services.lawsuit_propose(
            user=world.procurator, case=case, reasons="公告期满", materials=MATERIALS, today=D(2026, 5, 6)
        )
    proposal = services.lawsuit_propose(
        user=world.procurator,
        case=case,
        reasons="公告期满，没有适格主体提起诉讼",
        materials=[Material.COMPLAINT, Material.ANNOUNCEMENT],
        today=D(2026, 5, 7),
    )
    services.lawsuit_proposal_approve(user=world.supervisor, proposal=proposal, today=D(2026, 5, 8))
    case.refresh_from_db()
    deadline.refresh_from_db()
    assert case.status == Case.Status.LITIGATION
    assert (deadline.status, deadline.fulfilled_on) == (Deadline.Status.MET, D(2026, 5, 6))


def test_a_criminal_incidental_lawsuit_names_the_criminal_case_it_is_filed_with(world):
    case = CaseFactory(
        procuratorate=world.district,
        handler=world.procurator,
        case_type=CaseType.CRIMINAL_CIVIL,
        status=Case.Status.LITIGATION,
    )
    with refused(field="criminal_case_number"):
        file_lawsuit(world, case)
    lawsuit = file_lawsuit(world, case, criminal_case_number="(2026)内0602刑初88号")
    assert (lawsuit.criminal_case_number, lawsuit.defendant_agency) == ("(2026)内0602刑初88号", None)
    assert "(2026)内0602刑初88号" in case.events.order_by("id").last().note
    # Other kinds of case have no criminal case.
    civil = file_lawsuit(
        world,
        CaseFactory(
            procuratorate=world.district,
            handler=world.procurator,
            case_type=CaseType.CIVIL,
            status=Case.Status.LITIGATION,
        ),
        criminal_case_number="(2026)内0602刑初89号",
    )
    assert civil.criminal_case_number == ""


def test_another_plaintiff_sued_and_the_procuratorate_supports_it(world):
    case = announced_case(world)
    with refused(field="filed_on"):
        services.plaintiff_suit_record(
            user=world.procurator,
            case=case,
            plaintiff="某环保基金会",
            court="某中级人民法院",
            filed_on=D(2026, 3, 31),
            today=TODAY,
        )
    suit = services.plaintiff_suit_record(
        user=world.procurator,
        case=case,
        plaintiff="中国生物多样性保护与绿色发展基金会",
        court="鄂尔多斯市中级人民法院",
        court_case_number="(2026)内06民初3号",
        filed_on=D(2026, 4, 20),
        today=TODAY,
    )
    deadline = Deadline.objects.get(case=case, rule__code=RuleCode.CIVIL_ANNOUNCEMENT)
    assert (deadline.status, deadline.fulfilled_on) == (Deadline.Status.MET, D(2026, 4, 20))
    # The procuratorate no longer sues itself ...
    with refused(code="invalid_transition"):
        services.lawsuit_propose(user=world.procurator, case=case, reasons="起诉", materials=MATERIALS, today=TODAY)
    # ... it supports the suit, once, then closes the case.
    with refused(field="supported_on"):
        services.plaintiff_suit_support(user=world.procurator, suit=suit, supported_on=D(2026, 4, 19), today=TODAY)
    services.plaintiff_suit_support(
        user=world.procurator, suit=suit, supported_on=D(2026, 5, 10), note="提交支持起诉意见书", today=TODAY
    )
    with refused(code="invalid_transition"):
        services.plaintiff_suit_support(user=world.procurator, suit=suit, supported_on=D(2026, 5, 11), today=TODAY)
    kinds = list(case.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == [Event.Kind.PLAINTIFF_SUIT_RECORDED, Event.Kind.PLAINTIFF_SUIT_RECORDED]
    case_services.case_close(
        user=world.procurator,
        case=case,
        ground=Case.ClosureGround.OTHER_PLAINTIFF,
        note="支持起诉后终结",
        closed_on=D(2026, 5, 12),
        today=TODAY,
    )


def test_another_plaintiff_is_recorded_only_for_a_civil_case_in_announcement(world):
    administrative = follow_up_case(world)
    with refused(code="invalid_transition"):
        services.plaintiff_suit_record(
            user=world.procurator,
            case=administrative,
            plaintiff="某协会",
            court="某法院",
            filed_on=D(2026, 4, 20),
            today=TODAY,
        )
    civil = CaseFactory(procuratorate=world.district, handler=world.procurator, case_type=CaseType.CIVIL)
    with refused(code="invalid_transition"):
        services.plaintiff_suit_record(
            user=world.procurator,
            case=civil,
            plaintiff="某协会",
            court="某法院",
            filed_on=D(2026, 4, 20),
            today=TODAY,
        )
    announced = announced_case(world)
    for user in (world.procurator_colleague, world.supervisor):
        with refused(code="permission_denied"):
            services.plaintiff_suit_record(
                user=user, case=announced, plaintiff="某协会", court="某法院", filed_on=D(2026, 4, 20), today=TODAY
            )
