"""Serving an uploaded file after the caller has checked that the user may see it."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def private_file_response(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """A download (never rendered inline, never cached by a shared proxy) of a stored upload.

    Call it only with an object fetched through the role's scoping function."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件不存在。")) from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
