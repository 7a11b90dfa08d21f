"""The records other than cases whose periods the deadline engine watches.

A cooperation module (referrals, joint meetings, assistance requests, …) sits above the deadlines
app (docs/architecture.md), so the scan cannot import it to learn where a reminder about one of its
records should point. The module tells it instead, once, from its AppConfig.ready():

    deadlines.subjects.register("referral", url=lambda pk, for_obligor: reverse("referral_detail", args=[pk]))

and opens its deadlines with deadline_open(subject=("referral", referral.pk), …).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    # The page a reminder links to: (record id, whether the reader is of the obligor organisation).
    url: Callable[[int, bool], str]


_subjects: dict[str, Subject] = {}


def register(subject_type: str, *, url: Callable[[int, bool], str]) -> None:
    if not subject_type or len(subject_type) > 40:
        raise ValueError(f"deadline subject type {subject_type!r}: 1 to 40 characters")
    _subjects[subject_type] = Subject(url=url)


def url_for(subject_type: str, subject_id: int, *, for_obligor: bool) -> str:
    """The link of a reminder about one record; empty when its module is not installed."""
    subject = _subjects.get(subject_type)
    return subject.url(subject_id, for_obligor) if subject else ""


def registered() -> list[str]:
    return sorted(_subjects)
