from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The lawsuits shown on the agency home, the most urgent first (the rest on the agency's lawsuit list).
AGENCY_HOME_ROWS = 10


class LitigationConfig(AppConfig):
    name = "litigation"
    verbose_name = _("诉讼")

    def ready(self) -> None:
        # The agency portal (feedback app, a sibling) shows the agency's court duties and the
        # lawsuits on a recommendation: handed over through cases.portal (docs/architecture.md).
        # Imported in ready(): the selectors need the models loaded.
        from django.db.models import Exists, OuterRef

        from cases.portal import register_agency_parts, register_case_flag
        from litigation.models import Lawsuit, LawsuitProposal, PlaintiffSuit
        from litigation.selectors import agency_home_court_duties, lawsuits_visible_to

        register_agency_parts(
            home=lambda user, today: agency_home_court_duties(user, today=today, rows=AGENCY_HOME_ROWS),
            recommendation=lambda user, recommendation: {
                "lawsuits": lawsuits_visible_to(user).filter(recommendation=recommendation)
            },
        )
        # The case page's 诉讼 tab and actions panel skip their queries on a case without any.
        for name, model in (
            ("lawsuits", Lawsuit),
            ("lawsuit_proposals", LawsuitProposal),
            ("plaintiff_suits", PlaintiffSuit),
        ):
            register_case_flag(name, lambda model=model: Exists(model.objects.filter(case=OuterRef("pk"))))
