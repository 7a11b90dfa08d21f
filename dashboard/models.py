"""Pre-aggregated counts behind the dashboard (dashboard/aggregates.py rebuilds and reads them).

One row per (grain, figure part, procuratorate, domain, case type, day, previous day) — and, for
the charts' agency and outcome breakdowns, agency or outcome — holding how many rows the part
counts (`rows`) and how many distinct case-days (`cases`). Day grain (`grain="d"`) holds every
day; month grain (`grain="m"`, `day` = the month's first day) the same summed by month, so that a
year for a city reads a few thousand rows instead of a few hundred thousand.

Distinct cases are not additive over days. `prev_day` keeps them exact: for each (part, case),
its distinct qualifying days d1 < d2 < …; the case-day di carries prev_day = d(i-1) (NULL for
d1). A case has a qualifying row in [s, e] iff exactly one of its case-days has day in [s, e] and
(prev_day IS NULL or prev_day < s). So the cases of a part over a period are the sum of `cases`
over those rows. prev_day is NULL for most rows, so it costs little.

The dimension columns are foreign keys without database constraints: the table is rebuilt from
the source tables as a whole (never edited), and must never stop a procuratorate, domain or
agency from being deleted; the next rebuild drops what no longer exists.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardCount(models.Model):
    class Grain(models.TextChoices):
        DAY = "d", _("日")
        MONTH = "m", _("月")

    grain = models.CharField(max_length=1, choices=Grain.choices)
    part = models.CharField(max_length=48)  # "<figure code>:<part>" or "chart:<series>"
    # No index of their own: the reads go through (grain, part, day); a procuratorate or domain
    # index only tempts PostgreSQL into ANDing a bitmap of a third of the table (district view
    # 360 ms with it, see bench/README.md), and slows the rebuild's inserts.
    procuratorate = models.ForeignKey(
        "agencies.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    domain = models.ForeignKey(
        "cases.Domain", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    case_type = models.CharField(max_length=32, blank=True)  # "" for leads (no case type yet)
    agency = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    outcome = models.CharField(max_length=32, blank=True)
    day = models.DateField()
    prev_day = models.DateField(null=True)
    rows = models.PositiveIntegerField()
    cases = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["grain", "part", "day"], name="dashcount_grain_part_day_idx")]

    def __str__(self) -> str:
        return f"{self.grain} {self.part} {self.day}: {self.rows}"


class DashboardAggregateBuild(models.Model):
    """The last rebuild of DashboardCount (one row, pk 1): when the counts were taken — the page
    says so — and what it cost. Written in the rebuild's transaction, so it always describes the
    counts readers see."""

    computed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    row_count = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M:%S} ({self.row_count} rows, {self.duration_ms} ms)"
