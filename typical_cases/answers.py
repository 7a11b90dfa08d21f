"""Answering a congress request with a generated report: the reports app (a higher layer) hands
over, from its AppConfig.ready(), how to list a user's finished reports and read one's file
(docs/architecture.md, How a lower layer learns about a higher one). Without it only uploads work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User


@dataclass(frozen=True)
class ReportSource:
    # (id, label) of the user's finished reports, newest first.
    choices: Callable[[User], list[tuple[int, str]]]
    # (file name, content type, bytes) of one of them, or None if it is not the user's or not done.
    load: Callable[[User, int], tuple[str, str, bytes] | None]


_source: ReportSource | None = None


def register_report_source(source: ReportSource) -> None:
    global _source
    _source = source


def report_choices(user: User) -> list[tuple[int, str]]:
    return _source.choices(user) if _source is not None else []


def report_upload(user: User, job_id: int) -> SimpleUploadedFile | None:
    """The report's file as an upload for congress_request_answer, or None."""
    loaded = _source.load(user, job_id) if _source is not None else None
    if loaded is None:
        return None
    name, content_type, content = loaded
    return SimpleUploadedFile(name, content, content_type=content_type)
