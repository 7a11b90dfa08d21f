"""TOTP two-factor login for supervisors and administrators (issue 16, Hardening), on django-otp.

After the password (the login page, unchanged), a user who has a confirmed TOTP device, or whose
role an administrator made it compulsory for (TwoFactorPolicy), owes a second step: until the
session is verified, `TwoFactorMiddleware` lets them reach only that step — the code, or the
enrolment when they have no device yet — and logging out. What the session owes is decided once,
when it logs in (so a page costs no query for it), and kept in the session.

A wrong code is recorded in the security log (otp_failed) and slows the device down as failed
logins slow a username down: each failure doubles the wait before the next try (django-otp's
throttling, OTP_TOTP_THROTTLE_FACTOR); a try during the wait is refused with 429 and Retry-After.

API tokens are unaffected: a request with `Authorization: Token …` passes; asking for a token
(POST /api/v1/auth/token/) takes the code too (`token_second_factor`), so a token is only ever
created after the same two steps.
"""

from __future__ import annotations

import base64
import enum
import math
from collections.abc import Callable

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent, TwoFactorPolicy, User
from accounts.security_log import security_event
from pil_tracker.errors import DomainError, error_body

SESSION_KEY = "_pil_second_factor"
DEVICE_NAME = "TOTP"


class Owed(enum.StrEnum):
    NOTHING = "none"
    CODE = "code"  # a confirmed device: enter its code
    ENROLMENT = "enrol"  # required for the role, no device yet: enrol first


def policy_role(user: User) -> str | None:
    """The TwoFactorPolicy row that applies to `user`; None for roles the second step is not for."""
    if user.is_superuser:
        return TwoFactorPolicy.Scope.ADMINISTRATOR
    if user.is_supervisor:
        return TwoFactorPolicy.Scope.SUPERVISOR
    return None


def may_enrol(user: User) -> bool:
    return policy_role(user) is not None


def is_required(user: User) -> bool:
    role = policy_role(user)
    return role is not None and TwoFactorPolicy.objects.filter(role=role, required=True).exists()


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def owed_by(user: User) -> Owed:
    if policy_role(user) is None:
        return Owed.NOTHING  # no query for the other roles' logins
    if confirmed_device(user) is not None:
        return Owed.CODE
    return Owed.ENROLMENT if is_required(user) else Owed.NOTHING


@receiver(user_logged_in, dispatch_uid="twofactor_owed")
def _decide_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = owed_by(user).value


def owed(request: HttpRequest) -> Owed:
    """What the signed-in session still owes (nothing once verified)."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return Owed.NOTHING
    value = request.session.get(SESSION_KEY)
    if value is None:  # a session from before two-factor login existed
        value = request.session[SESSION_KEY] = owed_by(user).value
    return Owed(value)


# ---- checking a code ----------------------------------------------------------------------------


class CodeRefused(Exception):
    """A code that does not verify; `retry_after` (seconds) when the device is waiting out failures."""

    def __init__(self, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _wait(device: TOTPDevice) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed or not data or "locked_until" not in data:
        return 0
    return max(1, math.ceil((data["locked_until"] - timezone.now()).total_seconds()))


def check_code(*, request: HttpRequest, user: User, device: TOTPDevice, code: str) -> None:
    """Verifies `code` on `device`; raises CodeRefused (and logs the failure) otherwise."""
    wait = _wait(device)
    if wait:
        security_event(SecurityEvent.Kind.LOCKOUT, user, request, username=user.get_username(), factor="totp")
        raise CodeRefused(_("验证码错误次数过多，请 %(seconds)d 秒后再试。") % {"seconds": wait}, wait)
    code = "".join(code.split())
    if not device.verify_token(code):
        device.refresh_from_db()
        security_event(
            SecurityEvent.Kind.OTP_FAILED, user, request, failures=device.throttling_failure_count, device=device.pk
        )
        raise CodeRefused(_("验证码不正确或已过期。"))


def verify(*, request: HttpRequest, code: str) -> None:
    """The second step of a login: a right code marks the session verified."""
    device = confirmed_device(request.user)
    if device is None:
        raise CodeRefused(_("尚未启用两步验证。"))
    check_code(request=request, user=request.user, device=device, code=code)
    django_otp.login(request, device)


# ---- enrolment ----------------------------------------------------------------------------------


def enrolment_device(user: User) -> TOTPDevice:
    """The device being enrolled: the user's unconfirmed one, made on the first visit (its secret
    stays the same until it is confirmed, so reloading the page does not invalidate the scan)."""
    if not may_enrol(user):
        raise DomainError(_("两步验证仅适用于检察院负责人和系统管理员。"), code="permission_denied")
    if confirmed_device(user) is not None:
        raise DomainError(_("已启用两步验证。"), code="immutable")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def enrol(*, request: HttpRequest, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirms the device with its first code, verifies the session and removes any other
    unconfirmed device of the user. The code is checked outside the transaction, so that a wrong
    one stays counted (throttling) and logged."""
    check_code(request=request, user=request.user, device=device, code=code)
    with transaction.atomic():
        confirmed = TOTPDevice.objects.filter(pk=device.pk, user=request.user, confirmed=False).update(confirmed=True)
        if not confirmed:
            raise CodeRefused(_("已启用两步验证。"))
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        device.refresh_from_db()
        security_event(SecurityEvent.Kind.OTP_ENROLLED, request.user, request, device=device.pk)
    django_otp.login(request, device)
    request.session[SESSION_KEY] = Owed.CODE.value
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code, drawn here (no service on the internet), as a data:
    URI for an <img> (the CSP allows data: images, not inline markup with styles)."""
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


# ---- the API's token request --------------------------------------------------------------------


def token_second_factor(*, request: HttpRequest, user: User, code: str) -> None:
    """Before a token is issued: the user's code when they have a device; refused when their role
    requires the second step and they have none (enrol on the web first). Raises CodeRefused."""
    device = confirmed_device(user)
    if device is None:
        if is_required(user):
            raise CodeRefused(_("您的角色必须启用两步验证：请先在网页登录并完成设置。"))
        return
    if not code.strip():
        raise CodeRefused(_("请输入动态验证码。"))
    check_code(request=request, user=user, device=device, code=code)


# ---- the middleware -----------------------------------------------------------------------------

# What a session that owes the second step may still reach.
_OPEN_VIEWS = {"twofactor_verify", "twofactor_setup", "logout", "set_language", "admin:logout", "healthz"}


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.path_info.startswith("/api/") and request.headers.get("Authorization", "").startswith("Token "):
            return None  # token authentication: the token was issued after both steps
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _OPEN_VIEWS:
            return None
        step = owed(request)
        if step is Owed.NOTHING:
            return None
        if request.path_info.startswith("/api/"):
            message = _("请先完成两步验证。")
            return JsonResponse(error_body("two_factor_required", message), status=403)
        target = reverse("twofactor_verify" if step is Owed.CODE else "twofactor_setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
