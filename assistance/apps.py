from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = _("协助调查")

    def ready(self) -> None:
        # Registered with the apps below this one (docs/architecture.md): the reminders' link
        # (deadlines), the part of the case page and of the agency portal's home (cases.portal).
        # Imported in ready(): the models and URLconf must be loadable first.
        from django.db.models import Exists, OuterRef
        from django.urls import reverse

        from assistance.models import SUBJECT_TYPE, AssistanceRequest
        from assistance.selectors import agency_home_part, case_part
        from cases.portal import register_agency_parts, register_case_flag, register_case_part
        from deadlines import subjects

        subjects.register(
            SUBJECT_TYPE,
            url=lambda pk, for_obligor: reverse(
                "agency_assistance_detail" if for_obligor else "assistance_detail", args=[pk]
            ),
        )
        register_case_part(case_part)
        register_case_flag("assistance_requests", lambda: Exists(AssistanceRequest.objects.filter(case=OuterRef("pk"))))
        register_agency_parts(home=agency_home_part)
