"""Files through the API: the evidence of a case (and of its investigations), the agency's evidence
on a feedback report, and the lawsuit's materials and ruling documents.

Uploads are multipart/form-data on the action of the object they belong to; the services decide the
type from the bytes (storage.services.validate_upload), so the content type a client claims is
never trusted. Downloads go through the scoping selectors like every other read.
"""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.common import UserRefSerializer, text
from cases.models import Attachment
from feedback.models import FeedbackAttachment
from litigation.models import LitigationFile, Material

_ID = {"min_value": 1, "max_value": 2**63 - 1}
FILE_FIELDS = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]

# One request carries at most this many files; the services hold each to settings.UPLOAD_MAX_BYTES
# (and feedback reports to their own number of files).
MAX_FILES_PER_REQUEST = 20


def files_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FileField(allow_empty_file=False, use_url=False),
        min_length=kwargs.pop("min_length", 1),
        max_length=MAX_FILES_PER_REQUEST,
        **kwargs,
    )


# --- Case evidence ---------------------------------------------------------------------------------


class AttachmentSerializer(serializers.ModelSerializer):
    """An evidence file of a case (procuratorate-internal: agency staff never see case files)."""

    uploaded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Attachment
        fields = [
            "id",
            "case",
            "investigation",
            "consultation",
            "recommendation",
            *FILE_FIELDS[1:],
            "description",
            "uploaded_by",
        ]
        read_only_fields = fields


class AttachmentUploadInput(serializers.Serializer):
    """One or more evidence files, saved all or nothing; `investigation` links them to one of the
    case's investigation records (调查取证材料)."""

    file = files_field(help_text="PDF, JPEG, PNG, TIFF or an Office document; the type is read from the bytes.")
    description = text(required=False, max_length=200)
    investigation = serializers.IntegerField(required=False, allow_null=True, default=None, **_ID)


# --- Feedback evidence -----------------------------------------------------------------------------


class FeedbackFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeedbackAttachment
        fields = ["id", "report", *FILE_FIELDS[1:]]
        read_only_fields = fields


class FeedbackFilesInput(serializers.Serializer):
    """Evidence files added to a draft report (证据材料)."""

    files = files_field(help_text="PDF, JPEG, PNG, TIFF or an Office document; the type is read from the bytes.")


# --- Litigation files ------------------------------------------------------------------------------

LITIGATION_FILE_FIELDS = ["id", "lawsuit", "ruling", "kind", *FILE_FIELDS[1:]]


class LitigationFileAgencySerializer(serializers.ModelSerializer):
    """A ruling document as the defendant agency reads it."""

    class Meta:
        model = LitigationFile
        fields = LITIGATION_FILE_FIELDS
        read_only_fields = fields


class LitigationFileInternalSerializer(LitigationFileAgencySerializer):
    uploaded_by = UserRefSerializer(read_only=True)

    class Meta(LitigationFileAgencySerializer.Meta):
        fields = [*LITIGATION_FILE_FIELDS, "material", "description", "uploaded_by"]
        read_only_fields = fields


class MaterialUploadInput(serializers.Serializer):
    """A material filed with the court, optionally as the file of one item of the checklist."""

    file = serializers.FileField(allow_empty_file=False, use_url=False)
    material = serializers.ChoiceField(choices=Material.choices, required=False, allow_blank=True, default="")
    description = text(required=False, max_length=200)


class RulingDocumentUploadInput(serializers.Serializer):
    """The judgment, ruling or mediation statement as served (裁判文书)."""

    file = serializers.FileField(allow_empty_file=False, use_url=False)
    description = text(required=False, max_length=200)
