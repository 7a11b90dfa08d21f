"""The abstract model of an uploaded file (storage/__init__.py)."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def stored_file_path(instance: StoredFile, filename: str) -> str:
    """The one naming scheme: the model's folder, a random name and the extension of the type read
    from the content (`{folder}/{uuid}.{ext}`).

    The stored name never contains the user's file name: no path tricks, no guessing.
    storage.services.store_file passes `upload.<ext>` with the extension from ALLOWED_TYPES; any
    other suffix (a name not from store_file) is dropped rather than trusted."""
    extension = PurePosixPath(filename).suffix.lstrip(".").lower()
    suffix = f".{extension}" if extension.isascii() and extension.isalnum() and len(extension) <= 5 else ""
    return f"{instance.storage_folder()}/{uuid.uuid4().hex}{suffix}"


class StoredFile(models.Model):
    """An uploaded file. Stored outside the web root; served only by a permission-checked view
    (pil_tracker/files.py `private_file_response`). Written through storage.services.store_file."""

    file = models.FileField(_("文件"), upload_to=stored_file_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def storage_folder(self) -> str:
        """The folder (under MEDIA_ROOT) the model keeps its files in, e.g. "attachments/<case id>"."""
        raise NotImplementedError
