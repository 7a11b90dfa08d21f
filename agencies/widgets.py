"""The one widget for every field that names an organisation out of a long list.

`AgencySelect` / `AgencySelectMultiple` render a <select> holding only the selected options (so a
page stays the same size whether there are ten agencies or ten thousand) and carry the URL of the
search endpoint in `data-agency-search`; static/js/agency-select.js turns it into a searchable
select (tom-select) that asks that endpoint as the user types, grouped by region. The field stays
a ModelChoiceField / ModelMultipleChoiceField over the full allowed queryset, so the server
validates every submitted id against the same scope as before.

Without JavaScript the widget also renders (in <noscript>) a text box: the user types an
organisation's full name (or a fragment that matches exactly one; several, one per line, for a
multiple select) and the widget turns it into the id; a name that matches none or several is
submitted as typed and the field reports it as an invalid choice.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from pil_tracker.filtering import ID_MAX

TYPED_SUFFIX = "__name"
_SEPARATORS = re.compile(r"[\n,，;；、]+")


class _RemoteOptionsMixin:
    """Shared by the single and the multiple select."""

    template_name = "agencies/widgets/agency_select.html"
    allow_multiple_selected: bool
    choices: Any
    attrs: dict

    def __init__(self, attrs: dict | None = None, *, source: str) -> None:
        super().__init__(attrs)  # type: ignore[call-arg]
        self.source = source

    def _queryset(self):
        """The field's queryset (the field hands the widget its ModelChoiceIterator)."""
        return getattr(self.choices, "queryset", None)

    def use_required_attribute(self, initial) -> bool:
        # A required <select> with no option picked would block the no-JS fallback's text box.
        return False

    def optgroups(self, name, value, attrs=None):
        queryset = self._queryset()
        if queryset is None:
            return super().optgroups(name, value, attrs)  # type: ignore[misc]
        groups = []
        index = 0
        field = getattr(self.choices, "field", None)
        empty_label = getattr(field, "empty_label", None)
        if not self.allow_multiple_selected and empty_label is not None:
            groups.append((None, [self.create_option(name, "", empty_label, not value, index)], index))  # type: ignore[attr-defined]
            index += 1
        # An id beyond 64 bits cannot exist (and SQLite cannot even bind it): the field reports it.
        ids = [int(v) for v in value if str(v).isdigit() and 0 < int(v) <= ID_MAX]
        if ids:
            chosen = queryset.filter(pk__in=ids).select_related("region").order_by("name")
            for organisation in chosen:
                option = self.create_option(name, organisation.pk, str(organisation), True, index)  # type: ignore[attr-defined]
                option["attrs"]["data-region"] = organisation.region.name if organisation.region_id else ""
                groups.append((None, [option], index))
                index += 1
        return groups

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)  # type: ignore[misc]
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-agency-search"] = f"{reverse('agency_search')}?{urlencode({'source': self.source})}"
        context["widget"]["typed_name"] = f"{name}{TYPED_SUFFIX}"
        context["widget"]["typed_id"] = f"{widget_attrs.get('id', name)}{TYPED_SUFFIX}"
        return context

    def _resolve(self, typed: str) -> str:
        """The id of the one organisation in the field's queryset whose name is (or contains) `typed`;
        `typed` itself when none or several match, so the field reports an invalid choice."""
        queryset = self._queryset()
        if queryset is None:
            return typed
        exact = list(queryset.filter(name=typed).values_list("pk", flat=True)[:2])
        if len(exact) == 1:
            return str(exact[0])
        partial = list(queryset.filter(name__icontains=typed).values_list("pk", flat=True)[:2])
        return str(partial[0]) if len(partial) == 1 else typed


class AgencySelect(_RemoteOptionsMixin, forms.Select):
    """A single organisation, searched on the server (`source` names an agencies.choices source)."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if value in (None, ""):
            typed = (data.get(f"{name}{TYPED_SUFFIX}") or "").strip()
            if typed:
                return self._resolve(typed)
        return value

    def value_omitted_from_data(self, data, files, name) -> bool:
        return super().value_omitted_from_data(data, files, name) and f"{name}{TYPED_SUFFIX}" not in data


class AgencySelectMultiple(_RemoteOptionsMixin, forms.SelectMultiple):
    """Several organisations, searched on the server, shown as removable chips."""

    def value_from_datadict(self, data, files, name):
        value = list(super().value_from_datadict(data, files, name) or [])
        typed = (data.get(f"{name}{TYPED_SUFFIX}") or "").strip()
        if typed:
            value += [self._resolve(part.strip()) for part in _SEPARATORS.split(typed) if part.strip()]
        return value

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False
