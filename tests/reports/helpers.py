"""Opening the produced files in a test: the text of a .docx, the sheets of an .xlsx."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook


def docx_text(content: bytes) -> str:
    """Every paragraph and every table cell of the document, one per line."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def docx_tables(content: bytes) -> list[list[list[str]]]:
    document = Document(io.BytesIO(content))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]
