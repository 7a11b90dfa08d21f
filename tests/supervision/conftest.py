"""Fixtures of the supervision tests: a district recommendation served on agency1 whose reply is
overdue and escalated by the deadline scan, with a submitted interim report of the agency, and a
case that carries confidential values the liaison must never see."""

from __future__ import annotations

import datetime

import pytest

from agencies.models import Region
from cases.models import Attachment, Recommendation
from deadlines.models import Deadline, DeadlineAlert, RuleCode
from deadlines.services import deadlines_scan
from feedback import services as feedback_services
from storage.services import store_file
from tests.factories import CaseFactory, LeadFactory, recommendation_at
from tests.feedback.conftest import answers_for, pdf_file

# Markers of what the liaison must never see: if one shows up in a page or an answer, it leaked.
SECRET_NOTE = "内部备注-绝密甲"
SECRET_REPORTER = "举报人-李秘密"
SECRET_SOURCE = "来源说明-内线乙"
SECRET_ATTACHMENT = "案件附件-丙.pdf"
SECRETS = (SECRET_NOTE, SECRET_REPORTER, SECRET_SOURCE, SECRET_ATTACHMENT)


@pytest.fixture
def regions(world):
    """District procuratorate in a district region under the city region; the commission in the city."""
    city = Region.objects.create(name="测试市", code="159000")
    district = Region.objects.create(name="测试区", code="159001", parent=city)
    for org, region in ((world.city, city), (world.district, district), (world.commission, city)):
        org.region = region
        org.save()
    return city, district


@pytest.fixture
def served(world, regions) -> Recommendation:
    lead = LeadFactory(
        procuratorate=world.district,
        reporter_name=SECRET_REPORTER,
        source_detail=SECRET_SOURCE,
        registered_by=world.procurator,
    )
    case = CaseFactory(
        procuratorate=world.district,
        handler=world.procurator,
        agencies=[world.agency1],
        lead=lead,
        internal_notes=SECRET_NOTE,
    )
    store_file(Attachment(case=case, description="内部材料"), pdf_file(SECRET_ATTACHMENT), user=world.procurator)
    return recommendation_at(Recommendation.Status.SERVED, case=case, agency=world.agency1, approver=world.supervisor)


@pytest.fixture
def report(world, served):
    """agency1's submitted interim report, with one evidence file."""
    from tests.factories import UserFactory

    boss = UserFactory(
        username="agency1_boss", organisation=world.agency1, role="agency_staff", is_responsible_person=True
    )
    draft = feedback_services.feedback_draft_create(
        user=boss,
        recommendation=served,
        kind="interim",
        summary="已成立专班整改。",
        answers=answers_for(served),
        responsible_person_name="王局长",
        responsible_person_title="局长",
        uploads=[pdf_file("整改照片.pdf")],
        today=datetime.date(2026, 5, 15),
    )
    return feedback_services.feedback_submit(user=boss, report=draft, today=datetime.date(2026, 5, 15))


def reply_deadline(recommendation: Recommendation) -> Deadline:
    return Deadline.objects.get(recommendation=recommendation, rule__code=RuleCode.REPLY)


@pytest.fixture
def today(served) -> datetime.date:
    """Fifteen days after the reply deadline: the day the scan escalates."""
    return reply_deadline(served).due_date + datetime.timedelta(days=15)


@pytest.fixture
def escalation(served, today) -> DeadlineAlert:
    deadlines_scan(today=today)
    return DeadlineAlert.objects.get(deadline=reply_deadline(served), level=DeadlineAlert.ESCALATED)
