"""Recording interference (docs/domain.md, Interference records): a record, its materials, and a
correction, which is a new record referencing the one it corrects. Nothing here changes or deletes
a record; the model and the database refuse it (interference/models.py)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Case
from interference.models import InterferenceAttachment, InterferenceRecord, Means, Relation
from interference.selectors import can_record_on, interference_records_visible_to
from pil_tracker.errors import DomainError
from storage.services import files_atomic, store_file, validate_uploads

# Materials per record (one request), like the other multi-file uploads.
MAX_ATTACHMENTS = 10


def _check(
    *,
    user: User,
    case: Case,
    occurred_on: datetime.date,
    today: datetime.date,
    person_name: str,
    relation: str,
    means: str,
    request: str,
) -> None:
    if not can_record_on(user, case):
        raise DomainError(_("只有本案承办检察官、协办人或检察院负责人可以登记干预司法记录。"), code="permission_denied")
    if not person_name.strip():
        raise DomainError(_("请填写干预人姓名。"), field="person_name")
    if relation not in Relation.values:
        raise DomainError(_("干预人身份不正确。"), field="relation")
    if means not in Means.values:
        raise DomainError(_("干预方式不正确。"), field="means")
    if not request.strip():
        raise DomainError(_("请填写干预内容。"), field="request")
    if occurred_on > today:
        raise DomainError(_("发生日期不能晚于今天。"), field="occurred_on")


@files_atomic()
def interference_record(
    *,
    user: User,
    case: Case,
    person_name: str,
    relation: str,
    occurred_on: datetime.date,
    means: str,
    request: str,
    today: datetime.date,
    person_unit: str = "",
    person_position: str = "",
    place: str = "",
    files: Sequence[UploadedFile] = (),
    corrects: InterferenceRecord | None = None,
    correction_reason: str = "",
) -> InterferenceRecord:
    """Record an attempt to interfere in `case`, with its materials (all or nothing).

    `today` is the recording day: the attempt cannot have happened after it."""
    _check(
        user=user,
        case=case,
        occurred_on=occurred_on,
        today=today,
        person_name=person_name,
        relation=relation,
        means=means,
        request=request,
    )
    types = validate_uploads(list(files), limit=MAX_ATTACHMENTS)
    try:
        record = InterferenceRecord.objects.create(
            case=case,
            procuratorate_id=case.procuratorate_id,
            person_name=person_name.strip(),
            person_unit=person_unit.strip(),
            person_position=person_position.strip(),
            relation=relation,
            occurred_on=occurred_on,
            place=place.strip(),
            means=means,
            request=request.strip(),
            recorded_by=user,
            corrects=corrects,
            correction_reason=correction_reason.strip(),
        )
    except IntegrityError:
        # Two corrections of one record at once: the unique `corrects` lets one win.
        raise DomainError(_("该记录已被更正，请更正最新的记录。"), field="corrects") from None
    for upload, content_type in zip(files, types, strict=True):
        store_file(InterferenceAttachment(record=record), upload, user=user, content_type=content_type)
    return record


@files_atomic()
def interference_correct(
    *,
    user: User,
    record: InterferenceRecord,
    correction_reason: str,
    person_name: str,
    relation: str,
    occurred_on: datetime.date,
    means: str,
    request: str,
    today: datetime.date,
    person_unit: str = "",
    person_position: str = "",
    place: str = "",
    files: Sequence[UploadedFile] = (),
) -> InterferenceRecord:
    """Correct `record`: a new record of the same case that references it, with the reason. The
    corrected record stays as it was; the lists show that it was corrected."""
    if not interference_records_visible_to(user).filter(pk=record.pk).exists():
        raise DomainError(_("该记录不存在或不在您的查看范围内。"), code="permission_denied")
    if not correction_reason.strip():
        raise DomainError(_("请填写更正理由。"), field="correction_reason")
    if InterferenceRecord.objects.filter(corrects=record).exists():
        raise DomainError(_("该记录已被更正，请更正最新的记录。"), field="corrects")
    return interference_record(
        user=user,
        case=record.case,
        person_name=person_name,
        person_unit=person_unit,
        person_position=person_position,
        relation=relation,
        occurred_on=occurred_on,
        place=place,
        means=means,
        request=request,
        today=today,
        files=files,
        corrects=record,
        correction_reason=correction_reason,
    )


@files_atomic()
def interference_attachment_add(
    *, user: User, record: InterferenceRecord, upload: UploadedFile
) -> InterferenceAttachment:
    """Add a material to a record later (a letter that arrived afterwards): an insert, like the
    record itself; the material carries who added it and when. The record's readers who may record
    on its case may add one."""
    if not interference_records_visible_to(user).filter(pk=record.pk).exists() or not can_record_on(user, record.case):
        raise DomainError(_("只有本案承办检察官、协办人或检察院负责人可以登记干预司法记录。"), code="permission_denied")
    if record.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(_("每份报告最多上传 %(limit)d 个附件。") % {"limit": MAX_ATTACHMENTS}, field="file")
    return store_file(InterferenceAttachment(record=record), upload, user=user)
