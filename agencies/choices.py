"""Named sources of choices, for the searchable selects (agencies/widgets.py).

A form field that names an organisation offers the organisations its user may pick; with
thousands of agencies the page cannot carry them all, so the browser asks the search endpoint
(agencies/views.py) for the few that match what the user types. Both must offer the same set:
the app that owns the form registers, from its AppConfig.ready(), a source — a function of the
user returning the queryset the form validates against — under a name the widget carries
(`AgencySelect(source=...)`). This app does not know the roles that decide who may pick what,
so it never guesses: an unknown source is a 404.

Most sources list organisations and show them the default way (`ORGANISATIONS`: the name,
grouped by region). A source of something else — the procurators a case list can be filtered by
— registers with its own `ChoiceDisplay`: which columns label and group a row, which are
searched, how rows are ordered. The endpoint and the widget read only that description, so this
app stays ignorant of the model behind it (accounts describes people: accounts/choices.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# user -> what that user may choose (the queryset the form validates against); an empty
# queryset when they may choose none.
ChoiceSource = Callable[[Any], QuerySet]


# The organisations' texts, the defaults of ChoiceDisplay (lazy: translated when shown).
TYPED_ORGANISATION = _("或输入机关全称")
TYPED_ORGANISATIONS = _("添加机关：输入机关全称，每行一个")
NO_ORGANISATION = _("没有匹配的机关")
SEARCH_ORGANISATIONS = _("输入名称或地区搜索")


@dataclass(frozen=True)
class ChoiceDisplay:
    """How the rows of a source are shown, searched and ordered.

    `label` and `group` are expressions over the source's model (a column name or a Django
    expression) read with `values()`, so neither the endpoint nor the widget builds model
    instances. `search`: the columns a typed text is looked up in (icontains, any of them);
    `exact`: the columns a full name typed without JavaScript must equal to pick one row.
    """

    label: Any
    group: Any
    search: tuple[str, ...]
    exact: tuple[str, ...]
    order_by: tuple[Any, ...]
    # The fallback without JavaScript (a text box) and the search box's messages.
    typed_label: str | Promise = TYPED_ORGANISATION
    typed_label_multiple: str | Promise = TYPED_ORGANISATIONS
    no_match: str | Promise = NO_ORGANISATION
    placeholder: str | Promise = SEARCH_ORGANISATIONS

    def columns(self) -> dict[str, Any]:
        """`values()` arguments reading a row's label and group as `choice_label`, `choice_group`."""
        return {"choice_label": _expression(self.label), "choice_group": _expression(self.group)}


def _expression(column: Any) -> Any:
    return F(column) if isinstance(column, str) else column


ORGANISATIONS = ChoiceDisplay(
    label="name",
    group="region__name",
    search=("name", "short_name", "region__name"),
    exact=("name",),
    order_by=(F("region__code").asc(nulls_last=True), "name", "pk"),
)


@dataclass(frozen=True)
class RegisteredSource:
    source: ChoiceSource
    display: ChoiceDisplay


_SOURCES: dict[str, RegisteredSource] = {}


def register_choice_source(name: str, source: ChoiceSource, *, display: ChoiceDisplay = ORGANISATIONS) -> None:
    """Offer `source` to the search endpoint as `?source=<name>` (call from AppConfig.ready)."""
    _SOURCES[name] = RegisteredSource(source, display)


def choice_source(name: str) -> ChoiceSource | None:
    registered = _SOURCES.get(name)
    return registered.source if registered else None


def choice_display(name: str) -> ChoiceDisplay:
    """How `name`'s rows are shown; the organisations' way for a name not (yet) registered."""
    registered = _SOURCES.get(name)
    return registered.display if registered else ORGANISATIONS


def registered_choice_sources() -> list[str]:
    return sorted(_SOURCES)
