"""Every list costs a fixed number of queries whatever the page size (no query inside a
loop over rows). Each count below is pinned at two page sizes, with the queries named."""

from __future__ import annotations

import datetime

import pytest

from cases import services as case_services
from cases.models import Recommendation
from deadlines import services as deadline_services
from deadlines.engine import DaySpec
from feedback import services as feedback_services
from feedback.models import FeedbackReport
from litigation import services as litigation_services
from litigation.models import Hearing
from tests.api.conftest import DAY, answers, file_lawsuit, judge, litigation_case, pdf
from tests.factories import CaseFactory, LeadFactory, recommendation_at

AUTH = 1  # the token with its user

# resource → (user, queries): auth + count + page + one per prefetched relation.
PINNED = {
    "procuratorates": ("city_supervisor", AUTH + 1 + 2),  # + the supervisor's organisation (tree path)
    "agencies": ("procurator", AUTH + 2),
    "domains": ("agency1", AUTH + 2),
    "leads": ("procurator", AUTH + 2),  # procuratorate, domain, agency, users, case: joined
    "cases": ("procurator", AUTH + 2 + 1),  # + agencies; next due date: subqueries in the page query
    # + items, + supplement requests (with who asked), + completion proposals (with item and decider);
    # agency, case, people, acknowledgement: joined
    "recommendations": ("procurator", AUTH + 2 + 3),
    "feedback": ("agency1", AUTH + 2 + 2),  # + answers with their items, + attachments
    "lawsuits": ("agency1", AUTH + 2),
    "hearings": ("procurator", AUTH + 2),
    "rulings": ("procurator", AUTH + 2),
    "deadlines": ("agency1", AUTH + 2),  # rule: joined
    "notifications": ("procurator", AUTH + 2),
    "holidays": ("procurator", AUTH + 2 + 1),  # + days
    "attachments": ("procurator", AUTH + 2),  # uploader: joined
    "feedback-attachments": ("agency1", AUTH + 2),
    "litigation-files": ("procurator", AUTH + 2),  # uploader: joined
}


@pytest.fixture
def many(scenario, world, boss):
    """Several rows of every resource in the users' scope, so a page of 1 and a page of 50 differ."""
    for n in range(3):
        LeadFactory(procuratorate=world.district, registered_by=world.procurator)
        case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
        recommendation = recommendation_at(
            Recommendation.Status.SERVED, case=case, agency=world.agency1, approver=world.supervisor
        )
        report = feedback_services.feedback_draft_create(
            user=boss,
            recommendation=recommendation,
            kind=FeedbackReport.Kind.INTERIM,
            summary="进展",
            answers=answers(recommendation),
            uploads=[pdf()],
            today=DAY,
        )
        feedback_services.feedback_submit(user=boss, report=report, today=DAY)
        feedback_services.supplement_request_create(
            user=world.procurator,
            recommendation=recommendation,
            text="请补充照片。",
            due_on=DAY.replace(day=30),
            today=DAY,
        )
        case_services.attachment_add(user=world.procurator, case=case, upload=pdf())
        lawsuit = file_lawsuit(litigation_case(world.district, world.procurator, world.agency1), world.agency1)
        ruling = judge(lawsuit)
        litigation_services.lawsuit_material_add(user=world.procurator, lawsuit=lawsuit, upload=pdf())
        litigation_services.ruling_document_add(user=world.procurator, ruling=ruling, upload=pdf())
        deadline_services.holiday_year_load(
            year=2040 + n, days=[DaySpec(date=datetime.date(2040 + n, 1, 2), is_rest_day=True)], source="t"
        )
    assert Hearing.objects.count() >= 4
    return scenario


@pytest.mark.parametrize("resource", sorted(PINNED))
@pytest.mark.parametrize("page_size", [1, 50])
def test_a_list_page_costs_a_fixed_number_of_queries(resource, page_size, many, api, django_assert_num_queries):
    name, queries = PINNED[resource]
    client = api(many.users[name])
    with django_assert_num_queries(queries):
        response = client.get(f"/api/v1/{resource}/?page_size={page_size}")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 2, "the page sizes must make a difference"
    assert len(body["results"]) == min(page_size, body["count"])
