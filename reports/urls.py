from django.urls import path, re_path

from reports import views

# Mounted at /reports/ (pil_tracker/urls.py).
urlpatterns = [
    path("", views.reports_index, name="reports_index"),
    re_path(
        r"^request/(?P<kind>briefing|statistics|congress|interference)/$", views.report_request, name="report_request"
    ),
    path("jobs/<int:pk>/", views.report_job, name="report_job"),
    path("jobs/<int:pk>/status/", views.report_job_status, name="report_job_status"),
    path("jobs/<int:pk>/download/", views.report_job_download, name="report_job_download"),
]
