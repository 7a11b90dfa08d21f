"""A feedback report as a Word document: the agency's written reply (书面回复) or progress report,
item by item, as the agency prints, signs and seals it, or as the procuratorate files it.

The text is the document itself, so it is in Chinese whatever the interface language.
"""

from __future__ import annotations

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from feedback.models import FeedbackReport

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"


def _font(run, name: str, size: int) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def _paragraph(document, text: str, *, bold: bool = False, align=None, indent: bool = True):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    run = paragraph.add_run(text)
    run.bold = bold
    _font(run, BODY_FONT, 16)
    return paragraph


def report_docx(report: FeedbackReport, detail: dict) -> Document:
    recommendation = report.recommendation
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"关于{recommendation.document_number or ''}检察建议的{report.get_kind_display()}")
    _font(run, TITLE_FONT, 22)
    if report.is_draft:
        _paragraph(document, "（草稿，未正式提交）", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, f"{recommendation.case.procuratorate.name}：", indent=False)
    _paragraph(document, report.summary)
    for answer in detail["answers"]:
        _paragraph(document, f"{answer.item.number}. {answer.item.text}", bold=True)
        _paragraph(document, f"整改情况：{answer.get_status_display()}")
        _paragraph(document, f"已采取的措施及成效：{answer.measures}")
        if answer.reason:
            _paragraph(document, f"客观原因：{answer.reason}")
        if answer.proposed_completion_on:
            _paragraph(document, f"拟完成整改日期：{answer.proposed_completion_on:%Y年%m月%d日}")
    if detail["attachments"]:
        _paragraph(document, "附件：", indent=False)
        for number, attachment in enumerate(detail["attachments"], 1):
            _paragraph(document, f"{number}. {attachment.original_name}")
    right = WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(document, recommendation.agency.name, align=right, indent=False)
    person = " ".join(p for p in (report.responsible_person_title, report.responsible_person_name) if p)
    if person:
        _paragraph(document, f"负责人：{person}", align=right, indent=False)
    if report.submitted_at:
        _paragraph(document, f"{timezone.localtime(report.submitted_at):%Y年%m月%d日}", align=right, indent=False)
    return document
