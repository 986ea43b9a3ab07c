"""The full-text index of published terms: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE terms_search_fts USING fts5("
    "name, aliases, compact, definition, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
]
POSTGRESQL = [
    "CREATE TABLE terms_search ("
    "term_id integer PRIMARY KEY REFERENCES terms_publishedterm (term_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
    " document tsvector NOT NULL)",
    "CREATE INDEX terms_search_document ON terms_search USING gin (document)",
]


def create_index(apps, schema_editor):
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    table = "terms_search" if schema_editor.connection.vendor == "postgresql" else "terms_search_fts"
    schema_editor.execute(f"DROP TABLE {table}")


class Migration(migrations.Migration):
    # The index of what is already published is derived data: `migrate` writes it (terms.apps).
    rebuilds_published_layer = True

    dependencies = [
        ("terms", "0003_site_counts_and_recent_index"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
