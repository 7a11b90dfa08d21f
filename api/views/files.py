"""Files: the resources of stored uploads, each through its scoping selector (out of scope answers
404), with a permission-checked download — case evidence and litigation files here, the evidence of
feedback reports with the reports (api.views.feedback, where a draft's file is also removed); and
what the upload actions of cases, feedback reports, lawsuits and rulings share.

Uploads are multipart/form-data (MultiPartParser only on those actions). The services check every
file by its content before anything is kept; a refused file is a 400 field error naming the request
field it came in, and a request with several files is saved all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.filters import AttachmentFilter, LitigationFileFilter
from api.serializers import files as s
from api.views.base import ScopedViewSet
from cases import services as cases_services
from cases.models import Attachment
from cases.selectors import attachments_visible_to
from litigation.models import LitigationFile
from litigation.selectors import litigation_files_visible_to
from pil_tracker.errors import DomainError
from pil_tracker.files import private_file_response
from storage.services import files_atomic

# Upload actions parse multipart/form-data only; every other endpoint stays JSON.
UPLOAD_PARSERS = [MultiPartParser]


def multipart(serializer: type) -> dict[str, type]:
    """The request body of an upload action, for the OpenAPI document."""
    return {"multipart/form-data": serializer}


@contextmanager
def renamed_field(field: str) -> Iterator[None]:
    """A service names the file field of its web form ("file", "files"); the API request may call
    it otherwise. A refusal about a file then points at the request's field."""
    try:
        yield
    except DomainError as error:
        if error.field in ("file", "files") and error.field != field:
            raise DomainError(error.message, field=field, code=error.code) from error
        raise


def store_all(uploads: list, save: Callable[[Any], Any], *, field: str) -> list:
    """Save each upload through `save` (a service call), all or nothing: at the first refusal the
    rows roll back, and with them the files already written (storage.services.files_atomic), and
    the error names the refused file by its place in the request (`file.1`)."""
    saved: list = []
    with files_atomic():
        for index, upload in enumerate(uploads):
            with renamed_field(f"{field}.{index}"):
                saved.append(save(upload))
    return saved


class PassThroughNegotiation(BaseContentNegotiation):
    """A download answers with the file whatever the client accepts (curl -H "Accept: application/pdf"),
    and errors stay JSON, the only renderer."""

    def select_parser(self, request: Request, parsers: list) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: list, format_suffix: str | None = None) -> tuple:
        return renderers[0], renderers[0].media_type


BINARY = {(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file itself.")}


class FileViewSet(ScopedViewSet):
    """A resource of stored files: list, detail (what the file is) and `download`."""

    ordering_fields = ["uploaded_at"]

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("uploaded_by").order_by("uploaded_at", "id")

    @extend_schema(responses=BINARY)
    @action(detail=True, methods=["get"], content_negotiation_class=PassThroughNegotiation)
    def download(self, request: Request, pk: str) -> FileResponse:
        """The file, as a download (never rendered inline, never cached by a shared proxy)."""
        record = self.get_object()
        return private_file_response(record.file, filename=record.original_name, content_type=record.content_type)


class AttachmentViewSet(mixins.DestroyModelMixin, FileViewSet):
    """Evidence files of the cases the user reads (调查取证材料 and other case files), linked to an
    investigation, a consultation or a recommendation where they belong to one. Procuratorate staff
    only. Upload with `POST /cases/{id}/attachments/`; those who may edit the case remove one with
    DELETE while the case is open."""

    model = Attachment
    internal_serializer = s.AttachmentSerializer
    filterset_class = AttachmentFilter
    http_method_names = ["get", "delete", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return attachments_visible_to(user)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        """Remove the file (attachment_remove): the case's handlers, while it is open (400, code
        case_closed, once closed); recorded on the case's timeline."""
        cases_services.attachment_remove(user=request.user, attachment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class LitigationFileViewSet(FileViewSet):
    """Files of the lawsuits the user reads: the materials filed with the court (procuratorate only)
    and the ruling documents (the defendant agency too). Upload with `POST /lawsuits/{id}/materials/`
    and `POST /rulings/{id}/documents/`."""

    model = LitigationFile
    internal_serializer = s.LitigationFileInternalSerializer
    agency_serializer = s.LitigationFileAgencySerializer
    filterset_class = LitigationFileFilter

    def scope(self, user: User) -> QuerySet:
        return litigation_files_visible_to(user)
