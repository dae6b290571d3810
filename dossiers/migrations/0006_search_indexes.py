"""Trigram indexes for the inbox's search (PostgreSQL only).

The inbox searches with ``icontains`` on these columns, which PostgreSQL runs as
``UPPER(column::text) LIKE UPPER('%term%')``: a B-tree cannot help with a leading
wildcard, a GIN trigram index on the same expression can. The indexes are on
``UPPER(...)`` so that they match the query Django writes. SQLite (development, tests)
gets nothing: there the migration does nothing. ``pg_trgm`` ships with PostgreSQL;
creating the extension needs a role that may (the owner of the database, PostgreSQL 13+).
See docs/PERFORMANCE.md, "Back office".
"""

from django.db import migrations

#: The columns the inbox searches (DossierAdmin.search_fields).
SEARCHED = ["reference", "company_name", "enterprise_number", "applicant_name", "applicant_email"]


def index_name(column: str) -> str:
    return f"dossiers_dossier_{column}_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in SEARCHED:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index_name(column)}" ON "dossiers_dossier" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index_name(column)}"')


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_decision_letter")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
