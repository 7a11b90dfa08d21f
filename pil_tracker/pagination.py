"""A paginator for lists that may hold a million rows (issue 15): a count that stays cheap, and deep
pages that do not compute every skipped row.

- **Count**: exact up to `exact_up_to` rows, counted over a `LIMIT exact_up_to + 1` subquery (so
  never more rows than that are read for it); above, PostgreSQL's planner estimate of the query
  (`EXPLAIN`, no rows read), shown as "约 N 条", or on other databases the bound itself, shown as
  "超过 N 条". `count_exact` says which; the pages then offer first/previous/next only (no "last
  page" link, which would need the exact count).
- **Pages after the first, and every page of a long list**: the page's ids first
  (`values_list("pk")` with the list's ordering, OFFSET/LIMIT: no select_related join or per-row
  annotation is computed for the skipped rows, and the ordering can walk a narrow index), then the
  rows and their prefetches for just those ids.
  Beyond the estimated count, a page is simply empty or short: `has_next` comes from one extra id.
"""

from __future__ import annotations

import json
import math

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

EXACT_UP_TO = 1000


def estimated_rows(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows `queryset` returns (EXPLAIN, nothing executed), or None
    on another database."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        return self._has_more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class CappedPaginator(Paginator):
    """See the module docstring. `object_list` must be a QuerySet."""

    exact_up_to = EXACT_UP_TO

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        capped = self.object_list.order_by().values("pk")[: self.exact_up_to + 1].count()
        if capped <= self.exact_up_to:
            return capped, True
        estimate = estimated_rows(self.object_list)
        return max(estimate or 0, capped), False

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_exact(self) -> bool:
        return self._counted[1]

    @property
    def count_estimated(self) -> bool:
        """The count is PostgreSQL's estimate ("约 N"); else, when not exact, a lower bound ("N+")."""
        return not self.count_exact and connections[self.object_list.db].vendor == "postgresql"

    def validate_number(self, number) -> int:
        if self.count_exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    @cached_property
    def num_pages(self) -> int:
        if not self.count_exact:
            return max(1, math.ceil(self.count / self.per_page))
        return super().num_pages

    def get_page(self, number) -> Page:
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages if self.count_exact else 1
        return self.page(number)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if number == 1 and self.count_exact:
            # A short list's first page as one query: nothing is skipped, little to sort. A long
            # list's first page goes id-first too: with the page's joins in the same statement
            # the planner may join every row in scope before it keeps the first few.
            rows = list(self.object_list[: self.per_page + 1])
            has_more = len(rows) > self.per_page
        else:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page + 1])
            has_more = len(ids) > self.per_page
            ids = ids[: self.per_page]
            by_id = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)} if ids else {}
            rows = [by_id[pk] for pk in ids if pk in by_id]
        return CappedPage(rows[: self.per_page], number, self, has_more=has_more)
