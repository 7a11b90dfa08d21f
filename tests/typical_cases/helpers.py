"""Typical cases in a given state without going through the services (for other apps' tests)."""

from __future__ import annotations

from django.utils import timezone

from cases.models import Case
from typical_cases.models import TypicalCase


def published_typical(case: Case, **fields) -> TypicalCase:
    values = {
        "title": case.title,
        "summary": case.summary,
        "outcome": "行政机关已依法履职，公益得到保护。",
        "significance": "本案督促行政机关依法履职，具有示范意义。",
        "year": (case.closed_on or case.opened_on).year,
        "domain_id": case.domain_id,
        "published_at": timezone.now(),
    } | fields
    return TypicalCase.objects.create(
        case=case, procuratorate_id=case.procuratorate_id, status=TypicalCase.Status.PUBLISHED, **values
    )
