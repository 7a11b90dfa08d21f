"""The error every service raises when an action is not allowed."""

from __future__ import annotations


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
