"""Checking, storing and removing uploaded files: the one way for every app (storage/__init__.py).

The orphan rule, in two halves:
- a file written inside `files_atomic` (every storing service runs in one) is removed again when
  that block rolls back, whether it raised or was marked for rollback; a block nested in another
  hands its files on, so a later failure of the outer block removes them too;
- a stored file whose row is deleted (`stored_files_delete`, e.g. a discarded draft) is removed
  only once the deletion commits: a rollback keeps row and file together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from accounts.models import User
from pil_tracker.errors import DomainError
from storage.models import StoredFile

StoredT = TypeVar("StoredT", bound=StoredFile)

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
    """The upload's content type if it may be stored (size limit, type from its bytes); else DomainError."""
    if (upload.size or 0) > settings.UPLOAD_MAX_BYTES:
        raise DomainError(
            _("文件过大：不能超过 %(limit)d MB。") % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    if upload.size == 0:
        raise DomainError(_("文件为空。"), field="file")
    content_type = detect_type(upload)
    if content_type is None:
        raise DomainError(_("不支持的文件类型：只接受 PDF、图片（JPEG、PNG、TIFF）和 Office 文档。"), field="file")
    return content_type


def validate_uploads(uploads: Sequence[UploadedFile], *, limit: int | None = None, existing: int = 0) -> list[str]:
    """Check every file of a multi-file field before anything is written: at most `limit` files in
    all (with `existing` ones); a refusal names the file. Returns their content types, in order."""
    if limit is not None and existing + len(uploads) > limit:
        raise DomainError(_("每份报告最多上传 %(limit)d 个附件。") % {"limit": limit}, field="files")
    types = []
    for upload in uploads:
        try:
            types.append(validate_upload(upload))
        except DomainError as error:
            raise DomainError(
                _("附件“%(name)s”：%(message)s") % {"name": upload.name, "message": error.message}, field="files"
            ) from error
    return types


# --- The orphan rule ------------------------------------------------------------------------------

# The files written inside the innermost open files_atomic block (None outside any).
_written: ContextVar[list[FieldFile] | None] = ContextVar("storage_written", default=None)


def _remove(files: Iterable[tuple]) -> None:
    for storage, name in files:
        storage.delete(name)


@contextmanager
def files_atomic(using: str | None = None) -> Iterator[None]:
    """`transaction.atomic` that also takes back the files stored inside it when it rolls back.

    Usable as a decorator. A block nested in another hands its files to the outer one on success."""
    connection = transaction.get_connection(using)
    written: list[FieldFile] = []
    token = _written.set(written)
    rolled_back = True
    try:
        with transaction.atomic(using=using):
            yield
            # A block can also roll back without raising (an error caught inside it).
            rolled_back = connection.needs_rollback
    finally:
        _written.reset(token)
        if rolled_back:
            _remove((f.storage, f.name) for f in written)
    outer = _written.get()
    if outer is not None:
        outer.extend(written)


@files_atomic()
def store_file(record: StoredT, upload: UploadedFile, *, user: User, content_type: str | None = None) -> StoredT:
    """Store `upload` as `record`'s file and save the row; the record's own fields (its links,
    description) are set by the caller. The upload is checked here unless the caller passes the
    `content_type` validate_upload(s) already returned."""
    if content_type is None:
        content_type = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = upload.name or "upload"
    record.original_name = name[:255]
    record.content_type = content_type
    record.size = upload.size or 0
    record.sha256 = digest.hexdigest()
    record.uploaded_by = user
    # Stored as {folder}/{uuid}.{ext}, the extension of the detected type (storage.models.stored_file_path).
    record.file.save(f"upload.{ALLOWED_TYPES.get(content_type, 'bin')}", upload, save=False)
    written = _written.get()
    if written is not None:  # always set: store_file runs inside its own files_atomic block
        written.append(record.file)
    record.save()
    return record


def stored_files_delete(records: Iterable[StoredFile]) -> None:
    """Delete the rows now and their files once the transaction commits."""
    records = list(records)
    if not records:
        return
    files = [(r.file.storage, r.file.name) for r in records]
    type(records[0])._default_manager.filter(pk__in=[r.pk for r in records]).delete()
    transaction.on_commit(lambda: _remove(files))
