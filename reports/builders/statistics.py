"""The statistical report (统计报表) as an XLSX workbook, from dashboard.metrics.

Sheets: the key figures of the period; one sheet per breakdown (by procuratorate, by domain) with
a value column per count and numerator / denominator / rate columns per rate, and a total row;
the definitions of every figure. The numbers are exactly the dashboard's (same functions, same
scope), and the workbook is written in the requester's interface language.
"""

from __future__ import annotations

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from accounts.models import User
from cases.models import CaseType, Domain
from cases.selectors import procuratorates_visible_to
from dashboard.metrics import figure_definitions, figures_by, key_figures, scope_for
from reports.builders import Progress, ReportFile, no_progress

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RATE_FORMAT = "0.0%"
BOLD = Font(bold=True)
# A spreadsheet evaluates a cell starting with one of these as a formula (cases/exports.py).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def scope_from_params(user: User, params: dict, *, today: datetime.date):
    """The dashboard scope of a statistics or congress job (checked again: scope_for refuses a
    user who lost the right, and a procuratorate out of their scope)."""
    return scope_for(
        user,
        procuratorate_id=params.get("procuratorate_id"),
        start=datetime.date.fromisoformat(params["start"]),
        end=datetime.date.fromisoformat(params["end"]),
        domain_id=params.get("domain_id"),
        case_type=params.get("case_type"),
        today=today,
    )


def scope_description(user: User, scope) -> list[tuple[str, str]]:
    """(label, value) lines saying what the report covers, in the current language."""
    names = list(
        procuratorates_visible_to(user)
        .filter(pk__in=scope.procuratorate_ids)
        .order_by("tree_path", "name")
        .values_list("name", flat=True)
    )
    domain = Domain.objects.filter(pk=scope.domain_id).first() if scope.domain_id else None
    return [
        (_("检察院"), "、".join(names)),
        (_("统计期间"), f"{scope.start:%Y-%m-%d} – {scope.end:%Y-%m-%d}"),
        (_("领域"), str(domain) if domain else _("全部领域")),
        (_("案件类型"), str(CaseType(scope.case_type).label) if scope.case_type else _("全部类型")),
    ]


def _widths(sheet: Worksheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def _key_figures_sheet(sheet: Worksheet, *, figures, description, today: datetime.date) -> None:
    sheet.append([_("统计报表")])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in description:
        sheet.append([label, _text(value)])
    sheet.append([_("统计日"), today])
    sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd"
    sheet.append([])
    sheet.append([_("指标"), _("数值"), _("分子"), _("分母")])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for figure in figures:
        sheet.append([figure.label, figure.value, figure.numerator, figure.denominator])
        if figure.is_rate:
            sheet.cell(row=sheet.max_row, column=2).number_format = RATE_FORMAT
    sheet.freeze_panes = None
    _widths(sheet, {1: 24, 2: 40, 3: 12, 4: 12})


def _breakdown_sheet(sheet: Worksheet, *, heading: str, rows, totals) -> None:
    """Two header rows: the figure (merged over its columns), then 数值 or 分子/分母/比率."""
    if not totals:
        return
    sheet.cell(row=1, column=1, value=heading).font = BOLD
    sheet.merge_cells(start_row=1, start_column=1, end_row=2, end_column=1)
    column = 2
    for figure in totals:
        span = 3 if figure.is_rate else 1
        top = sheet.cell(row=1, column=column, value=figure.label)
        top.font, top.alignment = BOLD, Alignment(horizontal="center", wrap_text=True)
        if span > 1:
            sheet.merge_cells(start_row=1, start_column=column, end_row=1, end_column=column + span - 1)
            subs = [_("分子"), _("分母"), _("比率")]
        else:
            subs = [_("数值")]
        for offset, sub in enumerate(subs):
            sheet.cell(row=2, column=column + offset, value=sub).font = BOLD
        column += span

    def write(label: str, figures, *, bold: bool = False) -> None:
        row = sheet.max_row + 1
        sheet.cell(row=row, column=1, value=_text(label)).font = Font(bold=bold)
        column = 2
        for figure in figures:
            if figure.is_rate:
                sheet.cell(row=row, column=column, value=figure.numerator)
                sheet.cell(row=row, column=column + 1, value=figure.denominator)
                rate = sheet.cell(row=row, column=column + 2, value=figure.value)
                rate.number_format = RATE_FORMAT
                column += 3
            else:
                sheet.cell(row=row, column=column, value=figure.value)
                column += 1

    for label, figures in rows:
        write(label, figures)
    write(_("合计"), totals, bold=True)
    sheet.freeze_panes = "B3"
    _widths(sheet, {1: 28})


def _definitions_sheet(sheet: Worksheet, definitions) -> None:
    sheet.append([_("代码"), _("指标"), _("定义")])
    for cell in sheet[1]:
        cell.font = BOLD
    for code, label, definition in definitions:
        sheet.append([code, label, definition])
        sheet.cell(row=sheet.max_row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    _widths(sheet, {1: 26, 2: 20, 3: 100})


def statistics_workbook(*, user: User, scope, today: datetime.date, progress: Progress = no_progress) -> bytes:
    totals = key_figures(scope, today=today)
    progress(25)
    by_procuratorate = figures_by(scope, by="procuratorate", today=today)
    progress(50)
    by_domain = figures_by(scope, by="domain", today=today)
    progress(75)

    workbook = Workbook()
    first = workbook.active
    first.title = _("主要指标")
    _key_figures_sheet(first, figures=totals, description=scope_description(user, scope), today=today)
    _breakdown_sheet(workbook.create_sheet(_("按检察院")), heading=_("检察院"), rows=by_procuratorate, totals=totals)
    _breakdown_sheet(workbook.create_sheet(_("按领域")), heading=_("领域"), rows=by_domain, totals=totals)
    _definitions_sheet(workbook.create_sheet(_("指标定义")), figure_definitions())
    buffer = io.BytesIO()
    workbook.save(buffer)
    progress(95)
    return buffer.getvalue()


def build_statistics(*, user: User, params: dict, today: datetime.date, progress: Progress = no_progress) -> ReportFile:
    scope = scope_from_params(user, params, today=today)
    content = statistics_workbook(user=user, scope=scope, today=today, progress=progress)
    filename = f"{_('统计报表')}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.xlsx"
    return ReportFile(content, filename, XLSX_CONTENT_TYPE)
