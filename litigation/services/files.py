"""Files of a lawsuit: the materials filed with the court and the ruling documents (docs/domain.md,
Litigation and rulings).

The upload is checked by its content like every other file (cases/services/files.py
`validate_upload`: type from the bytes, size limit) and stored under a random name; only the case's
handlers upload. Ruling documents are readable by the defendant agency too, the materials never
(litigation/selectors.py `litigation_files_visible_to`).
"""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Case, Event
from cases.services.files import validate_upload
from cases.services.guards import lock, require_editor
from cases.services.history import event_record
from litigation.models import Lawsuit, LitigationFile, Material, Ruling
from pil_tracker.errors import DomainError


def _store(*, user: User, case: Case, lawsuit: Lawsuit, upload: UploadedFile, kind: str, **fields) -> LitigationFile:
    content_type = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    record = LitigationFile(
        lawsuit=lawsuit,
        kind=kind,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
        **fields,
    )
    record.file.save(upload.name, upload, save=False)
    try:
        record.save()
    except Exception:
        record.file.delete(save=False)  # the row was not written: no orphaned file
        raise
    event_record(
        kind=Event.Kind.ATTACHMENT_ADDED,
        actor=user,
        case=case,
        note=f"{lawsuit.court_case_number}：{record.get_kind_display()} {record.original_name}",
    )
    return record


@transaction.atomic
def lawsuit_material_add(
    *, user: User, lawsuit: Lawsuit, upload: UploadedFile, material: str = "", description: str = ""
) -> LitigationFile:
    """A material filed with the court, optionally the file of one item of the checklist."""
    case = lock(Case, lawsuit.case_id)
    require_editor(user, case)
    if material and material not in Material.values:
        raise DomainError(_("请选择起诉材料项目。"), field="material")
    return _store(
        user=user,
        case=case,
        lawsuit=lawsuit,
        upload=upload,
        kind=LitigationFile.Kind.MATERIAL,
        material=material,
        description=description.strip()[:200],
    )


@transaction.atomic
def ruling_document_add(*, user: User, ruling: Ruling, upload: UploadedFile, description: str = "") -> LitigationFile:
    """The judgment, ruling or mediation statement as served (裁判文书)."""
    case = lock(Case, ruling.lawsuit.case_id)
    require_editor(user, case)
    return _store(
        user=user,
        case=case,
        lawsuit=ruling.lawsuit,
        upload=upload,
        kind=LitigationFile.Kind.RULING_DOCUMENT,
        ruling=ruling,
        description=description.strip()[:200],
    )


__all__ = ["lawsuit_material_add", "ruling_document_add"]
