from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("执法检查")

    def ready(self) -> None:
        # The lead page (cases app, below this one) shows the inspection a lead came from: handed
        # over through cases.portal (docs/architecture.md). Imported in ready(): the models first.
        from cases.portal import register_lead_origin
        from inspections.selectors import lead_origins

        register_lead_origin(lead_origins)
