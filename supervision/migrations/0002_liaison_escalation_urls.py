"""Escalation notifications already sent to discipline liaisons pointed at the case page, which a
liaison cannot open (404): point them at the supervision page of their escalation, and let them name
the recommendation's document number rather than the case (as the scan now does)."""

from django.db import migrations
from django.urls import reverse


def forward(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    DeadlineAlert = apps.get_model("deadlines", "DeadlineAlert")
    notes = Notification.objects.filter(kind="deadline_escalated", recipient__role="discipline_liaison")
    for note in notes.iterator():
        # key: deadline:<deadline id>:escalated (deadlines.services._notify)
        parts = note.key.split(":")
        if len(parts) != 3 or parts[0] != "deadline" or not parts[1].isdigit():
            continue
        alert = (
            DeadlineAlert.objects.filter(deadline_id=int(parts[1]), level="escalated")
            .select_related("deadline__recommendation")
            .first()
        )
        if alert is None or alert.deadline.recommendation is None or alert.deadline.agency_id is None:
            note.url = reverse("supervision_escalation_list")
            note.save(update_fields=["url"])
            continue
        note.url = reverse("supervision_escalation_detail", args=[alert.pk])
        if isinstance(note.params, dict):
            note.params = {**note.params, "subject": alert.deadline.recommendation.document_number or ""}
        note.save(update_fields=["url", "params"])


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("notifications", "0004_notification_params"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
