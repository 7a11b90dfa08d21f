from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("agency/", include("feedback.urls")),
    path("api/", include("api.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("reports/", include("reports.urls")),
    path("", include("litigation.urls")),
    path("", include("cases.urls")),
]

handler500 = "pil_tracker.views.server_error"
