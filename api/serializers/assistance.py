"""Assistance requests (协助调查) through the API. The procuratorate reads the request with its case;
the asked agency reads the request's own text and its answer, never a field of the case (a
separate serializer, as for feedback reports). The answer's files are listed with the request and
downloaded from /assistance-files/{id}/download/."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.common import OrgRefSerializer, UserRefSerializer, text
from api.serializers.files import FILE_FIELDS, files_field
from assistance.models import AssistanceFile, AssistanceRequest

_ID = {"min_value": 1, "max_value": 2**63 - 1}


class AssistanceFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssistanceFile
        fields = FILE_FIELDS
        read_only_fields = fields


AGENCY_FIELDS = [
    "id",
    "agency",
    "kind",
    "subject",
    "details",
    "sent_on",
    "due_date",
    "status",
    "answer",
    "answered_on",
    "answered_by",
    "files",
]


class AssistanceAgencySerializer(serializers.ModelSerializer):
    """The request as the asked agency reads it: its own text and answer, nothing of the case."""

    agency = OrgRefSerializer(read_only=True)
    answered_by = UserRefSerializer(read_only=True, allow_null=True)
    files = AssistanceFileSerializer(many=True, read_only=True)

    class Meta:
        model = AssistanceRequest
        fields = AGENCY_FIELDS
        read_only_fields = fields


class AssistanceInternalSerializer(AssistanceAgencySerializer):
    requested_by = UserRefSerializer(read_only=True)

    class Meta(AssistanceAgencySerializer.Meta):
        fields = [*AGENCY_FIELDS, "case", "requested_by", "close_note", "withdraw_reason", "created_at"]
        read_only_fields = fields


class AssistanceRequestInput(serializers.Serializer):
    case = serializers.IntegerField(**_ID)
    agency = serializers.IntegerField(**_ID)
    kind = serializers.ChoiceField(choices=AssistanceRequest.Kind.choices)
    subject = text(max_length=200)
    details = text(max_length=20000)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class AssistanceAnswerInput(serializers.Serializer):
    """The agency's answer (multipart/form-data), with up to ten files (`files` repeated)."""

    answer = text(max_length=20000)
    files = files_field(min_length=0, required=False, default=list)


class AssistanceWithdrawInput(serializers.Serializer):
    reason = text(max_length=10000)
