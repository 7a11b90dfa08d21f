"""attachment_add: evidence files are accepted by their content, stored under a random name."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import docx
import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.models import Attachment, Case, Event, Recommendation
from cases.models.records import Investigation
from tests.factories import TODAY, CaseFactory, recommendation_at, refused

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def png() -> bytes:
    """A real 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("现场勘验笔录")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "整改台账"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


ACCEPTED = {
    "pdf": (PDF, "application/pdf"),
    "png": (png(), "image/png"),
    "jpeg": (JPEG, "image/jpeg"),
    "docx": (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}

REFUSED = {
    "windows_executable": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
    "linux_executable": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,
    "text": "这不是PDF，只是改了扩展名的文本。\n".encode(),
    "html": b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x00\x00" + b"\x00" * 40,
}


@pytest.fixture
def case(world) -> Case:
    return CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])


def upload(content: bytes, name: str = "现场照片.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("kind", ACCEPTED)
def test_evidence_is_accepted_by_its_content(world, case, kind):
    content, mime = ACCEPTED[kind]
    # The browser's claim and the name are ignored: the type comes from the bytes.
    attachment = services.attachment_add(
        user=world.procurator, case=case, upload=upload(content, name="证据", content_type="application/octet-stream")
    )
    attachment.refresh_from_db()
    assert (attachment.content_type, attachment.size, attachment.original_name) == (mime, len(content), "证据")
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


def test_the_sha256_of_the_content_is_recorded(world, case):
    attachment = services.attachment_add(user=world.procurator, case=case, upload=upload(PDF))
    attachment.refresh_from_db()
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()


def test_the_stored_name_does_not_contain_the_users_file_name(world, case):
    attachment = services.attachment_add(
        user=world.procurator, case=case, upload=upload(PDF, name="../../etc/举报人张某某身份证.pdf")
    )
    attachment.refresh_from_db()
    assert attachment.original_name == "举报人张某某身份证.pdf"  # Django keeps the base name only
    assert "张某某" not in attachment.file.name
    assert "etc" not in attachment.file.name
    # The extension is the detected type's, not the user's (tests/storage/test_stored_names.py).
    assert attachment.file.name.rsplit("/", 1)[-1].split(".")[0] not in attachment.original_name
    [path] = stored_files()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "attachments" / str(case.pk))


def test_adding_a_file_records_an_event_with_its_name(world, case):
    services.attachment_add(user=world.procurator, case=case, upload=upload(PDF, name="勘验笔录.pdf"))
    event = Event.objects.get()
    assert (event.kind, event.actor, event.case, event.note) == (
        Event.Kind.ATTACHMENT_ADDED,
        world.procurator,
        case,
        "勘验笔录.pdf",
    )


def test_a_file_can_belong_to_an_investigation_or_recommendation_of_the_case(world, case):
    investigation = services.investigation_record(
        user=world.procurator,
        case=case,
        kind=Investigation.Kind.SITE_VISIT,
        conducted_on=TODAY,
        findings="采砂坑三处",
        today=TODAY,
    )
    recommendation = recommendation_at(Recommendation.Status.DRAFT, case=case, agency=world.agency1)
    first = services.attachment_add(user=world.procurator, case=case, upload=upload(PDF), investigation=investigation)
    second = services.attachment_add(
        user=world.procurator, case=case, upload=upload(PDF), recommendation=recommendation
    )
    assert (first.investigation, second.recommendation) == (investigation, recommendation)


def test_a_record_of_another_case_is_refused_and_nothing_is_stored(world, case):
    other_case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    investigation = services.investigation_record(
        user=world.procurator,
        case=other_case,
        kind=Investigation.Kind.SITE_VISIT,
        conducted_on=TODAY,
        findings="采砂坑三处",
        today=TODAY,
    )
    with refused(field="file"):
        services.attachment_add(user=world.procurator, case=case, upload=upload(PDF), investigation=investigation)
    assert stored_files() == []


@pytest.mark.parametrize("kind", REFUSED)
def test_a_file_that_is_not_evidence_is_refused_even_if_named_pdf(world, case, kind):
    with refused(field="file"):
        services.attachment_add(user=world.procurator, case=case, upload=upload(REFUSED[kind], name="证据.pdf"))
    assert stored_files() == []


def test_an_oversized_file_is_refused(world, case, settings):
    settings.UPLOAD_MAX_BYTES = len(PDF) - 1
    with refused(field="file"):
        services.attachment_add(user=world.procurator, case=case, upload=upload(PDF))
    assert stored_files() == []


def test_a_file_of_exactly_the_limit_is_accepted(world, case, settings):
    settings.UPLOAD_MAX_BYTES = len(PDF)
    services.attachment_add(user=world.procurator, case=case, upload=upload(PDF))
    assert Attachment.objects.count() == 1


def test_an_empty_file_is_refused(world, case):
    with refused(field="file"):
        services.attachment_add(user=world.procurator, case=case, upload=upload(b""))
    assert stored_files() == []


@pytest.mark.parametrize("who", ["procurator_colleague", "supervisor", "agency1_staff", "discipline"])
def test_only_the_handlers_add_files_and_a_refusal_stores_nothing(world, case, who):
    with refused(code="permission_denied"):
        services.attachment_add(user=getattr(world, who), case=case, upload=upload(PDF))
    assert stored_files() == []


def test_a_closed_case_takes_no_more_files(world, case):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    with refused(code="case_closed"):
        services.attachment_add(user=world.procurator, case=case, upload=upload(PDF))
    assert stored_files() == []
