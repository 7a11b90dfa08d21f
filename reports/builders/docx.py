"""The house layout of generated Word documents, shared by the briefing and the congress report.

The page, fonts and paragraphs are those of cases/documents.py (the recommendation, GB/T 9704 as
procuratorates apply it); this module adds headings and tables, which a recommendation has none of.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from cases.documents import (
    BODY_FONT,
    DOCX_CONTENT_TYPE,
    HEADING_FONT,
    TITLE_FONT,
    TITLE_SIZE,
    add_paragraph,
    chinese_date,
    chinese_number,
    set_font,
    setup_page,
)

__all__ = ["DOCX_CONTENT_TYPE", "chinese_date", "chinese_number", "new_document"]

TABLE_SIZE = Pt(10.5)  # 五号


class OfficialDocument:
    """A document in the house layout: title, headings 一、二、, body paragraphs and tables."""

    def __init__(self, *, title: str, author: str) -> None:
        self.document = Document()
        setup_page(self.document)
        props = self.document.core_properties
        props.title = title
        props.author = author
        self._headings = 0

    def title(self, text: str) -> None:
        add_paragraph(
            self.document, text, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
        )

    def subtitle(self, text: str) -> None:
        add_paragraph(self.document, text, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=Pt(16))

    def heading(self, text: str) -> None:
        """A first-level heading, numbered 一、二、三、 in the order of the calls."""
        self._headings += 1
        add_paragraph(self.document, f"{chinese_number(self._headings)}、{text}", font=HEADING_FONT)

    def paragraph(self, text: str, *, indent: bool = True) -> None:
        add_paragraph(self.document, text, indent=indent)

    def right(self, text: str) -> None:
        add_paragraph(self.document, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)

    def page_break(self) -> None:
        self.document.add_page_break()

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            self._cell(cell, text, bold=True)
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                self._cell(cell, "" if value is None else str(value))
        add_paragraph(self.document, "", indent=False)

    @staticmethod
    def _cell(cell, text: str, *, bold: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        set_font(paragraph.add_run(text), BODY_FONT, TABLE_SIZE, bold=bold)

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def new_document(*, title: str, author: str) -> OfficialDocument:
    return OfficialDocument(title=title, author=author)
