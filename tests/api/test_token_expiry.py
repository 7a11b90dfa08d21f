"""API tokens expire (API_TOKEN_DAYS) and their owner lists and revokes them; a browser session ends
after SESSION_IDLE_MINUTES without a request (issue 16). Times are fixed by issuing at a given
moment and by moving the session's expiry."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import issue_token, token_for_key

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_expires_after_the_configured_days(world, settings):
    settings.API_TOKEN_DAYS = 30
    token, key = issue_token(user=world.procurator, now=T0)
    assert token.expires_at == T0 + datetime.timedelta(days=30)
    assert token_for_key(key, now=T0 + datetime.timedelta(days=29, hours=23)) == token
    assert token_for_key(key, now=T0 + datetime.timedelta(days=30)) is None
    # T0 is long past: the API refuses it like any unknown token.
    response = _client(key).get("/api/v1/cases/")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    fresh, fresh_key = issue_token(user=world.procurator)
    assert _client(fresh_key).get("/api/v1/cases/").status_code == 200
    fresh.refresh_from_db()
    assert fresh.last_used_at is not None


def test_the_owner_lists_and_revokes_their_tokens(world):
    first, key = issue_token(user=world.procurator)
    second, _ = issue_token(user=world.procurator)
    others, _ = issue_token(user=world.supervisor)
    client = _client(key)
    listed = client.get("/api/v1/auth/tokens/")
    assert listed.status_code == 200
    rows = listed.json()
    assert {row["id"] for row in rows} == {first.pk, second.pk}
    assert all(set(row) == {"id", "prefix", "created_at", "expires_at", "last_used_at"} for row in rows)
    assert key[:8] in {row["prefix"] for row in rows} and key not in listed.content.decode()
    # Another user's token is not found, and stays.
    assert client.delete(f"/api/v1/auth/tokens/{others.pk}/").status_code == 404
    assert ApiToken.objects.filter(pk=others.pk).exists()
    assert client.delete(f"/api/v1/auth/tokens/{second.pk}/").status_code == 204
    assert not ApiToken.objects.filter(pk=second.pk).exists()
    assert client.delete(f"/api/v1/auth/tokens/{second.pk}/").status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{first.pk}/").status_code == 204
    assert client.get("/api/v1/auth/tokens/").status_code == 401  # revoked the one in use
    assert APIClient().get("/api/v1/auth/tokens/").status_code == 401


def test_a_session_ends_after_a_working_day_without_a_request(client, world, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client.force_login(world.procurator)
    stored = client.session
    stored["_pil_refreshed_at"] -= 120  # the last refresh two minutes ago
    stored.save()
    session = Session.objects.get()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    # A request within the idle time pushes the expiry a full working day ahead.
    assert client.get("/cases/").status_code == 200
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + datetime.timedelta(hours=7, minutes=59)
    # Idle past the expiry: signed out.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/cases/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
