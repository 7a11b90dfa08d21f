"""Computed dashboards kept for a few minutes, so the page a supervisor lands on answers at once.

At national scale one dashboard is two dozen aggregate queries over a year of rows, seconds of
database time for a large procuratorate (bench/dashboard.py). A snapshot — the figures and charts
for one scope, day and language — is kept in the cache (Redis in production) for
DASHBOARD_CACHE_MINUTES, and the beat job `dashboard.tasks.warm_dashboards` recomputes the default
view (this year, own procuratorate and every subordinate one) of every procuratorate with a
supervisor ahead of time, in the site's language: it finds the views that are not kept or would
expire before its next run, and sends one task per procuratorate to the `bulk` queue, so that many
procuratorates are computed by as many workers as run, and a view a supervisor computed a moment
ago is skipped. The page says when its numbers were computed and
offers a recomputation; the case lists behind the numbers are always live. Reports never use
snapshots: a report file is computed when it is built.

Where do the numbers come from: the pre-aggregated counts (dashboard/aggregates.py, rebuilt by
beat every DASHBOARD_AGGREGATE_MINUTES) when they exist — any filter then answers in tens of
milliseconds, and the snapshot says when the counts were taken — else, and on a recomputation
(`?refresh=1`), live from the source tables (dashboard/metrics.py), with the same numbers. The key
names the counts' build, so a rebuild is visible at once.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone, translation

from accounts.models import Role, User
from dashboard import aggregates, metrics

KEY_VERSION = 3  # 2: figures carry their unit and case counts; 3: the source of the numbers

logger = logging.getLogger(__name__)

# Whether the last cache operation failed: the outage is logged when it starts (and again once the
# cache answered in between), not on every request while it lasts.
_cache_down = False


@dataclasses.dataclass(frozen=True)
class Snapshot:
    figures: list[metrics.Figure]
    charts: dict
    computed_at: datetime.datetime
    # True when the cache could not be reached: the figures were computed for this request only
    # and the page says so.
    cache_unavailable: bool = False
    # LIVE (computed from the source tables at computed_at) or AGGREGATES (from the counts taken
    # at computed_at).
    source: str = "live"


LIVE, AGGREGATES = "live", "aggregates"


def counts_built_at() -> datetime.datetime | None:
    """When the pre-aggregated counts the dashboard reads were taken; None when there are none or
    they are switched off (DASHBOARD_AGGREGATE_MINUTES = 0): the dashboard computes live."""
    if not settings.DASHBOARD_AGGREGATE_MINUTES:
        return None
    return aggregates.built_at()


def _cache_failed(exc: Exception) -> None:
    global _cache_down
    if not _cache_down:
        logger.error("Dashboard cache unreachable, computing dashboards live: %s", exc)
    _cache_down = True


def _cache_answered() -> None:
    global _cache_down
    if _cache_down:
        logger.warning("Dashboard cache reachable again.")
    _cache_down = False


def _cache_get(key: str) -> tuple[object, bool]:
    """(value or None, whether the cache answered). Any backend error (Redis down, refused
    connection, timeout) counts as an unreachable cache: the page computes live instead of failing."""
    try:
        value = cache.get(key)
    except Exception as exc:  # every backend raises its own connection errors
        _cache_failed(exc)
        return None, False
    _cache_answered()
    return value, True


def _cache_set(key: str, value: object) -> bool:
    try:
        cache.set(key, value, _timeout())
    except Exception as exc:  # see _cache_get
        _cache_failed(exc)
        return False
    _cache_answered()
    return True


def snapshot_key(scope: metrics.Scope, *, today: datetime.date, built_at: datetime.datetime | None = None) -> str:
    """One key per scope, day (overdue and ageing are as of today), language (labels) and build of
    the counts (`built_at`, None: no counts)."""
    parts = (
        built_at.isoformat() if built_at else LIVE,
        ",".join(str(pk) for pk in sorted(scope.procuratorate_ids)),
        scope.start.isoformat(),
        scope.end.isoformat(),
        str(scope.domain_id or ""),
        scope.case_type or "",
        today.isoformat(),
        translation.get_language() or settings.LANGUAGE_CODE,
    )
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"dashboard:v{KEY_VERSION}:{digest}"


def _timeout() -> int:
    return settings.DASHBOARD_CACHE_MINUTES * 60


def dashboard_snapshot(
    scope: metrics.Scope, *, today: datetime.date, refresh: bool = False, live: bool | None = None
) -> Snapshot:
    """The figures and charts of `scope`: from the cache unless `refresh` or absent, else computed
    (and kept): from the pre-aggregated counts where they exist, live where not or when `live`
    (default: `refresh`, a supervisor's recomputation). `scope` must already be authorised
    (metrics.scope_for)."""
    built_at = counts_built_at()
    key = snapshot_key(scope, today=today, built_at=built_at)
    reachable = True
    if not refresh and _timeout():
        cached, reachable = _cache_get(key)
        if isinstance(cached, Snapshot):
            return cached
    if live is None:
        live = refresh
    if live or built_at is None:
        snapshot = Snapshot(
            figures=metrics.key_figures(scope, today=today),
            charts=metrics.chart_data(scope, today=today),
            computed_at=timezone.now(),
        )
    else:
        snapshot = Snapshot(
            figures=aggregates.key_figures(scope, today=today),
            charts=aggregates.chart_data(scope, today=today),
            computed_at=built_at,
            source=AGGREGATES,
        )
    if _timeout() and reachable:
        reachable = _cache_set(key, snapshot)
    if not reachable:
        snapshot = dataclasses.replace(snapshot, cache_unavailable=True)
    return snapshot


def _warm_representatives():
    """One active supervisor per procuratorate: the scope depends on the procuratorate only
    (metrics.scope_for), so the first supervisor stands for all of them."""
    active = User.objects.filter(is_active=True, role=Role.SUPERVISOR, organisation__isnull=False)
    firsts = active.values("organisation_id").annotate(first=Min("pk")).values("first")
    return User.objects.filter(pk__in=firsts).select_related("organisation").order_by("organisation_id")


def _outlives_next_warming(key: str, *, now: datetime.datetime) -> bool:
    """Whether the kept snapshot under `key` will still be kept when the next warming runs: a view a
    supervisor (or the last warming) computed a moment ago needs no recomputing."""
    cached, _reachable = _cache_get(key)
    if not isinstance(cached, Snapshot):
        return False
    next_warming = now + datetime.timedelta(minutes=settings.DASHBOARD_WARM_MINUTES)
    return cached.computed_at + datetime.timedelta(seconds=_timeout()) > next_warming


def dashboards_to_warm(*, today: datetime.date, now: datetime.datetime) -> list[int]:
    """The supervisors (one per procuratorate) whose default view, in the site's language, is not
    kept or would expire before the next warming. One cache read per procuratorate, no figures."""
    stale = []
    built_at = counts_built_at()
    with translation.override(settings.LANGUAGE_CODE):
        for supervisor in _warm_representatives():
            scope = metrics.scope_for(supervisor, today=today)
            if not _outlives_next_warming(snapshot_key(scope, today=today, built_at=built_at), now=now):
                stale.append(supervisor.pk)
    return stale


def dashboard_warm(*, supervisor_id: int, today: datetime.date) -> bool:
    """Recompute one procuratorate's default view (the one `supervisor_id` lands on), in the site's
    language. False when the supervisor is gone or no longer active (nothing to warm)."""
    supervisor = (
        User.objects.filter(pk=supervisor_id, is_active=True, role=Role.SUPERVISOR, organisation__isnull=False)
        .select_related("organisation")
        .first()
    )
    if supervisor is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        # From the counts where they exist (a few queries), recomputed even if kept.
        dashboard_snapshot(metrics.scope_for(supervisor, today=today), today=today, refresh=True, live=False)
    return True


def dashboards_warm(*, today: datetime.date, now: datetime.datetime) -> int:
    """Recompute, in this process, every procuratorate's default view that needs it (the beat job
    fans the same out, one task per procuratorate); returns how many were computed."""
    return sum(dashboard_warm(supervisor_id=pk, today=today) for pk in dashboards_to_warm(today=today, now=now))
