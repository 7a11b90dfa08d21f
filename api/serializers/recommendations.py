"""Procuratorial recommendations (检察建议): the internal record for procuratorate staff, the served
document for the agency it is addressed to (no approval record, drafter or case internals)."""

from __future__ import annotations

import datetime

from rest_framework import serializers

from agencies.models import Organisation
from api.serializers.common import VERSION_HELP, OrgRefSerializer, UserRefSerializer, text
from cases.models import Recommendation, RecommendationItem
from feedback.models import Acknowledgement, CompletionDateProposal, SupplementRequest


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecommendationItem
        fields = ["id", "number", "text", "evaluation", "evaluation_note", "evaluated_at"]
        read_only_fields = fields


class SupplementRequestAgencySerializer(serializers.ModelSerializer):
    """A request for supplementary information (补充说明); a supplementary report answers it."""

    class Meta:
        model = SupplementRequest
        fields = ["id", "text", "due_on", "requested_at", "answered_at"]
        read_only_fields = fields


class SupplementRequestInternalSerializer(SupplementRequestAgencySerializer):
    requested_by = UserRefSerializer(read_only=True)

    class Meta(SupplementRequestAgencySerializer.Meta):
        fields = [*SupplementRequestAgencySerializer.Meta.fields, "requested_by"]
        read_only_fields = fields


class CompletionProposalAgencySerializer(serializers.ModelSerializer):
    """A completion date the agency proposed for an item (客观原因) and the procurator's decision."""

    item_number = serializers.IntegerField(source="item.number", read_only=True)

    class Meta:
        model = CompletionDateProposal
        fields = ["id", "item", "item_number", "proposed_on", "status", "decided_at", "decision_note", "created_at"]
        read_only_fields = fields


class CompletionProposalInternalSerializer(CompletionProposalAgencySerializer):
    decided_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta(CompletionProposalAgencySerializer.Meta):
        fields = [*CompletionProposalAgencySerializer.Meta.fields, "decided_by", "deadline"]
        read_only_fields = fields


DOCUMENT_FIELDS = [
    "id",
    "agency",
    "status",
    "urgency",
    "document_number",
    "case_source",
    "harm_facts",
    "failure_facts",
    "legal_basis",
    "rectification_period",
    "remarks",
    "items",
    "issued_on",
    "served_on",
    "service_method",
    "received_by",
    "acknowledged_on",
    "reply_received_on",
    "reply_posted_on",
    "reply_summary",
]


class _RecommendationBase(serializers.ModelSerializer):
    agency = OrgRefSerializer(read_only=True)
    items = ItemSerializer(many=True, read_only=True)
    acknowledged_on = serializers.SerializerMethodField()

    def get_acknowledged_on(self, recommendation: Recommendation) -> datetime.date | None:
        try:
            return recommendation.acknowledgement.acknowledged_on
        except Acknowledgement.DoesNotExist:
            return None


class RecommendationAgencySerializer(_RecommendationBase):
    """What the agency reads: the document served on it and the evaluation of its items."""

    procuratorate = OrgRefSerializer(source="case.procuratorate", read_only=True)
    supplement_requests = SupplementRequestAgencySerializer(many=True, read_only=True)
    completion_proposals = CompletionProposalAgencySerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [*DOCUMENT_FIELDS, "procuratorate", "supplement_requests", "completion_proposals"]
        read_only_fields = fields


class RecommendationInternalSerializer(_RecommendationBase):
    drafted_by = UserRefSerializer(read_only=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)
    issued_by = UserRefSerializer(read_only=True, allow_null=True)
    supplement_requests = SupplementRequestInternalSerializer(many=True, read_only=True)
    completion_proposals = CompletionProposalInternalSerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            *DOCUMENT_FIELDS,
            "supplement_requests",
            "completion_proposals",
            "case",
            "drafted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_comment",
            "issued_by",
            "filed_with_superior_on",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RecommendationContentInput(serializers.Serializer):
    """The contents of a draft (2021 rules, art. 75) and its numbered items, in order."""

    agency = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(kind=Organisation.Kind.AGENCY))
    urgency = serializers.ChoiceField(choices=Recommendation.Urgency.choices, default=Recommendation.Urgency.NORMAL)
    case_source = text(max_length=20000)
    harm_facts = text(max_length=20000)
    failure_facts = text(max_length=20000)
    legal_basis = text(max_length=20000)
    rectification_period = text(max_length=200)
    remarks = text(required=False, max_length=20000)
    items = serializers.ListField(child=text(max_length=20000), min_length=1, max_length=50)


class RecommendationCreateInput(RecommendationContentInput):
    case = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class RecommendationUpdateInput(RecommendationContentInput):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=VERSION_HELP,
    )


class CommentInput(serializers.Serializer):
    comment = text(required=False, max_length=10000)


class ReturnInput(serializers.Serializer):
    comment = text(max_length=10000)


class WithdrawInput(serializers.Serializer):
    reason = text(max_length=10000)


class IssueInput(serializers.Serializer):
    issued_on = serializers.DateField()


class ServeInput(serializers.Serializer):
    served_on = serializers.DateField()
    service_method = serializers.ChoiceField(choices=Recommendation.ServiceMethod.choices)
    received_by = text(max_length=100)


class FileInput(serializers.Serializer):
    filed_on = serializers.DateField()


class ReplyInput(serializers.Serializer):
    received_on = serializers.DateField()
    posted_on = serializers.DateField(required=False, allow_null=True, default=None)
    summary = text(max_length=20000)


class EvaluationInput(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    evaluation = serializers.ChoiceField(choices=RecommendationItem.Evaluation.choices)
    note = text(required=False, max_length=10000)


class EvaluateInput(serializers.Serializer):
    """The evaluation of some or all items, saved all or nothing."""

    items = EvaluationInput(many=True, min_length=1, max_length=50)


class AcknowledgeInput(serializers.Serializer):
    acknowledged_on = serializers.DateField()


class SupplementRequestInput(serializers.Serializer):
    """Ask the agency for supplementary information (要求补充说明) by a date after today."""

    text = text(max_length=20000)
    due_on = serializers.DateField()


class CompletionDecisionInput(serializers.Serializer):
    """Accept or refuse a proposed completion date; an accepted date becomes a watched
    rectification deadline. A refusal needs the reason in `note`."""

    proposal = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    decision = serializers.ChoiceField(choices=[("accept", "accept"), ("refuse", "refuse")])
    note = text(required=False, max_length=10000)


class FollowUpInput(serializers.Serializer):
    """The follow-up investigation (跟进调查) that checks whether rectification really happened."""

    conducted_on = serializers.DateField()
    findings = text(max_length=20000)
    location = text(required=False, max_length=200)
    participants = text(required=False, max_length=300)


class FollowUpUploadInput(FollowUpInput):
    """The same as multipart/form-data, with the site photos (JPEG, PNG, TIFF or PDF)."""

    photos = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False, use_url=False), max_length=20, default=list
    )
