"""The supervisor's dashboard (issue 7): key figures with their definitions and the lists behind
them, and charts with a table view. Supervisors only; a procuratorate outside the user's scope is
404, like one that does not exist."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import Organisation
from dashboard import metrics, snapshots
from dashboard.forms import DashboardFilterForm
from typical_cases.selectors import congress_figures, congress_requests_visible_to


def _scope(request: HttpRequest) -> tuple[DashboardFilterForm, metrics.Scope]:
    """Authorise, read the filter form, and build the scope: 403 for anyone but a supervisor, 404
    for a procuratorate outside the user's scope; an invalid date falls back to this year."""
    if not metrics.can_view_dashboard(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None, user=request.user)
    procuratorate_id = None
    if form.is_bound:
        form.is_valid()
        if "procuratorate" in form.errors:
            raise Http404
        procuratorate = form.cleaned_data.get("procuratorate")
        procuratorate_id = procuratorate.pk if procuratorate else None
    start, end = form.period() if form.is_bound else (None, None)
    data = getattr(form, "cleaned_data", {})
    domain = data.get("domain")
    scope = metrics.scope_for(
        request.user,
        procuratorate_id=procuratorate_id,
        start=start,
        end=end,
        domain_id=domain.pk if domain else None,
        case_type=data.get("case_type") or None,
        today=today,
    )
    if not form.is_bound:
        form = DashboardFilterForm(initial={"start": scope.start, "end": scope.end}, user=request.user)
    return form, scope


# Charts counted as of today whatever the period (metrics.chart_data).
AS_OF_TODAY_CHARTS = frozenset({"agencies_overdue", "ageing"})


def _scope_name(user, scope: metrics.Scope) -> str:
    """The procuratorates of the scope in words: one name, or "X及下级院" for the user's own one
    with its subordinates (everything in an administrator's case)."""
    if len(scope.procuratorate_ids) == 1:
        organisation = Organisation.objects.filter(pk=scope.procuratorate_ids[0]).first()
        return organisation.name if organisation else ""
    if user.organisation_id:
        return _("%(name)s及下级院") % {"name": user.organisation.name}
    return str(_("全部检察院"))


def _tables(charts: dict, *, scope: metrics.Scope, scope_name: str, today: datetime.date) -> list[dict]:
    """Each chart with its rows (category, value per series) for the server-rendered table, and
    the subtitle of its downloaded image (period or day, procuratorates)."""
    tables = []
    for key, chart in charts.items():
        rows = [
            (category, [series["data"][i] for series in chart["series"]])
            for i, category in enumerate(chart["categories"])
        ]
        if key in AS_OF_TODAY_CHARTS:
            when = _("截至%(day)s") % {"day": date_format(today)}
        else:
            start, end = date_format(scope.start), date_format(scope.end)
            when = _("统计期间：%(start)s至%(end)s") % {"start": start, "end": end}
        subtitle = f"{when} · {scope_name}" if scope_name else when
        tables.append({"key": key, **chart, "rows": rows, "subtitle": subtitle})
    return tables


def _snapshot(request: HttpRequest, scope: metrics.Scope) -> snapshots.Snapshot:
    """The scope's figures and charts, kept for a few minutes; `?refresh=1` recomputes them."""
    return snapshots.dashboard_snapshot(scope, today=timezone.localdate(), refresh=request.GET.get("refresh") == "1")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, scope = _scope(request)
    snapshot = _snapshot(request, scope)
    query = request.GET.copy()
    query.pop("refresh", None)
    query["refresh"] = "1"
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "today": timezone.localdate(),
            "figures": snapshot.figures,
            "charts": _tables(
                snapshot.charts, scope=scope, scope_name=_scope_name(request.user, scope), today=timezone.localdate()
            ),
            "chart_data": snapshot.charts,
            "computed_at": snapshot.computed_at,
            # From the pre-aggregated counts (taken at computed_at) or live: the page says which.
            "counts_source": snapshot.source,
            "aggregate_minutes": settings.DASHBOARD_AGGREGATE_MINUTES,
            "cache_unavailable": snapshot.cache_unavailable,
            "refresh_query": query.urlencode(),
            # Counted live (three counts, one query): the congress block is not part of the snapshot.
            "congress_figures": congress_figures(
                congress_requests_visible_to(request.user),
                procuratorate_ids=scope.procuratorate_ids,
                start=scope.start,
                end=scope.end,
                today=timezone.localdate(),
            ),
            "congress_query": urlencode(
                {
                    "start": scope.start.isoformat(),
                    "end": scope.end.isoformat(),
                    "procuratorates": ",".join(str(pk) for pk in scope.procuratorate_ids),
                }
            ),
        },
    )


def _figure_json(figure: metrics.Figure) -> dict:
    return {
        "code": figure.code,
        "label": figure.label,
        "definition": figure.definition,
        "value": None if figure.value is None else str(figure.value) if figure.is_rate else figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "url": figure.url,
        "numerator_url": figure.numerator_url or None,
        # What the figure counts; where that is not the case, how many cases (the rows of its lists).
        "unit": figure.unit,
        "cases": figure.cases,
        "numerator_cases": figure.numerator_cases,
        "denominator_cases": figure.denominator_cases,
    }


@login_required
def dashboard_data(request: HttpRequest) -> JsonResponse:
    """The same figures and charts as JSON (same filters, same access rule)."""
    _form, scope = _scope(request)
    today = timezone.localdate()
    snapshot = _snapshot(request, scope)
    return JsonResponse(
        {
            "scope": {
                "procuratorate_ids": list(scope.procuratorate_ids),
                "start": scope.start.isoformat(),
                "end": scope.end.isoformat(),
                "domain_id": scope.domain_id,
                "case_type": scope.case_type,
                "today": today.isoformat(),
            },
            "computed_at": snapshot.computed_at.isoformat(),
            "source": snapshot.source,  # "aggregates" (counts taken at computed_at) or "live"
            "cache_unavailable": snapshot.cache_unavailable,
            "figures": [_figure_json(f) for f in snapshot.figures],
            "charts": snapshot.charts,
        },
        json_dumps_params={"ensure_ascii": False},
    )
