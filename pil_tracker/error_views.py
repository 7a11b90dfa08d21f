"""Site-wide error views (handler500). Not one of the shared helpers below the apps: it knows the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import server_error as page_server_error

from api.errors import server_error_body


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: under /api/ the API's JSON error format (a program reads the answer), else the
    error page. Django has already logged the exception (django.request)."""
    if request.path.startswith("/api/"):
        return JsonResponse(server_error_body(), status=500)
    return page_server_error(request)
