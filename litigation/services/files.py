"""Files of a lawsuit: the materials filed with the court and the ruling documents (docs/domain.md,
Litigation and rulings).

The upload is checked by its content and stored like every other file (storage.services:
type from the bytes, size limit, a random name, no file outliving a rolled-back row); only the case's
handlers upload. Ruling documents are readable by the defendant agency too, the materials never
(litigation/selectors.py `litigation_files_visible_to`).
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases.models import Case, Event
from cases.services.guards import lock, require_editor
from cases.services.history import choice, event_record, message
from litigation.models import Lawsuit, LitigationFile, Material, Ruling
from pil_tracker.errors import DomainError
from storage.services import files_atomic, store_file


def _store(*, user: User, case: Case, lawsuit: Lawsuit, upload: UploadedFile, kind: str, **fields) -> LitigationFile:
    record = store_file(LitigationFile(lawsuit=lawsuit, kind=kind, **fields), upload, user=user)
    event_record(
        kind=Event.Kind.ATTACHMENT_ADDED,
        actor=user,
        case=case,
        parts=[
            lawsuit.court_case_number,
            message(gettext_noop("：")),
            choice(record, "kind", record.kind),
            f" {record.original_name}",
        ],
    )
    return record


@files_atomic()
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


@files_atomic()
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
