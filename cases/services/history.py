"""Recording events with before/after values.

What an event stores does not depend on the writer's language: changed fields keep their raw
values (choice codes, ids with the text shown then, ISO dates, booleans) and a marker of the model
they belong to, and the text a service generates is a message id with its parameters. Both are
rendered in the reader's language when displayed (cases/timeline.py). `note` keeps the writer's
rendering as well, for the admin and anything that reads it as plain text.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext_noop

from accounts.models import User
from cases.models import Event
from cases.timeline import render_parts


def _raw(instance: models.Model, field: models.Field) -> Any:
    """The field's value as JSON, rendered only where it is data (an object's name)."""
    if isinstance(field, models.ManyToManyField):
        objects = sorted(getattr(instance, field.name).all(), key=str)
        return [{"id": o.pk, "text": str(o)} for o in objects]
    if isinstance(field, models.ForeignKey):
        related = getattr(instance, field.name)
        return None if related is None else {"id": related.pk, "text": str(related)}
    value = getattr(instance, field.name)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, dict[str, Any]]:
    """The raw values of `fields`, each marked with its model, to compare before and after an edit."""
    meta = instance._meta
    # The snapshot fields are the model's own fields (never a reverse relation).
    return {
        name: {"model": meta.label_lower, "value": _raw(instance, cast(models.Field, meta.get_field(name)))}
        for name in fields
    }


def text_value(instance: models.Model, value: str) -> dict[str, Any]:
    """A value that is not a model field (e.g. a recommendation's items as one text), for `changes`."""
    return {"model": instance._meta.label_lower, "value": value}


def changes(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """{"field name": {"model": "app.model", "before": raw, "after": raw}} for the fields that changed.

    The keys are field names, so that the confidential ones can be left out for readers who may not
    see them (cases.selectors.CONFIDENTIAL_FIELDS)."""
    return {
        name: {"model": before[name]["model"], "before": before[name]["value"], "after": after[name]["value"]}
        for name in before
        if before[name]["value"] != after[name]["value"]
    }


def message(msgid: str, **params: Any) -> dict[str, Any]:
    """Generated text, rendered with gettext(msgid) % params when displayed. Mark `msgid` with
    gettext_noop so that it is in the catalog. A parameter is plain data (a date is stored as ISO
    text), or choice(...) for a choice label, or message(...) for a nested message."""
    return {"msg": msgid, "params": {k: _param(v) for k, v in params.items()}}


def choice(instance_or_model: models.Model | type[models.Model], field: str, value: str) -> dict[str, str]:
    """A choice label as a message parameter: the code, labelled in the reader's language."""
    return {"choice": f"{instance_or_model._meta.label_lower}.{field}", "value": value}


def _param(value: Any) -> Any:
    if isinstance(value, dict | int | float | bool) or value is None:
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def event_record(
    *,
    kind: str,
    actor: User,
    case=None,
    lead=None,
    recommendation=None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    parts: list[Any] | None = None,
    changed: dict[str, Any] | None = None,
) -> Event:
    """`note` is what the user typed, shown as typed. `parts` is generated text: a list of
    message(...), choice(...) and plain strings (data such as a court case number, or what the
    user typed), rendered and joined when displayed; the note follows them. `note` keeps the
    writer's rendering of the whole as a plain-text copy."""
    message_parts = list(parts or [])
    if message_parts and note:
        message_parts += [message(gettext_noop("：")), note]
    # The writer's rendering, a plain-text copy; the reader's language is applied at display.
    stored_note = render_parts(message_parts) if message_parts else note
    return Event.objects.create(
        kind=kind,
        actor=actor,
        case=case,
        lead=lead,
        recommendation=recommendation,
        from_status=from_status,
        to_status=to_status,
        note=stored_note,
        message=message_parts,
        changes=changed or {},
    )
