"""The second step of the login and the enrolment of a TOTP device (accounts.twofactor)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts import twofactor
from pil_tracker.errors import DomainError


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态验证码"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def _render(request: HttpRequest, template: str, context: dict, refused: twofactor.CodeRefused | None) -> HttpResponse:
    form = context["form"]
    if refused is not None:
        form.add_error("code", refused.message)
    status = 429 if refused is not None and refused.retry_after else 200
    response = render(request, template, {**context, "next": _next_url(request)}, status=status)
    if refused is not None and refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    return response


@never_cache
@login_required
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    """The code of the user's device, after the password."""
    if request.user.is_verified() or twofactor.confirmed_device(request.user) is None:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.verify(request=request, code=form.cleaned_data["code"])
        except twofactor.CodeRefused as error:
            refused = error
        else:
            return redirect(_next_url(request))
    return _render(request, "accounts/twofactor_verify.html", {"form": form}, refused)


@never_cache
@login_required
def twofactor_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code (or type the secret) into an authenticator app, enter a code."""
    if twofactor.confirmed_device(request.user) is not None:
        # Enrolled already: a second device only from a verified session's administrator (the admin).
        return redirect(_next_url(request))
    try:
        device = twofactor.enrolment_device(request.user)
    except DomainError:
        raise Http404 from None
    form = CodeForm(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.enrol(request=request, device=device, code=form.cleaned_data["code"])
        except twofactor.CodeRefused as error:
            refused = error
        else:
            return redirect(_next_url(request))
    context = {
        "form": form,
        "qr": twofactor.qr_data_uri(device),
        "secret": twofactor.secret_text(device),
        "required": twofactor.is_required(request.user),
    }
    response = _render(request, "accounts/twofactor_setup.html", context, refused)
    response["Cache-Control"] = "no-store"  # the page shows the secret
    return response
