"""Two-way lead referrals (docs/domain.md, Referrals)."""

from __future__ import annotations

from rest_framework import serializers

from agencies.models import Organisation
from api.serializers.common import OrgRefSerializer, UserRefSerializer, text
from cases.models import Domain
from referrals.models import Referral, ReferralFile

_ID = {"min_value": 1, "max_value": 2**63 - 1}


class ReferralSerializer(serializers.ModelSerializer):
    sender = OrgRefSerializer(read_only=True)
    receiver = OrgRefSerializer(read_only=True)
    agency = OrgRefSerializer(read_only=True, allow_null=True)
    created_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "number",
            "direction",
            "status",
            "sender",
            "receiver",
            "case",
            "title",
            "concern",
            "persons_concerned",
            "facts",
            "agency",
            "domain",
            "return_reason",
            "sent_on",
            "acknowledged_on",
            "outcome",
            "outcome_text",
            "outcome_on",
            "lead",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class ReferralFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferralFile
        fields = ["id", "referral", "original_name", "content_type", "size", "description", "uploaded_at"]
        read_only_fields = fields


class ReferralCreateInput(serializers.Serializer):
    """An outgoing referral names its `case` and `commission`; an incoming one (the liaison) its
    `procuratorate` and `domain`."""

    direction = serializers.ChoiceField(choices=Referral.Direction.choices)
    case = serializers.IntegerField(required=False, **_ID)
    commission = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.DISCIPLINE), required=False
    )
    procuratorate = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.PROCURATORATE), required=False
    )
    domain = serializers.PrimaryKeyRelatedField(queryset=Domain.objects.all(), required=False)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.AGENCY), allow_null=True, default=None
    )
    title = text(max_length=200)
    concern = serializers.ChoiceField(choices=Referral.Concern.choices, required=False)
    persons_concerned = text(required=False, max_length=300)
    facts = text(max_length=20000)

    def validate(self, data):
        needed = (
            ("case", "commission", "concern", "persons_concerned")
            if data["direction"] == Referral.Direction.TO_COMMISSION
            else ("procuratorate", "domain")
        )
        missing = {
            name: serializers.ErrorDetail("该字段是必填项。", code="required") for name in needed if not data.get(name)
        }
        if missing:
            raise serializers.ValidationError(missing)
        return data


class ReferralReturnInput(serializers.Serializer):
    reason = text(max_length=5000)


class ReferralAcknowledgeInput(serializers.Serializer):
    acknowledged_on = serializers.DateField()


class ReferralOutcomeInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Referral.Outcome.choices)
    outcome_text = text(max_length=20000)
    outcome_on = serializers.DateField()


class ReferralFileInput(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False, use_url=False)
    description = text(required=False, max_length=200)
