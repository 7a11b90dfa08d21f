from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("整改反馈")

    def ready(self) -> None:
        # The case page's 整改反馈 tab lists the issued recommendations: it skips its queries on a
        # case without any (cases.portal, docs/architecture.md). Imported in ready(): models first.
        from django.db.models import Exists, OuterRef

        from cases.models import Recommendation
        from cases.portal import register_case_flag
        from feedback.models import FeedbackReport
        from feedback.selectors import REVIEWED_STATUSES

        register_case_flag(
            "reviewed_recommendations",
            lambda: Exists(Recommendation.objects.filter(case=OuterRef("pk"), status__in=REVIEWED_STATUSES)),
        )
        register_case_flag(
            "feedback_reports",
            # Any report, draft or submitted: a flag may only err towards running the query.
            lambda: Exists(FeedbackReport.objects.filter(recommendation__case=OuterRef("pk"))),
        )
