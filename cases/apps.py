from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("案件")

    def ready(self) -> None:
        # The searchable selects ask agencies' search endpoint for the same agencies (and handlers)
        # the forms and the case filter accept (agencies/choices.py). Imported in ready(): the
        # models first.
        from accounts.choices import PEOPLE
        from agencies.choices import register_choice_source
        from cases.selectors import agencies_for_choice, handlers_in_scope

        register_choice_source("agencies", agencies_for_choice)
        register_choice_source("case_handlers", handlers_in_scope, display=PEOPLE)
