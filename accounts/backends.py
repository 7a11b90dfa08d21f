"""Login rate limiting: django-axes' check, placed first in AUTHENTICATION_BACKENDS."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied

from accounts.lockout import username_retry_after


class RateLimitedLogin(AxesStandaloneBackend):
    """Refuses a login while its username and address are locked out (settings.AXES_*), or while
    its username is slowed down (accounts.lockout).

    Rate limiting is about clients, so an authentication without a request — the shell, a
    management command, a test calling authenticate() — is left to the next backend instead of
    failing as axes' own backend does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        retry_after = username_retry_after(username or "")
        if retry_after:
            # Answered like axes' lockout (AxesMiddleware → accounts.views.login_locked_out), and,
            # with AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off, not counted as a failure:
            # waiting out the delay is enough, however many refused attempts came meanwhile.
            request.axes_locked_out = True
            request.pil_login_refused = True
            raise AxesBackendPermissionDenied("the username is slowed down")
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            # Refused unchecked (a locked pair): the security log records a lockout, not a failure.
            request.pil_login_refused = True
            raise
