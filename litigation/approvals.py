"""The supervisor's approvals inbox (待审批): the recommendations and the proposals to sue that wait
for the user's decision, oldest first, each with a link to the page that has the approve and return
buttons. Supervisors only; anyone else gets 404, like the invitations page.

It lives in the litigation app, the lowest layer that knows both kinds (cases below it owns the
recommendations); see docs/architecture.md.
"""

from __future__ import annotations

import datetime
import heapq
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
    kind: str  # "recommendation" | "lawsuit_proposal"
    label: str
    case: Case
    submitted_at: datetime.datetime | None
    submitted_by: User | None
    url: str


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
    # Both lists are sorted oldest first: merging them and keeping LIMIT keeps the oldest overall.
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    merged = list(heapq.merge(items, items_proposals, key=lambda item: item.submitted_at or oldest))
    return render(
        request,
        "cases/approval_list.html",
        {
            "items": merged[:LIMIT],
            "truncated": len(recommendations) > LIMIT or len(proposals) > LIMIT or len(merged) > LIMIT,
            "limit": LIMIT,
        },
    )
