"""Recording and correcting interference; the append-only rule in the model and in the database."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError

from interference.models import InterferenceAttachment, InterferenceRecord
from interference.services import interference_correct
from pil_tracker.errors import DomainError
from tests.factories import CaseFactory
from tests.interference.conftest import TODAY, pdf, record

pytestmark = pytest.mark.django_db


def test_handler_records_with_materials(iworld):
    saved = record(iworld.procurator, iworld.case, files=[pdf(), pdf("短信截图.pdf")])
    assert saved.procuratorate == iworld.district
    assert saved.recorded_by == iworld.procurator
    assert [a.original_name for a in saved.attachments.all()] == ["来函.pdf", "短信截图.pdf"]


def test_supervisor_in_scope_records(iworld):
    assert record(iworld.city_supervisor, iworld.case).recorded_by == iworld.city_supervisor


@pytest.mark.parametrize(
    "who", ["procurator_colleague", "other_procurator", "other_supervisor", "agency1_staff", "discipline"]
)
def test_others_may_not_record(iworld, who):
    with pytest.raises(DomainError) as refused:
        record(getattr(iworld, who), iworld.case)
    assert refused.value.code == "permission_denied"
    assert not InterferenceRecord.objects.exists()


def test_co_handler_records(iworld):
    iworld.case.co_handlers.add(iworld.procurator_colleague)
    assert record(iworld.procurator_colleague, iworld.case).pk


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"occurred_on": TODAY + datetime.timedelta(days=1)}, "occurred_on"),
        ({"person_name": "  "}, "person_name"),
        ({"request": ""}, "request"),
        ({"means": "telepathy"}, "means"),
        ({"relation": "friend"}, "relation"),
    ],
)
def test_bad_input_changes_nothing(iworld, overrides, field):
    with pytest.raises(DomainError) as refused:
        record(iworld.procurator, iworld.case, files=[pdf()], **overrides)
    assert refused.value.field == field
    assert not InterferenceRecord.objects.exists()
    assert not InterferenceAttachment.objects.exists()


def test_a_refused_file_keeps_nothing(iworld):
    # Claims to be a PDF; its bytes say otherwise.
    bad = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a document", content_type="application/pdf")
    with pytest.raises(DomainError):
        record(iworld.procurator, iworld.case, files=[pdf(), bad])
    assert not InterferenceRecord.objects.exists()


def test_correction_is_a_new_record(iworld):
    original = record(iworld.procurator, iworld.case)
    correction = interference_correct(
        user=iworld.procurator,
        record=original,
        correction_reason="日期记错",
        person_name="张某",
        relation=original.relation,
        occurred_on=datetime.date(2026, 5, 9),
        means=original.means,
        request=original.request,
        today=TODAY,
    )
    original.refresh_from_db()
    assert original.occurred_on == datetime.date(2026, 5, 10)  # unchanged
    assert correction.corrects == original and correction.correction_reason == "日期记错"
    assert correction.case == original.case


def test_correction_needs_reason_and_is_made_once(iworld):
    original = record(iworld.procurator, iworld.case)
    fields = {
        "person_name": "张某",
        "relation": original.relation,
        "occurred_on": original.occurred_on,
        "means": original.means,
        "request": "更正后的内容",
        "today": TODAY,
    }
    with pytest.raises(DomainError) as refused:
        interference_correct(user=iworld.procurator, record=original, correction_reason=" ", **fields)
    assert refused.value.field == "correction_reason"
    interference_correct(user=iworld.procurator, record=original, correction_reason="内容不全", **fields)
    with pytest.raises(DomainError) as twice:
        interference_correct(user=iworld.procurator, record=original, correction_reason="再次更正", **fields)
    assert twice.value.field == "corrects"
    assert InterferenceRecord.objects.count() == 2


def test_correction_of_a_record_out_of_scope_is_refused(iworld):
    original = record(iworld.procurator, iworld.case)
    with pytest.raises(DomainError):
        interference_correct(
            user=iworld.other_supervisor,
            record=original,
            correction_reason="越权",
            person_name="x",
            relation=original.relation,
            occurred_on=original.occurred_on,
            means=original.means,
            request="x",
            today=TODAY,
        )
    assert InterferenceRecord.objects.count() == 1


# --- append-only ----------------------------------------------------------------------------------


def test_model_refuses_save_and_delete(iworld):
    saved = record(iworld.procurator, iworld.case, files=[pdf()])
    saved.request = "改写"
    with pytest.raises(DomainError) as refused:
        saved.save()
    assert refused.value.code == "append_only"
    with pytest.raises(DomainError):
        saved.delete()
    with pytest.raises(DomainError):
        InterferenceRecord.objects.filter(pk=saved.pk).update(request="改写")
    with pytest.raises(DomainError):
        InterferenceRecord.objects.all().delete()
    attachment = saved.attachments.get()
    with pytest.raises(DomainError):
        attachment.delete()
    with pytest.raises(DomainError):
        InterferenceAttachment.objects.all().delete()
    saved.refresh_from_db()
    assert saved.request == "要求对该案“暂缓处理”。"
    assert InterferenceAttachment.objects.count() == 1


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE interference_interferencerecord SET request = 'rewritten'",
        "UPDATE interference_interferencerecord SET corrects_id = NULL",
        "DELETE FROM interference_interferencerecord",
        "UPDATE interference_interferenceattachment SET original_name = 'x.pdf'",
        "DELETE FROM interference_interferenceattachment",
    ],
)
def test_database_refuses_raw_update_and_delete(iworld, sql):
    """The trigger of migration 0002, on whichever database runs the tests (SQLite and PostgreSQL)."""
    saved = record(iworld.procurator, iworld.case, files=[pdf()])
    with pytest.raises((DatabaseError, IntegrityError)) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert "append-only" in str(refused.value)
    with connection.cursor() as cursor:
        cursor.execute("SELECT request FROM interference_interferencerecord WHERE id = %s", [saved.pk])
        assert cursor.fetchone()[0] == "要求对该案“暂缓处理”。"
        cursor.execute("SELECT count(*), min(original_name) FROM interference_interferenceattachment")
        assert cursor.fetchone() == (1, "来函.pdf")


def test_database_still_accepts_inserts(iworld):
    record(iworld.procurator, iworld.case)
    record(iworld.supervisor, iworld.case)
    assert InterferenceRecord.objects.count() == 2


def test_case_with_records_cannot_be_deleted(iworld):
    record(iworld.procurator, iworld.case)
    with pytest.raises(ProtectedError):
        iworld.case.delete()


@pytest.mark.django_db(transaction=True)
def test_flush_after_a_transactional_test_empties_the_tables(world):
    """Django's flush between transactional tests TRUNCATEs on PostgreSQL, which fires no row
    trigger. (SQLite's flush DELETEs, which the trigger refuses: no transactional test may leave
    records behind there; migration 0002 says so.)"""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite flushes with DELETE")
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    record(world.procurator, case)
    call_command("flush", interactive=False, verbosity=0)
    assert not InterferenceRecord.objects.exists()
