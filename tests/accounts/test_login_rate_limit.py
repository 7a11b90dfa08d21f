"""Login attempts are rate-limited (django-axes, configured in pil_tracker/settings.py): after
AXES_FAILURE_LIMIT failures for one username from one address, that pair is locked out for
AXES_COOLOFF_TIME, and even the right password is refused with 429 and a message."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def test_axes_is_configured():
    assert "axes" in settings.INSTALLED_APPS
    assert settings.AUTHENTICATION_BACKENDS[0] == "accounts.backends.RateLimitedLogin"
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    assert settings.AXES_LOCKOUT_CALLABLE == "accounts.views.login_locked_out"


def _attempt(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_repeated_failures_lock_the_username_out_even_with_the_right_password(client, world):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _attempt(client, "agency1", "wrong-password").status_code == 200
    locked = _attempt(client, "agency1", "wrong-password")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    response = _attempt(client, "agency1", TEST_PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    # Another user from the same address is not locked out.
    response = _attempt(client, "agency2", TEST_PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(world.agency2_staff.pk)


def test_a_successful_login_before_the_limit_resets_the_count(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, "agency1", "wrong-password")
    assert _attempt(client, "agency1", TEST_PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "agency1", "wrong-password").status_code == 200


def test_authenticating_without_a_request_is_not_rate_limited(world):
    from django.contrib.auth import authenticate

    assert authenticate(username="agency1", password=TEST_PASSWORD) == world.agency1_staff
