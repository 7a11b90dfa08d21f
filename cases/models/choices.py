"""`get_FOO_display()` without rebuilding the field's choices on every call.

Django's `Model._get_FIELD_display` turns the field's whole list of choices into a dict on each
call, hashing every (value, label) pair, and hashing a lazily translated label translates it: for
the timeline's event kinds (about a hundred) that is ~0.5 ms per event, tens of milliseconds on a
case page, and a few milliseconds per list page for the status and type columns. The mixin keeps
the dict of value → lazy label once per field; the label is still translated on each call, in the
reader's language.
"""

from __future__ import annotations

from typing import Any

from django.utils.encoding import force_str


def choice_label(field, value: Any) -> Any:
    """`value`'s lazy label among `field`'s choices (`value` itself when it is not one of them);
    the field's dict of value → label is built once. TypeError for an unhashable value."""
    labels = field.__dict__.get("_choice_labels")
    if labels is None:
        labels = field._choice_labels = dict(field.flatchoices)
    return labels.get(value, value)


class CachedChoiceLabels:
    """Put first among a model's bases; the get_FOO_display methods then use this lookup."""

    def _get_FIELD_display(self, field) -> Any:
        try:
            label = choice_label(field, getattr(self, field.attname))
        except TypeError:  # an unhashable value (a JSON field's list): Django's own way
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        return force_str(label, strings_only=True)
