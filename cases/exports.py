"""Export of the (filtered, scoped) case list as CSV or XLSX.

Both formats stream rows from the database in chunks, so an export of a whole province costs
constant memory: CSV goes straight to the client, XLSX through openpyxl's write-only mode into a
temporary file.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from cases.models import Case

CHUNK_SIZE = 2000
# An Excel sheet holds 1,048,576 rows; one of them is the header.
XLSX_MAX_ROWS = 1_048_575
# A spreadsheet evaluates a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def export_headers() -> list[str]:
    return [
        _("案号"),
        _("案件名称"),
        _("类型"),
        _("领域"),
        _("检察院"),
        _("涉及行政机关"),
        _("承办检察官"),
        _("状态"),
        _("立案日期"),
        _("终结日期"),
    ]


def export_queryset(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Everything a row shows, fetched with the cases: three queries per chunk, whatever the size."""
    return cases.select_related("procuratorate", "domain", "handler").prefetch_related("agencies")


def export_rows(cases: QuerySet[Case], *, limit: int | None = None) -> Iterator[list]:
    """One list per case, in the order of `export_headers()`; dates stay dates."""
    cases = export_queryset(cases)
    if limit is not None:
        cases = cases[:limit]
    for case in cases.iterator(chunk_size=CHUNK_SIZE):
        yield [
            case.number,
            case.title,
            case.get_case_type_display(),
            str(case.domain),
            str(case.procuratorate),
            "、".join(a.name for a in case.agencies.all()),
            case.handler.display_name,
            case.get_status_display(),
            case.opened_on,
            case.closed_on,
        ]


def neutralise(value: str) -> str:
    """Make a text cell inert in a spreadsheet: a leading formula character gets a quote."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


class _Echo:
    """A file-like object whose write() returns what it was given, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte-order mark tells Excel the file is UTF-8; without it Chinese text is garbled.
    yield "\ufeff"
    yield writer.writerow(export_headers())
    for row in rows:
        yield writer.writerow([_csv_cell(v) for v in row])


def _filename(extension: str) -> str:
    return f"cases-{timezone.localdate():%Y%m%d}.{extension}"


def cases_csv_response(cases: QuerySet[Case]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in _csv_lines(export_rows(cases))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def _xlsx_cell(sheet, value) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        # openpyxl would store a string starting with "=" as a formula. Keep it text, and mark it
        # the way Excel marks a typed '=…, so that editing the cell in Excel keeps it text too.
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def cases_xlsx_response(cases: QuerySet[Case]) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("案件"))
    sheet.append(export_headers())
    for row in export_rows(cases, limit=XLSX_MAX_ROWS):
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    # Spooled: small exports stay in memory, large ones go to disk; FileResponse closes it.
    output = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - closed by the response
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
