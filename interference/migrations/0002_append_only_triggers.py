"""The database refuses every UPDATE and DELETE of an interference record and of its materials
(docs/domain.md, Interference records: append-only), whatever writes to it — the application, the
admin, a shell or raw SQL. PostgreSQL: a plpgsql function raising an exception, called by a row
trigger per table; SQLite: a RAISE(ABORT) trigger per table and statement kind.

TRUNCATE fires no row trigger, so Django's flush (between transactional tests) still empties the
tables on PostgreSQL. On SQLite flush DELETEs, which the trigger refuses once a record exists: a
transactional test must not leave records behind there, and a development database with records
is started over by deleting it (README, Demo logins).
"""

from django.db import migrations

TABLES = ("interference_interferencerecord", "interference_interferenceattachment")
MESSAGE = "interference records are append-only: UPDATE and DELETE are refused"


def _postgresql(schema_editor, *, create: bool) -> None:
    execute = schema_editor.execute
    if create:
        execute(
            f"""
            CREATE OR REPLACE FUNCTION interference_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE} (%% on %%)', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'integrity_constraint_violation';
            END;
            $$ LANGUAGE plpgsql;
            """
        )
        for table in TABLES:
            execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION interference_refuse_change();"
            )
    else:
        for table in TABLES:
            execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        execute("DROP FUNCTION IF EXISTS interference_refuse_change();")


def _sqlite(schema_editor, *, create: bool) -> None:
    for table in TABLES:
        for operation in ("UPDATE", "DELETE"):
            name = f"{table}_no_{operation.lower()}"
            if create:
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
                )
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


def _apply(schema_editor, *, create: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _postgresql(schema_editor, create=create)
    elif vendor == "sqlite":
        _sqlite(schema_editor, create=create)
    else:  # the project supports these two (pil_tracker/settings.py); say so rather than skip the guard
        raise RuntimeError(f"No append-only triggers for the {vendor} database.")


def create_triggers(apps, schema_editor) -> None:
    _apply(schema_editor, create=True)


def drop_triggers(apps, schema_editor) -> None:
    _apply(schema_editor, create=False)


class Migration(migrations.Migration):
    dependencies = [("interference", "0001_interference_record")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
