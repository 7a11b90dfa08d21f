from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("线索移送")

    def ready(self) -> None:
        # The lower apps learn of referrals through hooks (docs/architecture.md): the approvals
        # inbox (litigation), the case and lead pages (cases), the deadline reminders' links.
        # Imported in ready(): the selectors need the models loaded.
        from django.urls import reverse

        from cases.page_parts import register_page_parts
        from deadlines import subjects
        from litigation.approvals import register_inbox_part
        from referrals.models import SUBJECT_TYPE
        from referrals.views import inbox_part

        register_inbox_part(inbox_part)
        register_page_parts(case="referrals/_case_block.html", lead="referrals/_lead_block.html")
        subjects.register(SUBJECT_TYPE, url=lambda pk, for_obligor: reverse("referral_detail", args=[pk]))
