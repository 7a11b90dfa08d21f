"""Leads and cases, and the actions on them (the services of cases/services, as the web pages)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.serializers import cases as s
from api.serializers.files import AttachmentSerializer, AttachmentUploadInput
from api.views.base import ScopedViewSet
from api.views.files import UPLOAD_PARSERS, multipart, store_all
from api.views.litigation import CaseLitigationActions
from cases import services
from cases.filters import CaseFilter, LeadFilter
from cases.models import Case, Lead
from cases.selectors import can_see_confidential, case_list, case_timeline, leads_visible_to, scope_split
from litigation import services as litigation_services
from litigation.selectors import plaintiff_suits_visible_to


def case_serializer_for(user: User, case: Case) -> type[drf_serializers.Serializer]:
    return s.CaseConfidentialSerializer if can_see_confidential(user, case=case) else s.CaseSerializer


class LeadViewSet(ScopedViewSet):
    """Leads (线索) of the procuratorates the user reads. Lists leave out the source and the
    reporter (confidential); the detail shows them to those who may see them."""

    model = Lead
    internal_serializer = s.LeadSerializer
    filterset_class = LeadFilter
    ordering_fields = ["received_on", "created_at", "title", "status"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return leads_visible_to(user)

    def page_split(self, user: User) -> tuple[str, QuerySet] | None:
        return scope_split(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("procuratorate", "domain", "agency", "registered_by", "evaluated_by", "case")

    def _serializer_for(self, lead: Lead) -> type[drf_serializers.Serializer]:
        confidential = can_see_confidential(self.request.user, case=getattr(lead, "case", None), lead=lead)
        return s.LeadConfidentialSerializer if confidential else s.LeadSerializer

    @extend_schema(responses=s.LeadConfidentialSerializer)
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        lead = self.get_object()
        return self.respond(lead, serializer_class=self._serializer_for(lead))

    @extend_schema(request=s.LeadInput, responses={201: s.LeadConfidentialSerializer})
    def create(self, request: Request) -> Response:
        """Register a lead at the user's own procuratorate (lead_register)."""
        lead = services.lead_register(user=request.user, **self.validated(s.LeadInput))
        lead = self.fresh(lead.pk)
        return self.respond(lead, created=True, serializer_class=self._serializer_for(lead))

    def _update(self, request: Request, *, partial: bool) -> Response:
        lead = self.get_object()
        current = {name: getattr(lead, name) for name in s.LeadInput().fields}
        data = current | self.validated(s.LeadInput, partial=partial)
        services.lead_update(user=request.user, lead=lead, **data)
        lead = self.fresh(lead.pk)
        return self.respond(lead, serializer_class=self._serializer_for(lead))

    @extend_schema(request=s.LeadInput, responses=s.LeadConfidentialSerializer)
    def update(self, request: Request, *args, **kwargs) -> Response:
        """Edit a pending lead (lead_update): staff of its own procuratorate."""
        return self._update(request, partial=False)

    @extend_schema(request=s.LeadInput, responses=s.LeadConfidentialSerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self._update(request, partial=True)

    @extend_schema(request=s.LeadDeclineInput, responses=s.LeadConfidentialSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        """Decide not to open a case (不予立案), with the reason."""
        lead = services.lead_decline(user=request.user, lead=self.get_object(), **self.validated(s.LeadDeclineInput))
        lead = self.fresh(lead.pk)
        return self.respond(lead, serializer_class=self._serializer_for(lead))

    @extend_schema(request=s.LeadOpenCaseInput, responses={201: s.CaseConfidentialSerializer})
    @action(detail=True, methods=["post"], url_path="open-case")
    def open_case(self, request: Request, pk: str) -> Response:
        """Open a case (立案) from the lead; the case number is assigned."""
        data = self.validated(s.LeadOpenCaseInput)
        case = services.lead_open_case(user=request.user, lead=self.get_object(), **data)
        case = case_list(request.user).prefetch_related("co_handlers").get(pk=case.pk)
        return self.respond(case, created=True, serializer_class=case_serializer_for(request.user, case))


class CaseViewSet(CaseLitigationActions, ScopedViewSet):
    """Cases of the procuratorates the user reads, with the case list's filters and ordering
    (cases.filters.CaseFilter: `ordering=number|opened_on|status|title|next_due`, `-` for descending)."""

    model = Case
    internal_serializer = s.CaseListSerializer
    filterset_class = CaseFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return case_list(user)  # cases_visible_to, shaped for a fixed number of queries per page

    def page_split(self, user: User) -> tuple[str, QuerySet] | None:
        return scope_split(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        if self.action == "list":
            return queryset
        if self.action == "timeline":
            return queryset.prefetch_related(None)  # the case only decides scope and confidentiality
        return queryset.select_related("lead").prefetch_related("co_handlers", "plaintiff_suits__recorded_by")

    def _respond(self, case: Case, *, created: bool = False) -> Response:
        case = self.fresh(case.pk)
        return self.respond(case, created=created, serializer_class=case_serializer_for(self.request.user, case))

    @extend_schema(responses=s.CaseConfidentialSerializer)
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        case = self.get_object()
        return self.respond(case, serializer_class=case_serializer_for(request.user, case))

    def _update(self, request: Request, *, partial: bool) -> Response:
        case = self.get_object()
        data = self.validated(s.CaseUpdateInput, partial=partial)
        current = {
            "title": case.title,
            "summary": case.summary,
            "domain": case.domain,
            "agencies": list(case.agencies.all()),
            "co_handlers": list(case.co_handlers.all()),
            "internal_notes": case.internal_notes,
        }
        services.case_update(user=request.user, case=case, **(current | data))
        return self._respond(case)

    @extend_schema(request=s.CaseUpdateInput, responses=s.CaseConfidentialSerializer)
    def update(self, request: Request, *args, **kwargs) -> Response:
        """Edit the case's descriptive fields (case_update): the handler and co-handlers only. Send
        the `version` read with the case: if someone saved it since, 409 (code conflict) and
        nothing changes."""
        return self._update(request, partial=False)

    @extend_schema(request=s.CaseUpdateInput, responses=s.CaseConfidentialSerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self._update(request, partial=True)

    @extend_schema(request=s.CaseTransitionInput, responses=s.CaseConfidentialSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        """Change the stage: start (`to=consultation`) or end (`to=investigation`) a consultation
        (磋商), or publish the civil announcement (`to=announcement`, 公告) on `published_on`."""
        case = self.get_object()
        data = self.validated(s.CaseTransitionInput)
        target, note = data["to"], data["note"]
        if target == Case.Status.CONSULTATION:
            services.case_start_consultation(user=request.user, case=case, note=note)
        elif target == Case.Status.INVESTIGATION:
            services.case_end_consultation(user=request.user, case=case, note=note)
        else:
            if "published_on" not in data:
                raise drf_serializers.ValidationError({"published_on": [_("发布公告时请填写公告日期。")]})
            services.case_announce(user=request.user, case=case, published_on=data["published_on"], note=note)
        return self._respond(case)

    @extend_schema(request=s.InvestigationInput, responses={201: s.InvestigationSerializer})
    @action(detail=True, methods=["post"])
    def investigations(self, request: Request, pk: str) -> Response:
        """Record an investigation (调查); upload its evidence with `POST /cases/{id}/attachments/`
        naming the investigation."""
        record = services.investigation_record(
            user=request.user, case=self.get_object(), **self.validated(s.InvestigationInput)
        )
        return self.respond(record, created=True, serializer_class=s.InvestigationSerializer)

    @extend_schema(request=multipart(AttachmentUploadInput), responses={201: AttachmentSerializer(many=True)})
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def attachments(self, request: Request, pk: str) -> Response:
        """Upload evidence files (multipart/form-data, `file` repeated for several), all or nothing;
        with `investigation`, as the evidence of one of the case's investigations. Read them at
        `/attachments/?case={id}` and download them at `/attachments/{id}/download/`."""
        case = self.get_object()
        data = self.validated(AttachmentUploadInput)
        links = {}
        if data["investigation"] is not None:
            investigation = case.investigations.filter(pk=data["investigation"]).first()
            if investigation is None:
                raise drf_serializers.ValidationError({"investigation": [_("附件所属记录不属于本案。")]})
            links["investigation"] = investigation
        saved = store_all(
            data["file"],
            lambda upload: services.attachment_add(
                user=request.user, case=case, upload=upload, description=data["description"], **links
            ),
            field="file",
        )
        return Response(AttachmentSerializer(saved, many=True, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=None, responses=s.EventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request: Request, pk: str) -> Response:
        """The case's history and its lead's, oldest first (cases.selectors.case_timeline). The
        before/after values of confidential fields appear only to those who may see them."""
        case = self.get_object()
        confidential = can_see_confidential(request.user, case=case)
        context = self.get_serializer_context() | {"confidential": confidential}
        return Response(s.EventSerializer(case_timeline(case), many=True, context=context).data)

    @extend_schema(request=s.PlaintiffSuitInput, responses={201: s.PlaintiffSuitSerializer})
    @action(detail=True, methods=["post"], url_path="plaintiff-suits")
    def plaintiff_suits(self, request: Request, pk: str) -> Response:
        """Civil PIL: record that a qualified organ or organisation sued after the announcement
        (plaintiff_suit_record); the announcement period ends."""
        suit = litigation_services.plaintiff_suit_record(
            user=request.user, case=self.get_object(), **self.validated(s.PlaintiffSuitInput)
        )
        return self.respond(suit, created=True, serializer_class=s.PlaintiffSuitSerializer)

    @extend_schema(request=s.PlaintiffSupportInput, responses=s.PlaintiffSuitSerializer)
    @action(detail=True, methods=["post"], url_path="support-suit")
    def support_suit(self, request: Request, pk: str) -> Response:
        """Support another plaintiff's suit (支持起诉, plaintiff_suit_support); `suit` is one of the
        case's `plaintiff_suits`."""
        case = self.get_object()
        data = self.validated(s.PlaintiffSupportInput)
        suit = self.in_scope(plaintiff_suits_visible_to(request.user).filter(case=case), data.pop("suit"))
        suit = litigation_services.plaintiff_suit_support(user=request.user, suit=suit, **data)
        return self.respond(suit, serializer_class=s.PlaintiffSuitSerializer)

    @extend_schema(request=s.ConsultationInput, responses={201: s.ConsultationSerializer})
    @action(detail=True, methods=["post"])
    def consultations(self, request: Request, pk: str) -> Response:
        """Record a consultation (磋商) with one of the case's agencies."""
        record = services.consultation_record(
            user=request.user, case=self.get_object(), **self.validated(s.ConsultationInput)
        )
        return self.respond(record, created=True, serializer_class=s.ConsultationSerializer)

    @extend_schema(request=s.CaseCloseInput, responses=s.CaseConfidentialSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close the case (终结) with a ground: the handlers or a supervisor in scope. Its open
        deadlines are cancelled, except the filing with the higher procuratorate, which stays open
        until recorded; while there is one to cancel, `confirmed: true` is required (400, code
        confirmation_required)."""
        case = self.get_object()
        services.case_close(user=request.user, case=case, **self.validated(s.CaseCloseInput))
        return self._respond(case)
