"""Claiming a one-time key, recording what its first request made, and purging old keys."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from submissions.models import Submission


def submission_claim(
    *, user: Any, kind: str, key: str, fingerprint: str = "", expired_before: datetime | None = None
) -> tuple[Submission, bool]:
    """Claim `key` for `user` (the AUTH_USER_MODEL: this app sits below accounts and does not
    import it): (the new row, True), or (the row of the request that claimed it
    first, False). Call it inside the transaction that does the work, so that the claim and the
    work commit or vanish together.

    On PostgreSQL a second request inserting the same key waits on the unique index until the
    first one's transaction ends: if the first committed, the insert fails and the first's row is
    read (READ COMMITTED: a new statement sees the commit); if the first removed its claim or
    rolled back, this one's insert goes through. A row older than `expired_before` is stale (an
    expired API key): it is removed and the key claimed afresh."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return Submission.objects.create(user=user, kind=kind, key=key, fingerprint=fingerprint), True
        except IntegrityError:
            pass
        existing = Submission.objects.filter(user=user, kind=kind, key=key).first()
        if existing is None:
            continue  # removed between the insert and the read: claim it now
        if expired_before is not None and existing.created_at < expired_before:
            existing.delete()
            continue
        return existing, False
    raise RuntimeError("submission key could not be claimed")  # pragma: no cover - needs three racers


def submission_release(*, submission: Submission) -> None:
    """The request that claimed the key made nothing: a later one with the same key may try again."""
    submission.delete()


def submissions_purge(*, now: datetime | None = None) -> int:
    """Delete form tokens older than SUBMISSION_TOKEN_DAYS and API keys older than
    API_IDEMPOTENCY_HOURS; returns how many rows went. Run daily by beat (submissions.tasks) and
    by `manage.py purge_submissions`."""
    now = now or timezone.now()
    forms = Submission.objects.filter(
        kind=Submission.Kind.FORM, created_at__lt=now - timedelta(days=settings.SUBMISSION_TOKEN_DAYS)
    )
    api = Submission.objects.filter(
        kind=Submission.Kind.API, created_at__lt=now - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    )
    return forms.delete()[0] + api.delete()[0]
