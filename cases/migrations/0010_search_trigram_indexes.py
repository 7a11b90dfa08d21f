"""Trigram indexes for the free-text search of the case and lead lists, on PostgreSQL only.

The lists search with `icontains` (cases.filters), which PostgreSQL runs as
`UPPER(col::text) LIKE UPPER('%…%')`: no b-tree helps, so each search read every row. A GIN index
over the same expression with `gin_trgm_ops` (extension pg_trgm) answers it from the trigrams of
the pattern. Chinese text is indexed too when the database's LC_CTYPE counts CJK characters as
letters (C.UTF-8 and zh_CN.UTF-8 do; the C locale does not). A pattern shorter than three
characters has no trigram: PostgreSQL then reads the whole index, still faster than the table
(bench/README.md has the figures).

SQLite has neither GIN nor pg_trgm: there the migration does nothing and the search scans, which is
correct, only slower. The indexes are not declared on the models (Meta.indexes would create them on
SQLite as well), so they are created and dropped here.
"""

from django.db import migrations

INDEXES = [
    ("case_number_trgm_idx", "cases_case", "number"),
    ("case_title_trgm_idx", "cases_case", "title"),
    ("lead_title_trgm_idx", "cases_lead", "title"),
    ("lead_summary_trgm_idx", "cases_lead", "summary"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        # The expression is the one Django's icontains writes, so the planner matches it.
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_case_next_due")]

    operations = [migrations.RunPython(create, drop)]
