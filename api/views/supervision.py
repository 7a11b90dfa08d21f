"""Supervision (督办): the escalations addressed to a discipline liaison (read), and the supervision
actions it records (list, create); the procuratorate side reads the actions on its cases."""

from __future__ import annotations

import django_filters
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.parsers import BoundedJSONParser
from api.serializers import supervision as s
from api.views.base import ScopedViewSet
from deadlines.models import DeadlineAlert
from feedback.models import ItemAnswer
from pil_tracker.filtering import IdFilter, SafeFilterSet
from supervision import selectors, services
from supervision.models import SupervisionAction


class EscalationFilter(SafeFilterSet):
    agency = IdFilter(field_name="deadline__recommendation__agency_id")
    procuratorate = IdFilter(field_name="deadline__case__procuratorate_id")
    open = django_filters.BooleanFilter(method="filter_open")

    class Meta:
        model = DeadlineAlert
        fields: list[str] = []

    def filter_open(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        method = queryset.filter if value else queryset.exclude
        return method(deadline__status="open")


class SupervisionActionFilter(SafeFilterSet):
    escalation = IdFilter(field_name="escalation_id")
    recommendation = IdFilter(field_name="recommendation_id")
    kind = django_filters.ChoiceFilter(choices=SupervisionAction.Kind.choices)

    class Meta:
        model = SupervisionAction
        fields: list[str] = []


class EscalationViewSet(ScopedViewSet):
    """Overdue recommendations escalated to the discipline liaison (anyone else: an empty list, 404)."""

    model = DeadlineAlert
    internal_serializer = s.EscalationSerializer
    filterset_class = EscalationFilter
    ordering_fields = ["created_at"]

    def scope(self, user: User) -> QuerySet:
        return selectors.escalations_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return (
            queryset.select_related(
                "deadline__rule", "deadline__recommendation__agency", "deadline__case__procuratorate"
            )
            .annotate(action_count=Count("supervision_actions"))
            .order_by("-created_at", "-id")
        )

    def get_serializer_class(self):
        return s.EscalationDetailSerializer if self.action == "retrieve" else s.EscalationSerializer

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            selectors.with_days_overdue(page, timezone.localdate())
        return page

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        escalation = self.get_object()
        recommendation = escalation.deadline.recommendation
        escalation.days_overdue = selectors.days_overdue(escalation.deadline, timezone.localdate())
        escalation.page_items = list(recommendation.items.order_by("number"))
        escalation.page_reports = list(
            selectors.liaison_reports(request.user)
            .filter(recommendation=recommendation)
            .prefetch_related(
                Prefetch("answers", queryset=ItemAnswer.objects.select_related("item").order_by("item__number")),
                "attachments",
            )
            .order_by("submitted_at", "id")
        )
        return Response(self.get_serializer(escalation).data)


class SupervisionActionViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """Supervision actions: the liaison records them against an escalation addressed to it; the
    case's handlers and the supervisors who see the case read them."""

    model = SupervisionAction
    internal_serializer = s.SupervisionActionSerializer
    filterset_class = SupervisionActionFilter
    ordering_fields = ["taken_on", "recorded_at"]
    parser_classes = [BoundedJSONParser, MultiPartParser]

    def scope(self, user: User) -> QuerySet:
        return selectors.supervision_actions_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return (
            queryset.select_related("commission", "recorded_by", "recommendation")
            .prefetch_related("files")
            .order_by("-taken_on", "-id")
        )

    @extend_schema(request=s.SupervisionActionInput, responses={201: s.SupervisionActionSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Record an action (约谈, 书面询问, 启动问责, other) against `escalation`: an escalation not
        addressed to the user answers 404; anyone but a liaison 403."""
        if not selectors.is_liaison(request.user):
            raise PermissionDenied
        data = self.validated(s.SupervisionActionInput)
        escalations = selectors.escalations_visible_to(request.user).select_related(
            "deadline__recommendation__agency", "deadline__recommendation__case__handler"
        )
        escalation = self.in_scope(escalations, data.pop("escalation"))
        action = services.supervision_action_record(user=request.user, escalation=escalation, **data)
        return self.respond(self.fresh(action.pk), created=True)
