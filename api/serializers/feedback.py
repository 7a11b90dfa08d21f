"""Rectification feedback (整改反馈): the agency's reports. Agencies see their own drafts and
submitted reports; procuratorate staff only submitted ones (feedback.selectors). Evidence files are
listed here, added to a draft with POST /feedback/{id}/attachments/ (multipart/form-data) and
downloaded from /feedback-attachments/{id}/download/."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.common import OrgRefSerializer, UserRefSerializer, text
from feedback.models import FeedbackAttachment, FeedbackReport, ItemAnswer


class AnswerSerializer(serializers.ModelSerializer):
    item_number = serializers.IntegerField(source="item.number", read_only=True)

    class Meta:
        model = ItemAnswer
        fields = ["item", "item_number", "status", "measures", "reason", "proposed_completion_on"]
        read_only_fields = fields


class FeedbackAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeedbackAttachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


REPORT_FIELDS = [
    "id",
    "recommendation",
    "agency",
    "kind",
    "status",
    "supplement_request",
    "corrects",
    "summary",
    "responsible_person_name",
    "responsible_person_title",
    "submitted_by",
    "submitted_at",
    "answers",
    "attachments",
]


class FeedbackInternalSerializer(serializers.ModelSerializer):
    """A submitted report as the procuratorate reads it."""

    agency = OrgRefSerializer(read_only=True)
    submitted_by = UserRefSerializer(read_only=True, allow_null=True)
    answers = AnswerSerializer(many=True, read_only=True)
    attachments = FeedbackAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = FeedbackReport
        fields = REPORT_FIELDS
        read_only_fields = fields


class FeedbackAgencySerializer(FeedbackInternalSerializer):
    """The agency's own report, drafts included, with who drafted it inside the agency."""

    drafted_by = UserRefSerializer(read_only=True)

    class Meta(FeedbackInternalSerializer.Meta):
        fields = [*REPORT_FIELDS, "drafted_by", "created_at", "updated_at"]
        read_only_fields = fields


class AnswerInputSerializer(serializers.Serializer):
    """The answer on one item (逐项回复); every item of the recommendation needs one."""

    item = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    status = serializers.ChoiceField(choices=ItemAnswer.Status.choices)
    measures = text(required=False, max_length=20000)
    reason = text(required=False, max_length=20000)
    proposed_completion_on = serializers.DateField(required=False, allow_null=True, default=None)


class FeedbackContentInput(serializers.Serializer):
    summary = text(max_length=20000)
    answers = AnswerInputSerializer(many=True, max_length=50)
    responsible_person_name = text(required=False, max_length=100)
    responsible_person_title = text(required=False, max_length=100)


class FeedbackCreateInput(FeedbackContentInput):
    recommendation = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(choices=FeedbackReport.Kind.choices)
    supplement_request = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, allow_null=True, default=None
    )
    corrects = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True, default=None)
