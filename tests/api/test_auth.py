"""Tokens: obtained with the password through the rate-limited login backends, revoked by the user
(DELETE) and by an administrator (Django admin); session authentication for the browser."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken as Token
from accounts.tokens import issue_token, token_digest
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

URL = "/api/v1/auth/token/"


def _token(client, username, password, ip="10.0.0.1"):
    return client.post(URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip)


def test_a_token_is_given_for_the_right_password_and_works(world):
    client = APIClient()
    response = _token(client, "procurator", TEST_PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=world.procurator).digest == token_digest(token)  # the key is not kept
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cases/").status_code == 200
    # Asking again gives another token (one per client); both work.
    second = _token(APIClient(), "procurator", TEST_PASSWORD).json()["token"]
    assert second != token and Token.objects.filter(user=world.procurator).count() == 2
    world.procurator.refresh_from_db()
    assert world.procurator.last_login is not None


def test_a_wrong_password_is_refused_with_a_stable_code(world):
    response = _token(APIClient(), "procurator", "wrong")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not Token.objects.exists()


def test_the_token_endpoint_cannot_bypass_the_login_lockout(world):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _token(client, "agency1", "wrong").status_code == 400
    locked = _token(client, "agency1", "wrong")
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    # Even the right password is refused now, through the API and through the login page.
    assert _token(client, "agency1", TEST_PASSWORD).status_code == 429
    page = APIClient().post(
        reverse("login"), {"username": "agency1", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert page.status_code == 429
    assert not Token.objects.filter(user=world.agency1_staff).exists()
    # Failures on the login page count for the API too (another address, another pair).
    for _ in range(settings.AXES_FAILURE_LIMIT):
        APIClient().post(reverse("login"), {"username": "agency2", "password": "x"}, REMOTE_ADDR="10.0.0.2")
    assert _token(APIClient(), "agency2", TEST_PASSWORD, ip="10.0.0.2").status_code == 429


def test_a_locked_out_token_request_answers_the_api_error_body_even_with_the_right_password(world):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token(client, "agency1", "wrong")
    response = _token(client, "agency1", TEST_PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "locked_out",
        "message": "登录失败次数过多，请稍后再试。如忘记密码，请联系系统管理员。",
        "fields": {},
    }
    english = client.post(
        URL,
        {"username": "agency1", "password": TEST_PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.status_code == 429 and english.json()["code"] == "locked_out"
    assert english.json()["message"].startswith("Too many failed logins")
    assert not Token.objects.filter(user=world.agency1_staff).exists()


def test_an_inactive_user_gets_no_token_and_an_old_token_stops_working(world):
    _token_row, key = issue_token(user=world.agency1_staff)
    world.agency1_staff.is_active = False
    world.agency1_staff.save()
    assert _token(APIClient(), "agency1", TEST_PASSWORD).status_code == 400
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/recommendations/")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_the_user_revokes_their_own_token(world):
    token, key = issue_token(user=world.procurator)
    other, _key = issue_token(user=world.supervisor)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.delete(URL).status_code == 204
    assert not Token.objects.filter(pk=token.pk).exists()
    assert Token.objects.filter(pk=other.pk).exists()
    assert client.get("/api/v1/cases/").status_code == 401
    assert APIClient().delete(URL).status_code == 401


def test_an_administrator_revokes_tokens_in_the_django_admin(world, admin_user):
    token, _key = issue_token(user=world.procurator)
    client = APIClient()
    client.force_login(admin_user)
    changelist = reverse("admin:accounts_apitoken_changelist")
    assert client.get(changelist).status_code == 200
    delete = reverse("admin:accounts_apitoken_delete", args=[token.pk])
    response = client.post(delete, {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()


def test_the_browser_session_works_and_needs_csrf_for_writes(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.procurator)
    assert client.get("/api/v1/cases/").status_code == 200
    response = client.post("/api/v1/notifications/read-all/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
