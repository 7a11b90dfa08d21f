"""The report files, opened and read against the hand-built dataset of conftest.py."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from docx import Document

from pil_tracker.errors import DomainError
from reports.builders.briefing import briefing_data, briefing_document, build_briefing
from reports.builders.congress import build_congress
from reports.builders.statistics import build_statistics
from tests.reports.conftest import START, TODAY
from tests.reports.helpers import docx_tables, docx_text, rows, workbook
from typical_cases.models import TypicalCase

PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


def _numbers(data, *names) -> set[str]:
    return {getattr(data, name).number for name in names}


# --- Joint-meeting briefing ------------------------------------------------------------------------


def test_briefing_sorts_the_agencys_recommendations_into_overdue_pending_rectifying_and_rectified(world, data):
    briefing = briefing_data(user=world.supervisor, agency=world.agency1, start=START, end=TODAY, today=TODAY)
    assert [r.case_number for r in briefing.overdue] == [data.d_overdue.number]
    assert (TODAY - briefing.overdue[0].reply_due).days > 20
    assert [r.case_number for r in briefing.pending_reply] == [data.d_pending.number]
    assert [(r.case_number, r.items_rectified, r.items_total) for r in briefing.rectifying] == [
        (data.d_replied.number, 1, 2)
    ]
    assert [(r.case_number, r.items_rectified, r.last_evaluated_on) for r in briefing.rectified] == [
        (data.d_replied.number, 1, TODAY.replace(day=10))
    ]


def test_briefing_counts_only_what_was_rectified_since_the_start_date(world, data):
    briefing = briefing_data(
        user=world.supervisor, agency=world.agency1, start=TODAY.replace(day=11), end=TODAY, today=TODAY
    )
    assert briefing.rectified == []
    assert len(briefing.overdue) == 1  # pending and overdue are as of today, whatever the period


def test_briefing_document_has_counts_and_case_tables(world, data):
    result = build_briefing(
        user=world.supervisor,
        params={"agency_id": world.agency1.pk, "start": START.isoformat(), "end": TODAY.isoformat()},
        today=TODAY,
    )
    assert result.filename == "联席会议通报-测试区生态环境局-20260630.docx"
    text = docx_text(result.content)
    assert "检察建议办理情况通报" in text
    assert "逾期未书面回复1件，尚在回复期限内1件，已回复尚未整改到位1件" in text
    assert "已整改1件（1项建议事项）" in text
    assert "一、逾期未书面回复的检察建议（1件）" in text
    assert "四、本期已整改的检察建议（1件）" in text
    tables = docx_tables(result.content)
    assert [len(t) - 1 for t in tables] == [1, 1, 1, 1]  # one data row under each header
    overdue = tables[0]
    assert overdue[0] == ["案号", "案件名称", "检察院", "检察建议文号", "送达日期", "回复期限", "逾期天数"]
    assert overdue[1][0] == data.d_overdue.number
    assert overdue[1][4] == "2026-04-03"
    assert tables[3][1][-1] == "1/2"


def test_a_district_supervisors_briefing_holds_no_other_procuratorates_case(world, data):
    text = docx_text(
        build_briefing(
            user=world.supervisor,
            params={"agency_id": world.agency1.pk, "start": START.isoformat(), "end": TODAY.isoformat()},
            today=TODAY,
        ).content
    )
    assert data.c_case.number not in text
    assert data.o_case.number not in text
    assert data.d_agency2.number not in text  # another agency's


def test_the_city_supervisors_briefing_includes_subordinate_cases(world, data):
    briefing = briefing_data(user=world.city_supervisor, agency=world.agency1, start=START, end=TODAY, today=TODAY)
    assert {r.case_number for r in briefing.overdue} == _numbers(data, "d_overdue", "c_case")


def test_briefing_can_name_the_meeting_it_is_for(world, data):
    briefing = briefing_data(
        user=world.supervisor, agency=world.agency1, start=START, end=TODAY, today=TODAY, meeting="2026年第二次联席会议"
    )
    assert "本通报供2026年第二次联席会议使用。" in docx_text(briefing_document(briefing))


# --- Statistical report ----------------------------------------------------------------------------


def _stats(user, **params):
    with translation.override("zh-hans"):
        return workbook(build_statistics(user=user, params=PERIOD | params, today=TODAY).content)


def _key_rows(sheet) -> dict[str, list]:
    table = rows(sheet)
    header = table.index(["指标", "数值", "分子", "分母"])
    return {row[0]: row[1:] for row in table[header + 1 :]}


def test_statistics_key_figures_sheet(world, data):
    book = _stats(world.supervisor)
    assert book.sheetnames == ["主要指标", "按检察院", "按领域", "指标定义"]
    figures = _key_rows(book["主要指标"])
    assert figures["立案数"][0] == 5  # the district's five cases
    assert figures["送达检察建议数"][0] == 4
    assert figures["逾期未回复数"][0] == 2  # d_overdue and d_agency2 (d_pending moved to July)
    assert figures["整改率"] == [0.5, 1, 2]  # item 1 rectified / items 1 and 2 evaluated
    assert book["主要指标"].cell(row=_row_of(book["主要指标"], "整改率"), column=2).number_format == "0.0%"
    on_time = figures["按期回复率"]
    assert on_time[1:] == [1, 3]  # d_replied on time / the three due in June
    assert on_time[0] == pytest.approx(1 / 3)


def _row_of(sheet, label: str) -> int:
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return row[0].row
    raise AssertionError(label)


def _breakdown(sheet) -> tuple[list, list, dict[str, list]]:
    table = rows(sheet)
    return table[0], table[1], {row[0]: row[1:] for row in table[2:]}


def test_statistics_breakdown_by_procuratorate_has_numerator_denominator_and_rate_columns(world, data):
    book = _stats(world.city_supervisor)
    top, sub, body = _breakdown(book["按检察院"])
    assert list(body) == ["测试市人民检察院", "测试区人民检察院", "合计"]
    cases_col = top.index("立案数")
    assert sub[cases_col] == "数值"
    assert [body[name][cases_col - 1] for name in body] == [1, 5, 6]
    rate_col = top.index("整改率")
    assert sub[rate_col : rate_col + 3] == ["分子", "分母", "比率"]
    assert body["测试区人民检察院"][rate_col - 1 : rate_col + 2] == [1, 2, 0.5]
    assert body["测试市人民检察院"][rate_col - 1 : rate_col + 2] == [0, 0, None]


def test_statistics_by_domain_and_definitions(world, data):
    book = _stats(world.supervisor)
    top, _sub, body = _breakdown(book["按领域"])
    assert body["生态环境和资源保护"][top.index("立案数") - 1] == 5
    definitions = rows(book["指标定义"])
    assert definitions[0] == ["代码", "指标", "定义"]
    assert len(definitions) == 12
    assert definitions[6][:2] == ["rectification_rate", "整改率"]
    assert definitions[6][2].startswith("评估为“已整改”的建议事项 / 已评估的建议事项")


def test_a_district_supervisors_statistics_contain_no_other_procuratorate(world, data):
    book = _stats(world.supervisor)
    _top, _sub, body = _breakdown(book["按检察院"])
    assert list(body) == ["测试区人民检察院", "合计"]
    text = str(rows(book["主要指标"]))
    assert "测试市人民检察院" not in text and "外市人民检察院" not in text


def test_statistics_workbook_is_written_in_the_requesters_language(world, data):
    with translation.override("en"):
        result = build_statistics(user=world.supervisor, params=PERIOD, today=TODAY)
        expected = [translation.gettext(name) for name in ("主要指标", "按检察院", "按领域", "指标定义")]
    assert workbook(result.content).sheetnames == expected
    assert result.filename.endswith("-20260101-20260630.xlsx")


# --- Work report for the people's congress -----------------------------------------------------------


def _congress(user, **params):
    result = build_congress(user=user, params=PERIOD | {"case_numbers": []} | params, today=TODAY)
    return result, docx_text(result.content)


def test_congress_report_fills_in_the_numbers(world, data):
    result, text = _congress(world.city_supervisor)
    assert result.filename == "人大工作报告（草稿）-20260101-20260630.docx"
    assert "关于公益诉讼检察工作情况的报告" in text
    assert "测试市人民检察院（含下级人民检察院）公益诉讼检察工作情况报告如下" in text
    assert "立案6件，其中行政公益诉讼6件。" in text
    assert "生态环境和资源保护6件，占100.0%" in text
    assert "送达诉前检察建议5件" in text
    assert "评估建议事项2项，评估为已整改1项，整改率50.0%" in text
    assert "逾期未回复3件" in text
    assert "依法提起公益诉讼0件" in text


def test_congress_report_picks_typical_cases_automatically_from_the_scope(world, data):
    _result, text = _congress(world.supervisor)
    assert "五、典型案例" not in text  # numbering: 一 基本情况 … 四 典型案例
    assert "四、典型案例" in text
    assert "（一）督促整治某湖泊非法排污行政公益诉讼案" in text
    assert "办理结果：行政机关已依法履职，公益得到保护。" in text
    assert "典型意义：本案督促行政机关依法履职，具有示范意义。" in text
    assert "外市某案" not in text


def test_congress_report_quotes_only_published_typical_cases(world, data):
    TypicalCase.objects.filter(case=data.d_closed).update(status=TypicalCase.Status.WITHDRAWN)
    _result, text = _congress(world.supervisor)
    assert "督促整治某湖泊非法排污行政公益诉讼案" not in text
    assert "本期无可列举的典型案例。" in text
    with pytest.raises(DomainError) as info:
        _congress(world.supervisor, case_numbers=[data.d_closed.number])
    assert data.d_closed.number in info.value.message


def test_congress_report_uses_the_typical_cases_named_by_number(world, data):
    _result, text = _congress(world.supervisor, case_numbers=[data.d_closed.number])
    assert "（一）督促整治某湖泊非法排污行政公益诉讼案" in text


def test_congress_report_refuses_a_case_outside_the_scope(world, data):
    with pytest.raises(DomainError) as info:
        _congress(world.supervisor, case_numbers=[data.o_closed.number])
    assert data.o_closed.number in info.value.message


def test_congress_report_annex_lists_every_key_figure(world, data):
    result, _text = _congress(world.supervisor)
    annex = docx_tables(result.content)[-1]
    assert annex[0] == ["指标", "数值", "分子", "分母", "定义"]
    assert len(annex) == 12
    rectification = next(row for row in annex if row[0] == "整改率")
    assert rectification[1:4] == ["50.0%", "1", "2"]  # the rate with one decimal


def test_the_city_briefing_says_it_covers_the_subordinate_procuratorates(world, data):
    params = {"agency_id": world.agency1.pk, "start": START.isoformat(), "end": TODAY.isoformat()}
    city = docx_text(build_briefing(user=world.city_supervisor, params=params, today=TODAY).content)
    assert "测试市人民检察院及下级人民检察院向测试区生态环境局送达的检察建议中，逾期未书面回复2件" in city
    district = docx_text(build_briefing(user=world.supervisor, params=params, today=TODAY).content)
    assert "测试区人民检察院向测试区生态环境局送达的检察建议中" in district


def test_the_congress_report_is_signed_before_its_annex(world, data):
    result, _text = _congress(world.supervisor)
    paragraphs = [p.text for p in Document(io.BytesIO(result.content)).paragraphs if p.text]
    assert paragraphs[-3:] == ["测试区人民检察院", "二〇二六年六月三十日", "附表：主要指标"]
