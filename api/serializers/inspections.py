"""Inspections (执法检查 / 联合检查) and their findings through the API. Agency staff and discipline
liaisons read the inspections their organisation took part in; a finding's lead is
procuratorate-internal, so only procuratorate staff see which lead a finding became."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.common import OrgRefSerializer, UserRefSerializer, text
from inspections.models import Finding, Inspection

_ID = {"min_value": 1, "max_value": 2**63 - 1}


class InspectionSerializer(serializers.ModelSerializer):
    procuratorate = OrgRefSerializer(read_only=True)
    organiser = OrgRefSerializer(read_only=True)
    participants = OrgRefSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "procuratorate",
            "kind",
            "title",
            "subject",
            "starts_on",
            "ends_on",
            "organiser",
            "participants",
            "status",
            "summary",
            "cancel_reason",
            "created_at",
        ]
        read_only_fields = fields


FINDING_FIELDS = ["id", "inspection", "description", "location", "agency", "domain", "created_at"]


class FindingSerializer(serializers.ModelSerializer):
    """A finding as a participating agency or commission reads it: no lead."""

    agency = OrgRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Finding
        fields = FINDING_FIELDS
        read_only_fields = fields


class FindingInternalSerializer(FindingSerializer):
    recorded_by = UserRefSerializer(read_only=True)

    class Meta(FindingSerializer.Meta):
        fields = [*FINDING_FIELDS, "lead", "recorded_by"]
        read_only_fields = fields


class InspectionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Inspection.Kind.choices)
    title = text(max_length=200)
    subject = text(max_length=20000)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    organiser = serializers.IntegerField(**_ID)
    participants = serializers.ListField(
        child=serializers.IntegerField(**_ID), max_length=50, required=False, default=list
    )


class InspectionHoldInput(serializers.Serializer):
    summary = text(max_length=20000)


class InspectionCancelInput(serializers.Serializer):
    reason = text(max_length=10000)


class FindingInput(serializers.Serializer):
    description = text(max_length=20000)
    domain = serializers.IntegerField(**_ID)
    location = text(required=False, max_length=200)
    agency = serializers.IntegerField(required=False, allow_null=True, default=None, **_ID)


class MadeLeadSerializer(serializers.Serializer):
    """The lead a finding became; `created` is false when it already was one."""

    lead = serializers.IntegerField()
    created = serializers.BooleanField()
