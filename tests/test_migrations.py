"""Upgrades: a database with published terms at any migration of `terms` migrates to the latest, and the site works.

Each test migrates the empty test database back to one migration, seeds it there with the
models as they were at that point (`apps.get_model` of the historical state), then runs
`migrate` as an operator would. New migrations are picked up from the migration loader.
"""

import ast
import datetime
import inspect
import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from terms import queries
from terms.identity import set_aside_key
from terms.models import Example, PublishedKeyword, PublishedTerm, Revision, Tag, Term

# The installed apps by name: INSTALLED_APPS names the admin by its AppConfig (terms.apps.GlossaryAdminConfig).
INSTALLED_APP_NAMES = [app.name for app in apps.get_app_configs()]

# Each test ends by emptying every table. On PostgreSQL the search index's table references the published
# terms, so that TRUNCATE needs CASCADE, which Django's flush uses when `available_apps` is given.
transactional = pytest.mark.django_db(transaction=True, available_apps=INSTALLED_APP_NAMES)


def test_no_migration_imports_the_application():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    imported = set()
    for (app, name), migration in loader.disk_migrations.items():
        if app != "terms":
            continue
        for node in ast.walk(ast.parse(inspect.getsource(inspect.getmodule(migration)))):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                modules = ["." * node.level + (node.module or "")]
            imported.update((name, module) for module in modules if module.split(".")[0] in ("terms", ""))
    assert imported == set()


def terms_migrations() -> list[str]:
    """Every migration of the `terms` app, in the order they apply."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    leaf = next(node for node in graph.leaf_nodes() if node[0] == "terms")
    return [name for app, name in graph.forwards_plan(leaf) if app == "terms"]


def pending() -> list:
    """The (migration, backwards) steps that `migrate` would take now."""
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


@pytest.fixture
def migrate_back():
    """Empty the database and migrate it back to a migration of `terms`; return the models as they were there.

    Afterwards the database is at the latest migration again, its glossary tables made anew if the test left it
    behind.
    """

    def migrate_back(name: str):
        target = ("terms", name)
        # Whatever an earlier test left behind (module fixtures commit) would clash with the seed.
        call_command("flush", interactive=False, allow_cascade=True, verbosity=0)
        executor = MigrationExecutor(connection)
        executor.migrate([target])
        executor.loader.build_graph()
        return executor.loader.project_state(target).apps

    yield migrate_back
    if pending():
        MigrationExecutor(connection).migrate([("terms", None)])
        call_command("migrate", verbosity=0)


def create(apps, model_name: str, **values):
    """A row of the model as it was at that migration: the values of the fields it had, its defaults for the rest."""
    model = apps.get_model(*model_name.split(".")) if "." in model_name else apps.get_model("terms", model_name)
    fields = {"pk"} | {name for field in model._meta.concrete_fields for name in (field.name, field.attname)}
    return model.objects.create(**{name: value for name, value in values.items() if name in fields})


def has_model(apps, model_name: str) -> bool:
    try:
        apps.get_model("terms", model_name)
    except LookupError:
        return False
    return True


SECTIONS = ("explanation", "analogy", "usage", "history")
TOKENIZER = {
    "name": "Tokenizer",
    "name_key": "tokenizer",  # from 0012 on
    "slug": "tokenizer",
    "sentence_name": "a tokenizer",
    "short_definition": "Splits text into the tokens a model reads.",
    "aliases": "Tokeniser",
    "explanation": "A tokenizer cuts text into small pieces.",
    "analogy": "Like slicing bread before toasting it.",
}
EMBEDDING = {
    "name": "Embedding",
    "name_key": "embedding",
    "slug": "embedding",
    "sentence_name": "an embedding",
    "short_definition": "A list of numbers that stands for a piece of text.",
    "explanation": "Each piece a Tokenizer makes becomes a list of numbers.",
}
TERMS = ("tokenizer", "embedding")
MINUTE = datetime.timedelta(minutes=1)
TAG = {"name": "Text processing", "name_key": "text processing", "slug": "text-processing"}


def seed(apps) -> None:
    """Two published terms with an example, a misconception, a tag and a relation, as publishing left them then."""
    user = create(apps, settings.AUTH_USER_MODEL, username="ada")
    now = timezone.now()
    tag = create(apps, "Tag", **TAG)
    terms = {}
    for values in (TOKENIZER, EMBEDDING):
        term = create(apps, "Term", **values, status="published", created_by=user, updated_by=user)
        create(apps, "TaggedTerm", content_object=term, tag=tag)
        terms[values["slug"]] = term
    tokenizer, embedding = terms["tokenizer"], terms["embedding"]
    create(apps, "Example", term=tokenizer, title="Splitting a word", body="“Unbelievable” becomes three tokens.")
    create(apps, "Misconception", term=tokenizer, claim="Tokens are words", correction="Many are parts of words.")
    create(apps, "Relation", from_term=tokenizer, to_term=embedding, kind="related", position=1)
    for values, term in ((TOKENIZER, tokenizer), (EMBEDDING, embedding)):
        sections = {key: f"<p>{values.get(key, '')}</p>" if values.get(key) else "" for key in SECTIONS}
        examples = [{"title": e.title, "html": f"<p>{e.body}</p>"} for e in term.examples.all()]
        misconceptions = [{"claim": m.claim, "html": f"<p>{m.correction}</p>"} for m in term.misconceptions.all()]
        unlinked = dict(sections)
        unlinked |= {f"example-{n}": e["html"] for n, e in enumerate(examples, 1)}
        unlinked |= {f"misconception-{n}": m["html"] for n, m in enumerate(misconceptions, 1)}
        listed = {
            "sort_name": values["name"].casefold(),
            "letter": values["name"][0],
            "term_slug": values["slug"],
            "term_name": values["name"],
            "short_definition": values["short_definition"],
        }
        published = create(
            apps,
            "PublishedTerm",
            **values
            | listed
            | {f"{key}_html": html for key, html in sections.items()}
            | {
                "aliases": values.get("aliases", "").splitlines(),
                "examples": examples,
                "misconceptions": misconceptions,
                "tags": [{"name": TAG["name"], "slug": TAG["slug"]}],
                "unlinked": unlinked,
                # What lists show, since 0019 (publishing writes it; a glossary seeded before has it from 0019).
                "title": values["name"],
                "term": term,
                "first_published_at": now,
                "published_at": now,
                "published_by": user,
            },
        )
        create(apps, "PublishedTermTag", **listed | TAG | {"term": published})
    create(apps, "PublishedRelation", source_id=tokenizer.pk, target_id=embedding.pk, kind="related", position=1)
    if has_model(apps, "PublishedRedirect"):
        create(apps, "PublishedRedirect", slug="tokeniser", term_id=tokenizer.pk, kind="alias")
    create(apps, "SiteState", pk=1, generation=1, changed_at=now)


@transactional
@pytest.mark.parametrize("migration", terms_migrations())
def test_a_glossary_published_at_any_migration_works_after_migrating_to_the_latest(migration, migrate_back, client):
    seed(migrate_back(migration))
    rebuilds = any(getattr(step, "rebuilds_published_layer", False) for step, _ in pending())

    call_command("migrate", verbosity=0)
    if not rebuilds:
        # The seed writes no derived data (search index, names, links...): where no later migration
        # rebuilds it, what publishing then would have written is what the command writes now.
        call_command("rebuild_published", verbosity=0)

    page = client.get("/terms/tokenizer/")
    assert page.status_code == 200
    assert "What is a tokenizer?" in page.content.decode()
    assert "Splitting a word" in page.content.decode()
    assert "Tokens are words" in page.content.decode()
    assert 'href="/tags/text-processing/"' in page.content.decode()
    assert 'href="/terms/embedding/"' in page.content.decode()  # its related term
    linking = client.get("/terms/embedding/")
    assert linking.status_code == 200
    assert '<span class="xref"><a href="/terms/tokenizer/"' in linking.content.decode()
    found = client.get("/search/?q=tokenizer")
    assert found.status_code == 200
    assert 'href="/terms/tokenizer/"' in found.content.decode()
    suggested = client.get("/search/suggest?q=tokeni")
    assert suggested.status_code == 200
    assert [s["name"] for s in suggested.json()["suggestions"]] == ["Tokenizer"]
    tagged = client.get("/tags/text-processing/")
    assert tagged.status_code == 200
    assert 'href="/terms/embedding/"' in tagged.content.decode()
    assert queries.site_state(with_counts=True).counts.term_count == 2
    assert Term.objects.count() == 2
    assert Example.objects.get().title == "Splitting a word"


@transactional
def test_migrating_part_of_the_way_says_when_derived_data_is_rebuilt(migrate_back):
    seed(migrate_back("0007_list_columns_on_tag_rows"))
    out = io.StringIO()

    call_command("migrate", "terms", "0008_cross_links", stdout=out)

    assert "rebuilt when the database is migrated to the latest migration" in out.getvalue()


@transactional
def test_migrating_to_the_latest_says_it_rebuilt_derived_data(migrate_back):
    seed(migrate_back("0007_list_columns_on_tag_rows"))
    out = io.StringIO()

    call_command("migrate", stdout=out)

    assert "Rebuilt what the published layer derives for 2 published terms." in out.getvalue()


# Migrations 0012 and 0013: names keyed, twins set aside, slugs lower-cased -------------------------------------------

BEFORE, AFTER = [("terms", "0011_seeded_marker")], [("terms", "0013_unicode_name_constraints")]

# SQLite alters tables only outside a transaction: there the test commits, and the database is
# restored afterwards. PostgreSQL alters them inside the test's transaction, rolled back as usual.
ON_SQLITE = connection.vendor == "sqlite"
upgrade = pytest.mark.django_db(transaction=ON_SQLITE, serialized_rollback=ON_SQLITE)


@pytest.fixture
def upgraded(capsys):
    """A database at 0011 with twin names and upper-case slugs, migrated to 0012: (its new ids, the upgrade's output)."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    term, tag = old.get_model("terms", "Term"), old.get_model("terms", "Tag")
    ids = {
        "café": term.objects.create(name="Café", slug="cafe", short_definition="Coffee.").pk,
        "nfd": term.objects.create(name="Cafe\u0301", slug="cafe-nfd", short_definition="Coffee.").pk,
        "au lait": term.objects.create(name="Cafe\u0301 au\u200b lait", slug="au-lait", short_definition="Milk.").pk,
        "zeta": term.objects.create(name="Ze\u034fta\ufe0f", slug="zeta", short_definition="A letter.").pk,
        "embedding": term.objects.create(
            name="Embedding",
            slug="embedding",
            short_definition="A vector.",
            aliases="Ｖector\n\nvector\nEmbed\u200bdings",
        ).pk,
        "Embeddings": term.objects.create(name="Embeddings", slug="Embedding", short_definition="Vectors.").pk,
        "training": tag.objects.create(name="Training", slug="training").pk,
        "train\u200bing": tag.objects.create(name="Train\u200bing", slug="Training-2").pk,
    }
    if not ON_SQLITE:
        with connection.cursor() as cursor:  # check the rows now: PostgreSQL alters no table with checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    capsys.readouterr()
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    yield ids, capsys.readouterr().out
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@upgrade
def test_upgrade_gives_the_older_twin_its_names_key(upgraded):
    ids, _ = upgraded
    assert Term.objects.values_list("name_key", flat=True).get(pk=ids["café"]) == "café"


@upgrade
def test_upgrade_sets_the_later_twin_aside_with_a_key_of_its_own(upgraded):
    ids, _ = upgraded
    assert Term.objects.values_list("name_key", flat=True).get(pk=ids["nfd"]) == set_aside_key("café", ids["nfd"])


@upgrade
def test_upgrade_warns_naming_both_twins(upgraded):
    ids, output = upgraded
    assert f"term “Cafe\u0301” (id {ids['nfd']}) has the same name as “Café” (id {ids['café']})" in output


@upgrade
def test_upgrade_normalises_names_without_twins(upgraded):
    ids, _ = upgraded
    assert Term.objects.values_list("name", flat=True).get(pk=ids["au lait"]) == "Café au lait"


@upgrade
def test_upgrade_drops_variation_selectors_and_other_invisible_characters_from_names(upgraded):
    ids, _ = upgraded
    assert Term.objects.values_list("name", flat=True).get(pk=ids["zeta"]) == "Zeta"


@upgrade
def test_upgrade_keys_each_alias_once_for_the_admins_checks(upgraded):
    ids, _ = upgraded
    assert Term.objects.values_list("alias_keys", flat=True).get(pk=ids["embedding"]) == "\nvector\nembeddings\n"


@upgrade
def test_upgrade_lower_cases_slugs_suffixing_a_clash(upgraded):
    ids, _ = upgraded
    assert Term.objects.values_list("slug", flat=True).get(pk=ids["Embeddings"]) == "embedding-2"


@upgrade
def test_upgrade_sets_aside_twin_tags_too(upgraded):
    ids, _ = upgraded
    assert Tag.objects.get(pk=ids["train\u200bing"]).name_key == set_aside_key("training", ids["train\u200bing"])


@upgrade
def test_upgrade_lower_cases_tag_slugs(upgraded):
    ids, _ = upgraded
    assert Tag.objects.get(pk=ids["train\u200bing"]).slug == "training-2"


# Revision numbers (migration 0014)


@transactional
def test_an_upgraded_databases_revisions_are_numbered_in_time_order_per_term(migrate_back):
    apps = migrate_back("0013_unicode_name_constraints")
    seed(apps)
    tokenizer, embedding = (apps.get_model("terms", "Term").objects.get(slug=slug).pk for slug in TERMS)
    start = timezone.now()
    # Written out of time order, and interleaved between the terms.
    for term_id, minutes in ((tokenizer, 2), (embedding, 1), (tokenizer, 0), (embedding, 3), (tokenizer, 1)):
        create(apps, "Revision", term_id=term_id, term_name="", action="save", created_at=start + minutes * MINUTE)

    call_command("migrate", verbosity=0)

    numbered = Revision.objects.order_by("term_id", "created_at").values_list("term_id", "number")
    assert list(numbered) == [(tokenizer, 1), (tokenizer, 2), (tokenizer, 3), (embedding, 1), (embedding, 2)]


@transactional
def test_an_upgraded_databases_revisions_of_no_term_keep_no_number(migrate_back):
    apps = migrate_back("0013_unicode_name_constraints")
    create(apps, "Revision", term_id=None, term_name="Deleted long ago", action="publish", created_at=timezone.now())

    call_command("migrate", verbosity=0)

    assert Revision.objects.get(term_name="Deleted long ago").number is None


# The published layer's markdown (migration 0018)


@transactional
def test_an_upgraded_databases_published_pages_keep_the_markdown_readers_see(migrate_back):
    apps = migrate_back("0017_admin_search_and_tag_redirects")
    seed(apps)
    tokenizer = apps.get_model("terms", "Term").objects.get(slug="tokenizer")
    live = {
        **{key: TOKENIZER.get(key, "") for key in SECTIONS},
        "examples": [{"position": 1, "title": "Splitting a word", "body": "“Unbelievable” becomes three tokens."}],
        "misconceptions": [{"position": 1, "claim": "Tokens are words", "correction": "Many are parts of words."}],
    }
    create(apps, "Revision", term=tokenizer, term_name="Tokenizer", number=1, action="publish", snapshot=live,
           created_at=timezone.now())  # fmt: skip

    call_command("migrate", verbosity=0)

    markdown = PublishedTerm.objects.get(slug="tokenizer").markdown
    assert markdown["explanation"] == "A tokenizer cuts text into small pieces."
    assert markdown["examples"] == ["“Unbelievable” becomes three tokens."]
    assert markdown["misconceptions"] == ["Many are parts of words."]


# People also read's keywords (migration 0021)


@transactional
def test_an_upgraded_databases_published_terms_have_their_keywords(migrate_back):
    seed(migrate_back("0020_schedule_notes_and_reviewed_steps"))

    call_command("migrate", verbosity=0)

    tokenizer = PublishedTerm.objects.get(slug="tokenizer")
    assert "tokenizer" in set(PublishedKeyword.objects.filter(term=tokenizer).values_list("keyword", flat=True))
