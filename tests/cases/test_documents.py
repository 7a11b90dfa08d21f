"""The recommendation as a .docx (检察建议书), read back with python-docx."""

from __future__ import annotations

import datetime
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from cases.documents import DOCX_CONTENT_TYPE, chinese_date, chinese_number, recommendation_document
from cases.models import Recommendation
from tests.factories import CaseFactory, advance_recommendation, draft_recommendation

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九"), (100, "一百"),
     (105, "一百零五"), (110, "一百一十"), (123, "一百二十三")],
)  # fmt: skip
def test_chinese_number(n, text):
    assert chinese_number(n) == text


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2026, 9, 20), "二〇二六年九月二十日"),
        (datetime.date(2026, 10, 1), "二〇二六年十月一日"),
        (datetime.date(2027, 12, 31), "二〇二七年十二月三十一日"),
        (datetime.date(2030, 1, 10), "二〇三〇年一月十日"),
    ],
)
def test_chinese_date(day, text):
    assert chinese_date(day) == text


@pytest.fixture
def case(world):
    return CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])


def paragraphs(content: bytes):
    return [p for p in Document(io.BytesIO(content)).paragraphs if p.text.strip()]


def texts(content: bytes) -> list[str]:
    return [p.text for p in paragraphs(content)]


def east_asian_font(paragraph) -> str | None:
    return paragraph.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_draft_document_layout(world, case):
    recommendation = draft_recommendation(case, world.agency1, items=["依法查处非法采砂行为", "对受损河床进行生态修复"])
    content = recommendation_document(recommendation)
    paras = paragraphs(content)
    lines = [p.text for p in paras]

    assert lines[0] == "测试区人民检察院"
    assert lines[1] == "检察建议书"
    assert lines[2] == "（草稿）"
    assert lines[3] == "测试区生态环境局："
    assert [p.alignment for p in paras[:3]] == [
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.RIGHT,
    ]
    assert east_asian_font(paras[0]) == "方正小标宋简体"
    assert east_asian_font(paras[1]) == "方正小标宋简体"
    assert east_asian_font(paras[4]) == "仿宋_GB2312"

    # Body: the facts, the legal ground, the numbered items, the reply requirement.
    body = lines[4:]
    assert body[:4] == [
        "群众举报",
        "河床遭到破坏，影响防洪安全。",
        "行政机关未依法查处。",
        "《中华人民共和国水法》第三十九条",
    ]
    assert body[4].startswith("根据《中华人民共和国行政诉讼法》第二十五条第四款")
    assert body[4].endswith("向你单位提出如下检察建议：")
    assert body[5:7] == ["一、依法查处非法采砂行为。", "二、对受损河床进行生态修复。"]
    assert body[7] == "整改期限：收到本建议书之日起两个月内。"
    assert body[8] == "请你单位在收到本检察建议书之日起两个月内将办理情况书面回复本院。"
    assert paras[4].paragraph_format.first_line_indent is not None

    # Signature: the procuratorate and a blank date, right-aligned.
    assert lines[-2:] == ["测试区人民检察院", "年　　月　　日"]
    assert {p.alignment for p in paras[-2:]} == {WD_ALIGN_PARAGRAPH.RIGHT}


def test_issued_document_has_number_date_and_urgent_period(world, case):
    recommendation = draft_recommendation(case, world.agency1, items=[f"事项{i}" for i in range(1, 12)])
    Recommendation.objects.filter(pk=recommendation.pk).update(
        urgency=Recommendation.Urgency.URGENT, remarks="联系人：王某\n联系电话：0477-0000000"
    )
    recommendation = advance_recommendation(recommendation, to=Recommendation.Status.ISSUED, approver=world.supervisor)
    lines = texts(recommendation_document(recommendation))
    assert lines[2] == "测区检行公建〔2026〕1号"
    assert "十一、事项11。" in lines
    assert "请你单位在收到本检察建议书之日起十五日内将办理情况书面回复本院。" in lines
    assert lines[-4:-2] == ["联系人：王某", "联系电话：0477-0000000"]
    assert lines[-1] == "二〇二六年四月二日"


def test_docx_download(client, world, case):
    recommendation = draft_recommendation(case, world.agency1)
    client.force_login(world.supervisor)
    response = client.get(reverse("recommendation_docx", args=[recommendation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert response["X-Content-Type-Options"] == "nosniff"
    assert unquote(response["Content-Disposition"].split("''", 1)[1]) == "检察建议书-草稿.docx"
    assert texts(response.content)[1] == "检察建议书"

    # The addressed agency reads it once issued; another agency never.
    client.force_login(world.agency1_staff)
    assert client.get(reverse("recommendation_docx", args=[recommendation.pk])).status_code == 404
    advance_recommendation(recommendation, to=Recommendation.Status.ISSUED, approver=world.supervisor)
    response = client.get(reverse("recommendation_docx", args=[recommendation.pk]))
    assert response.status_code == 200
    assert texts(response.content)[2] == "测区检行公建〔2026〕1号"
    client.force_login(world.agency2_staff)
    assert client.get(reverse("recommendation_docx", args=[recommendation.pk])).status_code == 404
