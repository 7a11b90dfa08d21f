from __future__ import annotations

import hashlib

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Attachment, Case, Event
from cases.services.guards import lock, require_editor
from cases.services.history import event_record
from pil_tracker.errors import DomainError

# What evidence may be: decided from the file's bytes, never from its name or the browser's claim.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
}


def detect_type(upload: UploadedFile) -> str | None:
    """The MIME type read from the content, if it is one we accept."""
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None:
        return None
    return kind.mime if kind.mime in ALLOWED_TYPES else None


def validate_upload(upload: UploadedFile) -> str:
    if (upload.size or 0) > settings.UPLOAD_MAX_BYTES:
        raise DomainError(
            _("文件过大：不能超过 %(limit)d MB。") % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    if not upload.size:
        raise DomainError(_("文件为空。"), field="file")
    content_type = detect_type(upload)
    if content_type is None:
        raise DomainError(_("不支持的文件类型：只接受 PDF、图片（JPEG、PNG、TIFF）和 Office 文档。"), field="file")
    return content_type


@transaction.atomic
def attachment_add(*, user: User, case: Case, upload: UploadedFile, description: str = "", **links) -> Attachment:
    case = lock(Case, case.pk)
    require_editor(user, case)
    content_type = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        case=case,
        original_name=(upload.name or "")[:255],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        description=description,
        uploaded_by=user,
        **links,
    )
    for link in links.values():
        if link is not None and link.case_id != case.pk:
            raise DomainError(_("附件所属记录不属于本案。"), field="file")
    attachment.file.save(upload.name or "upload", upload, save=False)
    try:
        attachment.save()
    except Exception:
        # The row was not written: do not leave an orphaned file behind.
        attachment.file.delete(save=False)
        raise
    event_record(kind=Event.Kind.ATTACHMENT_ADDED, actor=user, case=case, note=attachment.original_name)
    return attachment
