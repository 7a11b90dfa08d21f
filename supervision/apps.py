from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督办")

    def ready(self) -> None:
        # The deadline scan addresses escalations to discipline liaisons, who cannot see the case:
        # their notification opens this app's page instead, handed to the lower layer by URL name
        # (docs/architecture.md). Imported in ready(): the services need the models loaded.
        from django.db.models import Exists, OuterRef

        from cases.portal import register_case_flag
        from deadlines.services import register_liaison_escalation_url
        from supervision.models import SupervisionAction

        register_liaison_escalation_url(detail="supervision_escalation_detail", fallback="supervision_escalation_list")
        # The case page's block of supervision actions skips its query on a case without any.
        register_case_flag(
            "supervision_actions",
            lambda: Exists(SupervisionAction.objects.filter(recommendation__case=OuterRef("pk"))),
        )
