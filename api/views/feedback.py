"""Rectification feedback (整改反馈): the agency drafts a report answering every item and adds or
removes its evidence files, its responsible person submits it (then it never changes, files
included); procuratorate staff read submitted reports and their files."""

from __future__ import annotations

import re

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.filters import FeedbackFileFilter, FeedbackFilter
from api.serializers import feedback as s
from api.serializers.files import FeedbackFileSerializer, FeedbackFilesInput
from api.views.base import ScopedViewSet
from api.views.files import UPLOAD_PARSERS, FileViewSet, multipart
from cases.selectors import recommendations_visible_to
from cases.services.guards import lock
from feedback import selectors
from feedback import services as feedback_services
from feedback.models import FeedbackAttachment, FeedbackReport, ItemAnswer, SupplementRequest
from feedback.services import AnswerInput
from pil_tracker.errors import DomainError
from storage.services import files_atomic

# feedback.services.answer_field names an answer's error "item_<id>_<name>".
_ANSWER_FIELD = re.compile(r"^item_(\d+)_(\w+)$")


def _answers(data: list[dict]) -> list[AnswerInput]:
    return [
        AnswerInput(
            item_id=a["item"],
            status=a["status"],
            measures=a["measures"],
            reason=a["reason"],
            proposed_completion_on=a["proposed_completion_on"],
        )
        for a in data
    ]


def _call(service, answers: list[dict], **kwargs):
    """Call a report service; an error on one answer points at that answer in the request."""
    try:
        return service(answers=_answers(answers), **kwargs)
    except DomainError as error:
        match = _ANSWER_FIELD.match(error.field or "")
        if match:
            item_id, name = int(match.group(1)), match.group(2)
            index = next((i for i, a in enumerate(answers) if a["item"] == item_id), None)
            field = f"answers.{index}.{name}" if index is not None else "answers"
            raise DomainError(error.message, field=field, code=error.code) from error
        raise


def _content(report: FeedbackReport) -> dict:
    """The draft's content as it stands, in the shape of FeedbackContentInput."""
    return {
        "summary": report.summary,
        "responsible_person_name": report.responsible_person_name,
        "responsible_person_title": report.responsible_person_title,
        "answers": [
            {
                "item": a.item_id,
                "status": a.status,
                "measures": a.measures,
                "reason": a.reason,
                "proposed_completion_on": a.proposed_completion_on,
            }
            for a in report.answers.all()
        ],
    }


def _draft_update(*, user: User, report: FeedbackReport, **changes) -> FeedbackReport:
    """feedback_draft_update on the draft as it stands, with `changes` (some fields of its content,
    files to add or remove). The service replaces the whole content, so it is read under the row
    lock the service takes: a change made meanwhile by a colleague is never put back."""
    with files_atomic():
        current = lock(FeedbackReport, report.pk)
        data = _content(current) | changes
        return _call(feedback_services.feedback_draft_update, data.pop("answers"), user=user, report=current, **data)


class FeedbackViewSet(ScopedViewSet):
    """Feedback reports (整改反馈). Agency staff: their agency's reports, drafts included; they
    create and change drafts (POST, PUT/PATCH, DELETE) and the responsible person submits.
    Procuratorate staff: the submitted reports of the recommendations they read."""

    model = FeedbackReport
    internal_serializer = s.FeedbackInternalSerializer
    agency_serializer = s.FeedbackAgencySerializer
    filterset_class = FeedbackFilter
    ordering_fields = ["created_at", "submitted_at"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return selectors.feedback_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("agency", "submitted_by", "drafted_by").prefetch_related(
            Prefetch("answers", queryset=ItemAnswer.objects.select_related("item").order_by("item__number")),
            "attachments",
        )

    def _respond(self, report: FeedbackReport, *, created: bool = False) -> Response:
        return self.respond(self.fresh(report.pk), created=created)

    @extend_schema(request=s.FeedbackCreateInput, responses={201: s.FeedbackAgencySerializer})
    def create(self, request: Request) -> Response:
        """Draft a report on a recommendation of the user's agency (feedback_draft_create)."""
        data = self.validated(s.FeedbackCreateInput)
        recommendation = self.in_scope(recommendations_visible_to(request.user), data["recommendation"])
        supplement_request = corrects = None
        if data["supplement_request"] is not None:
            supplement_request = self.in_scope(
                SupplementRequest.objects.filter(recommendation=recommendation), data["supplement_request"]
            )
        if data["corrects"] is not None:
            corrects = self.in_scope(self.scope(request.user).filter(recommendation=recommendation), data["corrects"])
        report = _call(
            feedback_services.feedback_draft_create,
            data["answers"],
            user=request.user,
            recommendation=recommendation,
            kind=data["kind"],
            summary=data["summary"],
            responsible_person_name=data["responsible_person_name"],
            responsible_person_title=data["responsible_person_title"],
            supplement_request=supplement_request,
            corrects=corrects,
        )
        return self._respond(report, created=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        report = self.get_object()
        _draft_update(user=request.user, report=report, **self.validated(s.FeedbackContentInput, partial=partial))
        return self._respond(report)

    @extend_schema(request=s.FeedbackContentInput, responses=s.FeedbackAgencySerializer)
    def update(self, request: Request, *args, **kwargs) -> Response:
        """Change a draft (feedback_draft_update); a submitted report is never changed."""
        return self._update(request, partial=False)

    @extend_schema(request=s.FeedbackContentInput, responses=s.FeedbackAgencySerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self._update(request, partial=True)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        """Discard a draft (feedback_draft_delete); a submitted report is never deleted."""
        feedback_services.feedback_draft_delete(user=request.user, report=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.FeedbackAgencySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Submit the draft (the agency's responsible person): from now on it never changes; a final
        report is the written reply (书面回复)."""
        report = feedback_services.feedback_submit(user=request.user, report=self.get_object())
        return self._respond(report)

    @extend_schema(request=multipart(FeedbackFilesInput), responses=s.FeedbackAgencySerializer)
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def attachments(self, request: Request, pk: str) -> Response:
        """Add evidence files to a draft (multipart/form-data, `files` repeated for several), all or
        nothing; the draft's content stays as it is (feedback_draft_update). Read them at
        `/feedback-attachments/?report={id}`; a submitted report takes no more files."""
        report = self.get_object()
        _draft_update(user=request.user, report=report, uploads=self.validated(FeedbackFilesInput)["files"])
        return self._respond(report)


class FeedbackFileViewSet(FileViewSet):
    """Evidence files of the feedback reports the user reads: the agency its own, drafts included;
    the procuratorate those of submitted reports. Upload with `POST /feedback/{id}/attachments/`;
    the agency removes a file from its draft with DELETE."""

    model = FeedbackAttachment
    internal_serializer = FeedbackFileSerializer
    filterset_class = FeedbackFileFilter

    def scope(self, user: User) -> QuerySet:
        return selectors.feedback_attachments_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.order_by("uploaded_at", "id")

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        """Remove the file from its draft report (feedback_draft_update); the files of a submitted
        report are kept with it (400, code immutable)."""
        attachment = self.get_object()
        _draft_update(user=request.user, report=attachment.report, remove_attachment_ids=[attachment.pk])
        return Response(status=status.HTTP_204_NO_CONTENT)
