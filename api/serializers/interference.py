"""Interference records through the API (docs/domain.md, Interference records): read, record,
correct (a new record with `corrects`), and materials. Never changed or deleted."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from api.serializers.common import UserRefSerializer, text
from api.serializers.files import FILE_FIELDS, files_field
from interference.models import InterferenceAttachment, InterferenceRecord, Means, Relation

_ID = {"min_value": 1, "max_value": 2**63 - 1}


class InterferenceAttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = InterferenceAttachment
        fields = ["id", "record", *FILE_FIELDS[1:], "uploaded_by"]
        read_only_fields = fields


class InterferenceRecordSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    # The id of the record that corrects this one (the one in force); annotated by the resource.
    corrected_by = serializers.IntegerField(read_only=True, allow_null=True)
    attachments = InterferenceAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = InterferenceRecord
        fields = [
            "id",
            "case",
            "case_number",
            "procuratorate",
            "person_name",
            "person_unit",
            "person_position",
            "relation",
            "occurred_on",
            "place",
            "means",
            "request",
            "recorded_by",
            "recorded_at",
            "corrects",
            "correction_reason",
            "corrected_by",
            "attachments",
        ]
        read_only_fields = fields


class InterferenceRecordInput(serializers.Serializer):
    """A new record; with `corrects`, the correction of that record (same case; `correction_reason`
    required). Materials are uploaded afterwards with `POST /interference-records/{id}/attachments/`."""

    case = serializers.IntegerField(required=False, allow_null=True, **_ID)
    corrects = serializers.IntegerField(required=False, allow_null=True, **_ID)
    correction_reason = text(required=False)
    person_name = text(max_length=100)
    person_unit = text(required=False, max_length=200)
    person_position = text(required=False, max_length=100)
    relation = serializers.ChoiceField(choices=Relation.choices)
    occurred_on = serializers.DateField()
    place = text(required=False, max_length=200)
    means = serializers.ChoiceField(choices=Means.choices)
    request = text()

    def validate(self, data: dict) -> dict:
        if data.get("case") is None and data.get("corrects") is None:
            raise serializers.ValidationError({"case": [_("请选择案件。")]})
        return data


class InterferenceAttachmentUploadInput(serializers.Serializer):
    file = files_field()
