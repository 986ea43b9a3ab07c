"""`manage.py rebuild_published`: everything the published layer derives, written again from the published rows."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from terms import queries
from terms.models import (
    PublishedAlsoRead,
    PublishedImage,
    PublishedMention,
    PublishedName,
    PublishedTerm,
    PublishedTermTag,
    Revision,
    SiteState,
    Term,
)
from terms.publishing import SECTIONS, delete_term, publish
from terms.search import search_index
from terms.workflow import recover_deleted

# The installed apps by name: INSTALLED_APPS names the admin by its AppConfig (terms.apps.GlossaryAdminConfig).
INSTALLED_APP_NAMES = [app.name for app in apps.get_app_configs()]

HEAT_MAP = f"/media/images/{'0' * 64}-64x64.png"
LINKED = [*(f"{key}_html" for key in SECTIONS), "examples", "misconceptions"]


@pytest.fixture
def glossary(make_term, relate):
    """Published terms that link to each other, share tags, relate, and have aliases."""
    # The index starts as empty as the published layer: a module fixture elsewhere deletes its terms but
    # commits their index rows.
    search_index().clear()
    tokenizer = make_term("Tokenizer", aliases="Tokeniser", tags=["Text"], explanation="Cuts text into tokens.")
    embedding = make_term("Embedding", tags=["Text", "Vectors"], explanation="Numbers for what a Tokenizer cuts.")
    attention = make_term(
        "Attention",
        tags=["Vectors"],
        explanation=f"Weighs each embedding against the others.\n\n![The weights]({HEAT_MAP})",
    )
    softmax = make_term("Softmax", tags=["Vectors"], usage="Attention turns its scores into weights with it.")
    relate(tokenizer, embedding)
    relate(attention, softmax)
    terms = [tokenizer, embedding, attention, softmax]
    for term in terms:
        publish(term, by=None)
    publish(tokenizer, by=None, again=True)  # again, once the pages that link to it exist
    return terms


def search_rows() -> dict[str, list[tuple]]:
    """What the search index holds, whichever database serves it."""
    sqlite = connection.vendor == "sqlite"
    documents = (
        "SELECT rowid, name, aliases, definition, body FROM terms_search_fts ORDER BY rowid"
        if sqlite
        else "SELECT term_id, document::text FROM terms_search ORDER BY term_id"
    )
    queries = {
        "documents": documents,
        "names": "SELECT term_id, compact, words FROM terms_search_name ORDER BY term_id, compact",
        "words": "SELECT word, uses FROM terms_search_word ORDER BY word",
    }
    with connection.cursor() as cursor:
        found = {}
        for part, sql in queries.items():
            cursor.execute(sql)
            found[part] = cursor.fetchall()
    return found


def derived() -> dict:
    """Every row and field that publishing derives from the published terms."""
    state = SiteState.objects.get()
    return {
        "pages": list(PublishedTerm.objects.order_by("pk").values("pk", "related", "also_read", *LINKED)),
        "names": sorted(PublishedName.objects.values_list("term_id", "name", "first_word")),
        "tag rows": sorted(
            PublishedTermTag.objects.values_list(
                "term_id", "name", "slug", "sort_name", "term_slug", "term_name", "short_definition", "letter"
            )
        ),
        "mentions": sorted(PublishedMention.objects.values_list("source_id", "target_id")),
        "images": sorted(PublishedImage.objects.values_list("term_id", "name")),
        "also read": sorted(PublishedAlsoRead.objects.values_list("source_id", "target_id", "position")),
        "counts": (state.term_count, json.loads(state.letter_counts), json.loads(state.tag_counts)),
        "search": search_rows(),
    }


def wipe_derived() -> None:
    """Lose everything derived, as a restore from `dumpdata` loses the search index."""
    PublishedName.objects.all().delete()
    PublishedTermTag.objects.all().delete()
    PublishedMention.objects.all().delete()
    PublishedImage.objects.all().delete()
    PublishedAlsoRead.objects.all().delete()
    PublishedTerm.objects.update(related=[], also_read=[], **dict.fromkeys(LINKED[:4], ""))
    SiteState.objects.update(term_count=0, letter_counts="{}", tag_counts="[]")
    search_index().clear()


def test_the_glossary_fixture_has_everything_publishing_derives(glossary):
    found = derived()
    assert all(found[part] for part in ("names", "tag rows", "mentions", "images", "also read"))
    assert all(found["search"].values())


def test_rebuilding_writes_exactly_what_publishing_each_term_wrote(glossary):
    published = derived()
    wipe_derived()

    call_command("rebuild_published", verbosity=0)

    assert derived() == published


def test_rebuilding_twice_gives_the_same_rows(glossary):
    call_command("rebuild_published", verbosity=0)
    once = derived()

    call_command("rebuild_published", verbosity=0)

    assert derived() == once


def test_rebuilding_drops_cached_pages(client, glossary):
    assert client.get("/terms/tokenizer/").status_code == 200  # now cached
    PublishedTerm.objects.filter(slug="tokenizer").update(short_definition="Restored one-liner.")

    call_command("rebuild_published", verbosity=0)

    page = client.get("/terms/tokenizer/")
    assert page.status_code == 200
    assert "Restored one-liner." in page.content.decode()


def test_rebuilding_says_how_many_terms_it_rebuilt(glossary):
    out = io.StringIO()

    call_command("rebuild_published", stdout=out)

    assert "4 published terms" in out.getvalue()


def test_rebuilding_with_verbosity_0_prints_nothing(glossary, capsys):
    out = io.StringIO()

    call_command("rebuild_published", verbosity=0, stdout=out)

    assert (out.getvalue(), capsys.readouterr().err) == ("", "")


def test_rebuilding_an_empty_glossary_leaves_it_empty(db):
    call_command("rebuild_published", verbosity=0)

    assert queries.site_state(with_counts=True).counts.term_count == 0


# Tables `migrate` creates again or that hold nothing worth restoring.
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]


# With CASCADE to empty the tables on PostgreSQL afterwards (see tests/test_migrations.py).
@pytest.mark.django_db(transaction=True, available_apps=INSTALLED_APP_NAMES)
def test_a_restored_backup_is_found_by_search_once_rebuilt(client, make_term, tmp_path):
    publish(make_term("Tokenizer", tags=["Text"]), by=None)
    backup = tmp_path / "backup.json"
    call_command("dumpdata", "--natural-foreign", *(f"--exclude={label}" for label in NOT_BACKED_UP), output=backup)
    # A fresh database: nothing in any table, the glossary's own tables (search index included) made anew.
    call_command("flush", interactive=False, allow_cascade=True, verbosity=0)
    MigrationExecutor(connection).migrate([("terms", None)])
    call_command("migrate", verbosity=0)
    call_command("loaddata", backup, verbosity=0)
    assert client.get("/terms/tokenizer/").status_code == 200
    assert 'href="/terms/tokenizer/"' not in client.get("/search/?q=tokenizer").content.decode()
    assert client.get("/search/suggest?q=tokeni").json()["suggestions"] == []

    call_command("rebuild_published", verbosity=0)

    found = client.get("/search/?q=tokenizer")
    assert found.status_code == 200
    assert 'href="/terms/tokenizer/"' in found.content.decode()
    suggested = client.get("/search/suggest?q=tokeni")
    assert suggested.status_code == 200
    assert [s["name"] for s in suggested.json()["suggestions"]] == ["Tokenizer"]


def back_up_and_restore(path):
    """The backup and restore of docs/operations.md, into a database made anew."""
    call_command("dumpdata", "--natural-foreign", *(f"--exclude={label}" for label in NOT_BACKED_UP), output=path)
    call_command("flush", interactive=False, allow_cascade=True, verbosity=0)
    MigrationExecutor(connection).migrate([("terms", None)])
    call_command("migrate", verbosity=0)
    call_command("loaddata", path, verbosity=0)
    call_command("rebuild_published", verbosity=0)


@pytest.mark.django_db(transaction=True, available_apps=INSTALLED_APP_NAMES)
def test_a_backup_taken_after_a_term_was_deleted_restores_its_history(make_term, tmp_path):
    publish(make_term("Tokenizer"), by=None)
    deleted = make_term("Embedding")
    publish(deleted, by=None)
    delete_term(deleted, by=None)
    back_up_and_restore(tmp_path / "backup.json")
    assert Revision.objects.filter(term_id=deleted.pk, action=Revision.Action.DELETE).count() == 1


@pytest.mark.django_db(transaction=True, available_apps=INSTALLED_APP_NAMES)
def test_a_term_deleted_before_a_backup_can_be_recovered_after_restoring_it(make_term, tmp_path):
    deleted = make_term("Embedding")
    publish(deleted, by=None)
    delete_term(deleted, by=None)
    back_up_and_restore(tmp_path / "backup.json")
    recover_deleted(Revision.objects.get(term_id=deleted.pk, action=Revision.Action.DELETE), by=None)
    assert Term.objects.get(pk=deleted.pk).name == "Embedding"


def test_rebuild_renders_pages_published_by_an_older_release_again(client, make_term):
    term = make_term("Tokenizer", explanation="## How it works\n\nIt cuts text into tokens.")
    publish(term, by=None)
    # As the release before sub-headings left it: the heading flattened into a paragraph.
    old = "<p>How it works</p>\n<p>It cuts text into tokens.</p>\n"
    PublishedTerm.objects.filter(pk=term.pk).update(unlinked={"explanation": old}, explanation_html=old)
    call_command("rebuild_published", verbosity=0)
    response = client.get("/terms/tokenizer/")
    assert response.status_code == 200
    assert "<h3>How it works</h3>" in response.content.decode()


def test_rebuild_keeps_what_readers_see_not_the_unpublished_working_copy(client, make_term):
    term = make_term("Tokenizer", explanation="It cuts text into tokens.")
    publish(term, by=None)
    type(term).objects.filter(pk=term.pk).update(explanation="A draft nobody reviewed.")
    call_command("rebuild_published", verbosity=0)
    response = client.get("/terms/tokenizer/")
    assert response.status_code == 200
    assert "It cuts text into tokens." in response.content.decode()


def test_rebuild_records_the_images_of_pages_published_before_images_were_recorded(make_term):
    term = make_term("Attention", explanation=f"![The weights]({HEAT_MAP})")
    publish(term, by=None)
    PublishedImage.objects.all().delete()  # as a database published before migration 0018 holds none
    call_command("rebuild_published", verbosity=0)
    assert list(PublishedImage.objects.values_list("term_id", "name")) == [(term.pk, HEAT_MAP.rsplit("/", 1)[1])]
