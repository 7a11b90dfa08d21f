"""Two-way lead referrals (docs/domain.md, Referrals): list, detail, drafting and the steps as POST
actions calling referrals.services. Reads through referrals_visible_to: agency staff see nothing,
anything out of scope answers 404."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.serializers import referrals as s
from api.serializers.common import EmptyInput
from api.views.base import ScopedViewSet
from api.views.files import UPLOAD_PARSERS, multipart, renamed_field
from cases.selectors import cases_visible_to
from pil_tracker.filtering import SafeFilterSet
from referrals import services
from referrals.models import Referral
from referrals.selectors import referrals_visible_to


class ReferralApiFilter(SafeFilterSet):
    direction = django_filters.ChoiceFilter(choices=Referral.Direction.choices)
    status = django_filters.ChoiceFilter(choices=Referral.Status.choices)

    class Meta:
        model = Referral
        fields = ["direction", "status"]


class ReferralViewSet(ScopedViewSet):
    """Referrals (线索移送) between the procuratorates and the discipline commissions."""

    model = Referral
    serializer_class = s.ReferralSerializer
    filterset_class = ReferralApiFilter
    ordering_fields = ["created_at", "sent_on"]
    http_method_names = ["get", "post", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return referrals_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("sender", "receiver", "agency", "created_by").order_by("-created_at", "-id")

    def _respond(self, referral: Referral, *, created: bool = False) -> Response:
        return self.respond(self.fresh(referral.pk), created=created)

    @extend_schema(request=s.ReferralCreateInput, responses={201: s.ReferralSerializer})
    def create(self, request: Request) -> Response:
        """Draft a referral: to a commission from a case (handlers), or to a procuratorate (liaison)."""
        data = self.validated(s.ReferralCreateInput)
        direction = data.pop("direction")
        if direction == Referral.Direction.TO_COMMISSION:
            case = self.in_scope(cases_visible_to(request.user), data.pop("case"))
            data.pop("procuratorate", None)
            data.pop("domain", None)
            referral = services.referral_create_outgoing(user=request.user, case=case, **data)
        else:
            for name in ("case", "commission", "concern"):
                data.pop(name, None)
            referral = services.referral_create_incoming(user=request.user, **data)
        return self._respond(referral, created=True)

    def _step(self, service, input_class=None) -> Response:
        referral = self.get_object()
        data = self.validated(input_class) if input_class else {}
        service(user=self.request.user, referral=referral, **data)
        return self._respond(referral)

    @extend_schema(request=EmptyInput, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Submit an outgoing draft for a supervisor's approval."""
        return self._step(services.referral_submit)

    @extend_schema(request=EmptyInput, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._step(services.referral_approve)

    @extend_schema(request=s.ReferralReturnInput, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        return self._step(services.referral_return, s.ReferralReturnInput)

    @extend_schema(request=EmptyInput, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str) -> Response:
        return self._step(services.referral_send)

    @extend_schema(request=s.ReferralAcknowledgeInput, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        """The receiving side acknowledges; an incoming referral becomes a lead."""
        return self._step(services.referral_acknowledge, s.ReferralAcknowledgeInput)

    @extend_schema(request=s.ReferralOutcomeInput, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        return self._step(services.referral_record_outcome, s.ReferralOutcomeInput)

    @extend_schema(request=multipart(s.ReferralFileInput), responses={201: s.ReferralFileSerializer})
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def files(self, request: Request, pk: str) -> Response:
        """Upload a material (multipart/form-data) before the referral is sent."""
        referral = self.get_object()
        with renamed_field("file"):
            record = services.referral_file_add(
                user=request.user, referral=referral, **self.validated(s.ReferralFileInput, upload="file")
            )
        return self.respond(record, created=True, serializer_class=s.ReferralFileSerializer)
