"""Typical cases, their public resource, and congress requests (docs/domain.md, Typical cases and
people's congress oversight). Every action calls a service of typical_cases.services, as the pages
do. The public resource needs no login, reads only the published summary fields and is cacheable.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.filters import CongressRequestFilter, TypicalCaseFilter
from api.serializers import typical_cases as s
from api.views.base import ID_PATTERN, ScopedViewSet
from api.views.files import UPLOAD_PARSERS, multipart
from cases.selectors import cases_visible_to, procuratorates_visible_to
from typical_cases import selectors, services
from typical_cases.models import CongressRequest, TypicalCase


class TypicalCaseViewSet(ScopedViewSet):
    """Typical cases of the procuratorates in the user's scope (procuratorate staff)."""

    model = TypicalCase
    serializer_class = s.TypicalCaseSerializer
    filterset_class = TypicalCaseFilter
    ordering_fields = ["year", "updated_at", "published_at"]

    def scope(self, user: User) -> QuerySet:
        return selectors.typical_cases_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("case", "domain").order_by("-updated_at", "-id")

    @extend_schema(request=s.TypicalCaseCreateInput, responses=s.TypicalCaseSerializer)
    def create(self, request: Request) -> Response:
        """Propose a closed case (`propose`: true, with a note) or, as a supervisor, start writing."""
        data = self.validated(s.TypicalCaseCreateInput)
        case = self.in_scope(cases_visible_to(request.user), data["case"])
        if data["propose"]:
            typical = services.typical_case_propose(user=request.user, case=case, note=data["note"])
        else:
            typical = services.typical_case_start(user=request.user, case=case)
        return self.respond(self.fresh(typical.pk), created=True)

    @extend_schema(request=s.TypicalCaseUpdateInput, responses=s.TypicalCaseSerializer)
    @action(detail=True, methods=["post"])
    def edit(self, request: Request, pk: str) -> Response:
        """Save the write-up; `replacements` ([[original, replacement], …]) are applied to the texts."""
        typical = self.get_object()
        services.typical_case_update(user=request.user, typical=typical, **self.validated(s.TypicalCaseUpdateInput))
        return self.respond(self.fresh(typical.pk))

    @extend_schema(request=None, responses=s.TypicalCaseSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        typical = self.get_object()
        services.typical_case_start(user=request.user, case=typical.case)
        return self.respond(self.fresh(typical.pk))

    @extend_schema(request=None, responses=s.TypicalCaseSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        typical = self.get_object()
        services.typical_case_submit(user=request.user, typical=typical)
        return self.respond(self.fresh(typical.pk))

    @extend_schema(request=None, responses=s.TypicalCaseSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Publish (a second supervisor: never the writer)."""
        typical = self.get_object()
        services.typical_case_publish(user=request.user, typical=typical)
        return self.respond(self.fresh(typical.pk))

    @extend_schema(request=s.ReasonInput, responses=s.TypicalCaseSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        typical = self.get_object()
        services.typical_case_return(user=request.user, typical=typical, **self.validated(s.ReasonInput))
        return self.respond(self.fresh(typical.pk))

    @extend_schema(request=s.ReasonInput, responses=s.TypicalCaseSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        typical = self.get_object()
        services.typical_case_withdraw(user=request.user, typical=typical, **self.validated(s.ReasonInput))
        return self.respond(self.fresh(typical.pk))


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class PublicTypicalCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published typical cases, for anyone (no login): the summary fields only. `?domain=<code>`,
    `?year=`, `?q=` (title or summary)."""

    serializer_class = s.PublicTypicalCaseSerializer
    permission_classes = [AllowAny]
    # No authentication: the answer is the same for everyone (and cacheable by a shared proxy).
    authentication_classes: list = []
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        entries = selectors.published_typical_cases()
        params = self.request.query_params
        domain = params.get("domain", "")[:40]
        year = params.get("year", "")
        q = params.get("q", "").strip()[:100]
        if domain:
            entries = entries.filter(domain__code=domain)
        if year.isdigit() and len(year) == 4:
            entries = entries.filter(year=int(year))
        if q:
            entries = entries.filter(Q(title__icontains=q) | Q(summary__icontains=q))
        return entries

    def filter_queryset(self, queryset):
        return queryset  # the filters above; no ordering parameter on the public resource

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class CongressRequestViewSet(ScopedViewSet):
    """The congress's requests to the procuratorates in scope; supervisors record and answer."""

    model = CongressRequest
    serializer_class = s.CongressRequestSerializer
    filterset_class = CongressRequestFilter
    ordering_fields = ["requested_on", "due_on"]

    def scope(self, user: User) -> QuerySet:
        return selectors.congress_requests_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related("files").order_by("-requested_on", "-id")

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(request=s.CongressRequestInput, responses=s.CongressRequestSerializer)
    def create(self, request: Request) -> Response:
        data = self.validated(s.CongressRequestInput)
        data["procuratorate"] = self.in_scope(procuratorates_visible_to(request.user), data["procuratorate"])
        item = services.congress_request_record(user=request.user, **data)
        return self.respond(self.fresh(item.pk), created=True)

    @extend_schema(request=multipart(s.CongressAnswerInput), responses=s.CongressRequestSerializer)
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def answer(self, request: Request, pk: str) -> Response:
        """Record the answer with the report sent (multipart: `file`)."""
        item = self.get_object()
        services.congress_request_answer(
            user=request.user, request=item, **self.validated(s.CongressAnswerInput, upload="file")
        )
        return self.respond(self.fresh(item.pk))
