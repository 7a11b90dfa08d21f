"""Issue 14: each row of the agency's home says what is asked: the recommendation's items (a
lawsuit's claims) and the pending action (acknowledge, reply, answer a request, defend, register,
comply), with the same fixed number of queries (tests/feedback/test_views.py pins it). Not the
case's title: agency staff see no case (docs/domain.md, Who sees what; tests/feedback/test_isolation.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Recommendation
from feedback import selectors, services
from litigation import services as court
from tests.factories import SERVED_ON, CaseFactory, recommendation_at
from tests.feedback.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: DAY)


def _recommendation(world, status, title):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1], title=title)
    return recommendation_at(status, case=case, agency=world.agency1, approver=world.supervisor)


def _row(page: str, recommendation) -> str:
    start = page.index(reverse("agency_recommendation_detail", args=[recommendation.pk]))
    return page[start : page.index("</td>", start)]


def test_rows_show_the_case_title_the_items_and_the_pending_action(client, world):
    to_ack = _recommendation(world, Recommendation.Status.SERVED, "某河道非法采砂案")
    to_reply = _recommendation(world, Recommendation.Status.SERVED, "某镇饮用水源保护案")
    services.acknowledgement_record(
        user=world.agency1_staff, recommendation=to_reply, acknowledged_on=SERVED_ON, today=DAY
    )
    replied = _recommendation(world, Recommendation.Status.REPLIED, "某林地违法占用案")
    asked = _recommendation(world, Recommendation.Status.REPLIED, "某食品安全监管案")
    services.supplement_request_create(
        user=world.procurator, recommendation=asked, text="请补充。", due_on=datetime.date(2026, 5, 25), today=DAY
    )
    client.force_login(world.agency1_staff)
    page = client.get(reverse("agency_home")).content.decode()
    expected = {
        to_ack: ("某河道非法采砂案", "acknowledge", "待签收"),
        to_reply: ("某镇饮用水源保护案", "reply", "待书面回复"),
        replied: ("某林地违法占用案", "rectify", "继续整改并报送"),
        asked: ("某食品安全监管案", "answer_request", "待答复补充说明要求"),
    }
    for recommendation, (title, code, label) in expected.items():
        row = _row(page, recommendation)
        first = recommendation.items.order_by("number").first()
        assert title not in row and f'data-asked="{code}"' in row and label in row, row
        assert first.text[:20] in row and f"建议事项 {recommendation.items.count()} 项" in row


def test_an_evaluated_recommendation_asks_nothing(world):
    evaluated = _recommendation(world, Recommendation.Status.REPLIED, "已评估案")
    evaluated.items.update(evaluation="rectified")
    rows = selectors.agency_home(world.agency1_staff, today=DAY).group("evaluated")
    assert [(r.recommendation, r.asked) for r in rows] == [(evaluated, "")]


def test_a_lawsuit_row_shows_the_case_and_that_a_defence_is_due(client, world):
    case = CaseFactory(
        procuratorate=world.district,
        handler=world.procurator,
        agencies=[world.agency1],
        title="某草原违法开垦案",
        status="litigation",
    )
    lawsuit = court.lawsuit_file(
        user=world.procurator,
        case=case,
        court="测试区人民法院",
        court_case_number="(2026)内0602行初99号",
        filed_on=datetime.date(2026, 5, 1),
        claims="判令被告依法履职。",
        materials=["complaint"],
        defendant_agency=world.agency1,
        today=DAY,
    )
    court.complaint_copy_received(
        user=world.procurator, lawsuit=lawsuit, received_on=datetime.date(2026, 5, 10), today=DAY
    )
    client.force_login(world.agency1_staff)
    page = client.get(reverse("agency_home")).content.decode()
    start = page.index(f'data-lawsuit="{lawsuit.pk}"')
    row = page[start : page.index("</td>", start)]
    assert "某草原违法开垦案" not in row and "判令被告依法履职。" in row
    assert 'data-asked="defend"' in row and "待提交答辩状" in row
