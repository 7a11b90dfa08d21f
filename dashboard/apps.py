from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("统计分析")

    def ready(self) -> None:
        # The case list's `figure` filter (cases.filters) drills down into the dashboard's figures;
        # cases sits below the dashboard, so the dashboard hands it the pieces (docs/architecture.md).
        from cases.filters import DrillDown, register_drill_down
        from dashboard import metrics  # imported in ready(): models must be loaded first

        register_drill_down(
            DrillDown(choices=metrics.drill_down_choices, filter=metrics.case_filter, banner=metrics.drill_down_banner)
        )
