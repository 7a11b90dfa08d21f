"""Every API error is JSON of one shape, in the request's language (Accept-Language: zh-hans | en):

    {"code": "invalid", "message": "…", "fields": {"title": ["…"], "answers.0.status": ["…"]}}

`code` is stable and meant for programs: the DomainError code of a refused action (invalid,
invalid_transition, case_closed, immutable, agency_inactive, confirmation_required, …; "conflict",
with status 409, when the record changed since the client read its `version`), "invalid" for a request that does
not validate, "not_found" (out of scope or nonexistent: the same answer), "permission_denied" (in
scope, not allowed), "not_authenticated", "locked_out", "parse_error", "method_not_allowed",
"unsupported_media_type", "throttled", "server_error" (an unexpected error: 500, logged, answered
by pil_tracker.views.server_error in this same format). `message` is for people; `fields` names the input fields
the messages belong to (nested fields joined with dots).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from pil_tracker.errors import DomainError, error_body

# The HTTP status of a refused action by its DomainError code; any other code is a 400.
DOMAIN_STATUSES = {
    "permission_denied": status.HTTP_403_FORBIDDEN,
    # Optimistic locking (cases.services.guards.require_version): someone saved the record since
    # the client read its `version`.
    "conflict": status.HTTP_409_CONFLICT,
}

# Codes fixed by the HTTP status, whatever DRF's exception class called them.
STATUS_CODES = {
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "permission_denied",
    status.HTTP_404_NOT_FOUND: "not_found",
}


class LockedOut(exceptions.APIException):
    """Too many failed logins for this username from this address (django-axes)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self) -> None:
        super().__init__(_("登录失败次数过多，请稍后再试。如忘记密码，请联系系统管理员。"))


class InvalidCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__(_("用户名或密码不正确。"))


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"dotted.path": [messages]}; "" holds non-field messages."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "detail") else str(key)
            path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            for sub, messages in _flatten(value, path).items():
                out.setdefault(sub, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(d, dict | list) for d in detail):
            out.setdefault(prefix, []).extend(str(d) for d in detail)
        else:
            for index, value in enumerate(detail):
                if value:
                    for sub, messages in _flatten(value, f"{prefix}.{index}" if prefix else str(index)).items():
                        out.setdefault(sub, []).extend(messages)
    else:
        out.setdefault(prefix, []).append(str(detail))
    return out


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    flat = _flatten(exc.detail)
    general = flat.pop("", [])
    message = general[0] if general else _("提交的数据有误，请检查标出的字段。")
    return error_body("invalid", message, flat)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: DomainError, Django's 404/403 and DRF's exceptions."""
    if isinstance(exc, DomainError):
        # A refused action changed nothing (the service's transaction rolled back).
        set_rollback()
        code = exc.code or "invalid"
        fields = {exc.field: [str(exc.message)]} if exc.field else {}
        http = DOMAIN_STATUSES.get(code, status.HTTP_400_BAD_REQUEST)
        return Response(error_body(code, str(exc.message), fields), status=http)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        return Response(_validation_body(exc), status=exc.status_code, headers=headers)
    code = STATUS_CODES.get(exc.status_code) or getattr(exc, "default_code", "error")
    detail = exc.detail
    message = detail if isinstance(detail, str) else next(iter(_flatten(detail).values()), [""])[0]
    return Response(error_body(code, message), status=exc.status_code, headers=headers)


def server_error_body() -> dict[str, Any]:
    return error_body("server_error", _("服务器内部错误，请稍后再试。"))


@csrf_exempt  # any method, never a page: nothing here reads the session or changes anything
def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any /api/ address that matches no endpoint: the same JSON 404 as an endpoint gives."""
    return JsonResponse(error_body("not_found", exceptions.NotFound.default_detail), status=404)
