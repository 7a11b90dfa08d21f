from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("执法检查")

    def ready(self) -> None:
        # The lead page (cases app, below this one) shows the inspection a lead came from: handed
        # over through cases.portal (docs/architecture.md). Imported in ready(): the models first.
        from agencies.choices import register_choice_source
        from cases.portal import register_lead_origin
        from inspections.selectors import inspection_agencies, inspection_organisations, lead_origins

        register_lead_origin(lead_origins)
        # The searchable selects of the inspection forms (agencies/choices.py).
        register_choice_source("inspection_organisations", inspection_organisations)
        register_choice_source("inspection_agencies", inspection_agencies)
