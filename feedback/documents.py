"""A feedback report as a Word document: the agency's written reply (书面回复) or progress report,
item by item, as the agency prints, signs and seals it, or as the procuratorate files it.

The text is the document itself, so it is in Chinese whatever the interface language.
"""

from __future__ import annotations

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from cases.documents import TITLE_FONT, TITLE_SIZE, add_paragraph, setup_page
from feedback.models import FeedbackReport


def report_docx(report: FeedbackReport, detail: dict) -> Document:
    recommendation = report.recommendation
    document = Document()
    setup_page(document)
    add_paragraph(
        document,
        f"关于{recommendation.document_number or ''}检察建议的{report.get_kind_display()}",
        font=TITLE_FONT,
        size=TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    if report.is_draft:
        add_paragraph(document, "（草稿，未正式提交）", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    add_paragraph(document, f"{recommendation.case.procuratorate.name}：", indent=False)
    add_paragraph(document, report.summary)
    for answer in detail["answers"]:
        add_paragraph(document, f"{answer.item.number}. {answer.item.text}", bold=True)
        add_paragraph(document, f"整改情况：{answer.get_status_display()}")
        add_paragraph(document, f"已采取的措施及成效：{answer.measures}")
        if answer.reason:
            add_paragraph(document, f"客观原因：{answer.reason}")
        if answer.proposed_completion_on:
            add_paragraph(document, f"拟完成整改日期：{answer.proposed_completion_on:%Y年%m月%d日}")
    if detail["attachments"]:
        add_paragraph(document, "附件：", indent=False)
        for number, attachment in enumerate(detail["attachments"], 1):
            add_paragraph(document, f"{number}. {attachment.original_name}")
    right = WD_ALIGN_PARAGRAPH.RIGHT
    add_paragraph(document, recommendation.agency.name, align=right, indent=False)
    person = " ".join(p for p in (report.responsible_person_title, report.responsible_person_name) if p)
    if person:
        add_paragraph(document, f"负责人：{person}", align=right, indent=False)
    if report.submitted_at:
        add_paragraph(document, f"{timezone.localtime(report.submitted_at):%Y年%m月%d日}", align=right, indent=False)
    return document
