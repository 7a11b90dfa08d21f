"""Bounded input fields and filters, so an out-of-range value is a field error, never a 500.

An id beyond 64 bits reaches the database as an integer it cannot hold (SQLite: OverflowError,
PostgreSQL: "out of range"); a date like 0001-01-01 or 9999-12-31 overflows the date arithmetic of
periods and deadlines. The fields here refuse both before any query. Every FilterSet of the web
lists and of the API derives from SafeFilterSet, which refuses at import a filter whose field is
not bounded (a plain NumberFilter, DateFilter or ModelChoiceFilter), so a filter added later cannot
reopen the hole; tests/hardening/test_filter_fuzz.py fuzzes every declared filter.
"""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.db.models import Q, Value
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields

# Ids are bigints (DEFAULT_AUTO_FIELD); nothing beyond them can exist.
ID_MAX = 2**63 - 1
# Dates a procuratorate's record can carry; outside them a period's arithmetic would overflow.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2999, 12, 31)


class Bounded:
    """Marks a form field that refuses out-of-range values itself (SafeFilterSet checks for it)."""


class IdField(Bounded, forms.IntegerField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class BoundedDateField(Bounded, forms.DateField):
    default_error_messages = {"out_of_range": _("日期须在 %(min)s 至 %(max)s 之间。")}

    def validate(self, value) -> None:
        super().validate(value)
        if value and not DATE_MIN <= value <= DATE_MAX:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
            )


class BoundedModelChoiceField(Bounded, filter_fields.ModelChoiceField):
    """A choice by id: a value that cannot be an id is an invalid choice, without a query."""

    def to_python(self, value):
        if value not in self.empty_values and not self.to_field_name:
            try:
                number = int(str(value))
            except ValueError:
                number = None
            if number is None or not 1 <= number <= ID_MAX:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class IdInFilter(django_filters.BaseInFilter, IdFilter):
    """A comma-separated list of ids ("3,5,8"), each bounded."""


class DateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BoundedModelChoiceField


# Form fields that take a number, date or database key: a filter built on one must be bounded.
_UNBOUNDED = (
    forms.IntegerField,
    forms.DecimalField,
    forms.FloatField,
    forms.DateField,
    forms.DateTimeField,
    forms.ModelChoiceField,
    forms.ModelMultipleChoiceField,
)


def _is_bounded(flt: django_filters.Filter) -> bool:
    field_class = flt.field_class
    if issubclass(field_class, Bounded) or not issubclass(field_class, _UNBOUNDED):
        return True
    # A number with both limits given (e.g. "due within N days", 0–366) is bounded too.
    numeric = issubclass(field_class, forms.IntegerField | forms.DecimalField | forms.FloatField)
    return numeric and "min_value" in flt.extra and "max_value" in flt.extra


class SafeFilterSet(django_filters.FilterSet):
    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        unbounded = [name for name, flt in filters.items() if not _is_bounded(flt)]
        if unbounded:
            raise TypeError(f"{cls.__name__}: unbounded filters {unbounded}; use pil_tracker.filtering's filters.")
        return filters


def active_filter_count(filterset, *, ignore: tuple[str, ...] = ("ordering", "page")) -> int:
    """How many of the filter set's fields the request sets (shown on the collapsed filter panel)."""
    data = filterset.data
    if not data:
        return 0

    def values(name: str) -> list:
        return data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]

    return sum(1 for name in filterset.form.fields if name not in ignore and any(values(name)))


# A run of digits long enough to have trigrams of its own: a case number's sequence number.
_DIGIT_RUN = re.compile(r"[0-9]{3,}")
_LONG_HEAD = 4


def contains_q(value: str, *fields: str) -> Q:
    """Rows where any of `fields` contains `value`, case-insensitively: exactly the rows of
    `field__icontains=value` for any field.

    - A value with a run of three or more digits after a head of four or more characters (a case
      number "青川东湖检行公立〔G2024〕8207号") is looked up by its last such run and what follows it
      ("8207号"): the trigram index (cases/0010) then reads the few rows whose trigrams the
      sequence number has, where the whole value's trigrams include those every number shares
      ("检行公", "〔G2"…: the index read most of itself, ~50 ms per procuratorate in scope). The
      whole value is then checked on those rows by position (`strpos`, which no index answers, so
      the planner does not add its trigrams back): a row contains the value only if it contains
      its end part, so the rows are the same. A b-tree exact or prefix lookup would not be: a
      number can contain another one ("东湖检行公立〔G2024〕8207号" is inside
      "青川东湖检行公立〔G2024〕8207号").
    - Anything else is `icontains` as it is (docs/scaling.md: two-character searches)."""
    runs = list(_DIGIT_RUN.finditer(value))
    # Only past a long head: a short one ("B77777", "案件12345") has trigrams that narrow the
    # lookup more than they cost (dropping "B77": 1 → 8 ms on the dashboard benchmark).
    tail = value[runs[-1].start() :] if runs and runs[-1].start() >= _LONG_HEAD else value
    if tail == value:
        return _any_of(fields, lambda field: Q(**{f"{field}__icontains": value}))
    return _any_of(
        fields,
        lambda field: (
            Q(**{f"{field}__icontains": tail}) & Q(GreaterThan(StrIndex(Upper(field), Upper(Value(value))), 0))
        ),
    )


def _any_of(fields: tuple[str, ...], condition) -> Q:
    q = Q()
    for field in fields:
        q |= condition(field)
    return q
