"""The `Idempotency-Key` header on POST: a retried request is answered, not run again.

The first POST of a key claims it for the user (submissions.services.submission_claim) in the
transaction that runs the action; a 2xx answer is stored with the claim, any other answer releases
it (a retry may then succeed). A later POST of the same key by the same user within
API_IDEMPOTENCY_HOURS gets the stored status and body again (header `Idempotent-Replayed: true`) and
changes nothing; while the first is still running, the second waits on the claim's unique index.
The same key with another request (another endpoint or another body) answers 422
`idempotency_key_mismatch`. Without the header a POST runs as always.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.request import Request

from submissions.models import Submission
from submissions.services import submission_claim, submission_release

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")  # printable ASCII, no spaces


class IdempotencyKeyInvalid(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_idempotency_key"
    default_detail = _("Idempotency-Key 须为 1 至 255 个可打印的 ASCII 字符。")


class IdempotencyKeyMismatch(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_mismatch"
    default_detail = _("该 Idempotency-Key 已用于另一个请求（地址或内容不同）；新的请求请使用新的 Idempotency-Key。")


class _Replay(Exception):  # not an error: the stored answer is sent instead
    def __init__(self, submission: Submission) -> None:
        self.submission = submission


def fingerprint(request: Request) -> str:
    """A digest of what the request asks: method, path and body (parsed, so a JSON body's key
    order or spacing does not matter; an uploaded file by its name, size and content)."""
    data: Any = request.data
    if hasattr(data, "lists"):  # a form or multipart body (QueryDict): files are in request.FILES
        data = {key: values for key, values in data.lists() if key not in request.FILES}
        for name, uploads in request.FILES.lists():
            data[name] = [[upload.name, upload.size, _file_digest(upload)] for upload in uploads]
    text = json.dumps([request.method, request.path, data], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _file_digest(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


class IdempotentPostMixin:
    """For an APIView: honours `Idempotency-Key` on POST (module docstring)."""

    _idempotency_claim: Submission | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST" or HEADER not in request.headers:
            return super().dispatch(request, *args, **kwargs)
        # One transaction for the claim (taken in initial(), once the user is known) and the action.
        with transaction.atomic():
            self._idempotency_claim = None
            response = super().dispatch(request, *args, **kwargs)
            claim = self._idempotency_claim
            if claim is not None:
                if status.is_success(response.status_code):
                    response.render()
                    claim.status = response.status_code
                    claim.content_type = response.get("Content-Type", "")
                    claim.body = response.content
                    claim.save(update_fields=["status", "content_type", "body"])
                else:
                    submission_release(submission=claim)
        return response

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttling
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return
        if not KEY_PATTERN.fullmatch(key):
            raise IdempotencyKeyInvalid
        digest = fingerprint(request)
        claim, first = submission_claim(
            user=request.user,
            kind=Submission.Kind.API,
            key=key,
            fingerprint=digest,
            expired_before=timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS),
        )
        if first:
            self._idempotency_claim = claim
        elif claim.fingerprint != digest:
            raise IdempotencyKeyMismatch
        else:
            raise _Replay(claim)

    def handle_exception(self, exc: Exception):
        if isinstance(exc, _Replay):
            stored = exc.submission
            response = HttpResponse(bytes(stored.body), status=stored.status, content_type=stored.content_type or None)
            response["Idempotent-Replayed"] = "true"
            return response
        return super().handle_exception(exc)
