"""The supervisor's approvals inbox (待审批): the recommendations and the proposals to sue that wait
for the user's decision, oldest first, each with a link to the page that has the approve and return
buttons. Supervisors only; anyone else gets 404, like the invitations page.

It lives in the litigation app, the lowest layer that knows both kinds (cases below it owns the
recommendations); see docs/architecture.md. Apps above it (the referrals awaiting approval) add
their kinds through register_inbox_part, from their AppConfig.ready().
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Case
from cases.selectors import approvals_pending_for as recommendations_pending_for
from litigation.selectors import approvals_pending_for as proposals_pending_for

# The most the page lists; the oldest come first, so nothing waits unseen for long.
LIMIT = 200


@dataclass(frozen=True)
class PendingApproval:
    kind: str  # "recommendation" | "lawsuit_proposal" | a registered part's kind ("referral")
    label: str
    case: Case
    submitted_at: datetime.datetime | None
    submitted_by: User | None
    url: str


# A part of the inbox registered by an app above this one: (user, limit) → at most `limit` items
# waiting for the user, oldest first (submitted_at ascending).
InboxPart = Callable[[User, int], list[PendingApproval]]
_inbox_parts: list[InboxPart] = []


def register_inbox_part(part: InboxPart) -> None:
    """Add a kind of item to the inbox; called from the registering app's AppConfig.ready()."""
    if part not in _inbox_parts:
        _inbox_parts.append(part)


def _require_supervisor(user: User) -> None:
    if not user.is_active_supervisor:
        raise Http404


@login_required
def approval_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_supervisor(user)
    # Two queries whatever the number: each kind with its case, procuratorate and handler joined.
    recommendations = list(
        recommendations_pending_for(user)
        .select_related("case__procuratorate", "case__handler", "agency")
        .order_by(F("submitted_at").asc(nulls_first=True), "id")[: LIMIT + 1]
    )
    proposals = list(
        proposals_pending_for(user)
        .select_related("case__procuratorate", "case__handler", "proposed_by")
        .order_by("proposed_at", "id")[: LIMIT + 1]
    )
    items = [
        PendingApproval(
            kind="recommendation",
            label=_("检察建议（%(agency)s）") % {"agency": r.agency.name},
            case=r.case,
            submitted_at=r.submitted_at,
            submitted_by=None,  # the submitter is on the history, not the row
            url=reverse("recommendation_detail", args=[r.pk]),
        )
        for r in recommendations[:LIMIT]
    ]
    items_proposals = [
        PendingApproval(
            kind="lawsuit_proposal",
            label=_("起诉审批"),
            case=p.case,
            submitted_at=p.proposed_at,
            submitted_by=p.proposed_by,
            url=reverse("litigation_case", args=[p.case_id]) + f"#proposals-{p.case_id}",
        )
        for p in proposals[:LIMIT]
    ]
    others = [part(user, LIMIT + 1) for part in _inbox_parts]
    # Every list is sorted oldest first: merging them and keeping LIMIT keeps the oldest overall.
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    merged = list(heapq.merge(items, items_proposals, *others, key=lambda item: item.submitted_at or oldest))
    return render(
        request,
        "cases/approval_list.html",
        {
            "items": merged[:LIMIT],
            "truncated": len(recommendations) > LIMIT
            or len(proposals) > LIMIT
            or any(len(other) > LIMIT for other in others)
            or len(merged) > LIMIT,
            "limit": LIMIT,
        },
    )
