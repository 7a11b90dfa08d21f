"""Named sources of organisation choices, for the searchable agency select.

A form field that names an organisation offers the organisations its user may pick; with
thousands of agencies the page cannot carry them all, so the browser asks the search endpoint
(agencies/views.py) for the few that match what the user types. Both must offer the same set:
the app that owns the form registers, from its AppConfig.ready(), a source — a function of the
user returning the queryset the form validates against — under a name the widget carries
(`AgencySelect(source=...)`). This app does not know the roles that decide who may pick what,
so it never guesses: an unknown source is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from agencies.models import Organisation

# user -> the organisations that user may choose; an empty queryset when they may choose none.
ChoiceSource = Callable[[Any], QuerySet[Organisation]]

_SOURCES: dict[str, ChoiceSource] = {}


def register_choice_source(name: str, source: ChoiceSource) -> None:
    """Offer `source` to the search endpoint as `?source=<name>` (call from AppConfig.ready)."""
    _SOURCES[name] = source


def choice_source(name: str) -> ChoiceSource | None:
    return _SOURCES.get(name)


def registered_choice_sources() -> list[str]:
    return sorted(_SOURCES)
