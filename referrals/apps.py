from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("线索移送")

    def ready(self) -> None:
        # The lower apps learn of referrals through hooks (docs/architecture.md): the approvals
        # inbox (litigation), the case and lead pages (cases), the deadline reminders' links.
        # Imported in ready(): the selectors need the models loaded.
        from django.db.models import Exists, OuterRef
        from django.urls import reverse

        from agencies.choices import register_choice_source
        from cases.portal import register_case_flag, register_page_parts
        from deadlines import subjects
        from deadlines.models import register_seeded_rule
        from litigation.approvals import register_inbox_part
        from referrals.models import SUBJECT_TYPE, Referral
        from referrals.selectors import referral_agencies, referral_commissions
        from referrals.views import inbox_part

        register_inbox_part(inbox_part)
        register_choice_source("referral_agencies", referral_agencies)
        register_choice_source("commissions", referral_commissions)
        register_page_parts(case="referrals/_case_block.html", lead="referrals/_lead_block.html")
        register_case_flag("referrals", lambda: Exists(Referral.objects.filter(case=OuterRef("pk"))))
        subjects.register(SUBJECT_TYPE, url=lambda pk, for_obligor: reverse("referral_detail", args=[pk]))
        # The rules seeded by migration 0002, shown in the reader's language.
        register_seeded_rule(
            "referral_acknowledge", name=gettext_noop("移送线索签收期限"), start_event=gettext_noop("移送线索")
        )
        register_seeded_rule(
            "referral_outcome",
            name=gettext_noop("移送线索处理结果反馈期限"),
            start_event=gettext_noop("签收移送线索"),
        )
