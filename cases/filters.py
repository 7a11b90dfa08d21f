"""Filters of the lead and case lists (and of the case export, which uses the same FilterSet).

The querysets they filter come from the selectors; the choices they offer (procuratorates,
agencies, handlers) are limited to what the user may see, and a value outside those choices makes
the form invalid, which the views turn into an empty result rather than an unfiltered one.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BaseCSVWidget

from accounts.models import User
from agencies.models import Organisation
from agencies.widgets import AgencySelect, FastSelect
from cases.forms.browse import DATE_INPUT, bootstrap
from cases.models import Case, CaseType, Domain, Lead
from cases.selectors import (
    CONFIDENTIAL_FIELDS,
    agencies_for_choice,
    confidential_leads_q,
    handlers_in_scope,
    procuratorates_visible_to,
)
from deadlines.selectors import cases_due_within, cases_overdue
from pil_tracker.filtering import DateFilter, IdInFilter, ModelChoiceFilter, SafeFilterSet, contains_q


@dataclass(frozen=True)
class DrillDown:
    """The cases behind one figure of the dashboard: `choices()` lists the figures ("<code>:<part>",
    label); `filter(queryset, figure=, start=, end=, today=)` narrows a case queryset to one."""

    choices: Callable[[], list[tuple[str, object]]]
    filter: Callable[..., QuerySet[Case]]
    # banner(cases, figure=, start=, end=, today=, procuratorate_id=, domain_id=, case_type=): what
    # the list shows, in words (DrillDownBanner), or None.
    banner: Callable[..., DrillDownBanner | None] | None = None


@dataclass(frozen=True)
class DrillDownBanner:
    """The head of a drill-down list: which figure and part it lists, over which period and
    procuratorates, and how many of the figure's unit the listed cases hold (its number on the
    dashboard) where that unit is not the case."""

    figure: str  # the figure's name ("按期回复率")
    part: str  # "分子", "分母", or "" for a count
    counts: str  # what the part counts ("按期回复的检察建议")
    unit: str  # "检察建议", "案件", …
    count: int | None  # how many of `unit` the listed cases hold; None where the unit is the case
    as_of: datetime.date | None
    period: bool  # whether the figure is limited to the period (the overdue count is not)
    back_url: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    scope: str = ""  # the procuratorates, in words


# The dashboard sits above cases (docs/architecture.md), so it registers its drill-down here from
# its AppConfig.ready(); without it the `figure` filter offers no choice.
_drill_down: DrillDown | None = None


def register_drill_down(drill_down: DrillDown) -> None:
    global _drill_down
    _drill_down = drill_down


def _figure_choices() -> list[tuple[str, object]]:
    return _drill_down.choices() if _drill_down else []


def _date_filter(field_name: str, lookup: str, label) -> DateFilter:
    return DateFilter(field_name=field_name, lookup_expr=lookup, label=label, widget=DATE_INPUT)


class HiddenCSVWidget(BaseCSVWidget, forms.HiddenInput):
    """A comma-separated list of ids as one hidden input (several values included)."""

    surrogate = forms.HiddenInput


def _procuratorate_in_filter() -> IdInFilter:
    # Several procuratorates at once: the dashboard's links for a supervisor's whole scope (own
    # procuratorate and subordinates). Ids outside the user's scope match nothing: the list's
    # queryset is already scoped. No query to render, unlike a choice field.
    # Hidden: only a link fills it in (the list's banner names the procuratorates).
    return IdInFilter(
        field_name="procuratorate_id", lookup_expr="in", label=_("检察院（编号，以逗号分隔）"), widget=HiddenCSVWidget
    )


class StableOrderingFilter(django_filters.OrderingFilter):
    """Ordering by a non-unique column (status, date) still pages deterministically: ties by id."""

    def filter(self, qs, value):
        # Never by a confidential field, whoever asks: a sort order would reveal it.
        value = [v for v in value or [] if v.lstrip("-") not in CONFIDENTIAL_FIELDS]
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-id")
        return qs


class BootstrapFilterSet(SafeFilterSet):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self.form)

    @property
    def qs(self) -> QuerySet:
        # An invalid value (a date that is not a date, a procuratorate outside the user's scope)
        # selects nothing; django-filter would otherwise silently drop that one filter.
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return super().qs


class LeadFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("关键词"))
    status = django_filters.ChoiceFilter(choices=Lead.Status.choices, label=_("状态"), widget=FastSelect)
    # Confidential (cases.selectors.CONFIDENTIAL_FIELDS): filters only among the leads whose source
    # the user reads, so the answer never depends on a source the user may not see.
    source = django_filters.ChoiceFilter(
        choices=Lead.Source.choices, method="filter_source", label=_("线索来源"), widget=FastSelect
    )
    domain = ModelChoiceFilter(queryset=Domain.objects.all(), label=_("领域"), widget=FastSelect)
    received_after = _date_filter("received_on", "gte", _("受理日期自"))
    received_before = _date_filter("received_on", "lte", _("受理日期至"))
    procuratorate_in = _procuratorate_in_filter()

    class Meta:
        model = Lead
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Lead], name: str, value: str) -> QuerySet[Lead]:
        return queryset.filter(contains_q(value, "title", "summary"))

    def filter_source(self, queryset: QuerySet[Lead], name: str, value: str) -> QuerySet[Lead]:
        user = getattr(self.request, "user", None)
        if user is None:
            return queryset.none()
        return queryset.filter(confidential_leads_q(user), source=value)


def _procuratorates(request):
    return procuratorates_visible_to(request.user) if request else Organisation.objects.none()


def _agencies(request):
    return agencies_for_choice(request.user) if request else Organisation.objects.none()


def _handlers(request):
    return handlers_in_scope(request.user) if request else User.objects.none()


class CaseFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("案号或案件名称"))
    # The short lists' options are written in Python (FastSelect): through Django's per-option
    # templates they were a good part of the list page's time.
    status = django_filters.ChoiceFilter(choices=Case.Status.choices, label=_("状态"), widget=FastSelect)
    case_type = django_filters.ChoiceFilter(choices=CaseType.choices, label=_("案件类型"), widget=FastSelect)
    domain = ModelChoiceFilter(queryset=Domain.objects.all(), label=_("领域"), widget=FastSelect)
    procuratorate = ModelChoiceFilter(queryset=_procuratorates, label=_("检察院"), widget=FastSelect)
    agency = ModelChoiceFilter(
        field_name="agencies", queryset=_agencies, label=_("涉及行政机关"), widget=AgencySelect(source="agencies")
    )
    # Searched, like the agency: a province's filter would otherwise carry thousands of <option>s.
    handler = ModelChoiceFilter(queryset=_handlers, label=_("承办检察官"), widget=AgencySelect(source="case_handlers"))
    opened_after = _date_filter("opened_on", "gte", _("立案日期自"))
    opened_before = _date_filter("opened_on", "lte", _("立案日期至"))
    closed_after = _date_filter("closed_on", "gte", _("终结日期自"))
    closed_before = _date_filter("closed_on", "lte", _("终结日期至"))
    due_within = django_filters.NumberFilter(
        method="filter_due_within", label=_("N日内到期"), min_value=0, max_value=366
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("已逾期"), widget=forms.CheckboxInput)
    procuratorate_in = _procuratorate_in_filter()
    # The dashboard's drill-down (registered above): the cases behind one of its figures, with the
    # very conditions the figure is counted with. The three fields below only qualify `figure`;
    # filter_queryset applies them together.
    # Hidden inputs (paging, sorting and the other filters keep them); the list's banner says them
    # in words (drill_down_banner).
    figure = django_filters.ChoiceFilter(
        choices=_figure_choices, method="filter_noop", label=_("统计指标"), widget=forms.HiddenInput
    )
    figure_from = DateFilter(method="filter_noop", label=_("统计期间自"), widget=forms.HiddenInput)
    figure_to = DateFilter(method="filter_noop", label=_("统计期间至"), widget=forms.HiddenInput)
    as_of = DateFilter(method="filter_noop", label=_("统计基准日"), widget=forms.HiddenInput)
    ordering = StableOrderingFilter(
        fields=(
            ("number", "number"),
            ("opened_on", "opened_on"),
            ("status", "status"),
            ("title", "title"),
            ("next_due", "next_due"),
        ),
        field_labels={
            "number": _("案号"),
            "-number": _("案号（降序）"),
            "opened_on": _("立案日期"),
            "-opened_on": _("立案日期（降序）"),
            "status": _("状态"),
            "-status": _("状态（降序）"),
            "title": _("案件名称"),
            "-title": _("案件名称（降序）"),
            "next_due": _("下一期限"),
            "-next_due": _("下一期限（降序）"),
        },
        label=_("排序"),
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(contains_q(value, "number", "title"))

    def filter_due_within(self, queryset: QuerySet[Case], name: str, value: int) -> QuerySet[Case]:
        return cases_due_within(queryset, int(value))

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        return cases_overdue(queryset) if value else queryset

    def filter_noop(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Case]) -> QuerySet[Case]:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("figure") and _drill_down:
            queryset = _drill_down.filter(
                queryset,
                figure=data["figure"],
                start=data.get("figure_from"),
                end=data.get("figure_to"),
                today=data.get("as_of") or timezone.localdate(),
            )
        return queryset

    def drill_down_banner(self) -> DrillDownBanner | None:
        """The banner of a drill-down list (a valid `figure`), or None."""
        if _drill_down is None or _drill_down.banner is None or not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        if not data.get("figure"):
            return None
        procuratorate = data.get("procuratorate")
        domain = data.get("domain")
        banner = _drill_down.banner(
            self.qs,
            figure=data["figure"],
            start=data.get("figure_from"),
            end=data.get("figure_to"),
            today=data.get("as_of") or timezone.localdate(),
            procuratorate_id=procuratorate.pk if procuratorate else None,
            domain_id=domain.pk if domain else None,
            case_type=data.get("case_type") or None,
        )
        if banner is None:
            return None
        return dataclasses.replace(
            banner, start=data.get("figure_from"), end=data.get("figure_to"), scope=self._scope_in_words()
        )

    def _scope_in_words(self) -> str:
        """The procuratorates the list is narrowed to: one name, "X及下级院" for a procuratorate with
        all its subordinates in the user's scope, else the names; "" when not narrowed."""
        data = self.form.cleaned_data
        if data.get("procuratorate"):
            return data["procuratorate"].name
        ids = data.get("procuratorate_in")
        if not ids:
            return ""
        user = getattr(self.request, "user", None)
        visible = procuratorates_visible_to(user) if user is not None else Organisation.objects.none()
        chosen = list(visible.filter(pk__in=ids).order_by("tree_path", "name"))
        if not chosen:
            return ""
        top = chosen[0]
        below = visible.filter(tree_path__startswith=top.tree_path).values_list("pk", flat=True)
        if len(chosen) > 1 and {o.pk for o in chosen} == set(below):
            return str(_("%(name)s及下级院") % {"name": top.name})
        return "、".join(o.name for o in chosen)
