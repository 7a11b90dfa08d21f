"""Lawsuits, hearings and rulings: the procuratorate's record, and the defendant agency's view of
its court duties (never the internal notes or who in the procuratorate recorded what)."""

from __future__ import annotations

from rest_framework import serializers

from agencies.models import Organisation
from api.serializers.common import OrgRefSerializer, UserRefSerializer, text
from cases.models import Case
from litigation.models import Hearing, Lawsuit, Material, Ruling

LAWSUIT_FIELDS = [
    "id",
    "case",
    "court",
    "court_case_number",
    "filed_on",
    "defendant_agency",
    "defendant_name",
    "criminal_case_number",
    "claims",
    "materials",
    "complaint_copy_received_on",
    "defence_submitted_on",
    "status",
]


class LawsuitAgencySerializer(serializers.ModelSerializer):
    defendant_agency = OrgRefSerializer(read_only=True, allow_null=True)
    materials = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Lawsuit
        fields = [f for f in LAWSUIT_FIELDS if f != "case"]
        read_only_fields = fields


class LawsuitInternalSerializer(LawsuitAgencySerializer):
    filed_by = UserRefSerializer(read_only=True)

    class Meta(LawsuitAgencySerializer.Meta):
        fields = [*LAWSUIT_FIELDS, "recommendation", "internal_notes", "filed_by", "created_at"]
        read_only_fields = fields


HEARING_FIELDS = [
    "id",
    "lawsuit",
    "held_on",
    "court_room",
    "is_held",
    "appearance",
    "appeared_names",
    "is_violation",
    "registered_appearance",
    "registered_names",
    "registered_at",
    "rescheduled_from",
    "reschedule_count",
    "is_cancelled",
    "cancelled_on",
    "cancel_reason",
]


class HearingAgencySerializer(serializers.ModelSerializer):
    is_violation = serializers.BooleanField(read_only=True)
    is_cancelled = serializers.BooleanField(read_only=True)

    class Meta:
        model = Hearing
        fields = HEARING_FIELDS
        read_only_fields = fields


class HearingInternalSerializer(HearingAgencySerializer):
    """With the prosecutor's account of the hearing (庭审情况), internal."""

    recorded_by = UserRefSerializer(read_only=True)
    registered_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta(HearingAgencySerializer.Meta):
        fields = [*HEARING_FIELDS, "note", "recorded_by", "registered_by", "created_at"]
        read_only_fields = fields


RULING_FIELDS = [
    "id",
    "lawsuit",
    "instance",
    "kind",
    "outcome",
    "decided_on",
    "served_on",
    "remedial_order",
    "ordered_action",
    "compliance_due_on",
    "compensation_amount",
    "restoration_cost",
    "summary",
    "appealed_on",
    "appealed_by",
    "late_appeal_reason",
    "effective_on",
    "complied_on",
    "transferred_for_enforcement_on",
]


class RulingAgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Ruling
        fields = RULING_FIELDS
        read_only_fields = fields


class RulingInternalSerializer(RulingAgencySerializer):
    recorded_by = UserRefSerializer(read_only=True)

    class Meta(RulingAgencySerializer.Meta):
        fields = [*RULING_FIELDS, "recorded_by", "created_at"]
        read_only_fields = fields


_ID = {"min_value": 1, "max_value": 2**63 - 1}


class LawsuitFileInput(serializers.Serializer):
    case = serializers.IntegerField(**_ID)
    court = text(max_length=100)
    court_case_number = text(max_length=60)
    filed_on = serializers.DateField()
    claims = text(max_length=20000)
    materials = serializers.ListField(
        child=serializers.ChoiceField(choices=Material.choices), default=list, max_length=20
    )
    defendant_agency = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.AGENCY), allow_null=True, default=None
    )
    defendant_name = text(required=False, max_length=200)
    criminal_case_number = text(required=False, max_length=60)
    internal_notes = text(required=False, max_length=20000)


class ComplaintCopyInput(serializers.Serializer):
    received_on = serializers.DateField()


class DefenceInput(serializers.Serializer):
    submitted_on = serializers.DateField()


class HearingInput(serializers.Serializer):
    """A hearing held (not scheduled beforehand) and who appeared for the defendant."""

    lawsuit = serializers.IntegerField(**_ID)
    held_on = serializers.DateField()
    appearance = serializers.ChoiceField(choices=Hearing.Appearance.choices)
    court_room = text(required=False, max_length=100)
    appeared_names = text(required=False, max_length=200)
    note = text(required=False, max_length=20000)


class HearingScheduleInput(serializers.Serializer):
    held_on = serializers.DateField()
    court_room = text(required=False, max_length=100)


class HearingRegisterInput(serializers.Serializer):
    """Who the defendant agency will send (出庭应诉人员报备)."""

    appearance = serializers.ChoiceField(choices=[c for c in Hearing.Appearance.choices if c[0] in Hearing.REGISTRABLE])
    names = text(max_length=200)


class HearingRescheduleInput(serializers.Serializer):
    """The court postponed the hearing (改期): the new date, the court room (blank keeps it) and why."""

    held_on = serializers.DateField()
    court_room = text(required=False, max_length=100)
    reason = text(max_length=10000)


class HearingCancelInput(serializers.Serializer):
    """The court cancelled the hearing (取消开庭), and why."""

    reason = text(max_length=10000)


class HearingOutcomeInput(serializers.Serializer):
    appearance = serializers.ChoiceField(choices=Hearing.Appearance.choices)
    appeared_names = text(required=False, max_length=200)
    note = text(required=False, max_length=20000)


class LawsuitProposeInput(serializers.Serializer):
    """The proposal to sue (提请审批起诉): the reasons and the checklist of materials to file."""

    reasons = text(max_length=20000)
    materials = serializers.ListField(child=serializers.ChoiceField(choices=Material.choices), max_length=20)


def _amount() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )


class RulingInput(serializers.Serializer):
    lawsuit = serializers.IntegerField(**_ID)
    instance = serializers.ChoiceField(choices=Ruling.Instance.choices)
    kind = serializers.ChoiceField(choices=Ruling.Kind.choices)
    outcome = serializers.ChoiceField(choices=Ruling.Outcome.choices)
    decided_on = serializers.DateField()
    served_on = serializers.DateField()
    remedial_order = serializers.BooleanField(default=False)
    ordered_action = text(required=False, max_length=20000)
    compliance_due_on = serializers.DateField(required=False, allow_null=True, default=None)
    compensation_amount = _amount()
    restoration_cost = _amount()
    summary = text(required=False, max_length=20000)


class AppealInput(serializers.Serializer):
    appealed_on = serializers.DateField()
    appealed_by = serializers.ChoiceField(choices=Ruling.AppealedBy.choices)
    late_reason = text(required=False, max_length=10000)


class EffectInput(serializers.Serializer):
    effective_on = serializers.DateField()


class ComplianceInput(serializers.Serializer):
    complied_on = serializers.DateField()
    note = text(required=False, max_length=10000)


class EnforcementInput(serializers.Serializer):
    transferred_on = serializers.DateField()
    note = text(required=False, max_length=10000)


class LitigationCloseInput(serializers.Serializer):
    ground = serializers.ChoiceField(
        choices=Case.ClosureGround.choices, default=Case.ClosureGround.PUBLIC_INTEREST_RESTORED
    )
    closed_on = serializers.DateField()
    note = text(required=False, max_length=10000)
