from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("报表")

    def ready(self) -> None:
        # A congress request (typical_cases, a lower layer) may be answered with a generated
        # report: handed over here (docs/architecture.md). Imported in ready(): models first.
        from agencies.choices import register_choice_source
        from reports.builders.briefing import briefing_agencies
        from reports.selectors import finished_report_choices, finished_report_file
        from typical_cases.answers import ReportSource, register_report_source

        register_report_source(ReportSource(choices=finished_report_choices, load=finished_report_file))
        # The briefing form's agency, searched (agencies/choices.py).
        register_choice_source("briefing_agencies", briefing_agencies)
