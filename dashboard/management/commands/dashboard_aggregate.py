"""`manage.py dashboard_aggregate`: rebuild the dashboard's pre-aggregated counts now (beat runs
`dashboard.tasks.aggregate_dashboard` every DASHBOARD_AGGREGATE_MINUTES; dashboard/aggregates.py)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from dashboard import aggregates


class Command(BaseCommand):
    help = "Rebuild the dashboard's pre-aggregated counts (one transaction; readers see the old counts until it ends)."

    def handle(self, *args, **options) -> None:
        build = aggregates.rebuild()
        self.stdout.write(
            f"Dashboard counts rebuilt: {build.row_count:,} rows in {build.duration_ms / 1000:.1f} s "
            f"(data as of {timezone.localtime(build.computed_at):%Y-%m-%d %H:%M:%S %Z})."
        )
