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
from deadlines.models import Deadline
from feedback.models import FeedbackAttachment, FeedbackReport
from litigation.models import Hearing, Lawsuit, LitigationFile, Ruling
from notifications.models import Notification


class Ordering(OrderingFilter):
    """DRF's ordering, only on the fields a view names, with a stable tie-break on id."""

    def get_valid_fields(self, queryset, view, context=None):
        if not getattr(view, "ordering_fields", None):
            return []
        return super().get_valid_fields(queryset, view, context or {})

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        return queryset.order_by(*ordering, "-id")

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "ordering_fields", None):
            return []
        return super().get_schema_operation_parameters(view)


class RecommendationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Recommendation.Status.choices)
    case = django_filters.NumberFilter(field_name="case_id", min_value=1)
    agency = django_filters.NumberFilter(field_name="agency_id", min_value=1)
    issued_after = django_filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    issued_before = django_filters.DateFilter(field_name="issued_on", lookup_expr="lte")

    class Meta:
        model = Recommendation
        fields: list[str] = []


class FeedbackFilter(django_filters.FilterSet):
    recommendation = django_filters.NumberFilter(field_name="recommendation_id", min_value=1)
    kind = django_filters.ChoiceFilter(choices=FeedbackReport.Kind.choices)
    status = django_filters.ChoiceFilter(choices=FeedbackReport.Status.choices)

    class Meta:
        model = FeedbackReport
        fields: list[str] = []


class LawsuitFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id", min_value=1)
    status = django_filters.ChoiceFilter(choices=Lawsuit.Status.choices)

    class Meta:
        model = Lawsuit
        fields: list[str] = []


class HearingFilter(django_filters.FilterSet):
    lawsuit = django_filters.NumberFilter(field_name="lawsuit_id", min_value=1)
    appearance = django_filters.ChoiceFilter(choices=Hearing.Appearance.choices)

    class Meta:
        model = Hearing
        fields: list[str] = []


class RulingFilter(django_filters.FilterSet):
    lawsuit = django_filters.NumberFilter(field_name="lawsuit_id", min_value=1)
    instance = django_filters.ChoiceFilter(choices=Ruling.Instance.choices)

    class Meta:
        model = Ruling
        fields: list[str] = []


class DeadlineFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id", min_value=1)
    recommendation = django_filters.NumberFilter(field_name="recommendation_id", min_value=1)
    status = django_filters.ChoiceFilter(choices=Deadline.Status.choices)
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Deadline
        fields: list[str] = []


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    kind = django_filters.ChoiceFilter(choices=Notification.Kind.choices)

    class Meta:
        model = Notification
        fields: list[str] = []


class AttachmentFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id", min_value=1)
    investigation = django_filters.NumberFilter(field_name="investigation_id", min_value=1)
    recommendation = django_filters.NumberFilter(field_name="recommendation_id", min_value=1)

    class Meta:
        model = Attachment
        fields: list[str] = []


class FeedbackFileFilter(django_filters.FilterSet):
    report = django_filters.NumberFilter(field_name="report_id", min_value=1)
    recommendation = django_filters.NumberFilter(field_name="report__recommendation_id", min_value=1)

    class Meta:
        model = FeedbackAttachment
        fields: list[str] = []


class LitigationFileFilter(django_filters.FilterSet):
    lawsuit = django_filters.NumberFilter(field_name="lawsuit_id", min_value=1)
    ruling = django_filters.NumberFilter(field_name="ruling_id", min_value=1)
    kind = django_filters.ChoiceFilter(choices=LitigationFile.Kind.choices)

    class Meta:
        model = LitigationFile
        fields: list[str] = []
