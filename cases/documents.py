"""The recommendation as a Word document (检察建议书), generated from the record.

The layout follows the customary form of procuratorial documents (GB/T 9704 official-document
layout as procuratorates apply it): the procuratorate's name and the document title centred in a
small-title face, the document number right-aligned, the addressee followed by a full-width colon,
body paragraphs in FangSong with a two-character first-line indent, the recommendation items
numbered 一、二、三、, and the procuratorate's name and the issue date (in Chinese numerals)
right-aligned at the end. The text is the document itself, so it is in Chinese whatever the
interface language.
"""

from __future__ import annotations

import datetime
import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from cases.models import Recommendation

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE_FONT = "方正小标宋简体"  # the customary face of document titles
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
LINE_SPACING = Pt(28)

_DIGITS = "〇一二三四五六七八九"

# Administrative Litigation Law art. 25(4) and the 2021 case-handling rules, art. 75.
LEGAL_GROUND = (
    "根据《中华人民共和国行政诉讼法》第二十五条第四款、《人民检察院公益诉讼办案规则》第七十五条的规定，"
    "向你单位提出如下检察建议："
)
REPLY_PERIOD = {
    Recommendation.Urgency.NORMAL: "两个月内",
    Recommendation.Urgency.URGENT: "十五日内",
}


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (item numbers, months, days)."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _DIGITS[rest]
        if rest < 20:
            return head + "一" + chinese_number(rest)
        return head + chinese_number(rest)
    raise ValueError(n)


def chinese_date(value: datetime.date) -> str:
    """2026-09-20 → 二〇二六年九月二十日, the customary date of a signed document."""
    year = "".join(_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{chinese_number(value.month)}月{chinese_number(value.day)}日"


def set_font(run, name: str, size: Pt, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    # Word picks the East Asian face from w:eastAsia; font.name alone sets only the Latin face.
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), name)


def add_paragraph(
    document,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    bold: bool = False,
    space_after: Pt | None = None,
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_SPACING if size == BODY_SIZE else Pt(size.pt * 1.5)
    fmt.space_before = Pt(0)
    fmt.space_after = space_after if space_after is not None else Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)  # two characters
    if text:
        set_font(paragraph.add_run(text), font, size, bold=bold)
    return paragraph


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。；！？：.;!?:" else text + "。"


def _body(document, text: str) -> None:
    """One indented paragraph per line of a multi-line field."""
    for line in text.splitlines():
        if line.strip():
            add_paragraph(document, line.strip())


def setup_page(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def recommendation_document(recommendation: Recommendation) -> bytes:
    """The .docx of `recommendation`; before issue it is marked as a draft (草稿)."""
    case = recommendation.case
    procuratorate = case.procuratorate.name
    document = Document()
    setup_page(document)
    props = document.core_properties
    props.title = "检察建议书"
    props.subject = recommendation.document_number or "检察建议书（草稿）"
    props.author = procuratorate

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    add_paragraph(document, procuratorate, font=TITLE_FONT, size=TITLE_SIZE, align=center, indent=False)
    add_paragraph(document, "检察建议书", font=TITLE_FONT, size=TITLE_SIZE, align=center, indent=False)
    add_paragraph(
        document,
        recommendation.document_number or "（草稿）",
        align=right,
        indent=False,
        space_after=Pt(16),
    )

    add_paragraph(document, f"{recommendation.agency.name}：", indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
    _body(document, recommendation.case_source)
    _body(document, recommendation.harm_facts)
    _body(document, recommendation.failure_facts)
    _body(document, recommendation.legal_basis)
    add_paragraph(document, LEGAL_GROUND)
    for item in recommendation.items.order_by("number"):
        add_paragraph(document, f"{chinese_number(item.number)}、{_sentence(' '.join(item.text.split()))}")
    if recommendation.rectification_period.strip():
        add_paragraph(document, _sentence(f"整改期限：{recommendation.rectification_period.strip()}"))
    period = REPLY_PERIOD.get(recommendation.urgency, REPLY_PERIOD[Recommendation.Urgency.NORMAL])
    add_paragraph(document, f"请你单位在收到本检察建议书之日起{period}将办理情况书面回复本院。")
    _body(document, recommendation.remarks)

    add_paragraph(document, "", indent=False)
    add_paragraph(document, "", indent=False)
    add_paragraph(document, procuratorate, align=right, indent=False)
    issued = chinese_date(recommendation.issued_on) if recommendation.issued_on else "年　　月　　日"
    add_paragraph(document, issued, align=right, indent=False)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def recommendation_filename(recommendation: Recommendation) -> str:
    return f"检察建议书-{recommendation.document_number or '草稿'}.docx"
