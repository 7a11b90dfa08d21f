from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("联席会议")

    def ready(self) -> None:
        # In ready(): the URLconf and the deadlines registry are loaded by now.
        from django.urls import reverse

        from agencies.choices import register_choice_source
        from cases.portal import register_agency_parts
        from deadlines import subjects
        from meetings.models import DECISION_SUBJECT, Decision
        from meetings.selectors import agency_open_decisions, meeting_organisations

        def decision_url(pk: int, for_obligor: bool) -> str:
            meeting_id = Decision.objects.filter(pk=pk).values_list("meeting_id", flat=True).first()
            return reverse("meeting_detail", args=[meeting_id]) + f"#decision-{pk}" if meeting_id else ""

        subjects.register(DECISION_SUBJECT, url=decision_url)
        # The host and participants of the schedule form, searched (agencies/choices.py).
        register_choice_source("meeting_organisations", meeting_organisations)
        # The agency portal's home (feedback, a sibling) lists the agency's open decisions.
        register_agency_parts(home=lambda user, today: {"meeting_decisions": agency_open_decisions(user)})
