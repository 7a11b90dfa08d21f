"""Litigation (docs/domain.md, Litigation and rulings): the decision to sue with its approval (actions on the case), the
lawsuit and its court events. Every endpoint calls a service of litigation/services by name, as the
litigation pages do; the defendant agency reads its lawsuits with agency-facing serializers and may
record its defence and register who appears at a hearing.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.filters import HearingFilter, LawsuitFilter, RulingFilter
from api.serializers import cases as case_serializers
from api.serializers import litigation as s
from api.serializers.files import (
    LitigationFileInternalSerializer,
    MaterialUploadInput,
    RulingDocumentUploadInput,
)
from api.serializers.recommendations import CommentInput, ReturnInput
from api.views.base import ScopedViewSet
from api.views.files import UPLOAD_PARSERS, multipart, renamed_field
from cases.selectors import cases_visible_to
from litigation import selectors
from litigation import services as litigation_services
from litigation.models import Hearing, Lawsuit, LawsuitProposal, Ruling
from pil_tracker.errors import DomainError

CASE = case_serializers.CaseConfidentialSerializer


class CaseLitigationActions:
    """The actions of a case before and after the court (mixed into the cases resource)."""

    def _pending_proposal(self, case) -> LawsuitProposal:
        proposal = LawsuitProposal.objects.filter(case=case, status=LawsuitProposal.Status.PENDING).first()
        if proposal is None:
            raise DomainError(_("没有待审批的起诉提请。"), code="invalid_transition")
        return proposal

    @extend_schema(request=s.LawsuitProposeInput, responses=CASE)
    @action(detail=True, methods=["post"], url_path="decide-lawsuit")
    def decide_lawsuit(self, request: Request, pk: str) -> Response:
        """Propose to sue (提请审批起诉) after the evaluation found items not (fully) rectified, or
        after a civil announcement no one answered; a supervisor approves (`approve-lawsuit`)."""
        case = self.get_object()
        litigation_services.lawsuit_propose(user=request.user, case=case, **self.validated(s.LawsuitProposeInput))
        return self._respond(case)

    @extend_schema(request=CommentInput, responses=CASE)
    @action(detail=True, methods=["post"], url_path="approve-lawsuit")
    def approve_lawsuit(self, request: Request, pk: str) -> Response:
        """Approve the pending proposal to sue: the case goes to 提起诉讼 (决定提起诉讼)."""
        case = self.get_object()
        litigation_services.lawsuit_proposal_approve(
            user=request.user, proposal=self._pending_proposal(case), **self.validated(CommentInput)
        )
        return self._respond(case)

    @extend_schema(request=ReturnInput, responses=CASE)
    @action(detail=True, methods=["post"], url_path="return-lawsuit")
    def return_lawsuit(self, request: Request, pk: str) -> Response:
        """Return the pending proposal to sue, with the reason."""
        case = self.get_object()
        litigation_services.lawsuit_proposal_return(
            user=request.user, proposal=self._pending_proposal(case), **self.validated(ReturnInput)
        )
        return self._respond(case)

    @extend_schema(request=s.LitigationCloseInput, responses=CASE)
    @action(detail=True, methods=["post"], url_path="close-litigation")
    def close_litigation(self, request: Request, pk: str) -> Response:
        """Close the case once every lawsuit is finished (effective, complied or enforced)."""
        case = self.get_object()
        litigation_services.litigation_case_close(
            user=request.user, case=case, **self.validated(s.LitigationCloseInput)
        )
        return self._respond(case)


class LawsuitViewSet(ScopedViewSet):
    """Lawsuits (诉讼): procuratorate staff those of the cases they read; agency staff the lawsuits
    against their agency (no internal notes)."""

    model = Lawsuit
    internal_serializer = s.LawsuitInternalSerializer
    agency_serializer = s.LawsuitAgencySerializer
    filterset_class = LawsuitFilter
    ordering_fields = ["filed_on", "created_at"]
    http_method_names = ["get", "post", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return selectors.lawsuits_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("defendant_agency", "filed_by").order_by("-filed_on", "-id")

    def _respond(self, lawsuit: Lawsuit, *, created: bool = False) -> Response:
        return self.respond(self.fresh(lawsuit.pk), created=created)

    @extend_schema(request=s.LawsuitFileInput, responses={201: s.LawsuitInternalSerializer})
    def create(self, request: Request) -> Response:
        """Record the lawsuit filed with the court (lawsuit_file), once the decision to sue is approved."""
        data = self.validated(s.LawsuitFileInput)
        case = self.in_scope(cases_visible_to(request.user), data.pop("case"))
        lawsuit = litigation_services.lawsuit_file(user=request.user, case=case, **data)
        return self._respond(lawsuit, created=True)

    @extend_schema(request=s.ComplaintCopyInput, responses=s.LawsuitInternalSerializer)
    @action(detail=True, methods=["post"], url_path="complaint-copy")
    def complaint_copy(self, request: Request, pk: str) -> Response:
        """The defendant received the complaint copy: its 15-day defence period starts."""
        lawsuit = self.get_object()
        litigation_services.complaint_copy_received(
            user=request.user, lawsuit=lawsuit, **self.validated(s.ComplaintCopyInput)
        )
        return self._respond(lawsuit)

    @extend_schema(request=s.DefenceInput, responses=s.LawsuitAgencySerializer)
    @action(detail=True, methods=["post"])
    def defence(self, request: Request, pk: str) -> Response:
        """The defence was submitted (the handler, or the defendant agency's own staff)."""
        lawsuit = self.get_object()
        litigation_services.defence_submitted(user=request.user, lawsuit=lawsuit, **self.validated(s.DefenceInput))
        return self._respond(lawsuit)

    @extend_schema(request=multipart(MaterialUploadInput), responses={201: LitigationFileInternalSerializer})
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def materials(self, request: Request, pk: str) -> Response:
        """Upload a material filed with the court (multipart/form-data), optionally as the file of
        one item of the checklist (lawsuit_material_add). Procuratorate-internal: read them at
        `/litigation-files/?lawsuit={id}&kind=material`."""
        lawsuit = self.get_object()
        with renamed_field("file"):
            record = litigation_services.lawsuit_material_add(
                user=request.user, lawsuit=lawsuit, **self.validated(MaterialUploadInput, upload="file")
            )
        return self.respond(record, created=True, serializer_class=LitigationFileInternalSerializer)

    @extend_schema(request=s.HearingScheduleInput, responses={201: s.HearingInternalSerializer})
    @action(detail=True, methods=["post"], url_path="schedule-hearing")
    def schedule_hearing(self, request: Request, pk: str) -> Response:
        """The court set a hearing date (开庭通知); the defendant registers who will appear."""
        hearing = litigation_services.hearing_schedule(
            user=request.user, lawsuit=self.get_object(), **self.validated(s.HearingScheduleInput)
        )
        hearing = selectors.hearings_visible_to(request.user).get(pk=hearing.pk)
        return self.respond(hearing, created=True, serializer_class=s.HearingInternalSerializer)


class HearingViewSet(ScopedViewSet):
    """Hearings (庭审) of the lawsuits the user reads; lawyer-only or nobody is a violation."""

    model = Hearing
    internal_serializer = s.HearingInternalSerializer
    agency_serializer = s.HearingAgencySerializer
    filterset_class = HearingFilter
    ordering_fields = ["held_on"]
    http_method_names = ["get", "post", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return selectors.hearings_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("recorded_by", "registered_by")

    def _respond(self, hearing: Hearing, *, created: bool = False) -> Response:
        return self.respond(self.fresh(hearing.pk), created=created)

    @extend_schema(request=s.HearingInput, responses={201: s.HearingInternalSerializer})
    def create(self, request: Request) -> Response:
        """Record a hearing held (hearing_record)."""
        data = self.validated(s.HearingInput)
        lawsuit = self.in_scope(selectors.lawsuits_visible_to(request.user), data.pop("lawsuit"))
        hearing = litigation_services.hearing_record(user=request.user, lawsuit=lawsuit, **data)
        return self._respond(hearing, created=True)

    @extend_schema(request=s.HearingRegisterInput, responses=s.HearingAgencySerializer)
    @action(detail=True, methods=["post"], url_path="register-appearance")
    def register_appearance(self, request: Request, pk: str) -> Response:
        """The defendant agency registers who will appear (出庭应诉人员报备)."""
        hearing = self.get_object()
        litigation_services.hearing_register_appearance(
            user=request.user, hearing=hearing, **self.validated(s.HearingRegisterInput)
        )
        return self._respond(hearing)

    @extend_schema(request=s.HearingRescheduleInput, responses=s.HearingInternalSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: str) -> Response:
        """The court postponed a scheduled hearing (改期): the previous date is kept, the
        registration stays valid, the defendant agency is notified again."""
        hearing = self.get_object()
        litigation_services.hearing_reschedule(
            user=request.user, hearing=hearing, **self.validated(s.HearingRescheduleInput)
        )
        return self._respond(hearing)

    @extend_schema(request=s.HearingCancelInput, responses=s.HearingInternalSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """The court cancelled a scheduled hearing (取消开庭): it stays on the record, marked cancelled."""
        hearing = self.get_object()
        litigation_services.hearing_cancel(user=request.user, hearing=hearing, **self.validated(s.HearingCancelInput))
        return self._respond(hearing)

    @extend_schema(request=s.HearingOutcomeInput, responses=s.HearingInternalSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        """A scheduled hearing was held: who actually appeared."""
        hearing = self.get_object()
        litigation_services.hearing_outcome_record(
            user=request.user, hearing=hearing, **self.validated(s.HearingOutcomeInput)
        )
        return self._respond(hearing)


class RulingViewSet(ScopedViewSet):
    """Rulings (裁判) of the lawsuits the user reads, and what follows them: appeal, effect,
    compliance, transfer for enforcement."""

    model = Ruling
    internal_serializer = s.RulingInternalSerializer
    agency_serializer = s.RulingAgencySerializer
    filterset_class = RulingFilter
    ordering_fields = ["decided_on", "served_on"]
    http_method_names = ["get", "post", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return selectors.rulings_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("recorded_by")

    def _respond(self, ruling: Ruling, *, created: bool = False) -> Response:
        return self.respond(self.fresh(ruling.pk), created=created)

    @extend_schema(request=s.RulingInput, responses={201: s.RulingInternalSerializer})
    def create(self, request: Request) -> Response:
        """Record a court decision served on the parties (ruling_record)."""
        data = self.validated(s.RulingInput)
        lawsuit = self.in_scope(selectors.lawsuits_visible_to(request.user), data.pop("lawsuit"))
        ruling = litigation_services.ruling_record(user=request.user, lawsuit=lawsuit, **data)
        return self._respond(ruling, created=True)

    @extend_schema(request=multipart(RulingDocumentUploadInput), responses={201: LitigationFileInternalSerializer})
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def documents(self, request: Request, pk: str) -> Response:
        """Upload the judgment, ruling or mediation statement as served (裁判文书, multipart/form-data;
        ruling_document_add). The defendant agency reads it at `/litigation-files/?ruling={id}`."""
        ruling = self.get_object()
        with renamed_field("file"):
            record = litigation_services.ruling_document_add(
                user=request.user, ruling=ruling, **self.validated(RulingDocumentUploadInput, upload="file")
            )
        return self.respond(record, created=True, serializer_class=LitigationFileInternalSerializer)

    def _step(self, service, input_class) -> Response:
        ruling = self.get_object()
        service(user=self.request.user, ruling=ruling, **self.validated(input_class))
        return self._respond(ruling)

    @extend_schema(request=s.AppealInput, responses=s.RulingInternalSerializer)
    @action(detail=True, methods=["post"])
    def appeal(self, request: Request, pk: str) -> Response:
        """An appeal opens the second instance."""
        return self._step(litigation_services.ruling_appeal, s.AppealInput)

    @extend_schema(request=s.EffectInput, responses=s.RulingInternalSerializer)
    @action(detail=True, methods=["post"])
    def effect(self, request: Request, pk: str) -> Response:
        """The ruling took legal effect (生效)."""
        return self._step(litigation_services.ruling_take_effect, s.EffectInput)

    @extend_schema(request=s.ComplianceInput, responses=s.RulingInternalSerializer)
    @action(detail=True, methods=["post"])
    def compliance(self, request: Request, pk: str) -> Response:
        """The defendant complied with the ordered action (履行)."""
        return self._step(litigation_services.compliance_record, s.ComplianceInput)

    @extend_schema(request=s.EnforcementInput, responses=s.RulingInternalSerializer)
    @action(detail=True, methods=["post"])
    def enforcement(self, request: Request, pk: str) -> Response:
        """Transfer for enforcement (移送执行)."""
        return self._step(litigation_services.enforcement_transfer, s.EnforcementInput)
