"""Deadlines and notifications."""

from __future__ import annotations

from rest_framework import serializers

from deadlines.models import Deadline
from notifications.models import Notification

DEADLINE_FIELDS = [
    "id",
    "recommendation",
    "rule",
    "rule_name",
    "obligor",
    "start_date",
    "period_value",
    "period_unit",
    "due_date",
    "provisional",
    "status",
    "fulfilled_on",
    "explanation",
]


class DeadlineAgencySerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.code", read_only=True)
    rule_name = serializers.CharField(source="rule.display_name", read_only=True)
    obligor = serializers.CharField(source="rule.obligor", read_only=True)

    class Meta:
        model = Deadline
        fields = DEADLINE_FIELDS
        read_only_fields = fields


class DeadlineInternalSerializer(DeadlineAgencySerializer):
    class Meta(DeadlineAgencySerializer.Meta):
        fields = [*DEADLINE_FIELDS, "case", "calendar_version", "closed_at", "created_at"]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    # Rendered from the notification's kind and parameters in the request's language
    # (Accept-Language; notifications/messages.py).
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True)
