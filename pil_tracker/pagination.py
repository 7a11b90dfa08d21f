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
- **Deep pages of a scope made of several procuratorates** (`split_by`): the list is the disjoint
  union of its rows per procuratorate, and each procuratorate's rows come in the list's order off
  an index led by the procuratorate (cases `case_scope_opened_idx`, leads
  `lead_scope_latest_idx`). The page's ids are then read as one `UNION ALL` of the
  per-procuratorate lists, each cut at the page's end, merged in order: PostgreSQL answers it with
  a Merge Append that reads about offset + page size index entries, where the plain query sorts
  every row in scope (PostgreSQL 15 does not merge an `IN` list's index ranges in order). Only
  when the ordering is total (ends with the primary key), so the merge and the plain query agree
  row for row, and an index on (split field, first ordering column, …) exists (else each part
  would walk a whole-table index or sort: seconds); from row `merge_from` on, for at most
  `max_split` values (below, the plain query is as fast or faster). One query more (the values).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import F, OrderBy, QuerySet
from django.db.models.expressions import Col
from django.utils.functional import cached_property

EXACT_UP_TO = 1000
# The merge (`split_by`) from this row on, for at most this many split values. Measured on
# generate_data's province (docs/scaling.md; pil_gen_bench, ids query of the case list): a city's
# 9 procuratorates, page 2 plain 1.4 ms / merged 4.2 ms, page 41 19.5 / 8.9, page 500 243 / 16;
# the province's 113, page 41 2.8 / 99, page 500 198 / 124 (planning ~0.8 ms per part). Shallow
# pages walk the ordering's index in the plain query anyway; a scope of very many procuratorates
# is most of the table, which the plain query walks too.
MERGE_FROM = 1000
MAX_SPLIT = 32


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


def _is_relation(queryset: QuerySet, name: str) -> bool:
    """Whether ordering by `name` means a relation (ordered by the related model's own ordering,
    not one column); an unknown name counts as one (not merged)."""
    if name in queryset.query.annotations:
        return False
    model, field = queryset.model, None
    for part in name.split("__"):
        if model is None:
            return True
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return True
        model = field.related_model if field.is_relation else None
    return field is None or (field.is_relation and not field.primary_key)


def _ordering(queryset: QuerySet) -> list[tuple[object, bool, bool | None]] | None:
    """The queryset's ordering as (expression, descending, nulls_first or None) per key, or None
    when it is not total (does not end with the primary key) or cannot be merged (random order)."""
    query = queryset.query
    terms = list(query.order_by or (query.default_ordering and queryset.model._meta.ordering) or [])
    if query.extra_order_by or not terms:
        return None
    keys: list[tuple[object, bool, bool | None]] = []
    for term in terms:
        if isinstance(term, str):
            name = term.lstrip("-")
            if term == "?" or "." in term or _is_relation(queryset, name):
                return None  # a relation orders by the related model's ordering: not one column
            keys.append((F(name), term.startswith("-"), None))
        elif isinstance(term, OrderBy):
            nulls = True if term.nulls_first else (False if term.nulls_last else None)
            keys.append((term.expression, term.descending, nulls))
        elif isinstance(term, F):
            keys.append((term, False, None))
        else:
            return None
    last = keys[-1][0]
    pk_names = {"pk", "id", queryset.model._meta.pk.name, queryset.model._meta.pk.attname}
    if not (isinstance(last, F) and last.name in pk_names):
        return None
    return keys


def _column(queryset: QuerySet, expression: object) -> str | None:
    """The model's column an ordering key reads (through a plain `F` annotation), else None."""
    while isinstance(expression, F):
        name = expression.name
        if name in queryset.query.annotations:
            expression = queryset.query.annotations[name]
            if isinstance(expression, Col) and expression.target.model is queryset.model:
                return expression.target.column  # `F("field")` annotated: resolved to its column
            continue
        try:
            field = queryset.model._meta.pk if name == "pk" else queryset.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return getattr(field, "column", None)
    return None


def _index_leads_with(queryset: QuerySet, split_field: str, first_key: object) -> bool:
    """Whether the model has an index on (split field, first ordering key, …): then each part is
    read in order off it (forwards, backwards, or with an incremental sort of the ties). Without
    one each part would walk an index of the whole table or sort its rows: the merge then costs
    many times the plain query (ordering by case number: seconds)."""
    meta = queryset.model._meta
    wanted = [meta.get_field(split_field).column, _column(queryset, first_key)]
    if wanted[1] is None:
        return False
    for index in meta.indexes:
        if index.contains_expressions or getattr(index, "condition", None) is not None:
            continue
        columns = [meta.get_field(name.lstrip("-")).column for name in index.fields[:2]]
        if columns == wanted:
            return True
    return False


class CappedPaginator(Paginator):
    """See the module docstring. `object_list` must be a QuerySet.

    `split_by=(field, values)`: the list is the disjoint union of its rows with `field` equal to
    each of `values` (every row has one of them), e.g. ("procuratorate_id", <the procuratorates in
    the user's scope>); `values` is read only when a deep page needs it."""

    exact_up_to = EXACT_UP_TO
    max_split = MAX_SPLIT
    merge_from = MERGE_FROM

    def __init__(
        self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, split_by=None, count=None
    ) -> None:
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.split_by: tuple[str, Iterable] | None = split_by
        if count is not None:  # the caller knows the exact size (e.g. counted another way)
            self.__dict__["_counted"] = (count, True)

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
            ids = self._merged_ids(bottom, bottom + self.per_page + 1)
            if ids is None:
                ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page + 1])
            has_more = len(ids) > self.per_page
            ids = ids[: self.per_page]
            by_id = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)} if ids else {}
            rows = [by_id[pk] for pk in ids if pk in by_id]
        return CappedPage(rows[: self.per_page], number, self, has_more=has_more)

    def _merged_ids(self, bottom: int, top: int) -> list | None:
        """The ids of rows bottom..top-1 read as a merge of the per-value lists (module docstring),
        or None when the list cannot be split (no split, one value, too many, ordering not total)."""
        if self.split_by is None or bottom < self.merge_from:
            return None
        keys = _ordering(self.object_list)
        field, values = self.split_by
        if keys is None or not _index_leads_with(self.object_list, field, keys[0][0]):
            return None
        values = list(values)
        if not 1 < len(values) <= self.max_split:
            return None
        names = {f"_page_key{n}": expression for n, (expression, _desc, _nulls) in enumerate(keys)}
        parts, params = [], []
        for n, value in enumerate(values):
            part = self.object_list.filter(**{field: value}).annotate(**names).values_list("pk", *names)[:top]
            sql, part_params = part.query.sql_with_params()
            # Django's own SQL for the queryset, its values as parameters: nothing from the request.
            parts.append(f"SELECT * FROM ({sql}) AS page_part{n}")  # noqa: S608
            params.extend(part_params)
        order = []
        for position, (_expression, descending, nulls_first) in enumerate(keys, start=2):
            term = f"{position} {'DESC' if descending else 'ASC'}"
            if nulls_first is not None:
                term += " NULLS FIRST" if nulls_first else " NULLS LAST"
            order.append(term)
        sql = f"{' UNION ALL '.join(parts)} ORDER BY {', '.join(order)} LIMIT %s OFFSET %s"
        with connections[self.object_list.db].cursor() as cursor:
            cursor.execute(sql, [*params, top - bottom, bottom])
            return [row[0] for row in cursor.fetchall()]
