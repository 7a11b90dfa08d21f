"""The agency portal and the feedback review pages, mounted at /agency/ (pil_tracker/urls.py)."""

from django.urls import path

from feedback import views

urlpatterns = [
    # Agency staff.
    path("", views.agency_home, name="agency_home"),
    path("group/<slug:group>/", views.agency_home_group, name="agency_home_group"),
    path("recommendations/<int:pk>/", views.agency_recommendation_detail, name="agency_recommendation_detail"),
    path("recommendations/<int:pk>/acknowledge/", views.agency_acknowledge, name="agency_acknowledge"),
    path("recommendations/<int:pk>/reports/new/", views.feedback_report_create, name="feedback_report_create"),
    path("reports/<int:pk>/edit/", views.feedback_report_edit, name="feedback_report_edit"),
    path("reports/<int:pk>/submit/", views.feedback_report_submit, name="feedback_report_submit"),
    path("reports/<int:pk>/delete/", views.feedback_report_delete, name="feedback_report_delete"),
    # Both sides, each within its scope.
    path("reports/<int:pk>/", views.feedback_report_detail, name="feedback_report_detail"),
    path("reports/<int:pk>/export/", views.feedback_report_export, name="feedback_report_export"),
    path("files/<int:pk>/", views.feedback_attachment_download, name="feedback_attachment_download"),
    # Procuratorate staff.
    path("review/<int:pk>/", views.feedback_recommendation_review, name="feedback_recommendation_review"),
    path("review/<int:pk>/supplement/", views.feedback_supplement_request, name="feedback_supplement_request"),
    path("review/<int:pk>/follow-up/", views.feedback_follow_up, name="feedback_follow_up"),
    path("proposals/<int:pk>/decide/", views.feedback_proposal_decide, name="feedback_proposal_decide"),
]
