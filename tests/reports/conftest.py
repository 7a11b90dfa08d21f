"""A small hand-built dataset for the report tests, and Celery run in-process.

As of TODAY (2026-06-30), with recommendations served on 2026-04-03 (reply due early June):

district (测试区, under the city):
  d_overdue   case → agency1, served, reply deadline passed                 (overdue)
  d_pending   case → agency1, served, reply deadline moved to 2026-07-15    (pending reply)
  d_replied   case → agency1, replied on 05-20; item 1 evaluated rectified on 06-10,
              item 2 partly on 06-12                                         (rectifying; rectified in period)
  d_agency2   case → agency2, served                                         (another agency)
  d_closed    case closed 06-20 as rectified, no recommendation               (a published typical case)
city:         c_case → agency1, served                                        (city only)
other:        o_case → agency1, served; o_closed closed 06-20, published      (nobody here sees it)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from cases.models import Case, Recommendation, RecommendationItem
from deadlines.models import Deadline, RuleCode
from pil_tracker.celery import app
from tests.factories import CaseFactory, recommendation_at
from tests.typical_cases.helpers import published_typical

D = datetime.date
TODAY = D(2026, 6, 30)
START = D(2026, 6, 1)  # "since the last joint meeting"


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks run in the test's own process when enqueued (on commit); test_worker.py uses Redis."""
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, False
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@dataclass
class Data:
    d_overdue: Case
    d_pending: Case
    d_replied: Case
    d_agency2: Case
    d_closed: Case
    c_case: Case
    o_case: Case
    o_closed: Case


def _at(day: D) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _served_case(world, procuratorate, handler, agency, status: str = Recommendation.Status.SERVED) -> Case:
    case = CaseFactory(procuratorate=procuratorate, handler=handler, agencies=[agency])
    recommendation_at(status, case=case, agency=agency)
    case.refresh_from_db()
    return case


@pytest.fixture
def data(world) -> Data:
    district, p = world.district, world.procurator
    d_overdue = _served_case(world, district, p, world.agency1)
    d_pending = _served_case(world, district, p, world.agency1)
    Deadline.objects.filter(recommendation__case=d_pending, rule__code=RuleCode.REPLY).update(due_date=D(2026, 7, 15))
    d_replied = _served_case(world, district, p, world.agency1, Recommendation.Status.REPLIED)
    items = RecommendationItem.objects.filter(recommendation__case=d_replied).order_by("number")
    items.filter(number=1).update(evaluation="rectified", evaluated_by=p, evaluated_at=_at(D(2026, 6, 10)))
    items.filter(number=2).update(evaluation="partly", evaluated_by=p, evaluated_at=_at(D(2026, 6, 12)))
    d_agency2 = _served_case(world, district, p, world.agency2)
    d_closed = CaseFactory(
        procuratorate=district,
        handler=p,
        title="督促整治某湖泊非法排污行政公益诉讼案",
        summary="某湖泊周边企业长期违法排污，经检察建议督促，生态环境局依法查处并完成整治。",
        status=Case.Status.CLOSED,
        closure_ground=Case.ClosureGround.RECTIFIED,
        closed_on=D(2026, 6, 20),
    )
    c_case = _served_case(world, world.city, world.city_procurator, world.agency1)
    o_case = _served_case(world, world.other, world.other_procurator, world.agency1)
    o_closed = CaseFactory(
        procuratorate=world.other,
        handler=world.other_procurator,
        title="外市某案",
        status=Case.Status.CLOSED,
        closure_ground=Case.ClosureGround.RECTIFIED,
        closed_on=D(2026, 6, 20),
    )
    published_typical(d_closed)
    published_typical(o_closed)
    return Data(d_overdue, d_pending, d_replied, d_agency2, d_closed, c_case, o_case, o_closed)
