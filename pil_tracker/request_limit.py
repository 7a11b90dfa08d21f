"""Refuses a request whose declared body is larger than REQUEST_MAX_BYTES before anything reads it
(issue 16, Hardening): 413, as a page for the browser or the API's JSON error under /api/.

Django itself only stops reading non-file form data past DATA_UPLOAD_MAX_MEMORY_SIZE; a file upload
is streamed to a temporary file whatever its size, and only then refused by
storage.services.validate_upload. Checking the declared Content-Length first means a 2 GB upload
costs the server nothing. A body sent without Content-Length (chunked) cannot be judged here: the
reverse proxy's limit (nginx `client_max_body_size`, docs/operations.md) covers it.

A kernel helper: it imports no app.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from pil_tracker.errors import error_body


def declared_length(request: HttpRequest) -> int | None:
    """The body length the client announced, or None (absent or not a number: Django reads such a
    body as empty)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def too_large_message() -> str:
    limit_mb = settings.REQUEST_MAX_BYTES / (1024 * 1024)
    return _("请求过大：一次提交不能超过 %(limit)s MB（每个文件不能超过 %(file_limit)d MB）。") % {
        "limit": f"{limit_mb:g}",
        "file_limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    }


class RequestSizeLimitMiddleware:
    """Placed before any middleware or view that reads request.POST or request.body (the CSRF
    check does, in its process_view, which runs after every middleware's __call__)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        if length is not None and length > settings.REQUEST_MAX_BYTES:
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponse:
        # The LocaleMiddleware has run (the page is in the reader's language); for the API the
        # language of Accept-Language, as every other API error.
        language = translation.get_language_from_request(request) if request.path.startswith("/api/") else None
        with translation.override(language or translation.get_language()):
            message = too_large_message()
            if request.path.startswith("/api/"):
                response: HttpResponse = JsonResponse(error_body("request_too_large", message), status=413)
            else:
                html = render_to_string("413.html", {"message": message}, request=request)
                response = HttpResponse(html, status=413)
        # The body was not read: the connection cannot be reused for another request.
        response["Connection"] = "close"
        return response
