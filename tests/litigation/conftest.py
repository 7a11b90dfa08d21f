"""Helpers for the litigation tests: a district case in litigation, lawsuits and rulings driven
through the services with fixed dates, and `refused` that also watches the litigation tables."""

from __future__ import annotations

import contextlib
import datetime

import pytest

from cases import services as case_services
from cases.models import Case, CaseType, Recommendation, RecommendationItem
from deadlines.models import Deadline
from litigation import services
from litigation.models import Hearing, Lawsuit, LawsuitProposal, LitigationFile, Material, PlaintiffSuit, Ruling
from pil_tracker.errors import DomainError
from tests.factories import CaseFactory, db_state, recommendation_at

D = datetime.date
TODAY = D(2026, 12, 31)  # every service call passes today=TODAY
FILED_ON = D(2026, 6, 1)


def litigation_case(world, *, case_type: str = CaseType.ADMINISTRATIVE) -> Case:
    """A district case handled by world.procurator, already in 提起诉讼, concerning agency1."""
    return CaseFactory(
        procuratorate=world.district,
        handler=world.procurator,
        agencies=[world.agency1],
        case_type=case_type,
        status=Case.Status.LITIGATION,
    )


Evaluation = RecommendationItem.Evaluation
MATERIALS = [Material.COMPLAINT, Material.EVIDENCE, Material.RECOMMENDATION]


def follow_up_case(world, evaluations=(Evaluation.NOT_RECTIFIED, Evaluation.RECTIFIED)) -> Case:
    """A district case in follow-up whose replied recommendation to agency1 was evaluated so."""
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    recommendation = recommendation_at(Recommendation.Status.REPLIED, case=case, agency=world.agency1)
    for item, evaluation in zip(recommendation.items.order_by("number"), evaluations, strict=False):
        case_services.item_evaluate(user=world.procurator, item=item, evaluation=evaluation, note="未整改到位")
    case.refresh_from_db()
    return case


def propose(world, case, **overrides) -> LawsuitProposal:
    kwargs = {"user": world.procurator, "case": case, "reasons": "逾期未整改，依法提起诉讼", "materials": MATERIALS}
    return services.lawsuit_propose(**(kwargs | overrides), today=TODAY)


def approved_case(world) -> Case:
    """follow_up_case, its lawsuit approved by the district supervisor: in 提起诉讼, with a
    recommendation to agency1 that the lawsuit follows."""
    case = follow_up_case(world)
    services.lawsuit_proposal_approve(user=world.supervisor, proposal=propose(world, case), today=TODAY)
    case.refresh_from_db()
    return case


_numbers = iter(range(1, 10**6))


def file_lawsuit(world, case: Case | None = None, **overrides) -> Lawsuit:
    case = case or litigation_case(world)
    kwargs = {
        "user": case.handler,
        "case": case,
        "court": "测试区人民法院",
        "court_case_number": f"(2026)内0602行初{next(_numbers)}号",
        "filed_on": FILED_ON,
        "claims": "确认被告未依法履行监管职责违法；判令被告依法履职。",
        "materials": [Material.COMPLAINT, Material.EVIDENCE],
        "today": TODAY,
    }
    if case.case_type == CaseType.ADMINISTRATIVE:
        kwargs["defendant_agency"] = world.agency1
    else:
        kwargs["defendant_name"] = "某砂石有限公司"
    return services.lawsuit_file(**(kwargs | overrides))


def first_ruling(lawsuit: Lawsuit, **overrides) -> Ruling:
    """A first-instance judgment ordering performance, served on 2026-07-01 (window until 07-16)."""
    kwargs = {
        "user": lawsuit.case.handler,
        "lawsuit": lawsuit,
        "instance": Ruling.Instance.FIRST,
        "kind": Ruling.Kind.JUDGMENT,
        "outcome": Ruling.Outcome.ORDER_PERFORMANCE,
        "decided_on": D(2026, 6, 28),
        "served_on": D(2026, 7, 1),
        "ordered_action": "被告于判决生效后两个月内依法查处非法采砂行为。",
        "compliance_due_on": D(2026, 9, 30),
        "today": TODAY,
    }
    return services.ruling_record(**(kwargs | overrides))


def effective_ruling(lawsuit: Lawsuit) -> Ruling:
    ruling = first_ruling(lawsuit)
    return services.ruling_take_effect(
        user=lawsuit.case.handler, ruling=ruling, effective_on=D(2026, 7, 17), today=TODAY
    )


def full_state() -> dict:
    state = db_state()
    for model in (Lawsuit, Hearing, Ruling, Deadline, LawsuitProposal, PlaintiffSuit, LitigationFile):
        state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state


@contextlib.contextmanager
def refused(*, field: str | None = None, code: str = "invalid"):
    """Expect a DomainError with this field and code, and every table exactly as before."""
    before = full_state()
    with pytest.raises(DomainError) as info:
        yield info
    assert (info.value.field, info.value.code) == (field, code), info.value.message
    assert full_state() == before
