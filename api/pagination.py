"""Page-number pagination: ?page=N&page_size=M (settings.API_PAGE_SIZE, at most API_MAX_PAGE_SIZE).

Every list costs a fixed number of queries whatever the page size: the count, the page, and one
per prefetched relation (pinned by tests/api/test_query_counts.py).
"""

from __future__ import annotations

import functools

from django.conf import settings
from rest_framework.pagination import PageNumberPagination

from pil_tracker.pagination import CappedPaginator


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    # A cheap count and id-first deep pages (pil_tracker/pagination.py). Above the exact limit
    # `count` is an estimate; `count_exact` says so.
    django_paginator_class = CappedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        # Deep pages of a multi-procuratorate scope merge per procuratorate (the view's `page_split`).
        split = view.page_split(request.user) if hasattr(view, "page_split") else None
        self.django_paginator_class = functools.partial(CappedPaginator, split_by=split)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_exact"] = self.page.paginator.count_exact
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_exact"] = {"type": "boolean"}
        return schema

    @property
    def page_size(self) -> int:  # read at request time, so tests can override the setting
        return settings.API_PAGE_SIZE

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE
