"""The security event log (issue 16): `security_event()` is the one way a row is written.

Logins, failures and lockouts come from the authentication signals (connected in
accounts.apps); exports and file downloads from `DownloadLogMiddleware`, which sees every
attachment response of every app in one place; user changes, unlocks and tokens from the admin and
the token views.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.lockout import client_address
from accounts.models import SecurityEvent, User

Kind = SecurityEvent.Kind


def security_event(kind: str, user: User | None, request: HttpRequest | None, **details) -> SecurityEvent:
    """Records one event. `user` is who acted (None when unknown, e.g. a failed login: pass
    `username=` then); `details` must be JSON-serialisable and hold no secret."""
    username = details.pop("username", "") or (user.get_username() if user is not None else "")
    authenticated = user is not None and user.is_authenticated
    return SecurityEvent.objects.create(
        at=timezone.now(),
        kind=kind,
        user=user if authenticated else None,
        username=username[:150],
        address=(client_address(request) or None) if request is not None else None,
        path=request.get_full_path()[:500] if request is not None else "",
        details=details,
    )


@receiver(user_logged_in, dispatch_uid="security_log_login")
def _logged_in(sender, request, user, **kwargs):
    via = "api" if request is not None and request.path_info.startswith("/api/") else "web"
    security_event(Kind.LOGIN, user, request, via=via)


@receiver(user_login_failed, dispatch_uid="security_log_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # A refusal because of a lock or a slow-down is recorded once, as a lockout (below).
    if request is not None and getattr(request, "pil_login_refused", False):
        return
    security_event(Kind.LOGIN_FAILED, None, request, username=str(credentials.get("username") or ""))


@receiver(user_locked_out, dispatch_uid="security_log_lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    security_event(Kind.LOCKOUT, None, request, username=str(username or ""))


class DownloadLogMiddleware:
    """Records every file a signed-in user receives as an attachment or a file: an export when
    the view builds it (case lists, documents, reports, the admin's CSV), a download when it serves
    an uploaded file."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 200 and response.has_header("Content-Disposition"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                match = request.resolver_match
                view = match.view_name if match else ""
                # Uploaded files are served by the *download views; everything else is generated.
                uploaded = "download" in view and "report" not in view
                kind = Kind.DOWNLOAD if uploaded else Kind.EXPORT
                security_event(kind, user, request, view=view, content_type=response.get("Content-Type", ""))
        return response


SESSION_REFRESHED = "_pil_refreshed_at"


@receiver(user_logged_in, dispatch_uid="session_idle_stamp")
def _stamp_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REFRESHED] = int(time.time())


class SessionIdleMiddleware:
    """Pushes a signed-in session's expiry SESSION_COOKIE_AGE ahead on a request, saving it at most
    once a minute (SESSION_SAVE_EVERY_REQUEST would write the session row on every request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get(SESSION_REFRESHED, 0) >= 60:
                session[SESSION_REFRESHED] = now  # modified: saved with a new expiry
        return self.get_response(request)
