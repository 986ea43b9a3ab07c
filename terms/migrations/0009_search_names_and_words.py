"""Search by names and forgiving of typos: every published name squashed ("finetuning") under
a B-tree index, and the words of names with a trigram index (FTS5's trigram tokenizer on
SQLite, pg_trgm on PostgreSQL) to find the word a misspelling was meant to be.

The documents no longer hold the names squashed: the B-tree answers those. SQLite's FTS5
table cannot drop a column, so it is made again; PostgreSQL's vectors are rebuilt."""

import re
import unicodedata

from django.db import migrations

SQLITE = [
    "DROP TABLE terms_search_fts",
    "CREATE VIRTUAL TABLE terms_search_fts USING fts5("
    "name, aliases, definition, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
    "CREATE TABLE terms_search_name ("
    "id integer PRIMARY KEY, term_id integer NOT NULL, compact text NOT NULL, words text NOT NULL)",
    "CREATE INDEX terms_search_name_compact ON terms_search_name (compact, term_id)",
    "CREATE INDEX terms_search_name_term ON terms_search_name (term_id)",
    # The words of each name on their own, so that matching names never reads the body text's postings.
    "CREATE VIRTUAL TABLE terms_search_name_words USING fts5("
    "words, content = 'terms_search_name', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2',"
    " prefix = '2 3 4')",
    "CREATE TRIGGER terms_search_name_added AFTER INSERT ON terms_search_name BEGIN"
    " INSERT INTO terms_search_name_words (rowid, words) VALUES (new.id, new.words); END",
    "CREATE TRIGGER terms_search_name_removed AFTER DELETE ON terms_search_name BEGIN"
    " INSERT INTO terms_search_name_words (terms_search_name_words, rowid, words) VALUES ('delete', old.id, old.words);"
    " END",
    "CREATE TABLE terms_search_word (id integer PRIMARY KEY, word text NOT NULL UNIQUE, uses integer NOT NULL)",
    "CREATE VIRTUAL TABLE terms_search_trigrams USING fts5("
    "word, content = 'terms_search_word', content_rowid = 'id', tokenize = 'trigram')",
    "CREATE TRIGGER terms_search_word_added AFTER INSERT ON terms_search_word BEGIN"
    " INSERT INTO terms_search_trigrams (rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER terms_search_word_removed AFTER DELETE ON terms_search_word BEGIN"
    " INSERT INTO terms_search_trigrams (terms_search_trigrams, rowid, word) VALUES ('delete', old.id, old.word); END",
]
POSTGRESQL = [
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The "C" collation compares code points, so a range of squashed names is a prefix.
    "CREATE TABLE terms_search_name (id serial PRIMARY KEY, term_id integer NOT NULL,"
    ' compact text COLLATE "C" NOT NULL, words text NOT NULL, document tsvector NOT NULL)',
    "CREATE INDEX terms_search_name_document ON terms_search_name USING gin (document)",
    "CREATE INDEX terms_search_name_compact ON terms_search_name (compact, term_id)",
    "CREATE INDEX terms_search_name_term ON terms_search_name (term_id)",
    'CREATE TABLE terms_search_word (id serial PRIMARY KEY, word text COLLATE "C" NOT NULL UNIQUE, uses integer NOT NULL)',
    "CREATE INDEX terms_search_word_trigrams ON terms_search_word USING gin (word gin_trgm_ops)",
]
TABLES = {
    "sqlite": ["terms_search_trigrams", "terms_search_word", "terms_search_name_words", "terms_search_name"],
    "postgresql": ["terms_search_word", "terms_search_name"],
}


def create_tables(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRESQL if vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement)


# Migration 0004's documents table, with the squashed names, for going back.
SQLITE_BEFORE = (
    "CREATE VIRTUAL TABLE terms_search_fts USING fts5("
    "name, aliases, compact, definition, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
)


def drop_tables(apps, schema_editor):
    vendor = "postgresql" if schema_editor.connection.vendor == "postgresql" else "sqlite"
    for table in TABLES[vendor]:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
    if vendor == "sqlite":
        restore_sqlite_documents(apps, schema_editor)


def squashed(name: str) -> str:
    """A name as 0004 squashed it: folded to lower case without accents, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return "".join(re.findall(r"[^\W_]+", folded))


def restore_sqlite_documents(apps, schema_editor):
    """The documents as 0004 indexed them, names squashed again, from those of 0009."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rowid, name, aliases, definition, body FROM terms_search_fts ORDER BY rowid")
        documents = cursor.fetchall()
    schema_editor.execute("DROP TABLE terms_search_fts")
    schema_editor.execute(SQLITE_BEFORE)
    rows = [
        (pk, name, aliases, " ".join(squashed(n) for n in [name, *aliases.splitlines()] if n.strip()), definition, body)
        for pk, name, aliases, definition, body in documents
    ]
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO terms_search_fts (rowid, name, aliases, compact, definition, body) VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )


class Migration(migrations.Migration):
    # The index of what is already published is derived data: `migrate` writes it (terms.apps).
    rebuilds_published_layer = True

    dependencies = [
        ("terms", "0008_cross_links"),
    ]

    operations = [migrations.RunPython(create_tables, drop_tables)]
