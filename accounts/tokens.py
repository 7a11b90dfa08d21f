"""REST API tokens (accounts.models.ApiToken): issued at a login, expiring, revocable by their owner."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import ApiToken, User


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def issue_token(*, user: User, now: datetime.datetime | None = None, key: str | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`, valid API_TOKEN_DAYS; returns it and its key (shown once, never kept)."""
    now = now or timezone.now()
    key = key or secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        digest=token_digest(key),
        prefix=key[:8],
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.API_TOKEN_DAYS),
        last_used_at=now,  # issued is used; later uses are written at most once a minute
    )
    return token, key


def token_for_key(key: str, *, now: datetime.datetime | None = None) -> ApiToken | None:
    """The unexpired token of an active user with this key, its last use recorded (at most once a
    minute, so a busy client does not write on every request)."""
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(key), expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is not None and (token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1)):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


@transaction.atomic
def revoke_tokens(*, user: User, token_ids: list[int] | None = None) -> list[ApiToken]:
    """Deletes the owner's tokens (those of `token_ids`, or all); returns what was deleted. Another
    user's token id is simply not found."""
    tokens = tokens_of(user)
    if token_ids is not None:
        tokens = tokens.filter(pk__in=token_ids)
    revoked = list(tokens)
    ApiToken.objects.filter(pk__in=[token.pk for token in revoked]).delete()
    return revoked
