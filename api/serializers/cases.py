"""Leads and cases: procuratorate staff only (agency staff see neither). Lists never carry the
confidential fields (cases.selectors.CONFIDENTIAL_FIELDS); the detail does, through its own
serializer class, when cases.selectors.can_see_confidential says so."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Role, User
from agencies.models import Organisation
from api.serializers.common import VERSION_HELP, OrgRefSerializer, RefSerializer, UserRefSerializer, text
from cases import timeline
from cases.models import Case, CaseType, Consultation, Domain, Event, Investigation, Lead
from cases.selectors import CONFIDENTIAL_FIELDS
from litigation.models import PlaintiffSuit

# --- Leads ---------------------------------------------------------------------------------------

LEAD_PUBLIC_FIELDS = [
    "id",
    "procuratorate",
    "title",
    "summary",
    "received_on",
    "domain",
    "agency",
    "status",
    "decline_reason",
    "registered_by",
    "evaluated_by",
    "evaluated_at",
    "created_at",
    "case",
]


class LeadSerializer(serializers.ModelSerializer):
    """A lead without its source and reporter (CONFIDENTIAL_FIELDS)."""

    procuratorate = OrgRefSerializer(read_only=True)
    domain = RefSerializer(read_only=True)
    agency = OrgRefSerializer(read_only=True, allow_null=True)
    registered_by = UserRefSerializer(read_only=True)
    evaluated_by = UserRefSerializer(read_only=True, allow_null=True)
    case = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = LEAD_PUBLIC_FIELDS
        read_only_fields = fields

    def get_case(self, lead: Lead) -> int | None:
        case = getattr(lead, "case", None)
        return case.pk if case is not None else None


class LeadConfidentialSerializer(LeadSerializer):
    """For the case handlers and supervisors in scope: with source and reporter identity."""

    class Meta(LeadSerializer.Meta):
        fields = [*LEAD_PUBLIC_FIELDS, "source", "source_detail", "reporter_name", "reporter_contact"]
        read_only_fields = fields


def _domains():
    return Domain.objects.filter(is_active=True)


def _procurators():
    # The services decide who may handle a case; this only keeps other kinds of account out.
    return User.objects.filter(role=Role.PROCURATOR)


def _agencies():
    return Organisation.objects.filter(kind=Organisation.Kind.AGENCY)


class LeadInput(serializers.Serializer):
    title = text(max_length=200)
    summary = text(max_length=20000)
    source = serializers.ChoiceField(choices=Lead.Source.choices)
    source_detail = text(required=False, max_length=200)
    reporter_name = text(required=False, max_length=100)
    reporter_contact = text(required=False, max_length=200)
    received_on = serializers.DateField()
    domain = serializers.PrimaryKeyRelatedField(queryset=Domain.objects.all())
    agency = serializers.PrimaryKeyRelatedField(queryset=_agencies(), allow_null=True, default=None)


class LeadDeclineInput(serializers.Serializer):
    reason = text(max_length=10000)


class LeadOpenCaseInput(serializers.Serializer):
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    title = text(max_length=200)
    summary = text(max_length=20000)
    domain = serializers.PrimaryKeyRelatedField(queryset=Domain.objects.all())
    agencies = serializers.PrimaryKeyRelatedField(queryset=_agencies(), many=True, default=list)
    handler = serializers.PrimaryKeyRelatedField(queryset=_procurators())
    co_handlers = serializers.PrimaryKeyRelatedField(queryset=_procurators(), many=True, default=list)
    opened_on = serializers.DateField()


# --- Cases ---------------------------------------------------------------------------------------

CASE_LIST_FIELDS = [
    "id",
    "number",
    "case_type",
    "title",
    "status",
    "procuratorate",
    "domain",
    "agencies",
    "handler",
    "opened_on",
    "closed_on",
    "next_due",
    "next_due_provisional",
]


class CaseListSerializer(serializers.ModelSerializer):
    procuratorate = OrgRefSerializer(read_only=True)
    domain = RefSerializer(read_only=True)
    agencies = OrgRefSerializer(many=True, read_only=True)
    handler = UserRefSerializer(read_only=True)
    next_due = serializers.DateField(read_only=True, allow_null=True)
    next_due_provisional = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = CASE_LIST_FIELDS
        read_only_fields = fields


CASE_DETAIL_FIELDS = [
    *CASE_LIST_FIELDS,
    "summary",
    "lead",
    "co_handlers",
    "closure_ground",
    "closure_note",
    "version",
    "created_at",
    "updated_at",
]


class PlaintiffSuitSerializer(serializers.ModelSerializer):
    """Civil PIL: a qualified organ or organisation sued after the announcement, and whether the
    procuratorate supports its suit (支持起诉). Procuratorate-internal, like the case."""

    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = PlaintiffSuit
        fields = [
            "id",
            "case",
            "plaintiff",
            "court",
            "court_case_number",
            "filed_on",
            "supported_on",
            "support_note",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class CaseSerializer(CaseListSerializer):
    """The case for procuratorate staff in scope who are not on it: no internal notes."""

    co_handlers = UserRefSerializer(many=True, read_only=True)
    plaintiff_suits = PlaintiffSuitSerializer(many=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [*CASE_DETAIL_FIELDS, "plaintiff_suits"]
        read_only_fields = fields


class CaseConfidentialSerializer(CaseSerializer):
    """For the handlers and the supervisors in scope: with the internal notes."""

    class Meta(CaseSerializer.Meta):
        fields = [*CASE_DETAIL_FIELDS, "plaintiff_suits", "internal_notes"]
        read_only_fields = fields


class CaseUpdateInput(serializers.Serializer):
    """PUT sends every field, PATCH only those that change (the rest keep their values)."""

    title = text(max_length=200)
    summary = text(max_length=20000)
    domain = serializers.PrimaryKeyRelatedField(queryset=Domain.objects.all())
    agencies = serializers.PrimaryKeyRelatedField(queryset=_agencies(), many=True)
    co_handlers = serializers.PrimaryKeyRelatedField(queryset=_procurators(), many=True)
    internal_notes = text(required=False, max_length=20000)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=VERSION_HELP,
    )


class CaseTransitionInput(serializers.Serializer):
    """A change of stage: consultation (磋商) and back to investigation, or the civil announcement (公告)."""

    to = serializers.ChoiceField(
        choices=[Case.Status.CONSULTATION, Case.Status.INVESTIGATION, Case.Status.ANNOUNCEMENT],
        help_text="consultation: start the consultation; investigation: end it; announcement: publish the "
        "civil announcement (needs published_on).",
    )
    note = text(required=False, max_length=10000)
    published_on = serializers.DateField(required=False)


class InvestigationSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Investigation
        fields = ["id", "case", "kind", "conducted_on", "location", "participants", "findings", "recorded_by"]
        read_only_fields = fields


class InvestigationInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Investigation.Kind.choices)
    conducted_on = serializers.DateField()
    findings = text(max_length=20000)
    location = text(required=False, max_length=200)
    participants = text(required=False, max_length=300)


class ConsultationSerializer(serializers.ModelSerializer):
    agency = OrgRefSerializer(read_only=True)
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Consultation
        fields = ["id", "case", "agency", "held_on", "participants", "summary", "outcome", "recorded_by"]
        read_only_fields = fields


class ConsultationInput(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=_agencies())
    held_on = serializers.DateField()
    summary = text(max_length=20000)
    participants = text(required=False, max_length=300)
    outcome = text(required=False, max_length=20000)


class CaseCloseInput(serializers.Serializer):
    ground = serializers.ChoiceField(choices=Case.ClosureGround.choices)
    closed_on = serializers.DateField()
    note = text(required=False, max_length=10000)
    confirmed = serializers.BooleanField(
        default=False,
        help_text="Closing cancels the case's open deadlines except the filing with the higher procuratorate "
        "(read them at /deadlines/?case={id}); while there is one to cancel, the close is refused (400, code "
        "confirmation_required) unless this is true.",
    )


class PlaintiffSuitInput(serializers.Serializer):
    """Another qualified plaintiff sued after the civil announcement (公告): the announcement ends."""

    plaintiff = text(max_length=200)
    court = text(max_length=100)
    filed_on = serializers.DateField()
    court_case_number = text(required=False, max_length=60)


class PlaintiffSupportInput(serializers.Serializer):
    """The procuratorate supports that plaintiff's suit (支持起诉)."""

    suit = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    supported_on = serializers.DateField()
    note = text(required=False, max_length=10000)


# --- The case history ----------------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    """One entry of the case timeline: who did what, when, why, and what changed as
    {"field": [before, after]}. The note, the status labels and the values are rendered in the
    reader's language (cases/timeline.py). The changes of confidential fields are left out for
    those who may not see them, as on the case page."""

    actor = UserRefSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    from_status_display = serializers.SerializerMethodField()
    to_status_display = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "at",
            "kind",
            "kind_display",
            "actor",
            "lead",
            "recommendation",
            "from_status",
            "from_status_display",
            "to_status",
            "to_status_display",
            "note",
            "changes",
        ]
        read_only_fields = fields

    def get_from_status_display(self, event: Event) -> str:
        return timeline.status_label(event, event.from_status)

    def get_to_status_display(self, event: Event) -> str:
        return timeline.status_label(event, event.to_status)

    def get_note(self, event: Event) -> str:
        return timeline.event_text(event)

    def get_changes(self, event: Event) -> dict[str, list[str]]:
        changes = event.changes if isinstance(event.changes, dict) else {}
        if not self.context.get("confidential"):
            changes = {name: values for name, values in changes.items() if name not in CONFIDENTIAL_FIELDS}
        return timeline.changes_shown(event, changes)
