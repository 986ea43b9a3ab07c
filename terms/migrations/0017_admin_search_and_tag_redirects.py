"""The admin's search index of working copies, drafts included; tag pages' former addresses; and editors and
reviewers may read the record of renamed and merged tags.

The index has the tables of the readers' one (0004, 0009) under the prefix `terms_admin_search`,
plus each term's words, kept to take them out of the typo-correction words when the term changes:
there every word of a term counts, not only its names'. It holds no foreign key: the verbs that
delete a term take it out, and a search lists only terms that exist.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

SQLITE = [
    "CREATE VIRTUAL TABLE terms_admin_search_fts USING fts5("
    "name, aliases, definition, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
    "CREATE TABLE terms_admin_search_name ("
    "id integer PRIMARY KEY, term_id integer NOT NULL, compact text NOT NULL, words text NOT NULL)",
    "CREATE INDEX terms_admin_search_name_compact ON terms_admin_search_name (compact, term_id)",
    "CREATE INDEX terms_admin_search_name_term ON terms_admin_search_name (term_id)",
    "CREATE VIRTUAL TABLE terms_admin_search_name_words USING fts5("
    "words, content = 'terms_admin_search_name', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2',"
    " prefix = '2 3 4')",
    "CREATE TRIGGER terms_admin_search_name_added AFTER INSERT ON terms_admin_search_name BEGIN"
    " INSERT INTO terms_admin_search_name_words (rowid, words) VALUES (new.id, new.words); END",
    "CREATE TRIGGER terms_admin_search_name_removed AFTER DELETE ON terms_admin_search_name BEGIN"
    " INSERT INTO terms_admin_search_name_words (terms_admin_search_name_words, rowid, words)"
    " VALUES ('delete', old.id, old.words); END",
    "CREATE TABLE terms_admin_search_word (id integer PRIMARY KEY, word text NOT NULL UNIQUE, uses integer NOT NULL)",
    "CREATE VIRTUAL TABLE terms_admin_search_trigrams USING fts5("
    "word, content = 'terms_admin_search_word', content_rowid = 'id', tokenize = 'trigram')",
    "CREATE TRIGGER terms_admin_search_word_added AFTER INSERT ON terms_admin_search_word BEGIN"
    " INSERT INTO terms_admin_search_trigrams (rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER terms_admin_search_word_removed AFTER DELETE ON terms_admin_search_word BEGIN"
    " INSERT INTO terms_admin_search_trigrams (terms_admin_search_trigrams, rowid, word)"
    " VALUES ('delete', old.id, old.word); END",
    "CREATE TABLE terms_admin_search_vocabulary (term_id integer PRIMARY KEY, words text NOT NULL)",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE terms_admin_search (term_id integer PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX terms_admin_search_document ON terms_admin_search USING gin (document)",
    "CREATE TABLE terms_admin_search_name (id serial PRIMARY KEY, term_id integer NOT NULL,"
    ' compact text COLLATE "C" NOT NULL, words text NOT NULL, document tsvector NOT NULL)',
    "CREATE INDEX terms_admin_search_name_document ON terms_admin_search_name USING gin (document)",
    "CREATE INDEX terms_admin_search_name_compact ON terms_admin_search_name (compact, term_id)",
    "CREATE INDEX terms_admin_search_name_term ON terms_admin_search_name (term_id)",
    "CREATE TABLE terms_admin_search_word (id serial PRIMARY KEY,"
    ' word text COLLATE "C" NOT NULL UNIQUE, uses integer NOT NULL)',
    "CREATE INDEX terms_admin_search_word_trigrams ON terms_admin_search_word USING gin (word gin_trgm_ops)",
    "CREATE TABLE terms_admin_search_vocabulary (term_id integer PRIMARY KEY, words text NOT NULL)",
]
TABLES = {
    "sqlite": [
        "terms_admin_search_vocabulary",
        "terms_admin_search_trigrams",
        "terms_admin_search_word",
        "terms_admin_search_name_words",
        "terms_admin_search_name",
        "terms_admin_search_fts",
    ],
    "postgresql": [
        "terms_admin_search_vocabulary",
        "terms_admin_search_word",
        "terms_admin_search_name",
        "terms_admin_search",
    ],
}


def create_tables(apps, schema_editor):
    for statement in POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement)


def drop_tables(apps, schema_editor):
    vendor = "postgresql" if schema_editor.connection.vendor == "postgresql" else "sqlite"
    for table in TABLES[vendor]:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


def let_groups_read_tag_changes(apps, schema_editor):
    """Editors and reviewers read the record of renamed and merged tags (the tag admin writes it, not people)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_changes = Permission.objects.get(content_type__app_label="terms", codename="view_tagchange")
    for group in Group.objects.filter(name__in=("Editors", "Reviewers")):
        group.permissions.add(view_changes)


class Migration(migrations.Migration):
    # The index is written from today's code once the database is migrated: `migrate` rebuilds it (terms.apps).
    rebuilds_published_layer = True

    dependencies = [
        ("terms", "0016_workspace"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedTagRedirect",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.CharField(max_length=100, unique=True)),
                ("target_slug", models.CharField(max_length=100)),
            ],
        ),
        migrations.RunPython(create_tables, drop_tables),
        migrations.RunPython(let_groups_read_tag_changes, migrations.RunPython.noop),
    ]
