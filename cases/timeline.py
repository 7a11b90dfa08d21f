"""Rendering the history in the reader's language.

An event stores language-neutral data (cases/services/history.py): generated text as message ids
with parameters (`Event.message`) and changed fields as raw values marked with their model
(`Event.changes`). This module turns them into text under the active language. Events written
before that storage keep their rendered text (`note`, and `changes` as [before, after] strings):
those are shown as stored.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext

from cases.models import Case, Event, Lead, Recommendation, RecommendationItem
from cases.models.choices import choice_label

# The model whose fields a legacy event's `changes` name, by event kind; anything else is the case.
_LEAD_KINDS = {Event.Kind.LEAD_REGISTERED, Event.Kind.LEAD_EDITED, Event.Kind.LEAD_DECLINED}
_RECOMMENDATION_KINDS = {k for k in Event.Kind.values if k.startswith("recommendation_")} | {
    Event.Kind.ITEM_EVALUATED,
    Event.Kind.REPLY_RECORDED,
}


def legacy_models(event: Event) -> tuple[type[models.Model], ...]:
    """The models whose fields a legacy event's `changes` may name."""
    if event.kind in _LEAD_KINDS:
        return (Lead,)
    if event.kind in _RECOMMENDATION_KINDS or event.recommendation_id:
        return (Recommendation, RecommendationItem)
    return (Case,)


def _status_choices(event: Event) -> type[models.TextChoices]:
    if event.kind in _LEAD_KINDS:
        return Lead.Status
    if event.kind in _RECOMMENDATION_KINDS or event.recommendation_id:
        return Recommendation.Status
    return Case.Status


def status_label(event: Event, value: str) -> str:
    if not value:
        return ""
    try:
        return str(_status_choices(event)(value).label)
    except ValueError:
        return value


# --- Generated text -------------------------------------------------------------------------------


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model_label: str, name: str) -> models.Field | None:
    model = _model(model_label)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _choice_label(path: str, value: Any) -> str:
    model_label, _dot, name = path.rpartition(".")
    field = _field(model_label, name)
    if not getattr(field, "choices", None):
        return "" if value is None else str(value)
    return str(choice_label(field, value))


def _param(value: Any) -> str:
    if isinstance(value, dict):
        if "choice" in value:
            return _choice_label(value["choice"], value.get("value"))
        if "msg" in value:
            return render_message(value)
        return str(value.get("text", ""))
    return "" if value is None else str(value)


def render_message(part: dict[str, Any]) -> str:
    params = {k: _param(v) for k, v in (part.get("params") or {}).items()}
    text = gettext(part.get("msg", ""))
    try:
        return text % params if params else text
    except (KeyError, TypeError, ValueError):
        # A translation that does not fit its parameters: the message id still does.
        return part.get("msg", "") % params if params else part.get("msg", "")


def render_parts(parts: list[Any]) -> str:
    """Messages and choice labels rendered under the active language, plain strings as they are,
    joined."""
    return "".join(_param(p) for p in parts)


def event_text(event: Event) -> str:
    """The event's note in the reader's language (a legacy event's note as stored)."""
    if event.message and isinstance(event.message, list):
        return render_parts(event.message)
    return event.note


# --- Changed fields ------------------------------------------------------------------------------


def _object_text(model: type[models.Model] | None, value: Any) -> str:
    """An object recorded as {"id", "text"}: the text shown when it was recorded (names are data and
    history keeps the name of the time), except reference data with an English name, which is
    looked up again to be shown in the reader's language."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    if model is not None and value.get("id") is not None:
        try:
            model._meta.get_field("name_en")
        except FieldDoesNotExist:
            pass
        else:
            found = model._default_manager.filter(pk=value["id"]).first()
            if found is not None:
                return str(found)
    return str(value.get("text", ""))


def value_text(model_label: str, name: str, value: Any) -> str:
    """A raw recorded value of field `name` of `model_label`, as text in the reader's language."""
    if value is None or value == "":
        return ""
    field = _field(model_label, name)
    related = getattr(field, "related_model", None) if field is not None else None
    if isinstance(value, list):
        return gettext("、").join(_object_text(related, v) for v in value)
    if isinstance(value, dict):
        return _object_text(related, value)
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if getattr(field, "choices", None):
        return str(choice_label(field, value))
    return str(value)


def field_label(models_to_try: tuple[type[models.Model], ...], name: str) -> str:
    """The verbose name of field `name` on the first model that has it, else the raw name."""
    for model in models_to_try:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "verbose_name", None):
            return str(field.verbose_name)
        if field.related_model is not None:  # a reverse relation, e.g. a recommendation's items
            return str(field.related_model._meta.verbose_name)
    return name


def _legacy_before_after(values) -> tuple[str, str]:
    """[before, after] as recorded; tolerant of a malformed entry rather than breaking the page."""
    if isinstance(values, list | tuple):
        before, after, *_ = [*values, "", ""]
        return str(before), str(after)
    return "", str(values)


def change_rows(event: Event, changes: dict[str, Any] | None = None) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each change, in the reader's language. `changes` defaults
    to the event's (pass a filtered copy to leave confidential fields out)."""
    rows = []
    for name, entry in (event.changes if changes is None else changes).items():
        if isinstance(entry, dict) and "model" in entry:
            model = _model(entry["model"])
            label = field_label((model,), name) if model is not None else name
            before = value_text(entry["model"], name, entry.get("before"))
            after = value_text(entry["model"], name, entry.get("after"))
            rows.append((label, before, after))
        else:
            rows.append((field_label(legacy_models(event), name), *_legacy_before_after(entry)))
    return rows


def changes_shown(event: Event, changes: dict[str, Any] | None = None) -> dict[str, list[str]]:
    """{"field name": [before, after]} as text in the reader's language (the API's form)."""
    shown = event.changes if changes is None else changes
    return {
        name: [before, after] for name, (_label, before, after) in zip(shown, change_rows(event, shown), strict=True)
    }
