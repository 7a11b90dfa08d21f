"""The lockout policy (issue 16): a lock per (username, real client address) that a shared proxy
address cannot turn into a lock of everyone behind it, a per-username slow-down instead of a hard
lock, Retry-After on every 429, and the administrator's unlock."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.lockout import username_retry_after
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

PROXY = "192.0.2.10"


def _login(client, username, password, ip="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": ip}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"


def test_behind_a_trusted_proxy_the_lock_is_per_real_client(client, world, behind_proxy):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "supervisor", "wrong", ip=PROXY, forwarded="203.0.113.5")
    locked = _login(client, "supervisor", TEST_PASSWORD, ip=PROXY, forwarded="203.0.113.5")
    assert locked.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    # The supervisor at another desk behind the same proxy logs in.
    response = _login(client, "supervisor", TEST_PASSWORD, ip=PROXY, forwarded="203.0.113.6")
    assert response.status_code == 302


def test_a_spoofed_leftmost_address_does_not_escape_the_lock(client, world, behind_proxy):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "supervisor", "wrong", ip=PROXY, forwarded=f"10.9.9.{n}, 203.0.113.5")
    response = _login(client, "supervisor", TEST_PASSWORD, ip=PROXY, forwarded="10.9.9.99, 203.0.113.5")
    assert response.status_code == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, world):
    _login(client, "supervisor", "wrong", ip="10.0.0.7", forwarded="203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "10.0.0.7"


def test_a_lock_answers_retry_after_on_the_page_and_the_api(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "agency1", "wrong")
    page = _login(client, "agency1", TEST_PASSWORD)
    assert page.status_code == 429
    cooloff = settings.AXES_COOLOFF_TIME.total_seconds()
    assert cooloff - 5 <= int(page["Retry-After"]) <= cooloff
    api = APIClient().post(
        "/api/v1/auth/token/", {"username": "agency1", "password": TEST_PASSWORD}, format="json", REMOTE_ADDR="10.0.0.1"
    )
    assert api.status_code == 429 and api.json()["code"] == "locked_out"
    assert cooloff - 5 <= int(api["Retry-After"]) <= cooloff


@pytest.fixture
def slowdown(settings):
    settings.LOGIN_USERNAME_SLOWDOWN_AFTER = 6
    settings.LOGIN_SLOWDOWN_SECONDS = 30
    settings.LOGIN_SLOWDOWN_MAX_SECONDS = 300


def _age_failures(username, seconds):
    """Moves the recorded failures `seconds` into the past (the clock, without a clock library)."""
    for attempt in AccessAttempt.objects.filter(username=username):
        attempt.attempt_time -= datetime.timedelta(seconds=seconds)
        attempt.save(update_fields=["attempt_time"])


def test_failures_from_many_addresses_slow_the_username_down_but_never_lock_it(client, world, slowdown):
    # Two failures from each of three addresses: no pair reaches the lock, the username reaches 6.
    for n in range(3):
        for _ in range(2):
            assert _login(client, "supervisor", "wrong", ip=f"10.1.0.{n}").status_code == 200
    slowed = _login(client, "supervisor", TEST_PASSWORD, ip="10.1.0.50")
    assert slowed.status_code == 429
    assert 25 <= int(slowed["Retry-After"]) <= 30
    # Refused attempts during the wait are not failures: the wait does not grow.
    _login(client, "supervisor", "wrong", ip="10.1.0.51")
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 6
    # After the wait, one more failure doubles the next wait; the right password then works.
    _age_failures("supervisor", 31)
    assert _login(client, "supervisor", "wrong", ip="10.1.0.52").status_code == 200
    assert 55 <= username_retry_after("supervisor") <= 60
    again = _login(client, "supervisor", TEST_PASSWORD, ip="10.1.0.53")
    assert again.status_code == 429 and int(again["Retry-After"]) > 30
    _age_failures("supervisor", 61)
    assert _login(client, "supervisor", TEST_PASSWORD, ip="10.1.0.53").status_code == 302


def test_the_slowdown_wait_is_capped(world, slowdown):
    now = timezone.now()
    AccessAttempt.objects.create(username="supervisor", ip_address="10.2.0.1", user_agent="", failures_since_start=40)
    AccessAttempt.objects.update(attempt_time=now)  # attempt_time is auto_now_add: set it after
    assert username_retry_after("supervisor", now=now) == 300
    assert username_retry_after("supervisor", now=now + datetime.timedelta(seconds=301)) == 0
    assert username_retry_after("city_supervisor", now=now) == 0


def test_an_administrator_unlocks_a_user(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "agency1", "wrong")
    assert _login(client, "agency1", TEST_PASSWORD).status_code == 429
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_login", "_selected_action": [world.agency1_staff.pk]},
        follow=True,
    )
    assert response.status_code == 200 and "已解除所选用户的登录锁定" in response.content.decode()
    client.logout()
    assert _login(client, "agency1", TEST_PASSWORD).status_code == 302
