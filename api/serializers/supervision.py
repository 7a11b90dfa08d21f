"""Supervision (督办) through the API: the escalations a discipline liaison reads and the actions
it records. Only what the liaison's page shows: the recommendation's agency, document number,
service date and items, the agency's submitted reports — never a field of the case."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.common import OrgRefSerializer, UserRefSerializer, text
from api.serializers.files import FILE_FIELDS, MAX_FILES_PER_REQUEST
from deadlines.models import DeadlineAlert
from feedback.models import FeedbackAttachment, FeedbackReport, ItemAnswer
from supervision.models import SupervisionAction, SupervisionActionFile
from supervision.services import NOTE_MAX_LENGTH

_ID = {"min_value": 1, "max_value": 2**63 - 1}


class EscalationSerializer(serializers.ModelSerializer):
    """One escalation (逾期督办) as the list shows it."""

    escalated_at = serializers.DateTimeField(source="created_at", read_only=True)
    agency = OrgRefSerializer(source="deadline.recommendation.agency", read_only=True)
    procuratorate = OrgRefSerializer(source="deadline.case.procuratorate", read_only=True)
    document_number = serializers.CharField(source="deadline.recommendation.document_number", read_only=True)
    served_on = serializers.DateField(source="deadline.recommendation.served_on", read_only=True)
    rule = serializers.CharField(source="deadline.rule.display_name", read_only=True)
    due_date = serializers.DateField(source="deadline.due_date", read_only=True)
    deadline_status = serializers.CharField(source="deadline.status", read_only=True)
    days_overdue = serializers.IntegerField(read_only=True)
    action_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = DeadlineAlert
        fields = [
            "id",
            "escalated_at",
            "agency",
            "procuratorate",
            "document_number",
            "served_on",
            "rule",
            "due_date",
            "deadline_status",
            "days_overdue",
            "action_count",
        ]
        read_only_fields = fields


class _ItemSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)


class _AnswerSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item.number", read_only=True)

    class Meta:
        model = ItemAnswer
        fields = ["item", "status", "measures", "reason", "proposed_completion_on"]
        read_only_fields = fields


class _ReportFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeedbackAttachment
        fields = FILE_FIELDS
        read_only_fields = fields


class _ReportSerializer(serializers.ModelSerializer):
    answers = _AnswerSerializer(many=True, read_only=True)
    files = _ReportFileSerializer(source="attachments", many=True, read_only=True)

    class Meta:
        model = FeedbackReport
        fields = ["id", "kind", "summary", "responsible_person_name", "submitted_at", "answers", "files"]
        read_only_fields = fields


class EscalationDetailSerializer(EscalationSerializer):
    """One escalation with the recommendation's items and the agency's submitted reports."""

    items = _ItemSerializer(source="page_items", many=True, read_only=True)
    reports = _ReportSerializer(source="page_reports", many=True, read_only=True)

    class Meta(EscalationSerializer.Meta):
        fields = [*EscalationSerializer.Meta.fields, "items", "reports"]
        read_only_fields = fields


class _ActionFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisionActionFile
        fields = FILE_FIELDS
        read_only_fields = fields


class SupervisionActionSerializer(serializers.ModelSerializer):
    commission = OrgRefSerializer(read_only=True)
    recorded_by = UserRefSerializer(read_only=True)
    document_number = serializers.CharField(source="recommendation.document_number", read_only=True)
    files = _ActionFileSerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionAction
        fields = [
            "id",
            "escalation",
            "recommendation",
            "document_number",
            "commission",
            "kind",
            "taken_on",
            "note",
            "recorded_by",
            "recorded_at",
            "files",
        ]
        read_only_fields = fields


class SupervisionActionInput(serializers.Serializer):
    """A supervision action against an escalation: JSON, or multipart/form-data with `files`."""

    escalation = serializers.IntegerField(**_ID)
    kind = serializers.ChoiceField(choices=SupervisionAction.Kind.choices)
    taken_on = serializers.DateField()
    note = text(max_length=NOTE_MAX_LENGTH)
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False, use_url=False),
        required=False,
        default=list,
        max_length=MAX_FILES_PER_REQUEST,
    )
