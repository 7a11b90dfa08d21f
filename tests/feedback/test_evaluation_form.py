"""Issue 14: the evaluation form (评估整改情况) shows, beside each item's grading, what the agency
answered on that item and the files of that report; the review page's 评估整改情况 opens the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback import services
from feedback.models import FeedbackReport, ItemAnswer
from tests.feedback.conftest import DAY, answers_for, draft, pdf_file

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def replied(world, served, boss):
    """agency1's final report with a file, one item rectified, the others still rectifying."""
    answers = answers_for(served)
    first, *rest = answers
    rest = [
        services.AnswerInput(item_id=a.item_id, status=ItemAnswer.Status.RECTIFYING, measures=f"措施{i}正在推进。")
        for i, a in enumerate(rest, start=2)
    ]
    report = draft(
        world.agency1_staff,
        served,
        kind=FeedbackReport.Kind.FINAL,
        answers=[first, *rest],
        uploads=[pdf_file("整改照片说明.pdf")],
    )
    services.feedback_submit(user=boss, report=report, today=DAY)
    served.refresh_from_db()
    return served


def _section(page: str, item) -> str:
    start = page.index(f'data-item-answers="{item.pk}"')
    return page[start : page.index('name="', start)]  # up to the item's grading control


def test_the_evaluation_form_shows_each_items_answer_and_files_beside_its_grading(client, world, replied):
    client.force_login(world.procurator)
    page = client.get(reverse("recommendation_evaluate", args=[replied.pk])).content.decode()
    items = list(replied.items.order_by("number"))
    assert len(items) >= 2
    first = _section(page, items[0])
    assert "已整改" in first and "第1项已采取措施。" in first and "整改照片说明.pdf" in first
    second = _section(page, items[1])
    assert "正在整改" in second and "措施2正在推进。" in second and "第1项已采取措施。" not in second
    attachment = replied.feedback_reports.get().attachments.get()
    assert reverse("feedback_attachment_download", args=[attachment.pk]) in first


def test_an_item_without_an_answer_says_so(client, world, served):
    from cases.models import Recommendation

    Recommendation.objects.filter(pk=served.pk).update(status=Recommendation.Status.REPLIED)
    client.force_login(world.procurator)
    page = client.get(reverse("recommendation_evaluate", args=[served.pk])).content.decode()
    assert page.count("行政机关未就此项作出答复。") == served.items.count()


def test_the_review_pages_evaluate_button_opens_the_evaluation_form(client, world, replied):
    client.force_login(world.procurator)
    review = client.get(reverse("feedback_recommendation_review", args=[replied.pk])).content.decode()
    evaluate = reverse("recommendation_evaluate", args=[replied.pk])
    assert f'href="{evaluate}">评估整改情况' in review
    assert client.get(evaluate).status_code == 200


def test_the_review_page_offers_no_evaluation_before_the_reply(client, world, served):
    client.force_login(world.procurator)
    review = client.get(reverse("feedback_recommendation_review", args=[served.pk])).content.decode()
    assert reverse("recommendation_evaluate", args=[served.pk]) not in review
