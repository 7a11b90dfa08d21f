"""Closing a case (issue 14): the close page lists the open deadlines the closing cancels, with
their obligor and due date, and asks for confirmation; the procuratorate's filing with the higher
procuratorate is not cancelled with the case but stays open until recorded. The API does the same.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases import services
from cases.models import Case, Recommendation, RecommendationItem
from deadlines.models import Deadline, RuleCode
from deadlines.services import deadline_rectification_agree
from tests.factories import TODAY, db_state, recommendation_at, refused

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

D = datetime.date
CLOSE_DATA = {"ground": Case.ClosureGround.RECTIFIED, "closed_on": "2026-06-30", "note": ""}


@pytest.fixture
def closable(world) -> tuple[Case, Recommendation]:
    """A case ready to close: its recommendation replied and evaluated, the filing with the higher
    procuratorate never recorded (open), and an agreed rectification date still running (open,
    the agency's)."""
    from tests.factories import CaseFactory

    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    recommendation = recommendation_at(Recommendation.Status.REPLIED, case=case, agency=world.agency1)
    for item in recommendation.items.all():
        services.item_evaluate(
            user=world.procurator, item=item, evaluation=RecommendationItem.Evaluation.RECTIFIED, note=""
        )
    deadline_rectification_agree(recommendation=recommendation, agreed_on=D(2026, 9, 30), today=TODAY)
    case.refresh_from_db()
    return case, recommendation


def open_rules(case: Case) -> set[str]:
    return set(Deadline.objects.filter(case=case, status=Deadline.Status.OPEN).values_list("rule__code", flat=True))


def test_the_fixture_has_one_deadline_to_cancel_and_the_filing(closable):
    case, _ = closable
    assert open_rules(case) == {RuleCode.FILING, RuleCode.RECTIFICATION_AGREED}


def test_the_close_page_lists_what_closing_cancels_and_what_stays(client, world, closable):
    case, _ = closable
    client.force_login(world.procurator)
    page = client.get(reverse("case_close", args=[case.pk])).content.decode()
    cancels = page[page.index('id="close-cancels"') : page.index('id="close-keeps"')]
    assert "整改完成期限（经检察院同意）" in cancels  # the label
    assert world.agency1.name in cancels  # the obligor
    assert "2026-09-30" in cancels  # the due date
    assert "检察建议报上一级检察院备案" not in cancels
    keeps = page[page.index('id="close-keeps"') :]
    assert "检察建议报上一级检察院备案" in keeps
    assert 'name="confirmed"' in page
    assert "撤销上列 1 项期限" in page


def test_closing_without_confirmation_is_refused_and_changes_nothing(client, world, closable):
    case, _ = closable
    client.force_login(world.procurator)
    before = db_state()
    response = client.post(reverse("case_close", args=[case.pk]), CLOSE_DATA)
    assert response.status_code == 200
    assert "请勾选确认后再终结案件。" in response.content.decode()
    assert db_state() == before
    assert open_rules(case) == {RuleCode.FILING, RuleCode.RECTIFICATION_AGREED}


def test_confirmed_closing_cancels_the_listed_deadlines_and_keeps_the_filing(client, world, closable):
    case, recommendation = closable
    client.force_login(world.procurator)
    response = client.post(reverse("case_close", args=[case.pk]), CLOSE_DATA | {"confirmed": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    statuses = dict(Deadline.objects.filter(case=case).values_list("rule__code", "status"))
    assert statuses[RuleCode.RECTIFICATION_AGREED] == Deadline.Status.CANCELLED
    assert statuses[RuleCode.FILING] == Deadline.Status.OPEN
    # Still the case's next deadline (the case list, the reminders).
    assert case.next_due_date == Deadline.objects.get(case=case, rule__code=RuleCode.FILING).due_date

    # The filing can still be recorded on the closed case, from the recommendation page.
    detail = client.get(reverse("recommendation_detail", args=[recommendation.pk])).content.decode()
    assert reverse("recommendation_file", args=[recommendation.pk]) in detail
    response = client.post(reverse("recommendation_file", args=[recommendation.pk]), {"filed_on": "2026-06-30"})
    assert response.status_code == 302
    filing = Deadline.objects.get(case=case, rule__code=RuleCode.FILING)
    assert (filing.status, filing.fulfilled_on) == (Deadline.Status.LATE, D(2026, 6, 30))
    case.refresh_from_db()
    assert case.next_due_date is None


def test_a_colleague_not_on_the_closed_case_may_not_record_the_filing(client, world, closable):
    case, recommendation = closable
    services.case_close(user=world.procurator, case=case, ground=Case.ClosureGround.RECTIFIED, note="", closed_on=TODAY)
    client.force_login(world.procurator_colleague)
    before = db_state()
    response = client.post(reverse("recommendation_file", args=[recommendation.pk]), {"filed_on": "2026-06-30"})
    assert response.status_code == 302  # told the case is closed, nothing done
    assert db_state() == before


def test_the_service_refuses_an_unconfirmed_close_only_when_something_would_be_cancelled(world, closable):
    case, _ = closable
    with refused(field="confirmed", code="confirmation_required"):
        services.case_close(
            user=world.procurator, case=case, ground="rectified", note="", closed_on=TODAY, confirmed=False
        )
    # Once only the filing is open, nothing would be cancelled: no question to ask.
    Deadline.objects.filter(case=case, rule__code=RuleCode.RECTIFICATION_AGREED).update(
        status=Deadline.Status.MET, fulfilled_on=TODAY
    )
    services.case_close(user=world.procurator, case=case, ground="rectified", note="", closed_on=TODAY, confirmed=False)
    assert open_rules(case) == {RuleCode.FILING}


def test_the_api_close_asks_for_confirmation_and_keeps_the_filing(world, closable):
    case, _ = closable
    api = APIClient()
    api.force_authenticate(world.procurator)
    url = f"/api/v1/cases/{case.pk}/close/"
    body = {"ground": "rectified", "closed_on": "2026-06-30"}
    refused_answer = api.post(url, body, format="json")
    assert refused_answer.status_code == 400
    assert refused_answer.json()["code"] == "confirmation_required"
    assert "confirmed" in refused_answer.json()["fields"]
    case.refresh_from_db()
    assert case.status != Case.Status.CLOSED

    closed = api.post(url, body | {"confirmed": True}, format="json")
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == Case.Status.CLOSED
    still_open = api.get(f"/api/v1/deadlines/?case={case.pk}&status=open").json()["results"]
    assert [d["rule"] for d in still_open] == [RuleCode.FILING]
