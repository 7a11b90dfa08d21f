"""Evidence files of a case, stored the one way (storage.services)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Attachment, Case, Event
from cases.services.guards import lock, require_editor
from cases.services.history import event_record
from pil_tracker.errors import DomainError
from storage.services import files_atomic, store_file, validate_upload


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
