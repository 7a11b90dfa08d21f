"""The error every service raises when an action is not allowed, and the JSON shape of an API error."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refused action, with a translatable message for the user.

    `field` names the form field the message belongs to, when there is one, so a view can show it
    next to that field; otherwise it is a form-wide error.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The body of every API error (api/errors.py describes the codes). Here, below every app, so
    that the login lockout (accounts/views.py) answers API requests in the same shape without
    importing the API app."""
    return {"code": code, "message": str(message), "fields": fields or {}}
