from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督办")

    def ready(self) -> None:
        # The deadline scan addresses escalations to discipline liaisons, who cannot see the case:
        # their notification opens this app's page instead, handed to the lower layer by URL name
        # (docs/architecture.md). Imported in ready(): the services need the models loaded.
        from deadlines.services import register_liaison_escalation_url

        register_liaison_escalation_url(detail="supervision_escalation_detail", fallback="supervision_escalation_list")
