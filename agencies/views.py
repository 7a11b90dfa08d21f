"""The search endpoint behind every agency select: a page of organisations matching a few
typed characters, in the scope the form would accept (agencies/choices.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from agencies.choices import choice_source

PAGE_SIZE = 20
MAX_QUERY = 50


@login_required
@require_GET
def agency_search(request: HttpRequest) -> JsonResponse:
    """`?source=<name>&q=<text>&page=<n>` → {"results": [{id, name, region}], "more": bool}.

    One query: the page is read with one row more than it shows, to know whether another follows;
    rows come sorted by region, then name, so the select can group them by region as they arrive.
    """
    source = choice_source(request.GET.get("source", ""))
    if source is None:
        raise Http404
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        page = 1
    organisations = source(request.user)
    if q:
        organisations = organisations.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(region__name__icontains=q)
        )
    start = (page - 1) * PAGE_SIZE
    ordered = organisations.order_by(F("region__code").asc(nulls_last=True), "name", "pk")
    rows = list(ordered.values("pk", "name", "region__name")[start : start + PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [
                {"id": row["pk"], "name": row["name"], "region": row["region__name"] or ""} for row in rows[:PAGE_SIZE]
            ],
            "more": len(rows) > PAGE_SIZE,
        }
    )
