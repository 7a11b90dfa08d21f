"""Helpers for the deadline tests: served recommendations and deadlines with a chosen due date."""

from __future__ import annotations

import datetime
import itertools

import pytest

from agencies.models import Region
from cases.models import Recommendation
from deadlines.models import Deadline, DeadlineRule, RuleCode
from deadlines.services import deadlines_refresh_next_due
from tests.factories import CaseFactory, RecommendationFactory

_numbers = itertools.count(1)


def issued_recommendation(world, *, urgency: str = Recommendation.Urgency.NORMAL, issued_on=None) -> Recommendation:
    """A recommendation of a district case handled by world.procurator, issued to agency1."""
    case = CaseFactory(
        procuratorate=world.district,
        handler=world.procurator,
        agencies=[world.agency1],
        status="recommendation",
    )
    return RecommendationFactory(
        case=case,
        agency=world.agency1,
        urgency=urgency,
        status=Recommendation.Status.ISSUED,
        document_number=f"测区检行公建〔2026〕{next(_numbers)}号",
        issued_on=issued_on or datetime.date(2026, 6, 1),
        issued_by=world.procurator,
    )


def deadline_due(
    world, due: datetime.date, *, rule: str = RuleCode.REPLY, case=None, status=Deadline.Status.OPEN
) -> Deadline:
    """An open deadline of a served recommendation, due on `due` (set directly, not computed); its
    agency is the recommendation's when the rule binds the agency, as the services set it."""
    recommendation = issued_recommendation(world)
    Recommendation.objects.filter(pk=recommendation.pk).update(
        status=Recommendation.Status.SERVED, served_on=due - datetime.timedelta(days=15)
    )
    if case is not None:
        Recommendation.objects.filter(pk=recommendation.pk).update(case=case, procuratorate_id=case.procuratorate_id)
    rule_obj = DeadlineRule.objects.get(code=rule)
    deadline = Deadline.objects.create(
        case=case or recommendation.case,
        recommendation=recommendation,
        agency=recommendation.agency if rule_obj.obligor == DeadlineRule.Obligor.AGENCY else None,
        rule=rule_obj,
        start_date=due - datetime.timedelta(days=15),
        period_value=rule_obj.period_value,
        period_unit=rule_obj.period_unit,
        due_date=due,
        status=status,
        explanation="",
    )
    # Written directly, not by a service: the case's kept next due date is refreshed as a service would.
    deadlines_refresh_next_due(case_ids=[deadline.case_id])
    return deadline


@pytest.fixture
def regions(world):
    """The district procuratorate sits in a district region under the city's, the commission in the
    city region; an unrelated commission elsewhere must not hear of the district's escalations."""
    city = Region.objects.create(name="测试市", code="159000")
    district = Region.objects.create(name="测试区", code="159001", parent=city)
    world.city.region = city
    world.city.save()
    world.district.region = district
    world.district.save()
    world.commission.region = city
    world.commission.save()
    return city, district


@pytest.fixture
def seeded(transactional_db):
    """The rows the data migrations seed (domains, deadline rules, the holiday calendar), again.

    A transactional test starts after other transactional tests may have flushed every table; it
    re-runs the (idempotent) seeds rather than use serialized_rollback, which clashes with the
    content types that a flush without it re-creates.
    """
    import importlib

    from django.apps import apps

    for module in (
        "cases.migrations.0002_seed_domains",
        "deadlines.migrations.0002_seed_rules",
        "deadlines.migrations.0003_seed_calendar",
    ):
        importlib.import_module(module).seed(apps, None)
