"""Login rate limiting: django-axes' check, placed first in AUTHENTICATION_BACKENDS."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class RateLimitedLogin(AxesStandaloneBackend):
    """Refuses a login while its username and address are locked out (settings.AXES_*).

    Rate limiting is about clients, so an authentication without a request — the shell, a
    management command, a test calling authenticate() — is left to the next backend instead of
    failing as axes' own backend does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
