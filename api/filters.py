"""List filters and ordering of the API.

Leads and cases use the web lists' own FilterSets (cases.filters.LeadFilter, CaseFilter), so the
API takes exactly the filters the pages take; an invalid value answers 400 (code "invalid"). The
other resources have small FilterSets here. Ordering: `?ordering=field` or `-field` among the
view's `ordering_fields`, ties broken by id so pages never overlap.
"""

from __future__ import annotations

import django_filters
from rest_framework.filters import OrderingFilter

from cases.models import Attachment, Recommendation
from cases.selectors import CONFIDENTIAL_FIELDS
from deadlines.models import Deadline
from feedback.models import FeedbackAttachment, FeedbackReport
from litigation.models import Hearing, Lawsuit, LitigationFile, Ruling
from notifications.models import Notification
from pil_tracker.filtering import DateFilter, IdFilter, SafeFilterSet
from typical_cases.models import CongressRequest, TypicalCase


class Ordering(OrderingFilter):
    """DRF's ordering, only on the fields a view names, with a stable tie-break on id."""

    def get_valid_fields(self, queryset, view, context=None):
        if not getattr(view, "ordering_fields", None):
            return []
        # Never by a confidential field, whoever asks: a sort order would reveal it.
        fields = super().get_valid_fields(queryset, view, context or {})
        return [(name, label) for name, label in fields if name not in CONFIDENTIAL_FIELDS]

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        return queryset.order_by(*ordering, "-id")

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "ordering_fields", None):
            return []
        return super().get_schema_operation_parameters(view)


class RecommendationFilter(SafeFilterSet):
    status = django_filters.ChoiceFilter(choices=Recommendation.Status.choices)
    case = IdFilter(field_name="case_id")
    agency = IdFilter(field_name="agency_id")
    issued_after = DateFilter(field_name="issued_on", lookup_expr="gte")
    issued_before = DateFilter(field_name="issued_on", lookup_expr="lte")

    class Meta:
        model = Recommendation
        fields: list[str] = []


class FeedbackFilter(SafeFilterSet):
    recommendation = IdFilter(field_name="recommendation_id")
    kind = django_filters.ChoiceFilter(choices=FeedbackReport.Kind.choices)
    status = django_filters.ChoiceFilter(choices=FeedbackReport.Status.choices)

    class Meta:
        model = FeedbackReport
        fields: list[str] = []


class LawsuitFilter(SafeFilterSet):
    case = IdFilter(field_name="case_id")
    status = django_filters.ChoiceFilter(choices=Lawsuit.Status.choices)

    class Meta:
        model = Lawsuit
        fields: list[str] = []


class HearingFilter(SafeFilterSet):
    lawsuit = IdFilter(field_name="lawsuit_id")
    appearance = django_filters.ChoiceFilter(choices=Hearing.Appearance.choices)

    class Meta:
        model = Hearing
        fields: list[str] = []


class RulingFilter(SafeFilterSet):
    lawsuit = IdFilter(field_name="lawsuit_id")
    instance = django_filters.ChoiceFilter(choices=Ruling.Instance.choices)

    class Meta:
        model = Ruling
        fields: list[str] = []


class DeadlineFilter(SafeFilterSet):
    case = IdFilter(field_name="case_id")
    recommendation = IdFilter(field_name="recommendation_id")
    status = django_filters.ChoiceFilter(choices=Deadline.Status.choices)
    due_after = DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Deadline
        fields: list[str] = []


class NotificationFilter(SafeFilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    kind = django_filters.ChoiceFilter(choices=Notification.Kind.choices)

    class Meta:
        model = Notification
        fields: list[str] = []


class AttachmentFilter(SafeFilterSet):
    case = IdFilter(field_name="case_id")
    investigation = IdFilter(field_name="investigation_id")
    recommendation = IdFilter(field_name="recommendation_id")

    class Meta:
        model = Attachment
        fields: list[str] = []


class FeedbackFileFilter(SafeFilterSet):
    report = IdFilter(field_name="report_id")
    recommendation = IdFilter(field_name="report__recommendation_id")

    class Meta:
        model = FeedbackAttachment
        fields: list[str] = []


class LitigationFileFilter(SafeFilterSet):
    lawsuit = IdFilter(field_name="lawsuit_id")
    ruling = IdFilter(field_name="ruling_id")
    kind = django_filters.ChoiceFilter(choices=LitigationFile.Kind.choices)

    class Meta:
        model = LitigationFile
        fields: list[str] = []


class TypicalCaseFilter(SafeFilterSet):
    status = django_filters.ChoiceFilter(choices=TypicalCase.Status.choices)
    case = IdFilter(field_name="case_id")
    domain = IdFilter(field_name="domain_id")
    year = django_filters.NumberFilter(field_name="year", min_value=2000, max_value=2100)

    class Meta:
        model = TypicalCase
        fields: list[str] = []


class CongressRequestFilter(SafeFilterSet):
    status = django_filters.ChoiceFilter(choices=CongressRequest.Status.choices)
    kind = django_filters.ChoiceFilter(choices=CongressRequest.Kind.choices)
    procuratorate = IdFilter(field_name="procuratorate_id")
    due_before = DateFilter(field_name="due_on", lookup_expr="lte")
    requested_after = DateFilter(field_name="requested_on", lookup_expr="gte")

    class Meta:
        model = CongressRequest
        fields: list[str] = []
