"""The numbers supervisors look at (docs/domain.md, Dashboard figures), aggregated in the database.

Public interface (the dashboard page and the reports app build on it):

- `Scope`: what the figures cover, already authorised (`scope_for` builds it from a user).
- `key_figures(scope, today=)`: the eleven figures, each with its numerator, denominator and the
  link to the case list behind it.
- `figures_by(scope, by=, today=)`: the same figures per procuratorate or per domain (GROUP BY).
- `chart_data(scope, today=)`: the series of the dashboard's charts.

Every figure is defined once, in `_SPECS`: the model it counts, the path from that model to its
case, and one `Q` per part (value, or numerator and denominator). The count, the breakdowns and
the drill-down filter of the case list (`case_filter`, registered with `cases.filters.CaseFilter`) all use
those same conditions, so a number and the list behind it cannot disagree.

Figures over the same model are counted together: one query per figure group (`_GROUPS`), with
conditional COUNTs, whatever the data. Time-dependent figures take `today` (China Standard Time,
`django.utils.timezone.localdate()`).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, Model, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from agencies.models import Organisation
from cases.filters import DrillDownBanner
from cases.models import Case, CaseType, Domain, Lead, Recommendation, RecommendationItem
from cases.selectors import procuratorates_visible_to
from deadlines.models import REPLY_RULES, Deadline
from litigation.models import Hearing, Lawsuit, Ruling

# --- Scope ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What the figures cover, already authorised."""

    procuratorate_ids: tuple[int, ...]  # the in-scope procuratorates (one, or own + subordinates)
    start: datetime.date  # inclusive period
    end: datetime.date
    domain_id: int | None = None
    case_type: str | None = None


def can_view_dashboard(user) -> bool:
    """Supervisors (and administrators) see the dashboard; procurators, agency staff and discipline
    liaisons do not."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or (user.role == Role.SUPERVISOR and bool(user.organisation_id))


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """This year (`today` is the date in Asia/Shanghai)."""
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


def scope_for(
    user,
    *,
    procuratorate_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    domain_id: int | None = None,
    case_type: str | None = None,
    today: datetime.date,
) -> Scope:
    """The scope `user` may look at: own procuratorate and every subordinate one, or the one of
    them named by `procuratorate_id`. PermissionDenied for a user who is not a supervisor, Http404
    for a procuratorate outside their scope (the same answer as one that does not exist)."""
    if not can_view_dashboard(user):
        raise PermissionDenied
    visible = sorted(procuratorates_visible_to(user).values_list("pk", flat=True))
    if procuratorate_id not in (None, ""):
        try:
            wanted = int(procuratorate_id)
        except (TypeError, ValueError):
            raise Http404 from None
        if wanted not in visible:
            raise Http404
        ids: tuple[int, ...] = (wanted,)
    else:
        ids = tuple(visible)
    default_start, default_end = default_period(today)
    start, end = start or default_start, end or default_end
    if start > end:
        start, end = end, start
    if case_type and case_type not in CaseType.values:
        case_type = None
    return Scope(
        procuratorate_ids=ids,
        start=start,
        end=end,
        domain_id=int(domain_id) if domain_id else None,
        case_type=case_type or None,
    )


# --- Figures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    code: str  # stable, see FIGURE_CODES
    label: str  # translated
    definition: str  # translated: the wording of docs/domain.md plus the date that puts an item in the period
    value: int | Decimal | None  # a count, or a rate as a Decimal fraction 0..1 (None if denominator 0)
    numerator: int | None  # None for counts
    denominator: int | None
    url: str  # the filtered case (or lead) list behind the number: for a rate, its denominator
    numerator_url: str = ""  # for a rate: the list behind its numerator
    # What the figure counts ("检察建议", "庭审", …, translated). Where that is not the case (or the
    # lead), the case list behind it holds fewer rows than the figure (one case, two
    # recommendations), so the figure also carries how many cases it covers: the number its list
    # shows. None where the unit is the case or the lead.
    unit: str = ""
    cases: int | None = None  # for a count
    numerator_cases: int | None = None  # for a rate
    denominator_cases: int | None = None

    @property
    def counts_cases(self) -> bool:
        """Whether the figure's count is the count of its list (cases, or leads for "leads")."""
        return self.cases is None and self.numerator_cases is None

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent, one decimal (for display)."""
        if not self.is_rate or self.value is None:
            return None
        return (self.value * 100).quantize(Decimal("0.1"))


VALUE, NUMERATOR, DENOMINATOR = "value", "numerator", "denominator"
SUED = "sued"  # pre-litigation: the part of the denominator that went to court
CASES = "cases_"  # prefix of a part's count of distinct cases (figures that count something else)

HEAD_APPEARANCES = (Hearing.Appearance.HEAD, Hearing.Appearance.DEPUTY_HEAD)
# Outcomes that grant the procuratorate's claims in full or in part. Administrative PIL: every
# judgment against the agency (the procuratorate is the plaintiff); civil: supported fully/partly.
SUPPORTING_OUTCOMES = (
    *(o for o in Ruling.ADMINISTRATIVE_OUTCOMES if o != Ruling.Outcome.DISMISS),
    Ruling.Outcome.SUPPORTED_FULLY,
    Ruling.Outcome.SUPPORTED_PARTLY,
)


@dataclass(frozen=True)
class Period:
    """The inputs of a figure's conditions: the period (None = open-ended) and today."""

    start: datetime.date | None
    end: datetime.date | None
    today: datetime.date


def _between(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lte": end})
    return q


def _served_recommendation() -> Exists:
    return Exists(Recommendation.objects.filter(case=OuterRef("pk"), served_on__isnull=False))


def _lawsuit(**filters) -> Exists:
    return Exists(Lawsuit.objects.filter(case=OuterRef("pk"), **filters))


# Each part's condition, as a function of the period. Names follow docs/domain.md, Dashboard figures.


def _leads(p: Period) -> dict[str, Q]:
    return {VALUE: _between("received_on", p.start, p.end)}


def _cases_opened(p: Period) -> dict[str, Q]:
    return {VALUE: _between("opened_on", p.start, p.end)}


def _recommendations_served(p: Period) -> dict[str, Q]:
    return {VALUE: Q(served_on__isnull=False) & _between("served_on", p.start, p.end)}


def _replies_overdue(p: Period) -> dict[str, Q]:
    # As of today, whatever the period.
    return {VALUE: Q(status=Deadline.Status.OPEN, due_date__lt=p.today)}


def _on_time_reply_rate(p: Period) -> dict[str, Q]:
    last_passed = p.today - datetime.timedelta(days=1)
    end = min(p.end, last_passed) if p.end else last_passed
    # A deadline cancelled on or before its due date (recommendation withdrawn, case closed) was
    # never owed; one cancelled after it had passed unanswered stays in, as not on time.
    cancelled_before_due = Q(status=Deadline.Status.CANCELLED, closed_at__date__lte=F("due_date"))
    due = _between("due_date", p.start, end) & ~cancelled_before_due
    return {NUMERATOR: due & Q(status=Deadline.Status.MET), DENOMINATOR: due}


def _between_days(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    """A timestamp on one of the days `start`..`end` in the current time zone (China Standard
    Time): the same as `field__date__range`, but a plain range that an index can serve."""
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))})
    if end is not None:
        next_day = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
        q &= Q(**{f"{field}__lt": timezone.make_aware(next_day)})
    return q


def _rectification_rate(p: Period) -> dict[str, Q]:
    evaluated = ~Q(evaluation="") & _between_days("evaluated_at", p.start, p.end)
    return {NUMERATOR: evaluated & Q(evaluation=RecommendationItem.Evaluation.RECTIFIED), DENOMINATOR: evaluated}


def _pre_litigation_rate(p: Period) -> dict[str, Q]:
    served = Q(_served_recommendation())
    resolved = served & Q(status=Case.Status.CLOSED) & _between("closed_on", p.start, p.end) & ~Q(_lawsuit())
    first_sued_in_period = Q(_lawsuit(**_between_kwargs("filed_on", p.start, p.end)))
    if p.start is not None:
        first_sued_in_period &= ~Q(_lawsuit(filed_on__lt=p.start))
    return {
        NUMERATOR: resolved,
        DENOMINATOR: resolved | (served & first_sued_in_period),
        SUED: served & first_sued_in_period,
    }


def _pre_litigation_where(p: Period) -> Q:
    """Cases closed in the period, or sued in it (the FILTERs then require the served
    recommendation and, for the sued ones, that the lawsuit was the first)."""
    sued = Lawsuit.objects.filter(**_between_kwargs("filed_on", p.start, p.end)).values("case_id")
    return Q(status=Case.Status.CLOSED, **_between_kwargs("closed_on", p.start, p.end)) | Q(pk__in=sued)


def _pre_litigation_counts(counted: dict[str, int]) -> dict[str, int]:
    # Counted as two disjoint parts (closed without a lawsuit; sued) so the query holds each
    # condition once: the denominator is their sum.
    return {NUMERATOR: counted.get(NUMERATOR, 0), DENOMINATOR: counted.get(NUMERATOR, 0) + counted.get(SUED, 0)}


def _between_kwargs(field: str, start: datetime.date | None, end: datetime.date | None) -> dict:
    kwargs: dict = {}
    if start is not None:
        kwargs[f"{field}__gte"] = start
    if end is not None:
        kwargs[f"{field}__lte"] = end
    return kwargs


def _lawsuits(p: Period) -> dict[str, Q]:
    return {VALUE: _between("filed_on", p.start, p.end)}


def _claims_supported_rate(p: Period) -> dict[str, Q]:
    rulings = Q(instance=Ruling.Instance.FIRST) & ~Q(kind=Ruling.Kind.MEDIATION)
    rulings &= _between("decided_on", p.start, p.end)
    return {NUMERATOR: rulings & Q(outcome__in=SUPPORTING_OUTCOMES), DENOMINATOR: rulings}


def _head_appearance_rate(p: Period) -> dict[str, Q]:
    # Held hearings only: a scheduled or cancelled one (is_held false) had nobody to appear yet.
    hearings = Q(is_held=True, lawsuit__defendant_agency__isnull=False) & _between("held_on", p.start, p.end)
    return {NUMERATOR: hearings & Q(appearance__in=HEAD_APPEARANCES), DENOMINATOR: hearings}


def _ruling_compliance_rate(p: Period) -> dict[str, Q]:
    decided = (
        Q(effective_on__isnull=False)
        & ~Q(ordered_action="")
        & (Q(complied_on__isnull=False) | Q(transferred_for_enforcement_on__isnull=False))
        & _between("effective_on", p.start, p.end)
    )
    return {NUMERATOR: decided & Q(complied_on__isnull=False), DENOMINATOR: decided}


@dataclass(frozen=True)
class _Spec:
    code: str
    label: object  # lazy
    definition: object  # lazy
    group: str  # the figure group: figures of one group are counted in one query
    parts: Callable[[Period], dict[str, Q]]
    # The parts the query counts (default: numerator and denominator, or value) and how the
    # figure's parts follow from those counts.
    counted: tuple[str, ...] = ()
    combine: Callable[[dict[str, int]], dict[str, int]] | None = None
    # What each part counts, in words (the drill-down list's banner): {part: lazy text}.
    texts: dict[str, object] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class _Group:
    model: type[Model]
    unit: object  # lazy: what the group's figures count
    case_path: str | None  # from the model to its case ("" = the model is Case; None = no case: leads)
    # Rows the group's figures may count, as plain ranges an index can serve: a superset of every
    # figure's conditions (which the COUNT … FILTER clauses then apply exactly).
    where: Callable[[Period], Q]
    base: Callable[[], Q] = lambda: Q()  # what the model's rows must be to count at all


_GROUPS: dict[str, _Group] = {
    "leads": _Group(Lead, _("线索"), None, lambda p: _between("received_on", p.start, p.end)),
    "cases": _Group(Case, _("案件"), "", lambda p: _between("opened_on", p.start, p.end)),
    "recommendations": _Group(Recommendation, _("检察建议"), "case", lambda p: _between("served_on", p.start, p.end)),
    "reply_deadlines": _Group(
        Deadline,
        _("检察建议"),  # one reply deadline per recommendation
        "case",
        lambda p: Q(due_date__lt=p.today),
        lambda: Q(rule__code__in=REPLY_RULES, recommendation__isnull=False),
    ),
    "items": _Group(
        RecommendationItem,
        _("建议事项"),
        "recommendation__case",
        lambda p: _between_days("evaluated_at", p.start, p.end),
    ),
    "pre_litigation": _Group(Case, _("案件"), "", lambda p: _pre_litigation_where(p)),
    "lawsuits": _Group(Lawsuit, _("诉讼"), "case", lambda p: _between("filed_on", p.start, p.end)),
    "rulings": _Group(
        Ruling,
        _("裁判"),
        "lawsuit__case",
        lambda p: _between("decided_on", p.start, p.end) | _between("effective_on", p.start, p.end),
    ),
    "hearings": _Group(Hearing, _("庭审"), "lawsuit__case", lambda p: _between("held_on", p.start, p.end)),
}

_SPECS: tuple[_Spec, ...] = (
    _Spec(
        "leads",
        _("线索数"),
        _("受理日期在统计期间内的线索。线索尚无案件类型，不按案件类型筛选。"),
        "leads",
        _leads,
        texts={VALUE: _("受理的线索")},
    ),
    _Spec(
        "cases_opened",
        _("立案数"),
        _("立案日期在统计期间内的案件。"),
        "cases",
        _cases_opened,
        texts={VALUE: _("立案的案件")},
    ),
    _Spec(
        "recommendations_served",
        _("送达检察建议数"),
        _("送达日期在统计期间内的检察建议。"),
        "recommendations",
        _recommendations_served,
        texts={VALUE: _("送达的检察建议")},
    ),
    _Spec(
        "replies_overdue",
        _("逾期未回复数"),
        _("截至今日，书面回复期限已届满（届满日早于今日）而尚未回复的检察建议；不受统计期间限制。"),
        "reply_deadlines",
        _replies_overdue,
        texts={VALUE: _("逾期未回复的检察建议")},
    ),
    _Spec(
        "on_time_reply_rate",
        _("按期回复率"),
        _(
            "按期回复的检察建议 / 回复期限已届满的检察建议。分母：书面回复期限届满日在统计期间内且早于今日的"
            "检察建议（届满日前已撤销的期限不计）；分子：其中在届满日当日或之前回复的（邮寄回复以交邮日期为准）。"
        ),
        "reply_deadlines",
        _on_time_reply_rate,
        texts={NUMERATOR: _("按期回复的检察建议"), DENOMINATOR: _("回复期限已届满的检察建议")},
    ),
    _Spec(
        "rectification_rate",
        _("整改率"),
        _(
            "评估为“已整改”的建议事项 / 已评估的建议事项。以评估日期计入统计期间；"
            "“部分整改”“未整改”“已依法履职”只计入分母。"
        ),
        "items",
        _rectification_rate,
        texts={NUMERATOR: _("评估为“已整改”的建议事项"), DENOMINATOR: _("已评估的建议事项")},
    ),
    _Spec(
        "pre_litigation_rate",
        _("诉前解决率"),
        _(
            "送达检察建议后未提起诉讼而终结的案件 / 已送达检察建议且已办结的案件。"
            "“办结”指已终结或已提起诉讼；以终结日期（提起诉讼的，以首次起诉日期）计入统计期间。"
        ),
        "pre_litigation",
        _pre_litigation_rate,
        texts={NUMERATOR: _("送达检察建议后未提起诉讼而终结的案件"), DENOMINATOR: _("已送达检察建议且已办结的案件")},
        counted=(NUMERATOR, SUED),
        combine=_pre_litigation_counts,
    ),
    _Spec(
        "lawsuits",
        _("起诉数"),
        _("起诉日期在统计期间内的诉讼。"),
        "lawsuits",
        _lawsuits,
        texts={VALUE: _("提起的诉讼")},
    ),
    _Spec(
        "claims_supported_rate",
        _("诉讼请求支持率"),
        _(
            "支持检察机关全部或部分诉讼请求的裁判 / 裁判。计一审判决和裁定，以裁判日期计入统计期间；"
            "调解结案不计；行政公益诉讼中除“驳回诉讼请求”以外的裁判结果均视为支持。"
        ),
        "rulings",
        _claims_supported_rate,
        texts={NUMERATOR: _("支持全部或部分诉讼请求的裁判"), DENOMINATOR: _("一审判决和裁定（调解结案除外）")},
    ),
    _Spec(
        "head_appearance_rate",
        _("负责人出庭率"),
        _(
            "行政机关负责人（含副职负责人）出庭的庭审 / 庭审。计以行政机关为被告的诉讼已经开庭的庭审"
            "（尚未开庭或已取消的不计），以开庭日期计入统计期间。"
        ),
        "hearings",
        _head_appearance_rate,
        texts={NUMERATOR: _("行政机关负责人出庭的庭审"), DENOMINATOR: _("已开庭的庭审")},
    ),
    _Spec(
        "ruling_compliance_rate",
        _("生效裁判履行率"),
        _(
            "判令履行事项且已履行的生效裁判 / 判令履行事项且履行情况已确定（已履行或已移送执行）的生效裁判。"
            "以生效日期计入统计期间。"
        ),
        "rulings",
        _ruling_compliance_rate,
        texts={NUMERATOR: _("已履行的生效裁判"), DENOMINATOR: _("履行情况已确定的生效裁判")},
    ),
)

_SPEC_BY_CODE = {spec.code: spec for spec in _SPECS}
FIGURE_CODES: tuple[str, ...] = tuple(spec.code for spec in _SPECS)
RATE_CODES = frozenset(
    {
        "on_time_reply_rate",
        "rectification_rate",
        "pre_litigation_rate",
        "claims_supported_rate",
        "head_appearance_rate",
        "ruling_compliance_rate",
    }
)


def figure_definitions() -> list[tuple[str, str, str]]:
    """(code, label, definition) of every figure, translated: for a definitions sheet."""
    return [(spec.code, str(spec.label), str(spec.definition)) for spec in _SPECS]


def _prefix(group: _Group) -> str:
    return f"{group.case_path}__" if group.case_path else ""


def _scope_q(group: _Group, scope: Scope) -> Q:
    prefix = _prefix(group)
    q = Q(**{f"{prefix}procuratorate_id__in": scope.procuratorate_ids})
    if scope.domain_id:
        q &= Q(**{f"{prefix}domain_id": scope.domain_id})
    if scope.case_type and group.case_path is not None:
        q &= Q(**{f"{prefix}case_type": scope.case_type})
    return q


def _group_key(group: _Group, by: str) -> str:
    return f"{_prefix(group)}{by}_id"


def _count(scope: Scope, *, today: datetime.date, by: str | None = None) -> dict[str, dict[int | None, dict[str, int]]]:
    """{figure code: {group key: {part: count}}}: one query per figure group. Without `by`, the
    only key is None."""
    period = Period(scope.start, scope.end, today)
    counted: dict[str, dict[int | None, dict[str, int]]] = {spec.code: {} for spec in _SPECS}
    for group_name, group in _GROUPS.items():
        aggregates: dict[str, Count] = {}
        for spec in _SPECS:
            if spec.group != group_name:
                continue
            conditions = spec.parts(period)
            for part in spec.counted or (p for p in conditions if p != SUED):
                aggregates[f"{spec.code}__{part}"] = Count("pk", filter=conditions[part])
                if group.case_path:
                    # How many cases those rows are: the rows of the case list behind the figure.
                    aggregates[f"{spec.code}__{CASES}{part}"] = Count(
                        f"{group.case_path}_id", filter=conditions[part], distinct=True
                    )
        queryset = group.model.objects.filter(group.base(), group.where(period), _scope_q(group, scope)).order_by()
        if by is None:
            rows = [{"key": None, **queryset.aggregate(**aggregates)}]
        else:
            key = _group_key(group, by)
            rows = [{"key": row.pop(key), **row} for row in queryset.values(key).annotate(**aggregates).order_by(key)]
        for row in rows:
            for name, count in row.items():
                if name != "key":
                    code, part = name.split("__")
                    counted[code].setdefault(row["key"], {})[part] = count or 0
    for spec in _SPECS:
        if spec.combine is not None:
            counted[spec.code] = {key: spec.combine(parts) for key, parts in counted[spec.code].items()}
    return counted


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def figure_url(scope: Scope, code: str, *, today: datetime.date, part: str | None = None) -> str:
    """The case list (the lead list for "leads") filtered to exactly what `code`'s `part` counts."""
    spec = _SPEC_BY_CODE[code]
    params: list[tuple[str, object]] = []
    if len(scope.procuratorate_ids) == 1:
        params.append(("procuratorate", scope.procuratorate_ids[0]))
    else:
        params.append(("procuratorate_in", ",".join(str(i) for i in scope.procuratorate_ids)))
    if scope.domain_id:
        params.append(("domain", scope.domain_id))
    if spec.group == "leads":
        params += [("received_after", scope.start.isoformat()), ("received_before", scope.end.isoformat())]
        return f"{reverse('lead_list')}?{urlencode(params)}"
    if scope.case_type:
        params.append(("case_type", scope.case_type))
    part = part or (DENOMINATOR if code in RATE_CODES else VALUE)
    params.append(("figure", f"{code}:{part}"))
    if code != "replies_overdue":
        params += [("figure_from", scope.start.isoformat()), ("figure_to", scope.end.isoformat())]
    if code in ("replies_overdue", "on_time_reply_rate"):
        params.append(("as_of", today.isoformat()))
    return f"{reverse('case_list')}?{urlencode(params)}"


def _figures(scope: Scope, counts: dict[str, dict[str, int]], *, today: datetime.date) -> list[Figure]:
    figures = []
    for spec in _SPECS:
        parts = counts.get(spec.code) or {}
        group = _GROUPS[spec.group]
        by_case = bool(group.case_path)  # counts something else than cases (or leads)
        common = {"code": spec.code, "label": str(spec.label), "definition": str(spec.definition)}
        common["unit"] = str(group.unit)
        if spec.code in RATE_CODES:
            numerator, denominator = parts.get(NUMERATOR, 0), parts.get(DENOMINATOR, 0)
            figures.append(
                Figure(
                    **common,
                    value=_ratio(numerator, denominator),
                    numerator=numerator,
                    denominator=denominator,
                    url=figure_url(scope, spec.code, today=today, part=DENOMINATOR),
                    numerator_url=figure_url(scope, spec.code, today=today, part=NUMERATOR),
                    numerator_cases=parts.get(CASES + NUMERATOR, 0) if by_case else None,
                    denominator_cases=parts.get(CASES + DENOMINATOR, 0) if by_case else None,
                )
            )
        else:
            figures.append(
                Figure(
                    **common,
                    value=parts.get(VALUE, 0),
                    numerator=None,
                    denominator=None,
                    url=figure_url(scope, spec.code, today=today),
                    cases=parts.get(CASES + VALUE, 0) if by_case else None,
                )
            )
    return figures


# How the counts are taken: live from the source tables (`_count`, below), or from the
# pre-aggregated counts (dashboard.aggregates.count). Both return the same structure and, for the
# same data, the same numbers (tests/dashboard/test_aggregates.py).
Counter = Callable[..., dict[str, dict[int | None, dict[str, int]]]]


def key_figures(scope: Scope, *, today: datetime.date, counter: Counter | None = None) -> list[Figure]:
    """The eleven figures (docs/domain.md, Dashboard figures) for `scope` (live: one query per
    figure group)."""
    counts = (counter or _count)(scope, today=today)
    return _figures(scope, {code: by_key.get(None, {}) for code, by_key in counts.items()}, today=today)


def figures_by(
    scope: Scope, *, by: str, today: datetime.date, counter: Counter | None = None
) -> list[tuple[str, list[Figure]]]:
    """One row (label, figures) per procuratorate of the scope (`by="procuratorate"`, in tree order)
    or per domain (`by="domain"`, every active domain and any other one with a figure), computed
    with GROUP BY: one query per figure group plus one for the row labels. Each row's links are
    narrowed to that procuratorate or domain."""
    if by not in ("procuratorate", "domain"):
        raise ValueError(f"figures_by: by must be 'procuratorate' or 'domain', not {by!r}")
    counts = (counter or _count)(scope, today=today, by=by)
    if by == "procuratorate":
        rows = list(
            Organisation.objects.filter(pk__in=scope.procuratorate_ids)
            .order_by("tree_path", "name")
            .values_list("pk", "name")
        )
        sub_scopes = {pk: _replace(scope, procuratorate_ids=(pk,)) for pk, _name in rows}
    else:
        # A domain "has a figure" when one of its counts is not zero (not merely when the query
        # read one of its rows): the pre-aggregated counts keep no zero rows.
        present = {key for by_key in counts.values() for key, parts in by_key.items() if any(parts.values())}
        domains = [d for d in Domain.objects.order_by("sort_order", "code") if d.is_active or d.pk in present]
        if scope.domain_id:
            domains = [d for d in domains if d.pk == scope.domain_id]
        rows = [(d.pk, str(d)) for d in domains]
        sub_scopes = {pk: _replace(scope, domain_id=pk) for pk, _name in rows}
    return [
        (
            name,
            _figures(sub_scopes[pk], {code: by_key.get(pk, {}) for code, by_key in counts.items()}, today=today),
        )
        for pk, name in rows
    ]


def _replace(scope: Scope, **changes) -> Scope:
    return dataclasses.replace(scope, **changes)


# --- The drill-down (registered with cases.filters.CaseFilter by dashboard/apps.py) -------------


def drill_down_choices() -> list[tuple[str, object]]:
    """The values of the case list's `figure` filter: "<code>:<part>" with a translated label."""
    choices: list[tuple[str, object]] = []
    for spec in _SPECS:
        if spec.group == "leads":
            continue  # the lead list's own date filters show these
        if spec.code in RATE_CODES:
            choices.append((f"{spec.code}:{DENOMINATOR}", _LabelPart(spec.label, _("分母"))))
            choices.append((f"{spec.code}:{NUMERATOR}", _LabelPart(spec.label, _("分子"))))
        else:
            choices.append((f"{spec.code}:{VALUE}", spec.label))
    return choices


class _LabelPart:
    """ "按期回复率（分母）", translated when shown."""

    def __init__(self, label, part) -> None:
        self.label, self.part = label, part

    def __str__(self) -> str:
        return gettext("%(figure)s（%(part)s）") % {"figure": self.label, "part": self.part}


def case_filter(
    queryset: QuerySet[Case],
    *,
    figure: str,
    start: datetime.date | None,
    end: datetime.date | None,
    today: datetime.date,
) -> QuerySet[Case]:
    """Narrow a case queryset to the cases behind `figure` ("<code>:<part>") in the period: the
    cases of the objects the figure counts, with the very conditions it counts them with."""
    code, _sep, part = figure.partition(":")
    spec = _SPEC_BY_CODE.get(code)
    if spec is None or spec.group == "leads":
        return queryset.none()
    conditions = spec.parts(Period(start, end, today))
    if part not in conditions:
        return queryset.none()
    group = _GROUPS[spec.group]
    if group.model is Case:
        return queryset.filter(conditions[part])
    objects = group.model.objects.filter(group.base(), conditions[part])
    return queryset.filter(pk__in=objects.values(f"{group.case_path}_id"))


def drill_down_banner(
    cases: QuerySet[Case],
    *,
    figure: str,
    start: datetime.date | None,
    end: datetime.date | None,
    today: datetime.date,
    procuratorate_id: int | None,
    domain_id: int | None,
    case_type: str | None,
) -> DrillDownBanner | None:
    """What the case list behind `figure` shows, in words (its banner): the figure's name, the part,
    what that part counts and, where the figure counts something else than cases, how many of
    those the listed `cases` hold (the figure's own number); with a link back to the dashboard."""
    code, _sep, part = figure.partition(":")
    spec = _SPEC_BY_CODE.get(code)
    if spec is None or spec.group == "leads" or part not in spec.texts:
        return None
    group = _GROUPS[spec.group]
    count = None
    if group.case_path:
        conditions = spec.parts(Period(start, end, today))
        count = (
            group.model.objects.filter(group.base(), conditions[part], **{f"{group.case_path}__in": cases.values("pk")})
            .order_by()
            .count()
        )
    params: dict[str, object] = {}
    if start:
        params["start"] = start.isoformat()
    if end:
        params["end"] = end.isoformat()
    if procuratorate_id:
        params["procuratorate"] = procuratorate_id
    if domain_id:
        params["domain"] = domain_id
    if case_type:
        params["case_type"] = case_type
    return DrillDownBanner(
        figure=str(spec.label),
        part={NUMERATOR: gettext("分子"), DENOMINATOR: gettext("分母")}.get(part, ""),
        counts=str(spec.texts[part]),
        unit=str(group.unit),
        count=count,
        # Figures "as of today" (overdue now; due dates before today) say which day that was.
        as_of=today if code in ("replies_overdue", "on_time_reply_rate") else None,
        period=code != "replies_overdue",
        back_url=f"{reverse('dashboard')}?{urlencode(params)}#figure-{code}",
    )


# --- Charts ---------------------------------------------------------------------------------------


def _case_scope(scope: Scope, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}procuratorate_id__in": scope.procuratorate_ids})
    if scope.domain_id:
        q &= Q(**{f"{prefix}domain_id": scope.domain_id})
    if scope.case_type:
        q &= Q(**{f"{prefix}case_type": scope.case_type})
    return q


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _month_key(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


AGEING_SOON_DAYS = 7  # "due soon": the first reminder (settings.DEADLINE_REMINDER_DAYS starts at 7)
TOP_AGENCIES = 10


@dataclass(frozen=True)
class ChartRows:
    """What the charts show, before labels: counted live (`_chart_rows`) or from the
    pre-aggregated counts (dashboard.aggregates.chart_rows); `charts` turns either into the
    charts."""

    cases_by_month: dict[datetime.date, int]
    recommendations_by_month: dict[datetime.date, int]
    domains: list[dict]  # {"domain_id", "domain__name", "domain__name_en", "domain__sort_order", "n"}
    procuratorates: list[dict]  # {"procuratorate_id", "procuratorate__name", "procuratorate__tree_path", "n"}
    agencies_overdue: list[tuple[str, int]]  # (agency name, count), most first, at most TOP_AGENCIES
    agencies_lawsuits: list[tuple[str, int]]
    outcomes: dict[str, int]
    ageing: dict[str, int]  # soon, d15, d30, older


def chart_data(scope: Scope, *, today: datetime.date, rows: ChartRows | None = None) -> dict:
    """The dashboard's charts, each {"title", "kind" (line/bar/pie), "categories", "series":
    [{"name", "data"}]}, keyed by chart id; all text translated. Live: seven queries, whatever the
    data (or from `rows` counted elsewhere).

    trend (cases opened and recommendations served per month of the period), domains (cases
    opened per domain), procuratorates (cases opened per procuratorate), agencies_overdue (the
    agencies with the most replies overdue now), agencies_lawsuits (the agencies sued most in the
    period), outcomes (rulings decided in the period by outcome), ageing (open deadlines of the
    scope's cases by how far past their due date they are, as of today).
    """
    if rows is None:
        rows = _chart_rows(scope, today=today)
    months = _months(scope.start, scope.end)
    trend = {
        "title": gettext("案件与检察建议月度趋势"),
        "kind": "line",
        "categories": [f"{m:%Y-%m}" for m in months],
        "series": [
            {"name": gettext("立案数"), "data": [rows.cases_by_month.get(m, 0) for m in months]},
            {"name": gettext("送达检察建议数"), "data": [rows.recommendations_by_month.get(m, 0) for m in months]},
        ],
    }
    english = _is_english()
    domains = {
        "title": gettext("各领域立案数"),
        "kind": "pie",
        "categories": [
            (row["domain__name_en"] if english and row["domain__name_en"] else row["domain__name"])
            for row in rows.domains
        ],
        "series": [{"name": gettext("立案数"), "data": [row["n"] for row in rows.domains]}],
    }
    procuratorates = {
        "title": gettext("各检察院立案数"),
        "kind": "bar",
        "categories": [row["procuratorate__name"] for row in rows.procuratorates],
        "series": [{"name": gettext("立案数"), "data": [row["n"] for row in rows.procuratorates]}],
    }
    agencies_overdue = {
        "title": gettext("逾期未回复最多的行政机关"),
        "kind": "bar",
        "horizontal": True,
        "categories": [name for name, _n in rows.agencies_overdue],
        "series": [{"name": gettext("逾期未回复数"), "data": [n for _name, n in rows.agencies_overdue]}],
    }
    agencies_lawsuits = {
        "title": gettext("被提起诉讼最多的行政机关"),
        "kind": "bar",
        "horizontal": True,
        "categories": [name for name, _n in rows.agencies_lawsuits],
        "series": [{"name": gettext("起诉数"), "data": [n for _name, n in rows.agencies_lawsuits]}],
    }
    outcome_order = [value for value, _label in Ruling.Outcome.choices if rows.outcomes.get(value)]
    outcomes = {
        "title": gettext("诉讼结果"),
        "kind": "pie",
        "categories": [str(Ruling.Outcome(value).label) for value in outcome_order],
        "series": [{"name": gettext("裁判数"), "data": [rows.outcomes[value] for value in outcome_order]}],
    }
    ageing = {
        "title": gettext("未结期限账龄"),
        "kind": "bar",
        "categories": [
            gettext("%(days)d日内到期") % {"days": AGEING_SOON_DAYS},
            gettext("逾期1–15日"),
            gettext("逾期16–30日"),
            gettext("逾期30日以上"),
        ],
        "series": [
            {
                "name": gettext("期限数"),
                "data": [rows.ageing.get(k) or 0 for k in AGEING_BUCKETS],
            }
        ],
    }
    return {
        "trend": trend,
        "domains": domains,
        "procuratorates": procuratorates,
        "agencies_overdue": agencies_overdue,
        "agencies_lawsuits": agencies_lawsuits,
        "outcomes": outcomes,
        "ageing": ageing,
    }


AGEING_BUCKETS = ("soon", "d15", "d30", "older")


def ageing_bounds(today: datetime.date) -> dict[str, tuple[datetime.date | None, datetime.date]]:
    """The ageing chart's buckets as due-date ranges (inclusive; None = open-ended), as of today."""
    day = datetime.timedelta(days=1)
    return {
        "soon": (today, today + AGEING_SOON_DAYS * day),
        "d15": (today - 15 * day, today - day),
        "d30": (today - 30 * day, today - 16 * day),
        "older": (None, today - 31 * day),
    }


def _chart_rows(scope: Scope, *, today: datetime.date) -> ChartRows:
    """The charts' numbers, live: seven queries."""
    case_scope = _case_scope(scope)
    opened = Q(opened_on__gte=scope.start, opened_on__lte=scope.end)
    cases = Case.objects.filter(case_scope, opened).order_by()

    # 1-2. Monthly trend.
    cases_by_month = {
        _month_key(row["month"]): row["n"]
        for row in cases.annotate(month=TruncMonth("opened_on")).values("month").annotate(n=Count("pk"))
    }
    recs_by_month = {
        _month_key(row["month"]): row["n"]
        for row in Recommendation.objects.filter(
            _case_scope(scope, "case__"), served_on__gte=scope.start, served_on__lte=scope.end
        )
        .order_by()
        .annotate(month=TruncMonth("served_on"))
        .values("month")
        .annotate(n=Count("pk"))
    }

    # 3. Cases by domain.
    domain_rows = list(
        cases.values("domain_id", "domain__name", "domain__name_en", "domain__sort_order")
        .annotate(n=Count("pk"))
        .order_by("domain__sort_order", "domain_id")
    )

    # 4. Cases by procuratorate.
    proc_rows = list(
        cases.values("procuratorate_id", "procuratorate__name", "procuratorate__tree_path")
        .annotate(n=Count("pk"))
        .order_by("procuratorate__tree_path")
    )

    # 5. Agencies by replies overdue now.
    overdue_rows = list(
        Deadline.objects.filter(
            _case_scope(scope, "case__"),
            rule__code__in=REPLY_RULES,
            recommendation__isnull=False,
            status=Deadline.Status.OPEN,
            due_date__lt=today,
        )
        .values("recommendation__agency_id", "recommendation__agency__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "recommendation__agency__name")[:TOP_AGENCIES]
    )

    # 6. Agencies by lawsuits in the period.
    sued_rows = list(
        Lawsuit.objects.filter(
            _case_scope(scope, "case__"),
            defendant_agency__isnull=False,
            filed_on__gte=scope.start,
            filed_on__lte=scope.end,
        )
        .values("defendant_agency_id", "defendant_agency__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "defendant_agency__name")[:TOP_AGENCIES]
    )

    # 7. Litigation outcomes.
    outcome_counts = dict(
        Ruling.objects.filter(
            _case_scope(scope, "lawsuit__case__"), decided_on__gte=scope.start, decided_on__lte=scope.end
        )
        .order_by()
        .values("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )

    # 8. Deadline ageing, as of today.
    bounds = ageing_bounds(today)
    ageing_counts = Deadline.objects.filter(
        _case_scope(scope, "case__"), status=Deadline.Status.OPEN, due_date__lte=bounds["soon"][1]
    ).aggregate(**{key: Count("pk", filter=_between("due_date", *bounds[key])) for key in AGEING_BUCKETS})
    return ChartRows(
        cases_by_month=cases_by_month,
        recommendations_by_month=recs_by_month,
        domains=domain_rows,
        procuratorates=proc_rows,
        agencies_overdue=[(row["recommendation__agency__name"], row["n"]) for row in overdue_rows],
        agencies_lawsuits=[(row["defendant_agency__name"], row["n"]) for row in sued_rows],
        outcomes=outcome_counts,
        ageing=ageing_counts,
    )


def _is_english() -> bool:
    return (get_language() or "").startswith("en")
