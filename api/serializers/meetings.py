"""Joint meetings and their decisions (docs/domain.md, Joint meetings). Agency staff and the
commission's liaison read the agency-facing shape: no discussed cases, recommendations or
referrals (internal)."""

from __future__ import annotations

from rest_framework import serializers

from agencies.models import Organisation
from api.serializers.common import OrgRefSerializer, UserRefSerializer, text
from meetings.models import Decision, Meeting, Participant

_ID = {"min_value": 1, "max_value": 2**63 - 1}


class ParticipantSerializer(serializers.ModelSerializer):
    organisation = OrgRefSerializer(read_only=True)

    class Meta:
        model = Participant
        fields = ["organisation", "attendees"]
        read_only_fields = fields


MEETING_FIELDS = [
    "id",
    "title",
    "date",
    "place",
    "status",
    "status_reason",
    "host",
    "procuratorate",
    "participants",
    "other_participants",
    "agenda",
    "minutes",
]


class MeetingAgencySerializer(serializers.ModelSerializer):
    host = OrgRefSerializer(read_only=True)
    procuratorate = OrgRefSerializer(read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS
        read_only_fields = fields


class MeetingInternalSerializer(MeetingAgencySerializer):
    recorder = UserRefSerializer(read_only=True)

    class Meta(MeetingAgencySerializer.Meta):
        fields = [*MEETING_FIELDS, "cases", "recommendations", "referrals_text", "recorder", "created_at"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    owner = OrgRefSerializer(read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "text", "owner", "due_date", "status", "done_on", "done_note"]
        read_only_fields = fields


class MeetingScheduleInput(serializers.Serializer):
    title = text(max_length=200)
    date = serializers.DateField()
    place = text(required=False, max_length=200)
    host = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    participants = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True), many=True)
    # {organisation id: "姓名、职务"}
    attendees = serializers.DictField(child=text(required=False, max_length=2000), default=dict)
    other_participants = text(required=False, max_length=5000)
    agenda = text(required=False, max_length=20000)
    cases = serializers.ListField(child=serializers.IntegerField(**_ID), default=list, max_length=100)
    recommendations = serializers.ListField(child=serializers.IntegerField(**_ID), default=list, max_length=100)
    referrals_text = text(required=False, max_length=5000)

    def validate_attendees(self, value: dict) -> dict[int, str]:
        try:
            return {int(key): people for key, people in value.items()}
        except ValueError as error:
            raise serializers.ValidationError("keys are organisation ids") from error


class PostponeInput(serializers.Serializer):
    date = serializers.DateField()
    reason = text(max_length=5000)


class CancelInput(serializers.Serializer):
    reason = text(max_length=5000)


class HoldInput(serializers.Serializer):
    held_on = serializers.DateField()
    minutes = text(max_length=50000)


class DecisionInput(serializers.Serializer):
    text = text(max_length=5000)
    owner = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    due_date = serializers.DateField()


class DecisionDoneInput(serializers.Serializer):
    note = text(max_length=5000)
    done_on = serializers.DateField()
