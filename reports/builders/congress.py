"""The work report to the people's congress (向人大常委会报告公益诉讼检察工作, docs/domain.md, Reports).

A draft for the drafter to finish: the narrative is written around the period's numbers (cases by
type and domain, recommendations, replies, rectification, lawsuits and their outcomes, court
appearance, compliance) and the typical cases, with the key figures and their definitions as an
annex table. The numbers are the dashboard's (dashboard.metrics, same scope and definitions).

The document is Chinese whatever the interface language: the whole build runs in Chinese.

Typical cases (典型案例): only published typical cases (typical_cases app: written, anonymised and
checked by a second supervisor) are ever quoted, with their published texts. The requester names
cases of their scope by number, in the order given; otherwise the builder picks them
(`typical_cases`): the published typical cases of the scope whose year falls in the period, newest
first.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import translation

from accounts.models import User
from cases.models import Case, CaseType
from cases.selectors import cases_visible_to, procuratorates_visible_to
from dashboard.metrics import chart_data, figures_by, key_figures
from pil_tracker.errors import DomainError
from reports.builders import Progress, ReportFile, no_progress
from reports.builders.docx import DOCX_CONTENT_TYPE, chinese_date, chinese_number, new_document
from reports.builders.statistics import scope_from_params
from reports.services import typical_cases_max
from typical_cases.models import TypicalCase
from typical_cases.selectors import typical_cases_visible_to


def _scope_cases(user: User, scope) -> QuerySet[Case]:
    return _in_scope(cases_visible_to(user), scope)


def _in_scope(cases: QuerySet[Case], scope) -> QuerySet[Case]:
    cases = cases.filter(procuratorate_id__in=scope.procuratorate_ids)
    if scope.domain_id:
        cases = cases.filter(domain_id=scope.domain_id)
    if scope.case_type:
        cases = cases.filter(case_type=scope.case_type)
    return cases


def typical_cases(user: User, scope, *, numbers: list[str], limit: int) -> list[TypicalCase]:
    """The published typical cases of the named cases (in the order given), or the newest `limit`
    of the scope and period. One query."""
    published = (
        typical_cases_visible_to(user)
        .filter(status=TypicalCase.Status.PUBLISHED)
        .select_related("procuratorate", "domain", "case")
    )
    if numbers:
        found = {typical.case.number: typical for typical in published.filter(case__number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise DomainError(
                translation.gettext("以下案号不存在、不在您的查看范围内或没有已发布的典型案例：%(numbers)s")
                % {"numbers": "、".join(missing)}
            )
        return [found[n] for n in numbers]
    picked = published.filter(
        case__in=_scope_cases(user, scope), year__gte=scope.start.year, year__lte=scope.end.year
    ).order_by("-year", "-published_at", "-id")
    return list(picked[:limit])


def _rate(figure) -> str:
    return f"{figure.percent}%" if figure.percent is not None else "—"


def _pct(part: int, whole: int) -> str:
    return f"{(Decimal(part) * 100 / Decimal(whole)).quantize(Decimal('0.1'))}%" if whole else "—"


def congress_document(
    *,
    user: User,
    scope,
    today: datetime.date,
    case_numbers: list[str],
    typical_limit: int,
    progress: Progress = no_progress,
) -> bytes:
    figures = {f.code: f for f in key_figures(scope, today=today)}
    progress(20)
    domains = [
        (name, next(f.value for f in row if f.code == "cases_opened"))
        for name, row in figures_by(scope, by="domain", today=today)
    ]
    domains = sorted([(n, v) for n, v in domains if v], key=lambda item: -item[1])
    progress(40)
    outcomes = chart_data(scope, today=today)["outcomes"]
    by_type = dict(
        _scope_cases(user, scope)
        .filter(opened_on__gte=scope.start, opened_on__lte=scope.end)
        .order_by()
        .values("case_type")
        .annotate(n=Count("pk"))
        .values_list("case_type", "n")
    )
    progress(60)
    typical = typical_cases(user, scope, numbers=case_numbers, limit=typical_limit)
    progress(75)

    author = user.organisation.name
    single = len(scope.procuratorate_ids) == 1
    subject = author if not single else _single_name(user, scope) or author
    period = f"{chinese_date(scope.start)}至{chinese_date(scope.end)}"
    doc = new_document(title="公益诉讼检察工作情况的报告（草稿）", author=author)
    doc.title("关于公益诉讼检察工作情况的报告")
    doc.subtitle(f"（草稿）\n{subject}")
    doc.paragraph("主任、各位副主任、秘书长、各位委员：", indent=False)
    scope_words = "" if single else "（含下级人民检察院）"
    doc.paragraph(f"现将{period}{subject}{scope_words}公益诉讼检察工作情况报告如下，请予审议。")

    cases_opened = figures["cases_opened"].value
    doc.heading("基本情况")
    types = "、".join(f"{CaseType(t).label}{by_type[t]}件" for t in CaseType.values if by_type.get(t))
    text = f"共受理公益诉讼案件线索{figures['leads'].value}件，立案{cases_opened}件"
    text += f"，其中{types}。" if types else "。"
    doc.paragraph(text)
    if domains:
        parts = "；".join(f"{name}{count}件，占{_pct(count, cases_opened)}" for name, count in domains)
        doc.paragraph(f"从案件领域看：{parts}。")

    doc.heading("诉前程序开展及行政机关整改情况")
    on_time, rectification = figures["on_time_reply_rate"], figures["rectification_rate"]
    pre = figures["pre_litigation_rate"]
    doc.paragraph(
        f"向行政机关送达诉前检察建议{figures['recommendations_served'].value}件。"
        f"书面回复期限已届满的{on_time.denominator}件检察建议中，按期回复{on_time.numerator}件，"
        f"按期回复率{_rate(on_time)}；截至{chinese_date(today)}，逾期未回复{figures['replies_overdue'].value}件。"
    )
    doc.paragraph(
        f"经跟进调查，评估建议事项{rectification.denominator}项，评估为已整改{rectification.numerator}项，"
        f"整改率{_rate(rectification)}。已送达检察建议并办结的{pre.denominator}件案件中，"
        f"行政机关整改到位、未提起诉讼而终结{pre.numerator}件，诉前解决率{_rate(pre)}。"
    )

    doc.heading("提起诉讼及裁判情况")
    claims, heads, compliance = (
        figures["claims_supported_rate"],
        figures["head_appearance_rate"],
        figures["ruling_compliance_rate"],
    )
    doc.paragraph(
        f"对经诉前程序仍未依法履职或公益仍未得到有效保护的，依法提起公益诉讼{figures['lawsuits'].value}件。"
        f"法院作出一审裁判{claims.denominator}件，支持检察机关诉讼请求{claims.numerator}件，"
        f"诉讼请求支持率{_rate(claims)}。"
    )
    outcome_series = outcomes["series"][0]["data"] if outcomes["series"] else []
    if outcome_series:
        parts = "、".join(
            f"{label}{count}件" for label, count in zip(outcomes["categories"], outcome_series, strict=True)
        )
        doc.paragraph(f"裁判结果：{parts}。")
    doc.paragraph(
        f"行政公益诉讼开庭{heads.denominator}次，行政机关负责人出庭应诉{heads.numerator}次，"
        f"负责人出庭率{_rate(heads)}。判令履行且履行情况已确定的生效裁判{compliance.denominator}件，"
        f"已履行{compliance.numerator}件，履行率{_rate(compliance)}。"
    )

    doc.heading("典型案例")
    if typical:
        for index, entry in enumerate(typical, 1):
            doc.paragraph(f"（{chinese_number(index)}）{entry.title}", indent=True)
            doc.paragraph(f"{entry.procuratorate.name}办理，属{entry.domain.name}领域。{entry.summary.strip()}")
            doc.paragraph(f"办理结果：{entry.outcome.strip()}")
            doc.paragraph(f"典型意义：{entry.significance.strip()}")
    else:
        doc.paragraph("本期无可列举的典型案例。")

    doc.heading("存在的问题和下一步工作")
    doc.paragraph("（请结合本地实际填写：工作中存在的问题和困难，下一步工作打算和建议。）")

    doc.paragraph("")
    doc.right(author)
    doc.right(chinese_date(today))
    doc.page_break()
    doc.paragraph("附表：主要指标", indent=False)
    doc.table(
        ["指标", "数值", "分子", "分母", "定义"],
        [
            [
                f.label,
                _rate(f) if f.is_rate else f.value,
                "" if f.numerator is None else f.numerator,
                "" if f.denominator is None else f.denominator,
                f.definition,
            ]
            for f in figures.values()
        ],
    )
    progress(90)
    return doc.save()


def _single_name(user: User, scope) -> str:
    org = procuratorates_visible_to(user).filter(pk=scope.procuratorate_ids[0]).first()
    return org.name if org else ""


def build_congress(*, user: User, params: dict, today: datetime.date, progress: Progress = no_progress) -> ReportFile:
    with translation.override("zh-hans"):
        scope = scope_from_params(user, params, today=today)
        content = congress_document(
            user=user,
            scope=scope,
            today=today,
            case_numbers=list(params.get("case_numbers") or []),
            typical_limit=typical_cases_max(),
            progress=progress,
        )
    filename = f"人大工作报告（草稿）-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.docx"
    return ReportFile(content, filename, DOCX_CONTENT_TYPE)
