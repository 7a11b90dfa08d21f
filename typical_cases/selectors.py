"""Every read of typical cases and congress requests starts here (docs/domain.md, Typical cases and
people's congress oversight).

Procuratorate staff read the typical cases and congress requests of the procuratorates whose cases
they read (a procurator: their own; a supervisor: theirs and every subordinate one); anyone else
reads nothing (404). The public reads only the published summaries, through
`published_typical_cases`, which never reaches the case.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.selectors import procuratorates_visible_to
from typical_cases.models import CongressRequest, TypicalCase

# The only fields of a typical case the public page and API ever read.
PUBLIC_FIELDS = (
    "id",
    "title",
    "domain__name",
    "domain__name_en",
    "domain__code",
    "year",
    "summary",
    "outcome",
    "significance",
)


def typical_cases_visible_to(user: User) -> QuerySet[TypicalCase]:
    if not user.is_authenticated or not (user.is_procuratorate_staff or user.is_superuser):
        return TypicalCase.objects.none()
    return TypicalCase.objects.filter(procuratorate__in=procuratorates_visible_to(user))


def published_typical_cases() -> QuerySet:
    """The public read: published ones only, as dictionaries of the public fields (nothing else of
    the row, let alone of the case, is ever loaded)."""
    return (
        TypicalCase.objects.filter(status=TypicalCase.Status.PUBLISHED)
        .order_by("-year", "-published_at", "-id")
        .values(*PUBLIC_FIELDS)
    )


def published_years() -> list[int]:
    return list(
        TypicalCase.objects.filter(status=TypicalCase.Status.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def congress_requests_visible_to(user: User) -> QuerySet[CongressRequest]:
    if not user.is_authenticated or not (user.is_procuratorate_staff or user.is_superuser):
        return CongressRequest.objects.none()
    return CongressRequest.objects.filter(procuratorate__in=procuratorates_visible_to(user))


# --- Congress requests in a period (the dashboard's block and the lists behind it) ---------------

FIGURE_LABELS = {
    "received": _("收到人大监督事项"),
    "answered": _("已答复"),
    "overdue": _("逾期"),
}


def congress_figure_q(figure: str, *, start: datetime.date, end: datetime.date, today: datetime.date) -> Q:
    """received: requested in the period; answered: answered in the period; overdue: due in the
    period (up to today) and not answered by then (still open, or answered late)."""
    if figure == "received":
        return Q(requested_on__gte=start, requested_on__lte=end)
    if figure == "answered":
        return Q(status=CongressRequest.Status.ANSWERED, answered_on__gte=start, answered_on__lte=end)
    if figure == "overdue":
        due = Q(due_on__gte=start, due_on__lte=end, due_on__lt=today)
        late = Q(status=CongressRequest.Status.OPEN) | Q(answered_on__gt=F("due_on"))
        return due & late
    raise ValueError(figure)


@dataclass(frozen=True)
class CongressFigure:
    code: str
    label: str
    value: int


def congress_figures(
    requests: QuerySet[CongressRequest],
    *,
    procuratorate_ids: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
) -> list[CongressFigure]:
    """The three counts of the dashboard's block, in one query."""
    scoped = requests.filter(procuratorate_id__in=list(procuratorate_ids))
    counts = scoped.aggregate(
        **{
            code: Count("pk", filter=congress_figure_q(code, start=start, end=end, today=today))
            for code in FIGURE_LABELS
        }
    )
    return [CongressFigure(code, str(label), counts[code]) for code, label in FIGURE_LABELS.items()]
