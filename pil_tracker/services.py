"""Calling a service from a view: refusals become form errors or 403, never a half-saved change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied

from pil_tracker.errors import DomainError

T = TypeVar("T")


def call_service(form: forms.Form | None, service: Callable[..., T], /, **kwargs: Any) -> T | None:
    """Run `service(**kwargs)`; on DomainError put its message on `form` (at its field if the form
    has it) and return None. A refusal for lack of permission raises PermissionDenied (403)."""
    try:
        return service(**kwargs)
    except DomainError as error:
        if error.code == "permission_denied":
            raise PermissionDenied(error.message) from error
        if form is None:
            raise
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return None
