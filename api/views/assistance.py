"""Assistance requests (协助调查): the case's handler asks an agency (POST), closes the answered
request (`close`) or withdraws an unanswered one (`withdraw`); staff of the asked agency answer with
files (`answer`, multipart/form-data). Agency staff read the request's own text only (a separate
serializer). The answer's files: /assistance-files/ (list, detail, download), permission-checked."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from agencies.models import Organisation
from api.serializers import assistance as s
from api.serializers.common import NoteInput
from api.views.base import ScopedViewSet
from api.views.files import UPLOAD_PARSERS, FileViewSet, multipart
from assistance import selectors, services
from assistance.models import AssistanceFile, AssistanceRequest
from cases.selectors import can_edit_case, cases_visible_to
from pil_tracker.filtering import IdFilter, SafeFilterSet


class AssistanceFilter(SafeFilterSet):
    status = django_filters.ChoiceFilter(choices=AssistanceRequest.Status.choices)
    kind = django_filters.ChoiceFilter(choices=AssistanceRequest.Kind.choices)
    agency = IdFilter(field_name="agency_id")

    class Meta:
        model = AssistanceRequest
        fields: list[str] = []


class AssistanceFileFilter(SafeFilterSet):
    request = IdFilter(field_name="request_id")

    class Meta:
        model = AssistanceFile
        fields: list[str] = []


class AssistanceViewSet(ScopedViewSet):
    """Assistance requests in scope: procuratorate staff those of the cases they read, agency staff
    those addressed to their agency (its text and answer, nothing else of the case)."""

    model = AssistanceRequest
    internal_serializer = s.AssistanceInternalSerializer
    agency_serializer = s.AssistanceAgencySerializer
    filterset_class = AssistanceFilter
    ordering_fields = ["sent_on", "due_date"]

    def scope(self, user: User) -> QuerySet:
        return selectors.assistance_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("agency", "requested_by", "answered_by").prefetch_related("files")

    def _handler(self, assistance: AssistanceRequest) -> AssistanceRequest:
        user = self.request.user
        if user.is_agency_staff or not can_edit_case(user, assistance.case):
            raise PermissionDenied(_("只有本案承办检察官或协办人可以进行此操作。"))
        return assistance

    @extend_schema(request=s.AssistanceRequestInput, responses={201: s.AssistanceInternalSerializer})
    def create(self, request: Request) -> Response:
        """Ask an agency for help with a case the user handles (assistance_request_send); without
        `due_date` the answer is due under the configurable rule `assistance_answer`."""
        data = self.validated(s.AssistanceRequestInput)
        case = self.in_scope(cases_visible_to(request.user), data.pop("case"))
        if not selectors.can_request(request.user, case):
            raise PermissionDenied(_("只有本案承办检察官或协办人可以进行此操作。"))
        data["agency"] = self.in_scope(Organisation.objects.filter(kind=Organisation.Kind.AGENCY), data["agency"])
        assistance = services.assistance_request_send(user=request.user, case=case, **data)
        return self.respond(self.fresh(assistance.pk), created=True)

    @extend_schema(request=multipart(s.AssistanceAnswerInput), responses=s.AssistanceAgencySerializer)
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def answer(self, request: Request, pk: str) -> Response:
        """The asked agency answers, with files (assistance_answer): sent → answered."""
        assistance = self.get_object()
        if not (request.user.acts_for_agency and request.user.organisation_id == assistance.agency_id):
            raise PermissionDenied(_("只有被请求机关的工作人员可以答复。"))
        services.assistance_answer(user=request.user, request=assistance, **self.validated(s.AssistanceAnswerInput))
        return self.respond(self.fresh(assistance.pk))

    @extend_schema(request=NoteInput, responses=s.AssistanceInternalSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """The handler has what was asked: answered → closed (assistance_close)."""
        assistance = self._handler(self.get_object())
        services.assistance_close(user=request.user, request=assistance, **self.validated(NoteInput))
        return self.respond(self.fresh(assistance.pk))

    @extend_schema(request=s.AssistanceWithdrawInput, responses=s.AssistanceInternalSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """The help is no longer needed: sent → withdrawn (assistance_withdraw)."""
        assistance = self._handler(self.get_object())
        services.assistance_withdraw(user=request.user, request=assistance, **self.validated(s.AssistanceWithdrawInput))
        return self.respond(self.fresh(assistance.pk))


class AssistanceFileViewSet(FileViewSet):
    """The files agencies sent with their answers, to whoever reads the request; `download` serves
    one (never inline). Upload with `POST /assistance-requests/{id}/answer/`."""

    model = AssistanceFile
    internal_serializer = s.AssistanceFileSerializer
    filterset_class = AssistanceFileFilter

    def scope(self, user: User) -> QuerySet:
        return selectors.assistance_files_visible_to(user)
