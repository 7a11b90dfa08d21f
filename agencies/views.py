"""The search endpoint behind every searchable select: a page of organisations (or of whatever a
registered source lists, such as procurators) matching a few typed characters, in the scope the
form would accept (agencies/choices.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from agencies.choices import choice_display, choice_source

PAGE_SIZE = 20
MAX_QUERY = 50


@login_required
@require_GET
def agency_search(request: HttpRequest) -> JsonResponse:
    """`?source=<name>&q=<text>&page=<n>` → {"results": [{id, name, region}], "more": bool}.

    One query: the page is read with one row more than it shows, to know whether another follows;
    rows come in the source's order (organisations: by region, then name), so the select can group
    them (by region, by procuratorate) as they arrive.
    """
    name = request.GET.get("source", "")
    source = choice_source(name)
    if source is None:
        raise Http404
    display = choice_display(name)
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        page = 1
    choices = source(request.user)
    if q:
        matches = Q()
        for column in display.search:
            matches |= Q(**{f"{column}__icontains": q})
        choices = choices.filter(matches)
    start = (page - 1) * PAGE_SIZE
    ordered = choices.order_by(*display.order_by)
    rows = list(ordered.values("pk", **display.columns())[start : start + PAGE_SIZE + 1])
    return JsonResponse(
        {
            # "region": the group the select shows the row under (an organisation's region).
            "results": [
                {"id": row["pk"], "name": row["choice_label"], "region": row["choice_group"] or ""}
                for row in rows[:PAGE_SIZE]
            ],
            "more": len(rows) > PAGE_SIZE,
        }
    )
