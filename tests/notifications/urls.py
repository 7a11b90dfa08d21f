"""The project's URLs with the notification centre mounted at /notifications/ (as the lead wires it
into pil_tracker/urls.py), so these tests do not depend on when that line lands."""

from django.urls import URLResolver, include, path

from pil_tracker.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(isinstance(p, URLResolver) and p.namespace == "notifications" for p in urlpatterns):
    urlpatterns.insert(0, path("notifications/", include("notifications.urls")))
