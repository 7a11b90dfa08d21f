"""Response headers every page gets: Content-Security-Policy, Permissions-Policy, and
`Cache-Control: no-store` on what is private (issue 16, Hardening).

A small middleware rather than django-csp (4.0 supports Django 5.2): the policy is one fixed
string with no nonces or per-view changes, because no template has inline script or style left
(start-up code lives in static/js/, chart data travels through json_script), so a dependency would
add nothing but a package to pin. HSTS, the SSL redirect and nosniff stay with Django's
SecurityMiddleware (settings, from the environment).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# 'self' only: no 'unsafe-inline' and no 'unsafe-eval' for scripts or styles. data: images are
# Bootstrap's and Swagger UI's SVG icons in their stylesheets; blob: lets a chart be downloaded.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# No page uses any of these browser features.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
_PRIVATE_CONTENT_TYPES = ("application/json", "text/csv", "application/vnd.", "application/pdf")


def is_private(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether a shared cache or the browser's history must not keep the response: anything shown
    to a signed-in user (session or API token), any JSON, any download or export."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if request.headers.get("Authorization"):
        return True
    if "public" in response.get("Cache-Control", ""):
        # A view that marked its answer public for an anonymous reader (the published typical cases).
        return False
    if request.path.startswith("/api/"):
        return True
    content_type = response.get("Content-Type", "")
    return content_type.startswith(_PRIVATE_CONTENT_TYPES) or response.has_header("Content-Disposition")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "no-store" not in response.get("Cache-Control", "") and is_private(request, response):
            # no-store (add_never_cache_headers also sets no-cache, must-revalidate, private).
            add_never_cache_headers(response)
        return response
