"""The joint-meeting briefing for one agency (联席会议通报, docs/domain.md, Reports).

For one agency and a period (since the last joint meeting): the recommendations still waiting for
its reply, those whose reply deadline has passed, those replied but not yet fully rectified, and
those with items evaluated rectified within the period. Everything comes from the requester's
`recommendations_visible_to`, so a district supervisor's briefing holds only the district's cases.

The briefing is data first (`briefing_data`), then a document (`briefing_document`): joint-meeting
records (a later issue) can attach the same data to a meeting, passed as `meeting` (anything with a
`__str__`, e.g. "2026年第三次联席会议"), and the period becomes "since the previous meeting".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, DateField, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from agencies.models import Organisation
from cases.models import Case, Recommendation, RecommendationItem
from cases.selectors import cases_visible_to, procuratorates_visible_to, recommendations_visible_to
from deadlines.models import REPLY_RULES, Deadline
from reports.builders import Progress, ReportFile, no_progress
from reports.builders.docx import DOCX_CONTENT_TYPE, chinese_date, new_document

RECTIFIED = (RecommendationItem.Evaluation.RECTIFIED, RecommendationItem.Evaluation.ALREADY_PERFORMED)


@dataclass(frozen=True)
class BriefingRow:
    case_number: str
    case_title: str
    procuratorate: str
    document_number: str
    served_on: datetime.date | None
    reply_due: datetime.date | None = None
    reply_received_on: datetime.date | None = None
    items_total: int = 0
    items_rectified: int = 0  # items evaluated rectified (in the period, for the "rectified" section)
    last_evaluated_on: datetime.date | None = None


@dataclass(frozen=True)
class Briefing:
    agency: Organisation
    start: datetime.date
    end: datetime.date
    today: datetime.date
    author: str
    author_scope: str  # "X人民检察院及下级人民检察院" for a supervisor of several
    meeting: object | None = None
    overdue: list[BriefingRow] = field(default_factory=list)
    pending_reply: list[BriefingRow] = field(default_factory=list)
    rectifying: list[BriefingRow] = field(default_factory=list)
    rectified: list[BriefingRow] = field(default_factory=list)

    @property
    def items_rectified(self) -> int:
        return sum(row.items_rectified for row in self.rectified)


def briefing_agencies(user: User) -> QuerySet[Organisation]:
    """The agencies `user` may request a briefing for: those concerned by a case in their scope."""
    links = Case.agencies.through.objects.filter(case__in=cases_visible_to(user)).values("organisation_id")
    return Organisation.objects.filter(kind=Organisation.Kind.AGENCY, pk__in=links).order_by("tree_path", "name")


def _reply_due() -> Subquery:
    return Subquery(
        Deadline.objects.filter(recommendation=OuterRef("pk"), rule__code__in=REPLY_RULES)
        .order_by("-id")
        .values("due_date")[:1],
        output_field=DateField(),
    )


def _row(rec: Recommendation, **extra) -> BriefingRow:
    return BriefingRow(
        case_number=rec.case.number,
        case_title=rec.case.title,
        procuratorate=rec.case.procuratorate.name,
        document_number=rec.document_number or "",
        served_on=rec.served_on,
        reply_received_on=rec.reply_received_on,
        **extra,
    )


def briefing_data(
    *,
    user: User,
    agency: Organisation,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    meeting: object | None = None,
    progress: Progress = no_progress,
) -> Briefing:
    """Four queries, whatever the number of recommendations."""
    base = (
        recommendations_visible_to(user)
        .filter(agency=agency)
        .select_related("case__procuratorate")
        .order_by("served_on", "id")
    )
    served = list(base.filter(status=Recommendation.Status.SERVED).annotate(reply_due=_reply_due()))
    progress(30)
    overdue = [_row(r, reply_due=r.reply_due) for r in served if r.reply_due and r.reply_due < today]
    pending = [_row(r, reply_due=r.reply_due) for r in served if not (r.reply_due and r.reply_due < today)]

    evaluated = Q(items__evaluation__in=RECTIFIED)
    rectifying = [
        _row(r, items_total=r.items_total, items_rectified=r.items_done)
        for r in base.filter(status=Recommendation.Status.REPLIED)
        .exclude(case__status=Case.Status.CLOSED)
        .annotate(items_total=Count("items"), items_done=Count("items", filter=evaluated))
        if r.items_done < r.items_total
    ]
    progress(60)
    in_period = evaluated & Q(items__evaluated_at__date__gte=start, items__evaluated_at__date__lte=end)
    rectified = [
        _row(
            r,
            items_total=r.items_total,
            items_rectified=r.items_in_period,
            last_evaluated_on=timezone.localtime(r.last_evaluated).date(),
        )
        for r in base.annotate(
            items_total=Count("items"),
            items_in_period=Count("items", filter=in_period),
            last_evaluated=Max("items__evaluated_at", filter=in_period),
        ).filter(items_in_period__gt=0)
    ]
    progress(80)
    author = user.organisation.name if user.organisation_id else ""
    several = procuratorates_visible_to(user).count() > 1
    author_scope = f"{author}及下级人民检察院" if several else author
    return Briefing(
        agency=agency,
        start=start,
        end=end,
        today=today,
        author=author,
        author_scope=author_scope,
        meeting=meeting,
        overdue=overdue,
        pending_reply=pending,
        rectifying=rectifying,
        rectified=rectified,
    )


def _case_cells(row: BriefingRow) -> list[str]:
    return [row.case_number, row.case_title, row.procuratorate, row.document_number]


def _date(value: datetime.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "—"


def briefing_document(briefing: Briefing) -> bytes:
    """The briefing as a .docx in the house layout (Chinese: it is handed out at the meeting)."""
    agency = briefing.agency.name
    doc = new_document(title=f"{agency}检察建议办理情况通报", author=briefing.author)
    doc.title("检察建议办理情况通报")
    doc.subtitle(f"（{agency}）")
    period = f"{chinese_date(briefing.start)}至{chinese_date(briefing.end)}"
    if briefing.meeting is not None:
        doc.paragraph(f"本通报供{briefing.meeting}使用。")
    doc.paragraph(
        f"截至{chinese_date(briefing.today)}，{briefing.author_scope}向{agency}送达的检察建议中，"
        f"逾期未书面回复{len(briefing.overdue)}件，尚在回复期限内{len(briefing.pending_reply)}件，"
        f"已回复尚未整改到位{len(briefing.rectifying)}件；{period}，"
        f"经跟进调查评估已整改{len(briefing.rectified)}件（{briefing.items_rectified}项建议事项）。"
    )
    cases = ["案号", "案件名称", "检察院", "检察建议文号"]

    doc.heading(f"逾期未书面回复的检察建议（{len(briefing.overdue)}件）")
    if briefing.overdue:
        doc.table(
            [*cases, "送达日期", "回复期限", "逾期天数"],
            [
                [
                    *_case_cells(r),
                    _date(r.served_on),
                    _date(r.reply_due),
                    (briefing.today - r.reply_due).days,
                ]
                for r in briefing.overdue
            ],
        )
    else:
        doc.paragraph("无。")

    doc.heading(f"尚在回复期限内的检察建议（{len(briefing.pending_reply)}件）")
    if briefing.pending_reply:
        doc.table(
            [*cases, "送达日期", "回复期限"],
            [[*_case_cells(r), _date(r.served_on), _date(r.reply_due)] for r in briefing.pending_reply],
        )
    else:
        doc.paragraph("无。")

    doc.heading(f"已回复、尚未整改到位的检察建议（{len(briefing.rectifying)}件）")
    if briefing.rectifying:
        doc.table(
            [*cases, "回复日期", "已整改事项/建议事项"],
            [
                [
                    *_case_cells(r),
                    _date(r.reply_received_on),
                    f"{r.items_rectified}/{r.items_total}",
                ]
                for r in briefing.rectifying
            ],
        )
    else:
        doc.paragraph("无。")

    doc.heading(f"本期已整改的检察建议（{len(briefing.rectified)}件）")
    if briefing.rectified:
        doc.table(
            [*cases, "评估日期", "本期整改事项/建议事项"],
            [
                [
                    *_case_cells(r),
                    _date(r.last_evaluated_on),
                    f"{r.items_rectified}/{r.items_total}",
                ]
                for r in briefing.rectified
            ],
        )
    else:
        doc.paragraph("无。")

    doc.paragraph("")
    doc.right(briefing.author)
    doc.right(chinese_date(briefing.today))
    return doc.save()


def briefing_filename(briefing: Briefing) -> str:
    return f"联席会议通报-{briefing.agency.name}-{briefing.today:%Y%m%d}.docx"


def build_briefing(*, user: User, params: dict, today: datetime.date, progress: Progress = no_progress) -> ReportFile:
    """The job builder: `params` has agency_id, start, end (YYYY-MM-DD) and optionally meeting."""
    agency = briefing_agencies(user).get(pk=params["agency_id"])
    briefing = briefing_data(
        user=user,
        agency=agency,
        start=datetime.date.fromisoformat(params["start"]),
        end=datetime.date.fromisoformat(params["end"]),
        today=today,
        meeting=params.get("meeting") or None,
        progress=progress,
    )
    return ReportFile(briefing_document(briefing), briefing_filename(briefing), DOCX_CONTENT_TYPE)
