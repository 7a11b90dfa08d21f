"""/api/: the versioned resources under v1/, the OpenAPI schema and its Swagger UI (served from
drf-spectacular-sidecar's static files, no CDN). Any other /api/ address answers a JSON 404."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api.errors import not_found
from api.views import assistance, cases, feedback, files, inspections, litigation, misc, recommendations, reference
from api.views.auth import TokenView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("procuratorates", reference.ProcuratorateViewSet, basename="procuratorate")
router.register("agencies", reference.AgencyViewSet, basename="agency")
router.register("domains", reference.DomainViewSet, basename="domain")
router.register("holidays", reference.HolidayViewSet, basename="holiday")
router.register("leads", cases.LeadViewSet, basename="lead")
router.register("cases", cases.CaseViewSet, basename="case")
router.register("recommendations", recommendations.RecommendationViewSet, basename="recommendation")
router.register("feedback", feedback.FeedbackViewSet, basename="feedback")
router.register("lawsuits", litigation.LawsuitViewSet, basename="lawsuit")
router.register("hearings", litigation.HearingViewSet, basename="hearing")
router.register("rulings", litigation.RulingViewSet, basename="ruling")
router.register("attachments", files.AttachmentViewSet, basename="attachment")
router.register("feedback-attachments", feedback.FeedbackFileViewSet, basename="feedback-attachment")
router.register("litigation-files", files.LitigationFileViewSet, basename="litigation-file")
router.register("deadlines", misc.DeadlineViewSet, basename="deadline")
router.register("notifications", misc.NotificationViewSet, basename="notification")
router.register("inspections", inspections.InspectionViewSet, basename="inspection")
router.register("inspection-findings", inspections.FindingViewSet, basename="inspection-finding")
router.register("assistance-requests", assistance.AssistanceViewSet, basename="assistance-request")
router.register("assistance-files", assistance.AssistanceFileViewSet, basename="assistance-file")

app_name = "api"

urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", not_found),
]
