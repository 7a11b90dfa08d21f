"""Typical cases (internal and public) and congress requests."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import Domain
from typical_cases.models import CongressAnswerFile, CongressRequest, TypicalCase


class PublicTypicalCaseSerializer(serializers.Serializer):
    """The public resource: exactly the published summary fields, read from the selector's
    dictionaries (typical_cases.selectors.PUBLIC_FIELDS), never from the case."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    domain = serializers.CharField(source="domain__name", read_only=True)
    domain_code = serializers.CharField(source="domain__code", read_only=True)
    year = serializers.IntegerField(read_only=True)
    summary = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    significance = serializers.CharField(read_only=True)


class TypicalCaseSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    domain_name = serializers.CharField(source="domain.name", read_only=True)

    class Meta:
        model = TypicalCase
        fields = [
            "id",
            "case",
            "case_number",
            "procuratorate",
            "status",
            "title",
            "domain",
            "domain_name",
            "year",
            "summary",
            "outcome",
            "significance",
            "replacements",
            "proposal_note",
            "return_reason",
            "withdraw_reason",
            "proposed_by",
            "written_by",
            "reviewed_by",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TypicalCaseCreateInput(serializers.Serializer):
    """A supervisor starts writing (`propose` false); anyone of the procuratorate may propose."""

    case = serializers.IntegerField(min_value=1)
    propose = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class TypicalCaseUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    domain = serializers.PrimaryKeyRelatedField(queryset=Domain.objects.filter(is_active=True))
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    summary = serializers.CharField(max_length=20000)
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    significance = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    replacements = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(max_length=200), min_length=2, max_length=2),
        max_length=200,
        default=list,
    )


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CongressAnswerFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = CongressAnswerFile
        fields = ["id", "original_name", "content_type", "size", "report_job_id", "uploaded_at"]
        read_only_fields = fields


class CongressRequestSerializer(serializers.ModelSerializer):
    files = CongressAnswerFileSerializer(many=True, read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = CongressRequest
        fields = [
            "id",
            "procuratorate",
            "kind",
            "requested_on",
            "content",
            "due_on",
            "status",
            "is_overdue",
            "answered_on",
            "answer_note",
            "recorded_by",
            "answered_by",
            "files",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_overdue(self, obj: CongressRequest) -> bool:
        return obj.is_overdue(self.context["today"])


class CongressRequestInput(serializers.Serializer):
    procuratorate = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=CongressRequest.Kind.choices)
    requested_on = serializers.DateField()
    content = serializers.CharField(max_length=5000)
    due_on = serializers.DateField()


class CongressAnswerInput(serializers.Serializer):
    answered_on = serializers.DateField()
    answer_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    file = serializers.FileField()
