"""Login (rate-limited by django-axes), invitations of agency staff, deactivation."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts import lockout, services
from accounts.forms import InvitationAcceptForm, InvitationForm
from pil_tracker.errors import error_body
from pil_tracker.services import call_service


def login_locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE), 429 with Retry-After: the login page
    with the reason, or for a token request of the API its JSON error body (code locked_out)."""
    message = _("登录失败次数过多，请稍后再试。如忘记密码，请联系系统管理员。")
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    retry_after = max(
        lockout.username_retry_after(username),
        lockout.pair_retry_after(username, lockout.client_address(request)),
        1,
    )
    if request.path_info.startswith("/api/"):
        locked = JsonResponse(error_body("locked_out", message), status=429)
    else:
        # An unbound form: binding it would authenticate again (and count another failure).
        form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
        form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([message])})
        locked = render(
            request, "accounts/login.html", {"form": form, "next": request.POST.get("next", "")}, status=429
        )
    locked["Retry-After"] = str(retry_after)
    return locked


def _require_supervisor(request: HttpRequest) -> None:
    user = request.user
    if not user.is_active_supervisor:
        raise Http404


@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request)
    invitations = services.invitations_visible_to(request.user).select_related("organisation", "invited_by", "user")
    return render(
        request,
        "accounts/invitation_list.html",
        {"invitations": invitations[:200], "now": timezone.now(), "form": InvitationForm()},
    )


@login_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request)
    if request.method == "POST":
        form = InvitationForm(request.POST)
        if form.is_valid():
            result = call_service(
                form,
                services.invitation_create,
                user=request.user,
                build_link=lambda token: request.build_absolute_uri(reverse("invitation_accept", args=[token])),
                **form.cleaned_data,
            )
            if result:
                invitation, token = result
                link = request.build_absolute_uri(reverse("invitation_accept", args=[token]))
                # The link is shown once: only its hash is stored.
                response = render(request, "accounts/invitation_created.html", {"invitation": invitation, "link": link})
                response["Cache-Control"] = "no-store"
                return response
    else:
        form = InvitationForm()
    return render(request, "accounts/invitation_form.html", {"form": form})


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_supervisor(request)
    invitation = get_object_or_404(services.invitations_visible_to(request.user), pk=pk)
    form = forms.Form(request.POST)
    form.is_valid()
    if call_service(form, services.invitation_revoke, user=request.user, invitation=invitation):
        messages.success(request, _("邀请已撤销。"))
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect("invitation_list")


@login_required
@require_POST
def agency_user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_supervisor(request)
    target = get_object_or_404(services.agency_users_managed_by(request.user), pk=pk)
    form = forms.Form(request.POST)
    form.is_valid()
    if call_service(form, services.agency_user_deactivate, user=request.user, target=target):
        messages.success(request, _("已停用该用户；其已提交的材料保留。"))
    return redirect("invitation_list")


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    problem = services.invitation_problem(invitation)
    if problem:
        status = 404 if invitation is None else 410
        return render(request, "accounts/invitation_invalid.html", {"problem": problem}, status=status)
    if request.method == "POST":
        form = InvitationAcceptForm(request.POST)
        if form.is_valid() and call_service(
            form,
            services.invitation_accept,
            token=token,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
        ):
            messages.success(request, _("账号已创建，请登录。"))
            return redirect("login")
    else:
        form = InvitationAcceptForm()
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch (set_language: the cookie and the redirect), which also remembers a
    signed-in user's choice for the emails sent to them (User.language)."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response
