"""TOTP two-factor login for supervisors and administrators (issue 16, Hardening): optional, and
required per role when an administrator turns it on (TwoFactorPolicy). Codes are computed with
django-otp's own TOTP at a fixed time."""

from __future__ import annotations

import types

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp import models as totp_models
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import SecurityEvent, TwoFactorPolicy
from tests.factories import TEST_PASSWORD, UserFactory

Kind = SecurityEvent.Kind
NOW = 1_780_000_000.0  # a fixed moment (2026-05-28 UTC)


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch):
    """TOTPDevice.verify_token reads time.time() through its module: it sees NOW."""
    monkeypatch.setattr(totp_models, "time", types.SimpleNamespace(time=lambda: NOW))


def code(device: TOTPDevice, *, steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = NOW + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    valid = {code(device, steps=s) for s in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def _login(client, username):
    return client.post(reverse("login"), {"username": username, "password": TEST_PASSWORD})


def _require(role):
    TwoFactorPolicy.objects.update_or_create(role=role, defaults={"required": True})


def _kinds():
    return list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))


def test_without_a_policy_or_a_device_login_is_one_step(client, world):
    assert _login(client, "supervisor").status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_policy_off_is_a_normal_login(client, world):
    TwoFactorPolicy.objects.create(role=TwoFactorPolicy.Scope.SUPERVISOR, required=False)
    _login(client, "supervisor")
    assert client.get(reverse("dashboard")).status_code == 200


def test_required_without_a_device_sends_to_enrolment_and_nothing_else(client, world):
    _require(TwoFactorPolicy.Scope.SUPERVISOR)
    _login(client, "supervisor")
    for url in (reverse("home"), reverse("dashboard"), reverse("approval_list"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("twofactor_setup")), url
    # The API with the session: refused in the API's format.
    response = client.get("/api/v1/cases/")
    assert response.status_code == 403 and response.json()["code"] == "two_factor_required"
    # Other roles are not concerned.
    client.logout()
    _login(client, "procurator")
    assert client.get(reverse("case_list")).status_code == 200


def test_enrolment_shows_a_qr_code_and_a_code_confirms_it(client, world):
    _require(TwoFactorPolicy.Scope.SUPERVISOR)
    _login(client, "supervisor")
    page = client.get(reverse("twofactor_setup") + "?next=/dashboard/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=world.supervisor, confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url
    # The same secret on a reload (a scan in progress stays valid).
    client.get(reverse("twofactor_setup"))
    assert TOTPDevice.objects.filter(user=world.supervisor).count() == 1

    refused = client.post(reverse("twofactor_setup"), {"code": wrong_code(device), "next": "/dashboard/"})
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    device.throttle_reset()  # the wait after a failure (tested below)

    done = client.post(reverse("twofactor_setup"), {"code": code(device), "next": "/dashboard/"})
    assert done.status_code == 302 and done["Location"] == "/dashboard/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard")).status_code == 200
    assert Kind.OTP_ENROLLED in _kinds() and Kind.OTP_FAILED in _kinds()


@pytest.fixture
def enrolled(world):
    return TOTPDevice.objects.create(user=world.supervisor, name="TOTP", confirmed=True)


def test_an_enrolled_user_logs_in_with_password_then_code(client, world, enrolled):
    response = _login(client, "supervisor")
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("twofactor_verify"))
    # No enrolling of a second device with only the password.
    assert client.get(reverse("twofactor_setup"))["Location"] == "/"
    assert TOTPDevice.objects.filter(user=world.supervisor).count() == 1

    verified = client.post(reverse("twofactor_verify"), {"code": code(enrolled), "next": "/dashboard/"})
    assert verified.status_code == 302 and verified["Location"] == "/dashboard/"
    assert client.get(reverse("dashboard")).status_code == 200


def test_even_without_a_policy_an_enrolled_user_is_asked(client, world, enrolled):
    _login(client, "supervisor")
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("twofactor_verify"))


def test_a_wrong_code_is_logged_and_slows_down_the_next_try(client, world, enrolled):
    _login(client, "supervisor")
    SecurityEvent.objects.all().delete()
    refused = client.post(reverse("twofactor_verify"), {"code": wrong_code(enrolled)})
    assert refused.status_code == 200
    assert "验证码不正确" in refused.content.decode()
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user, event.details["failures"]) == (Kind.OTP_FAILED, world.supervisor, 1)
    # Straight after a failure even the right code waits (the wait doubles with each failure).
    waiting = client.post(reverse("twofactor_verify"), {"code": code(enrolled)})
    assert waiting.status_code == 429
    assert int(waiting["Retry-After"]) >= 1
    assert _kinds() == [Kind.OTP_FAILED, Kind.LOCKOUT]
    assert client.get(reverse("dashboard")).status_code == 302  # still not through


def test_a_code_is_used_once(client, world, enrolled):
    _login(client, "supervisor")
    assert client.post(reverse("twofactor_verify"), {"code": code(enrolled)}).status_code == 302
    client.logout()
    _login(client, "supervisor")
    again = client.post(reverse("twofactor_verify"), {"code": code(enrolled)})
    assert again.status_code == 200  # replayed: refused


def test_administrators_policy_applies_to_superusers(client, world):
    UserFactory(username="root", is_superuser=True, is_staff=True)
    _require(TwoFactorPolicy.Scope.ADMINISTRATOR)
    _login(client, "root")
    assert client.get("/admin/")["Location"].startswith(reverse("twofactor_setup"))
    # The supervisors' row is not on: they log in as before.
    client.logout()
    _login(client, "supervisor")
    assert client.get(reverse("dashboard")).status_code == 200


# ---- the API ------------------------------------------------------------------------------------


def _token(data):
    return APIClient().post("/api/v1/auth/token/", data, format="json")


def test_api_token_needs_the_code_of_an_enrolled_user(world, enrolled):
    assert _token({"username": "supervisor", "password": TEST_PASSWORD}).json()["code"] == "invalid_otp"
    wrong = _token({"username": "supervisor", "password": TEST_PASSWORD, "otp": wrong_code(enrolled)})
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_otp"
    enrolled.throttle_reset()
    response = _token({"username": "supervisor", "password": TEST_PASSWORD, "otp": code(enrolled)})
    assert response.status_code == 200
    # The token then works as any token: no second step per request.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/cases/").status_code == 200


def test_api_token_refused_when_required_and_not_enrolled(world):
    _require(TwoFactorPolicy.Scope.SUPERVISOR)
    response = _token({"username": "supervisor", "password": TEST_PASSWORD})
    assert response.status_code == 400 and response.json()["code"] == "invalid_otp"
    # Other roles are unaffected.
    assert _token({"username": "procurator", "password": TEST_PASSWORD}).status_code == 200
