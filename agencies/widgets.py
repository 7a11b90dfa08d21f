"""The one widget for every field that names an organisation (or a person) out of a long list,
and a plain select that renders its own options.

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

How a source's rows are labelled, grouped and matched comes from its registration
(agencies/choices.py `ChoiceDisplay`): the same widget serves a source of procurators, labelled by
name and grouped by procuratorate.

`FastSelect` / `FastSelectMultiple`: a select over a short list (statuses, domains, the
procuratorates in scope) whose options are written in Python rather than through Django's
per-option templates, which cost about 50 µs an option on every page that shows a filter form.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIteratorValue
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from agencies.choices import choice_display
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
            display = choice_display(self.source)
            chosen = queryset.filter(pk__in=ids).order_by(*display.order_by).values("pk", **display.columns())
            for row in chosen:
                option = self.create_option(name, row["pk"], row["choice_label"], True, index)  # type: ignore[attr-defined]
                option["attrs"]["data-region"] = row["choice_group"] or ""
                groups.append((None, [option], index))
                index += 1
        return groups

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)  # type: ignore[misc]
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-agency-search"] = f"{reverse('agency_search')}?{urlencode({'source': self.source})}"
        display = choice_display(self.source)
        widget_attrs["data-search-none"] = str(display.no_match)
        widget_attrs["data-search-placeholder"] = str(display.placeholder)
        context["widget"]["typed_name"] = f"{name}{TYPED_SUFFIX}"
        context["widget"]["typed_id"] = f"{widget_attrs.get('id', name)}{TYPED_SUFFIX}"
        context["widget"]["typed_label"] = (
            display.typed_label_multiple if self.allow_multiple_selected else display.typed_label
        )
        return context

    def _resolve(self, typed: str) -> str:
        """The id of the one row in the field's queryset whose name is (or contains) `typed`;
        `typed` itself when none or several match, so the field reports an invalid choice."""
        queryset = self._queryset()
        if queryset is None:
            return typed
        display = choice_display(self.source)
        for lookup in ("exact", "icontains"):
            matches = Q()
            for column in display.exact:
                matches |= Q(**{f"{column}__{lookup}": typed})
            found = list(queryset.filter(matches).values_list("pk", flat=True)[:2])
            if len(found) == 1:
                return str(found[0])
            if found:
                return typed
        return typed


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


class _FastOptionsMixin:
    """Renders the select in Python: the same elements and attributes as Django's select templates
    (without their blank lines)."""

    allow_multiple_selected: bool
    choices: Any
    attrs: dict

    def render(self, name, value, attrs=None, renderer=None):
        values = {str(v) for v in self.format_value(value)}  # type: ignore[attr-defined]
        final_attrs = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        parts = [format_html('<select name="{}"{}>', name, _attrs(final_attrs))]
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # an optgroup: (group name, [(value, label), ...])
                parts.append(format_html('\n  <optgroup label="{}">', option_value))
                parts.extend(self._option(v, lab, values) for v, lab in label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(self._option(option_value, label, values))
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part is format_html's output or a literal)

    def _option(self, value, label, selected_values: set[str]) -> str:
        if isinstance(value, ModelChoiceIteratorValue):
            value = value.value
        value = "" if value is None else str(value)
        selected = value in selected_values
        if selected and not self.allow_multiple_selected:
            selected_values.clear()  # a single select marks only its first match, as Django does
        if selected:
            return format_html('\n  <option value="{}" selected>{}</option>', value, label)
        return format_html('\n  <option value="{}">{}</option>', value, label)


def _attrs(attrs: dict) -> str:
    """Django's attrs.html, in the same order: True → the bare name, False/None → left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


class FastSelect(_FastOptionsMixin, forms.Select):
    """A select over a short list, rendered without a template per option."""


class FastSelectMultiple(_FastOptionsMixin, forms.SelectMultiple):
    """A multiple select over a short list, rendered without a template per option."""
