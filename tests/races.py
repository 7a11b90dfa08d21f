"""For the control tests of the PostgreSQL races: a protection switched off inside one test, to show
that the race the real test runs does happen (and so that the real test proves the protection)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.backends.utils import CursorWrapper


@contextmanager
def without_unique_constraint(model, name: str, monkeypatch) -> Iterator[None]:
    """The model's unique constraint `name` dropped, and the INSERTs that use it as their
    ON CONFLICT arbiter sent without that clause (PostgreSQL refuses an arbiter with no unique
    index): the statements as they would run with no constraint. Afterwards the table is emptied
    (its duplicates would block the constraint) and the constraint is put back. Needs a
    transaction=True test (the schema change must be seen by the other threads' connections)."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    columns = r",\s*".join(f'"?{model._meta.get_field(f).column}"?' for f in constraint.fields)
    clause = re.compile(rf"\s*ON CONFLICT \({columns}\) DO NOTHING")
    execute = CursorWrapper.execute

    def execute_without_clause(self, sql, params=None):
        return execute(self, clause.sub(" ", sql), params)

    monkeypatch.setattr(CursorWrapper, "execute", execute_without_clause)
    with connection.schema_editor() as editor:
        editor.remove_constraint(model, constraint)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        with connection.schema_editor() as editor:
            editor.add_constraint(model, constraint)
