from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterferenceConfig(AppConfig):
    name = "interference"
    verbose_name = _("干预司法记录")

    def ready(self) -> None:
        # The case page (cases, a lower layer) shows a link to the case's interference records to
        # those who may read them: handed over through cases.portal (docs/architecture.md).
        # Imported in ready(): the selectors need the models loaded.
        from django.db.models import Exists, OuterRef

        from cases.portal import register_case_flag, register_case_links
        from interference.models import InterferenceRecord
        from interference.selectors import case_interference_link

        register_case_links(case_interference_link)
        register_case_flag(
            "interference_records", lambda: Exists(InterferenceRecord.objects.filter(case=OuterRef("pk")))
        )
