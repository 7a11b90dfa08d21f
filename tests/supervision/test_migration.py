"""supervision 0002: escalation notifications sent to liaisons before the supervision page existed
are pointed at it (they opened the case, a 404 for the liaison)."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.urls import reverse

from notifications.models import Notification

migration = importlib.import_module("supervision.migrations.0002_liaison_escalation_urls")


def test_old_liaison_escalation_notifications_point_at_the_supervision_page(world, escalation):
    case_url = reverse("case_detail", args=[escalation.deadline.case_id])
    liaison_note = Notification.objects.get(
        recipient=world.discipline, key=f"deadline:{escalation.deadline_id}:escalated"
    )
    Notification.objects.filter(kind="deadline_escalated").update(url=case_url)
    liaison_note.params = {**liaison_note.params, "subject": escalation.deadline.case.number}
    liaison_note.save()
    migration.forward(apps, None)
    liaison_note.refresh_from_db()
    assert liaison_note.url == reverse("supervision_escalation_detail", args=[escalation.pk])
    assert liaison_note.params["subject"] == escalation.deadline.recommendation.document_number
    # Not the supervisor's: they read the case.
    assert Notification.objects.get(recipient=world.supervisor, key=liaison_note.key).url == case_url
