"""storage.services: one way to check and store an upload, and the one orphan rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from cases.models import Attachment
from pil_tracker.errors import DomainError
from storage.services import files_atomic, store_file, stored_files_delete, validate_uploads
from tests.cases.test_services_files import PDF
from tests.factories import CaseFactory


class Boom(Exception):
    pass


def pdf(name: str = "证据.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def stored_names() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def case(world):
    return CaseFactory(procuratorate=world.district, handler=world.procurator)


def store(case, upload=None) -> Attachment:
    return store_file(Attachment(case=case), upload or pdf(), user=case.handler)


def test_a_stored_file_gets_its_row_a_random_name_in_its_folder_and_its_facts(case):
    attachment = store(case)
    assert attachment.pk
    assert attachment.file.name.startswith(f"attachments/{case.pk}/")
    assert "证据" not in attachment.file.name
    facts = (attachment.original_name, attachment.content_type, attachment.size)
    assert facts == ("证据.pdf", "application/pdf", len(PDF))
    assert attachment.uploaded_by == case.handler
    assert stored_names() == [attachment.file.name]


def test_a_rolled_back_block_removes_the_files_written_inside_it(case):
    with pytest.raises(Boom), files_atomic():
        store(case)
        assert len(stored_names()) == 1
        raise Boom
    assert stored_names() == []
    assert not Attachment.objects.exists()


def test_a_block_marked_for_rollback_without_raising_removes_its_files_too(case):
    with files_atomic():
        store(case)
        transaction.set_rollback(True)
    assert stored_names() == []
    assert not Attachment.objects.exists()


def test_files_of_a_nested_block_that_succeeded_go_when_the_outer_block_fails(case):
    with pytest.raises(Boom), files_atomic():
        with files_atomic():
            store(case)
            store(case, pdf("第二份.pdf"))
        assert len(stored_names()) == 2
        raise Boom
    assert stored_names() == []


def test_a_failed_inner_block_caught_inside_keeps_the_outer_blocks_files(case):
    with files_atomic():
        kept = store(case)
        with pytest.raises(Boom), files_atomic():
            store(case, pdf("丢弃.pdf"))
            raise Boom
    assert stored_names() == [kept.file.name]
    assert list(Attachment.objects.all()) == [kept]


def test_a_bad_file_is_refused_and_nothing_is_stored(case):
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        store(case, fake)
    assert refused.value.field == "file"
    assert stored_names() == []
    assert not Attachment.objects.exists()


def test_an_empty_or_oversized_file_is_refused(case, settings):
    with pytest.raises(DomainError):
        store(case, SimpleUploadedFile("空.pdf", b""))
    settings.UPLOAD_MAX_BYTES = len(PDF) - 1
    with pytest.raises(DomainError):
        store(case)
    assert stored_names() == []


def test_validate_uploads_names_the_refused_file_and_counts_the_existing_ones():
    with pytest.raises(DomainError) as refused:
        validate_uploads([pdf(), SimpleUploadedFile("坏.pdf", b"plain text")])
    assert "坏.pdf" in refused.value.message
    assert refused.value.field == "files"
    with pytest.raises(DomainError):
        validate_uploads([pdf(), pdf()], limit=3, existing=2)
    assert validate_uploads([pdf()], limit=3, existing=2) == ["application/pdf"]


def test_deleted_rows_lose_their_files_only_after_commit(case, django_capture_on_commit_callbacks):
    first, second = store(case), store(case, pdf("第二份.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        stored_files_delete(Attachment.objects.filter(pk__in=[first.pk, second.pk]))
        assert not Attachment.objects.exists()
        assert len(stored_names()) == 2  # not committed yet: the files stay
    assert stored_names() == []


def test_a_rolled_back_deletion_keeps_the_files(case, django_capture_on_commit_callbacks):
    attachment = store(case)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom), files_atomic():
        stored_files_delete([attachment])
        raise Boom
    assert callbacks == []
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert stored_names() == [attachment.file.name]
