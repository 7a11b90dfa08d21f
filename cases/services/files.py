"""Evidence files of a case, stored the one way (storage.services)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Attachment, Case, Event
from cases.services.guards import lock, require_editor
from cases.services.history import event_record
from pil_tracker.errors import DomainError
from storage.services import files_atomic, store_file, stored_files_delete, validate_upload


@files_atomic()
def attachment_add(*, user: User, case: Case, upload: UploadedFile, description: str = "", **links) -> Attachment:
    case = lock(Case, case.pk)
    require_editor(user, case)
    content_type = validate_upload(upload)
    for link in links.values():
        if link is not None and link.case_id != case.pk:
            raise DomainError(_("附件所属记录不属于本案。"), field="file")
    attachment = store_file(
        Attachment(case=case, description=description, **links), upload, user=user, content_type=content_type
    )
    event_record(kind=Event.Kind.ATTACHMENT_ADDED, actor=user, case=case, note=attachment.original_name)
    return attachment


@transaction.atomic
def attachment_remove(*, user: User, attachment: Attachment) -> Case:
    """Remove an evidence file from an open case: those who may edit the case, while it is open.

    The row goes now and the file once the transaction commits (storage.services.stored_files_delete),
    so a rollback leaves both; the removal stays on the case's timeline with the file's name. A file
    of an issued recommendation went out with it and stays. Returns the case."""
    case = lock(Case, attachment.case_id)
    require_editor(user, case)
    current = Attachment.objects.select_for_update().filter(pk=attachment.pk).first()
    if current is None:
        raise DomainError(_("该附件已被删除。"), code="invalid_transition")
    if current.recommendation is not None and current.recommendation.is_frozen:
        raise DomainError(_("该附件属于已签发的检察建议，不能删除。"), code="immutable")
    name = current.original_name
    stored_files_delete([current])
    event_record(kind=Event.Kind.ATTACHMENT_REMOVED, actor=user, case=case, note=name)
    return case
