"""Interference records (docs/domain.md, Interference records): list, read, record (POST; with
`corrects`, a correction), materials. Append-only: PUT, PATCH and DELETE answer 405 with the code
`append_only`, whoever asks. Reads go through interference.selectors (out of scope: 404); only the
records' readers see the resource at all."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.serializers import interference as s
from api.views.base import ScopedViewSet
from api.views.files import UPLOAD_PARSERS, FileViewSet, multipart, store_all
from cases.models import Case
from cases.selectors import cases_visible_to
from interference import services
from interference.filters import InterferenceRecordFilter
from interference.models import InterferenceAttachment, InterferenceRecord
from interference.selectors import (
    interference_attachments_visible_to,
    interference_records_visible_to,
)


class AppendOnlyRefused(exceptions.APIException):
    status_code = status.HTTP_405_METHOD_NOT_ALLOWED
    default_code = "append_only"

    def __init__(self) -> None:
        super().__init__(_("干预司法记录不能修改或删除；如有错误，请另行登记一条更正记录。"))


class AppendOnlyMixin:
    """PUT, PATCH and DELETE on a detail address: refused with `append_only`, never a change."""

    @extend_schema(exclude=True)
    def update(self, request: Request, *args, **kwargs) -> Response:
        raise AppendOnlyRefused

    @extend_schema(exclude=True)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        raise AppendOnlyRefused

    @extend_schema(exclude=True)
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        raise AppendOnlyRefused


class InterferenceRecordViewSet(AppendOnlyMixin, ScopedViewSet):
    """Interference records of the cases in the user's scope: supervisors read their scope's, a
    procurator the records they made, the discipline liaison those of the procuratorates their
    commission covers. Filters: procuratorate, case, occurred_from, occurred_to, means."""

    model = InterferenceRecord
    internal_serializer = s.InterferenceRecordSerializer
    filterset_class = InterferenceRecordFilter
    ordering_fields = ["occurred_on", "recorded_at"]

    def scope(self, user: User) -> QuerySet:
        return interference_records_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return (
            queryset.select_related("case", "recorded_by")
            .prefetch_related("attachments__uploaded_by")
            .annotate(
                corrected_by=Subquery(InterferenceRecord.objects.filter(corrects=OuterRef("pk")).values("pk")[:1])
            )
            .order_by("-occurred_on", "-id")
        )

    @extend_schema(request=s.InterferenceRecordInput, responses={201: s.InterferenceRecordSerializer})
    def create(self, request: Request) -> Response:
        """Record an attempt to interfere in a case the user handles or supervises; with `corrects`,
        the correction of a record (a new record of the same case, with `correction_reason`)."""
        data = self.validated(s.InterferenceRecordInput)
        corrects_id = data.pop("corrects", None)
        case_id = data.pop("case", None)
        if corrects_id is not None:
            original = self.in_scope(interference_records_visible_to(request.user), corrects_id)
            if case_id is not None and case_id != original.case_id:
                raise exceptions.ValidationError({"case": [_("更正记录的案件须与原记录相同。")]})
            record = services.interference_correct(
                user=request.user, record=original, today=timezone.localdate(), **data
            )
        else:
            # A case the user reads but does not handle: the service refuses it (403), not 404.
            case: Case = self.in_scope(cases_visible_to(request.user), case_id)
            data.pop("correction_reason", None)
            record = services.interference_record(user=request.user, case=case, today=timezone.localdate(), **data)
        return self.respond(self.fresh(record.pk), created=True)

    @extend_schema(
        request=multipart(s.InterferenceAttachmentUploadInput),
        responses={201: s.InterferenceAttachmentSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def attachments(self, request: Request, pk: str) -> Response:
        """Upload materials (multipart/form-data, `file` repeated for several), all or nothing.
        Download them at `/interference-attachments/{id}/download/`."""
        record = self.get_object()
        data = self.validated(s.InterferenceAttachmentUploadInput)
        saved = store_all(
            data["file"],
            lambda upload: services.interference_attachment_add(user=request.user, record=record, upload=upload),
            field="file",
        )
        return Response(
            s.InterferenceAttachmentSerializer(saved, many=True, context=self.get_serializer_context()).data,
            status=201,
        )


class InterferenceAttachmentViewSet(AppendOnlyMixin, FileViewSet):
    """Materials of the interference records the user reads, with their download."""

    model = InterferenceAttachment
    internal_serializer = s.InterferenceAttachmentSerializer

    def scope(self, user: User) -> QuerySet:
        return interference_attachments_visible_to(user)
