from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path

from accounts.views import language_set
from pil_tracker import health


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers ask for whatever the page links: the SVG icon (its static URL
    is resolved per request, so a hashed name under the manifest storage is followed)."""
    return HttpResponseRedirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    # Before Django's own (same path and name): the switch also remembers a signed-in user's choice.
    path("i18n/setlang/", language_set, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("agencies/", include("agencies.urls")),
    path("notifications/", include("notifications.urls")),
    path("agency/", include("feedback.urls")),
    path("api/", include("api.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("reports/", include("reports.urls")),
    path("", include("typical_cases.urls")),
    path("supervision/", include("supervision.urls")),
    path("interference/", include("interference.urls")),
    path("meetings/", include("meetings.urls")),
    path("", include("inspections.urls")),
    path("", include("assistance.urls")),
    path("", include("litigation.urls")),
    path("", include("referrals.urls")),
    path("", include("cases.urls")),
]

handler500 = "pil_tracker.error_views.server_error"
