"""Backups (issue 16, Reliability): `make backup` writes the database and the uploaded files into one
archive; `make restore` puts them into a fresh database and a fresh media folder, where every row —
cases, feedback reports, attachments, everything — and every file is byte-identical. On both
databases: pg_dump/pg_restore into a scratch database on PostgreSQL, SQLite's backup API on the
embedded default."""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
import sqlite3
import uuid
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Role
from cases.models import Attachment, Case, Recommendation
from cases.services.files import attachment_add
from feedback import services as feedback_services
from feedback.models import FeedbackReport
from tests.factories import CaseFactory, UserFactory, recommendation_at
from tests.feedback.conftest import DAY, answers_for, pdf_file, png_file

ROOT = Path(__file__).resolve().parent.parent.parent
_spec = importlib.util.spec_from_file_location("pil_backup", ROOT / "scripts" / "backup.py")
backup_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(backup_script)

pytestmark = pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads them from outside

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def data(world, settings):
    """A case with an uploaded attachment, and a submitted feedback report with two evidence files."""
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    attachment_add(user=world.procurator, case=case, upload=pdf_file("现场勘验.pdf"), description="勘验笔录")
    served = recommendation_at(Recommendation.Status.SERVED, case=case, agency=world.agency1, approver=world.supervisor)
    boss = UserFactory(username="boss", organisation=world.agency1, role=Role.AGENCY_STAFF, is_responsible_person=True)
    report = feedback_services.feedback_draft_create(
        user=boss,
        recommendation=served,
        kind=FeedbackReport.Kind.FINAL,
        summary="已全部整改。",
        answers=answers_for(served),
        responsible_person_name="王局长",
        responsible_person_title="局长",
        uploads=[pdf_file(), png_file()],
        today=DAY,
    )
    feedback_services.feedback_submit(user=boss, report=report, today=DAY)
    return case


@pytest.fixture
def target(tmp_path):
    """A fresh, empty database to restore into: a scratch PostgreSQL database, or an SQLite file."""
    source = connection.settings_dict
    if not ON_POSTGRES:
        yield {"ENGINE": source["ENGINE"], "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{source['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = backup_script._pg_connect({**source, "NAME": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**source, "NAME": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _raw(database: dict | None):
    """A plain DB-API connection (no Django adapters on either side): the source when None."""
    if database is None:
        if ON_POSTGRES:
            return backup_script._pg_connect(connection.settings_dict)
        connection.ensure_connection()
        return connection.connection
    if ON_POSTGRES:
        return backup_script._pg_connect(database)
    # Read as Django's own connection reads (the converters Django registers for its column types).
    return sqlite3.connect(database["NAME"], detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)


def _tables(raw) -> list[str]:
    cursor = raw.cursor()
    if ON_POSTGRES:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(row[0] for row in cursor.fetchall())


def canonical_dump(database: dict | None = None) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order, as plain values."""
    raw = _raw(database)
    try:
        dump = {}
        for table in _tables(raw):
            cursor = raw.cursor()
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 - names from the catalogue
            dump[table] = [
                tuple(bytes(value) if isinstance(value, memoryview) else value for value in row)
                for row in cursor.fetchall()
            ]
        return dump
    finally:
        if database is not None or ON_POSTGRES:
            raw.close()


def file_digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def _backup(settings, tmp_path) -> Path:
    return backup_script.backup(
        database=connection.settings_dict,
        media_root=Path(settings.MEDIA_ROOT),
        out_dir=tmp_path / "backups",
        now=datetime.datetime(2026, 7, 1, 2, 3, 4, tzinfo=datetime.UTC),
        sqlite_source=None if ON_POSTGRES else connection.connection,
    )


def test_restore_into_a_fresh_database_finds_every_row_and_file_byte_identical(data, target, settings, tmp_path):
    connection.ensure_connection()
    archive = _backup(settings, tmp_path)
    assert archive.name == "pil-tracker-20260701-020304.tar.gz"
    assert archive.stat().st_mode & 0o077 == 0  # not readable by others

    fresh_media = tmp_path / "fresh-media"
    manifest = backup_script.restore(archive=archive, database=target, media_root=fresh_media)
    assert manifest["engine"] == ("postgresql" if ON_POSTGRES else "sqlite")

    before, after = canonical_dump(), canonical_dump(target)
    assert after == before
    # Not vacuous: the case, its report and the rows of its files are among them.
    case_table, report_table = Case._meta.db_table, FeedbackReport._meta.db_table
    assert len(after[case_table]) == Case.objects.count() == 1
    assert len(after[report_table]) == FeedbackReport.objects.count() == 1
    assert len(after[Attachment._meta.db_table]) == 1

    original_files = file_digests(Path(settings.MEDIA_ROOT))
    assert len(original_files) == 3 == manifest["files"]
    assert file_digests(fresh_media) == original_files
    evidence = FeedbackReport.objects.get().attachments.all()
    stored = [Attachment.objects.get().file.name, *(f.file.name for f in evidence)]
    assert sorted(stored) == sorted(original_files)


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(data, target, settings, tmp_path):
    connection.ensure_connection()
    archive = _backup(settings, tmp_path)
    backup_script.restore(archive=archive, database=target, media_root=tmp_path / "first")
    with pytest.raises(backup_script.BackupError, match="not empty"):
        backup_script.restore(archive=archive, database=target, media_root=tmp_path / "second")
    assert not (tmp_path / "second").exists()  # refused before anything was written

    backup_script.restore(archive=archive, database=target, media_root=tmp_path / "second", force=True)
    assert canonical_dump(target) == canonical_dump()


def test_restore_refuses_a_media_folder_with_files_unless_forced(data, target, settings, tmp_path):
    connection.ensure_connection()
    archive = _backup(settings, tmp_path)
    media = tmp_path / "media-in-use"
    (media / "old").mkdir(parents=True)
    (media / "old" / "stray.pdf").write_bytes(b"%PDF-1.4 older")
    with pytest.raises(backup_script.BackupError, match="already holds 1 files"):
        backup_script.restore(archive=archive, database=target, media_root=media)
    assert canonical_dump(target) == {}  # the database was not touched

    backup_script.restore(archive=archive, database=target, media_root=media, force=True)
    assert file_digests(media) == file_digests(Path(settings.MEDIA_ROOT))
    aside = [path for path in tmp_path.iterdir() if path.name.startswith("media-in-use.before-restore-")]
    assert len(aside) == 1 and (aside[0] / "old" / "stray.pdf").read_bytes() == b"%PDF-1.4 older"


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite file path of the embedded default")
def test_sqlite_backup_of_a_database_file_is_a_consistent_copy(tmp_path):
    path = tmp_path / "live.sqlite3"
    live = sqlite3.connect(path)
    live.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    live.executemany("INSERT INTO t (v) VALUES (?)", [(str(n),) for n in range(100)])
    live.commit()
    live.execute("INSERT INTO t (v) VALUES ('uncommitted')")  # an open write transaction
    archive = backup_script.backup(
        database={"ENGINE": backup_script.SQLITE, "NAME": str(path)},
        media_root=tmp_path / "no-media",
        out_dir=tmp_path / "out",
    )
    restored = {"ENGINE": backup_script.SQLITE, "NAME": str(tmp_path / "restored.sqlite3")}
    backup_script.restore(archive=archive, database=restored, media_root=tmp_path / "media")
    rows = sqlite3.connect(restored["NAME"]).execute("SELECT count(*), max(v) FROM t").fetchone()
    assert rows == (100, "99")
    live.rollback()
    live.close()
