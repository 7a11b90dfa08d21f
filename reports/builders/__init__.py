"""Builders of the report files: each takes the requester, the validated parameters and a
progress callback, and returns a `ReportFile` (bytes, file name, content type).

Every read starts from the requester's scoping selectors (or dashboard.metrics' scope), so a file
contains nothing its requester could not see on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    filename: str
    content_type: str


def no_progress(percent: int) -> None:
    """The progress callback of a builder called outside a job (tests, the shell)."""
