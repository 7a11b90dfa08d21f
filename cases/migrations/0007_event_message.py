"""Events store language-neutral data (cases/services/history.py): `message` for generated text, and
`changes` as raw values marked with their model. Existing events' `changes` ([before, after] as
displayed strings) are converted where the text can be read back: choice labels to their codes,
booleans, a domain's name to the domain, plain text and dates as they are. What cannot be read back
(an unknown label) is left as it was; cases/timeline.py shows it as stored. Notes are left as
written."""

from django.core.exceptions import FieldDoesNotExist
from django.db import migrations, models
from django.utils import translation
from django.utils.translation import gettext

LEAD_KINDS = {"lead_registered", "lead_edited", "lead_declined"}
RECOMMENDATION_KINDS = {"item_evaluated", "reply_recorded"}
# Hearing fields edited by a court event (a postponed hearing); litigation's models are not loaded
# here, and these two fields are plain values.
HEARING_FIELDS = {"held_on", "court_room"}
UNREADABLE = object()


def _candidates(apps, event):
    if event.kind in LEAD_KINDS:
        return [apps.get_model("cases", "Lead")]
    if event.kind.startswith("recommendation_") or event.kind in RECOMMENDATION_KINDS or event.recommendation_id:
        return [apps.get_model("cases", "Recommendation"), apps.get_model("cases", "RecommendationItem")]
    return [apps.get_model("cases", "Case")]


def _choice_code(field, text):
    if text == "":
        return ""
    for code, label in field.flatchoices:
        if text in (str(label), code):
            return code
        with translation.override("en"):
            if text == gettext(str(label)):
                return code
    return UNREADABLE


def _value(apps, field, text):
    if not isinstance(text, str):
        return UNREADABLE
    if field.many_to_many:
        return [{"id": None, "text": t} for t in text.split("、") if t]
    if field.many_to_one or field.one_to_one:
        if text == "":
            return None
        related = field.related_model
        if related._meta.label_lower == "cases.domain":
            found = related.objects.filter(name=text).first() or related.objects.filter(name_en=text).first()
            if found is not None:
                return {"id": found.pk, "text": text}
        return {"id": None, "text": text}
    if field.one_to_many:  # a reverse relation recorded as text (a recommendation's items)
        return text
    if field.choices:
        return _choice_code(field, text)
    if isinstance(field, models.BooleanField):
        return {"True": True, "False": False}.get(text, UNREADABLE)
    return text


def _convert(apps, event, name, values):
    if not (isinstance(values, list) and len(values) == 2):
        return UNREADABLE
    for model in _candidates(apps, event):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        before, after = _value(apps, field, values[0]), _value(apps, field, values[1])
        if before is UNREADABLE or after is UNREADABLE:
            return UNREADABLE
        return {"model": model._meta.label_lower, "before": before, "after": after}
    if event.kind == "court_recorded" and name in HEARING_FIELDS:
        return {"model": "litigation.hearing", "before": values[0], "after": values[1]}
    return UNREADABLE


def convert_changes(apps, schema_editor):
    Event = apps.get_model("cases", "Event")
    for event in Event.objects.exclude(changes={}).iterator():
        if not isinstance(event.changes, dict):
            continue
        converted = {}
        for name, values in event.changes.items():
            value = _convert(apps, event, name, values)
            converted[name] = values if value is UNREADABLE else value
        if converted != event.changes:
            event.changes = converted
            event.save(update_fields=["changes"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_dashboard_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="message",
            field=models.JSONField(blank=True, default=list, verbose_name="说明（多语言）"),
        ),
        migrations.RunPython(convert_changes, migrations.RunPython.noop),
    ]
