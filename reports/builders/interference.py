"""The quarterly report of interference records of one procuratorate (干预司法记录季度报告,
docs/domain.md, Interference records): every record registered in the quarter, corrections
marked, or a zero report (零报告) stating that none was registered. The only export of the records.

The records are read through the requester's own selector (interference.selectors), so the file
holds nothing its requester could not read on screen."""

from __future__ import annotations

import datetime

from accounts.models import User
from agencies.models import Organisation
from interference.models import InterferenceRecord
from interference.selectors import interference_records_visible_to
from reports.builders import Progress, ReportFile, no_progress
from reports.builders.docx import DOCX_CONTENT_TYPE, chinese_date, new_document

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end - datetime.timedelta(days=1)


def zero_statement(procuratorate: Organisation, year: int, quarter: int) -> str:
    return f"{year}年{QUARTER_NAMES[quarter]}，{procuratorate.name}未记录领导干部干预司法活动、插手具体案件处理的情况。"


def quarter_records(user: User, *, procuratorate_id: int, year: int, quarter: int) -> list[InterferenceRecord]:
    """The records registered in the quarter (by the day they were recorded), oldest first."""
    start, end = quarter_bounds(year, quarter)
    return list(
        interference_records_visible_to(user)
        .filter(procuratorate_id=procuratorate_id, recorded_at__date__gte=start, recorded_at__date__lte=end)
        .select_related("case", "recorded_by", "corrects")
        .order_by("recorded_at", "id")
    )


def build_interference(
    *, user: User, params: dict, today: datetime.date, progress: Progress = no_progress
) -> ReportFile:
    year, quarter = int(params["year"]), int(params["quarter"])
    procuratorate = Organisation.objects.get(pk=params["procuratorate_id"])
    records = quarter_records(user, procuratorate_id=procuratorate.pk, year=year, quarter=quarter)
    progress(50)
    period = f"{year}年{QUARTER_NAMES[quarter]}"
    title = f"{procuratorate.name}{period}干预司法记录情况报告"
    doc = new_document(title=title, author=procuratorate.name)
    doc.title(title)
    start, end = quarter_bounds(year, quarter)
    doc.subtitle(f"（{chinese_date(start)}至{chinese_date(end)}）")
    if not records:
        doc.heading("零报告")
        doc.paragraph(zero_statement(procuratorate, year, quarter))
    else:
        doc.heading("总体情况")
        corrections = sum(1 for r in records if r.corrects_id)
        doc.paragraph(
            f"{period}，{procuratorate.name}共记录领导干部干预司法活动、插手具体案件处理的情况{len(records)}条"
            + (f"，其中更正记录{corrections}条。" if corrections else "。")
        )
        doc.heading("记录明细")
        doc.table(
            ["序号", "发生日期", "干预人", "身份", "方式", "干预内容", "案件", "记录人", "备注"],
            [
                [
                    index,
                    f"{r.occurred_on:%Y-%m-%d}",
                    "，".join(p for p in (r.person_name, r.person_unit, r.person_position) if p),
                    r.get_relation_display(),
                    r.get_means_display() + (f"（{r.place}）" if r.place else ""),
                    r.request,
                    r.case.number,
                    r.recorded_by.display_name,
                    (
                        f"更正{r.corrects.recorded_at:%Y-%m-%d}登记的记录：{r.correction_reason}"
                        if r.corrects_id and r.corrects
                        else ""
                    ),
                ]
                for index, r in enumerate(records, start=1)
            ],
        )
    doc.right(procuratorate.name)
    doc.right(chinese_date(today))
    progress(90)
    filename = f"{procuratorate.short_name or procuratorate.name}{year}Q{quarter}干预司法记录报告.docx"
    return ReportFile(doc.save(), filename, DOCX_CONTENT_TYPE)
