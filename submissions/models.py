"""One claimed one-time key of a user (submissions/__init__.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """A create form's submission token or an API Idempotency-Key, claimed by its first request.

    The unique constraint is the lock: a second request with the same key blocks on it until the
    first one's transaction ends, then either finds this row (the first one created something) or
    claims the key itself (the first one was refused and removed its claim)."""

    class Kind(models.TextChoices):
        FORM = "form", _("表单")
        API = "api", _("接口")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=255)
    # Form: where the first submission redirected (the object it created).
    url = models.CharField(max_length=1000, blank=True)
    # API: a digest of the first request (method, path, body) and its response, replayed as it was.
    fingerprint = models.CharField(max_length=64, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    # Indexed for the purge (submissions_purge) and read to expire API keys.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="submission_key_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
