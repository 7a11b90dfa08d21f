"""Procuratorial recommendations and their steps: draft, submit, approve or return, withdraw, issue,
serve, file with the superior procuratorate, record the written reply, evaluate the items — and the
agency's acknowledgement of receipt. Each calls the service the web page calls."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.filters import RecommendationFilter
from api.parsers import BoundedJSONParser
from api.serializers import recommendations as s
from api.serializers.cases import InvestigationSerializer
from api.serializers.common import EmptyInput
from api.views.base import ScopedViewSet
from api.views.files import BINARY, PassThroughNegotiation, renamed_field
from cases import services
from cases.documents import DOCX_CONTENT_TYPE, recommendation_document, recommendation_filename
from cases.models import Recommendation
from cases.selectors import cases_visible_to, recommendations_visible_to, reporter_identity_in, scope_split
from feedback import services as feedback_services
from feedback.models import CompletionDateProposal, SupplementRequest
from feedback.selectors import proposals_visible_to
from pil_tracker.errors import DomainError

DOC = s.RecommendationInternalSerializer


class RecommendationViewSet(ScopedViewSet):
    """Recommendations (检察建议): procuratorate staff read those of the cases they see, drafts
    included; agency staff read those issued to their own agency, as the document served on them."""

    model = Recommendation
    internal_serializer = s.RecommendationInternalSerializer
    agency_serializer = s.RecommendationAgencySerializer
    filterset_class = RecommendationFilter
    ordering_fields = ["created_at", "issued_on", "served_on", "status"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return recommendations_visible_to(user)

    def page_split(self, user: User) -> tuple[str, QuerySet] | None:
        # Procuratorate staff: scoped on the recommendation's procuratorate (its case's), so deep
        # pages merge per procuratorate; agency staff see one agency's (scope_split: None).
        return scope_split(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related(
            "agency", "case__procuratorate", "drafted_by", "decided_by", "issued_by", "acknowledgement"
        ).prefetch_related(
            "items",
            Prefetch("supplement_requests", queryset=SupplementRequest.objects.select_related("requested_by")),
            Prefetch(
                "completion_proposals", queryset=CompletionDateProposal.objects.select_related("item", "decided_by")
            ),
        )

    def _respond(self, recommendation: Recommendation, *, created: bool = False) -> Response:
        return self.respond(self.fresh(recommendation.pk), created=created)

    # --- Drafting --------------------------------------------------------------------------------

    @extend_schema(request=s.RecommendationCreateInput, responses={201: DOC})
    def create(self, request: Request) -> Response:
        """Draft a recommendation of a case with its numbered items (recommendation_create)."""
        data = self.validated(s.RecommendationCreateInput)
        case = self.in_scope(cases_visible_to(request.user), data.pop("case"))
        items = data.pop("items")
        recommendation = services.recommendation_create(user=request.user, case=case, items=items, **data)
        return self._respond(recommendation, created=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        recommendation = self.get_object()
        data = self.validated(s.RecommendationUpdateInput, partial=partial)
        current = {name: getattr(recommendation, name) for name in Recommendation.CONTENT_FIELDS}
        current["items"] = [item.text for item in recommendation.items.all()]
        data = current | data
        items = data.pop("items")
        services.recommendation_update(user=request.user, recommendation=recommendation, items=items, **data)
        return self._respond(recommendation)

    @extend_schema(request=s.RecommendationUpdateInput, responses=DOC)
    def update(self, request: Request, *args, **kwargs) -> Response:
        """Edit a draft (recommendation_update); `items` replaces all items. Send the `version`
        read with the draft: if someone saved it since, 409 (code conflict) and nothing changes."""
        return self._update(request, partial=False)

    @extend_schema(request=s.RecommendationUpdateInput, responses=DOC)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self._update(request, partial=True)

    # --- Steps -----------------------------------------------------------------------------------

    def _step(self, service, input_class=EmptyInput) -> Response:
        recommendation = self.get_object()
        data = self.validated(input_class)
        service(user=self.request.user, recommendation=recommendation, **data)
        return self._respond(recommendation)

    @extend_schema(request=None, responses=DOC)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Submit the draft for approval (提请审批)."""
        return self._step(services.recommendation_submit)

    @extend_schema(request=s.CommentInput, responses=DOC)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Approve (审批同意): a supervisor of the case's procuratorate or a higher one."""
        return self._step(services.recommendation_approve, s.CommentInput)

    @extend_schema(request=s.ReturnInput, responses=DOC)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        """Return the draft for changes (退回修改), with a comment."""
        return self._step(services.recommendation_return, s.ReturnInput)

    @extend_schema(request=s.WithdrawInput, responses=DOC)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Withdraw a recommendation that has not been issued."""
        return self._step(services.recommendation_withdraw, s.WithdrawInput)

    @extend_schema(request=s.IssueInput, responses=DOC)
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str) -> Response:
        """Issue (签发): the document number is assigned and the text frozen.

        The answer carries `warnings` (non-blocking): code "reporter_identity" when the text
        contains the lead's reporter name or contact, which the agency is served with."""
        mentions = reporter_identity_in(self.get_object())
        response = self._step(services.recommendation_issue, s.IssueInput)
        warnings = []
        if mentions:
            warnings.append(
                {
                    "code": "reporter_identity",
                    "message": _(
                        "检察建议书的内容含有举报人的姓名或联系方式，签发后将送达行政机关，而举报人身份应当保密。"
                    ),
                    "values": mentions,
                }
            )
        response.data["warnings"] = warnings
        return response

    @extend_schema(request=s.ServeInput, responses=DOC)
    @action(detail=True, methods=["post"])
    def serve(self, request: Request, pk: str) -> Response:
        """Record service (送达) on the agency: the reply period runs from the next day."""
        return self._step(services.recommendation_serve, s.ServeInput)

    @extend_schema(request=s.FileInput, responses=DOC)
    @action(detail=True, methods=["post"])
    def file(self, request: Request, pk: str) -> Response:
        """Record the filing with the next-higher procuratorate (备案)."""
        return self._step(services.recommendation_file_with_superior, s.FileInput)

    @extend_schema(request=s.ReplyInput, responses=DOC)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        """Record the agency's written reply received on paper (书面回复)."""
        return self._step(services.recommendation_record_reply, s.ReplyInput)

    @extend_schema(request=s.EvaluateInput, responses=DOC)
    @action(detail=True, methods=["post"])
    def evaluate(self, request: Request, pk: str) -> Response:
        """Evaluate items after the follow-up investigation (整改评估), all or nothing."""
        recommendation = self.get_object()
        entries = self.validated(s.EvaluateInput)["items"]
        items = {item.pk: item for item in recommendation.items.all()}
        unknown = {
            f"items.{i}.item": [_("该建议事项不属于此检察建议。")]
            for i, e in enumerate(entries)
            if e["item"] not in items
        }
        if unknown:
            raise drf_serializers.ValidationError(unknown)
        with transaction.atomic():
            for index, entry in enumerate(entries):
                try:
                    services.item_evaluate(
                        user=request.user,
                        item=items[entry["item"]],
                        evaluation=entry["evaluation"],
                        note=entry["note"],
                    )
                except DomainError as error:
                    field = f"items.{index}.{error.field}" if error.field else None
                    raise DomainError(error.message, field=field, code=error.code) from error
        return self._respond(recommendation)

    @extend_schema(request=s.AcknowledgeInput, responses=s.RecommendationAgencySerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        """The agency acknowledges receipt (签收) on the date it states (acknowledgement_record)."""
        return self._step(feedback_services.acknowledgement_record, s.AcknowledgeInput)

    # --- Review of the agency's feedback (the procurator's side of feedback.services) -------------

    @extend_schema(request=s.SupplementRequestInput, responses=DOC)
    @action(detail=True, methods=["post"], url_path="request-supplement")
    def request_supplement(self, request: Request, pk: str) -> Response:
        """Ask the agency for supplementary information (要求补充说明) by `due_on`; the agency
        answers with a supplementary report naming the request (supplement_request_create)."""
        return self._step(feedback_services.supplement_request_create, s.SupplementRequestInput)

    @extend_schema(request=s.CompletionDecisionInput, responses=DOC)
    @action(detail=True, methods=["post"], url_path="decide-completion-date")
    def decide_completion_date(self, request: Request, pk: str) -> Response:
        """Accept or refuse a completion date the agency proposed (one of `completion_proposals`);
        an accepted date becomes a watched rectification deadline (completion_date_decide)."""
        recommendation = self.get_object()
        data = self.validated(s.CompletionDecisionInput)
        proposal = self.in_scope(
            proposals_visible_to(request.user).filter(recommendation=recommendation), data["proposal"]
        )
        feedback_services.completion_date_decide(
            user=request.user, proposal=proposal, accept=data["decision"] == "accept", note=data["note"]
        )
        return self._respond(recommendation)

    @extend_schema(
        request={"application/json": s.FollowUpInput, "multipart/form-data": s.FollowUpUploadInput},
        responses={201: InvestigationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="follow-up", parser_classes=[BoundedJSONParser, MultiPartParser])
    def follow_up(self, request: Request, pk: str) -> Response:
        """Record the follow-up investigation (跟进调查) after service, as JSON, or as
        multipart/form-data with site `photos` (follow_up_record): the photos become case evidence
        (`/attachments/?investigation={id}`), all or nothing."""
        recommendation = self.get_object()
        is_multipart = (request.content_type or "").startswith("multipart/")
        data = self.validated(s.FollowUpUploadInput if is_multipart else s.FollowUpInput)
        with renamed_field("photos"):
            record = feedback_services.follow_up_record(user=request.user, recommendation=recommendation, **data)
        return self.respond(record, created=True, serializer_class=InvestigationSerializer)

    # --- The document --------------------------------------------------------------------------

    @extend_schema(request=None, responses=BINARY)
    @action(detail=True, methods=["get"], content_negotiation_class=PassThroughNegotiation)
    def document(self, request: Request, pk: str) -> HttpResponse:
        """The recommendation as a Word document (检察建议书 .docx); before issue it is marked as a
        draft. Agency staff get the document served on them."""
        recommendation = self.get_object()
        response = HttpResponse(recommendation_document(recommendation), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, recommendation_filename(recommendation))
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
