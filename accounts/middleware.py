"""Sends a user whose password an administrator reset to the password change page first."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class PasswordChangeRequiredMiddleware:
    """While `User.must_change_password` is set (accounts.services.password_reset_by_administrator),
    every page but the change page itself, logging out, the language switch and static files
    redirects there. The API is left alone: a program cannot follow a redirect to a form, and a
    token is only issued for the password the user knows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password and not self._exempt(request):
            messages.warning(request, _("管理员重置了您的密码，请先设置一个新密码。"))
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        path = request.path_info
        allowed = (reverse("password_change"), reverse("logout"), reverse("set_language"), "/favicon.ico")
        return path in allowed or path.startswith(("/api/", "/" + settings.STATIC_URL.lstrip("/")))
