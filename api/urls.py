"""/api/: the versioned resources under v1/, the OpenAPI schema and its Swagger UI (served from
drf-spectacular-sidecar's static files, no CDN). Any other /api/ address answers a JSON 404."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api.errors import not_found
from api.views import (
    assistance,
    cases,
    feedback,
    files,
    inspections,
    interference,
    litigation,
    meetings,
    misc,
    recommendations,
    reference,
    referrals,
    supervision,
    typical_cases,
)
from api.views.auth import TokenDetailView, TokenListView, TokenView

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
router.register("interference-records", interference.InterferenceRecordViewSet, basename="interference-record")
router.register(
    "interference-attachments", interference.InterferenceAttachmentViewSet, basename="interference-attachment"
)
router.register("deadlines", misc.DeadlineViewSet, basename="deadline")
router.register("notifications", misc.NotificationViewSet, basename="notification")
router.register("typical-cases", typical_cases.TypicalCaseViewSet, basename="typical-case")
router.register("public/typical-cases", typical_cases.PublicTypicalCaseViewSet, basename="public-typical-case")
router.register("congress-requests", typical_cases.CongressRequestViewSet, basename="congress-request")
router.register("escalations", supervision.EscalationViewSet, basename="escalation")
router.register("supervision-actions", supervision.SupervisionActionViewSet, basename="supervision-action")
router.register("referrals", referrals.ReferralViewSet, basename="referral")
router.register("meetings", meetings.MeetingViewSet, basename="meeting")
router.register("meeting-decisions", meetings.DecisionViewSet, basename="meeting-decision")
router.register("inspections", inspections.InspectionViewSet, basename="inspection")
router.register("inspection-findings", inspections.FindingViewSet, basename="inspection-finding")
router.register("assistance-requests", assistance.AssistanceViewSet, basename="assistance-request")
router.register("assistance-files", assistance.AssistanceFileViewSet, basename="assistance-file")

app_name = "api"

urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="token"),
    path("v1/auth/tokens/", TokenListView.as_view(), name="tokens"),
    path("v1/auth/tokens/<int:pk>/", TokenDetailView.as_view(), name="token_detail"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", not_found),
]
