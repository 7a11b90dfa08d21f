"""Back up and restore the database and the uploaded files (`make backup`, `make restore FILE=…`).

    python scripts/backup.py backup [--dir DIR]                 (default BACKUP_DIR, else var/backups/)
    python scripts/backup.py restore FILE [--force]

One archive per backup, `pil-tracker-<YYYYmmdd-HHMMSS>.tar.gz`, holding:

- `manifest.json`: when, which database engine, the counts of files;
- `database.dump` (PostgreSQL: `pg_dump --format=custom` of DATABASE_URL) or `database.sqlite3`
  (the embedded default: a consistent copy made with SQLite's online backup API, safe while the web
  process and the worker write — a raw copy of the file could catch half a transaction);
- `media/…`: every file under MEDIA_ROOT (uploaded evidence, generated reports).

The database is dumped first, then the files: a file uploaded in between is in the archive
without its row (an orphan, harmless); only a file deleted in between would be missing.

Restore reads the same archive into the configured database and MEDIA_ROOT. It refuses a database
that already has tables, or a MEDIA_ROOT that already has files, unless --force: then the
PostgreSQL schema `public` is dropped and recreated (or the SQLite file overwritten) and the
existing files are moved aside to `<MEDIA_ROOT>.before-restore-<time>`, never deleted. Stop the
web process, the worker and beat before restoring. docs/operations.md has the procedure.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 1
POSTGRES = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


class BackupError(Exception):
    """A refusal or failure, said to the operator (exit status 1)."""


# ---- the database -------------------------------------------------------------------------------


def _engine(database: dict) -> str:
    engine = database["ENGINE"]
    if engine not in (POSTGRES, SQLITE):
        raise BackupError(f"cannot back up a database of engine {engine}")
    return engine


def _pg_command(database: dict, program: str, *args: str) -> tuple[list[str], dict[str, str]]:
    """The command line and environment for a PostgreSQL client program on `database`."""
    command = [program]
    if database.get("HOST"):
        command += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        command += ["--port", str(database["PORT"])]
    if database.get("USER"):
        command += ["--username", str(database["USER"])]
    command += ["--no-password", *args]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return command, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def _pg_connect(database: dict):
    import psycopg2  # only on PostgreSQL: the embedded default does not need the driver

    return psycopg2.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
    )


def _pg_tables(database: dict) -> list[str]:
    connection = _pg_connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables"
                " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            )
            return [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()


def _pg_reset_schema(database: dict) -> None:
    connection = _pg_connect(database)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    finally:
        connection.close()


def _sqlite_tables(path: Path) -> list[str]:
    if not path.exists():
        return []
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    finally:
        connection.close()


def _sqlite_copy(source: sqlite3.Connection, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while other connections write."""
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()


def dump_database(database: dict, folder: Path, *, sqlite_source: sqlite3.Connection | None = None) -> str:
    """Writes the database into `folder`; returns the file's name. `sqlite_source` is an open
    connection to copy from instead of the file NAME (an in-memory database, in the tests)."""
    if _engine(database) == POSTGRES:
        command, env = _pg_command(
            database, "pg_dump", "--format=custom", "--file", str(folder / "database.dump"), str(database["NAME"])
        )
        _run(command, env)
        return "database.dump"
    source = sqlite_source or sqlite3.connect(database["NAME"])
    try:
        _sqlite_copy(source, folder / "database.sqlite3")
    finally:
        if sqlite_source is None:
            source.close()
    return "database.sqlite3"


def load_database(database: dict, dump: Path, *, force: bool) -> None:
    """Restores `dump` into `database`, refusing one that has tables unless `force`."""
    engine = _engine(database)
    tables = _pg_tables(database) if engine == POSTGRES else _sqlite_tables(Path(database["NAME"]))
    if tables and not force:
        raise BackupError(
            f"the database {database['NAME']} is not empty ({len(tables)} tables): "
            "restore into a new, empty database, or pass --force to replace its contents"
        )
    if engine == POSTGRES:
        if dump.name != "database.dump":
            raise BackupError("this archive holds an SQLite database; DATABASE_URL names PostgreSQL")
        if tables:
            _pg_reset_schema(database)
        command, env = _pg_command(
            database,
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--dbname",
            str(database["NAME"]),
            str(dump),
        )
        _run(command, env)
        return
    if dump.name != "database.sqlite3":
        raise BackupError("this archive holds a PostgreSQL dump; DATABASE_URL names SQLite")
    target = Path(database["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    try:
        # Replaces every page of the target, under SQLite's own locking.
        _sqlite_copy(source, target)
    finally:
        source.close()


# ---- the files ----------------------------------------------------------------------------------


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file())


# ---- backup and restore -------------------------------------------------------------------------


def backup(
    *,
    database: dict,
    media_root: Path,
    out_dir: Path,
    now: datetime.datetime | None = None,
    sqlite_source: sqlite3.Connection | None = None,
) -> Path:
    """Writes one archive of the database and the files under `out_dir`; returns its path."""
    now = now or datetime.datetime.now(datetime.UTC)
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"pil-tracker-{now:%Y%m%d-%H%M%S}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} exists already")
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".backup-") as staging:
        folder = Path(staging)
        database_file = dump_database(database, folder, sqlite_source=sqlite_source)
        files = _files_under(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": "postgresql" if database_file == "database.dump" else "sqlite",
            "database": database_file,
            "files": len(files),
            "bytes": sum(path.stat().st_size for path in files),
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(folder / "manifest.json", arcname="manifest.json")
            tar.add(folder / database_file, arcname=database_file)
            for path in files:
                tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        os.chmod(partial, 0o600)  # it holds every case and every reporter's identity
        partial.rename(archive)  # a half-written archive never carries the final name
    return archive


def restore(*, archive: Path, database: dict, media_root: Path, force: bool = False) -> dict:
    """Restores `archive` into `database` and `media_root`; returns its manifest."""
    if not archive.is_file():
        raise BackupError(f"no such archive: {archive}")
    existing = _files_under(media_root)
    if existing and not force:
        raise BackupError(
            f"{media_root} already holds {len(existing)} files: restore into an empty folder, "
            "or pass --force to move them aside"
        )
    with tempfile.TemporaryDirectory(prefix="pil-restore-") as staging:
        folder = Path(staging)
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute paths, .. and links out of the folder.
            tar.extractall(folder, filter="data")
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown archive format {manifest.get('format')!r}")
        load_database(database, folder / manifest["database"], force=force)
        restored = folder / "media"
        if media_root.exists() and any(media_root.iterdir()):
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
            aside = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
            media_root.rename(aside)
        media_root.mkdir(parents=True, exist_ok=True)
        if restored.is_dir():
            for path in _files_under(restored):
                target = media_root / path.relative_to(restored)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    return manifest


# ---- command line -------------------------------------------------------------------------------


def _settings():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pil_tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Back up or restore the database and the uploaded files.")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write one archive (database + files)")
    make.add_argument("--dir", help="folder of the archives (default: BACKUP_DIR, else var/backups)")
    back = commands.add_parser("restore", help="restore an archive into the configured database and MEDIA_ROOT")
    back.add_argument("file", help="the archive written by backup")
    back.add_argument("--force", action="store_true", help="replace a database or files that are not empty")
    args = parser.parse_args(argv)

    settings = _settings()
    database = settings.DATABASES["default"]
    media_root = Path(settings.MEDIA_ROOT)
    try:
        if args.command == "backup":
            out_dir = Path(args.dir or os.environ.get("BACKUP_DIR") or Path(settings.VAR_DIR) / "backups")
            archive = backup(database=database, media_root=media_root, out_dir=out_dir)
            print(f"backup written: {archive}")
        else:
            manifest = restore(archive=Path(args.file), database=database, media_root=media_root, force=args.force)
            print(
                f"restored the backup of {manifest['created_at']} into {database['NAME']} "
                f"and {manifest['files']} files into {media_root}"
            )
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
