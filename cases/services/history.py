"""Recording events with before/after values."""

from __future__ import annotations

from typing import Any, cast

from django.db import models

from accounts.models import User
from cases.models import Event


def _display(instance: models.Model, field: models.Field) -> str:
    if isinstance(field, models.ManyToManyField):
        return "、".join(sorted(str(o) for o in getattr(instance, field.name).all()))
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    value = getattr(instance, field.name)
    return "" if value is None else str(value)


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, str]:
    """The displayed values of `fields`, to compare before and after an edit."""
    meta = instance._meta
    # The snapshot fields are the model's own fields (never a reverse relation).
    return {name: _display(instance, cast(models.Field, meta.get_field(name))) for name in fields}


def changes(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {name: [before[name], after[name]] for name in before if before[name] != after[name]}


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
    changed: dict[str, Any] | None = None,
) -> Event:
    return Event.objects.create(
        kind=kind,
        actor=actor,
        case=case,
        lead=lead,
        recommendation=recommendation,
        from_status=from_status,
        to_status=to_status,
        note=note,
        changes=changed or {},
    )
