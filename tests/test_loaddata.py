"""`loaddata` adds to the glossary or restores a backup; it never overwrites what editors wrote."""

import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from terms.admin_search import search_working_copies
from terms.models import Example, PublishedTerm, Revision, Term


@pytest.fixture
def dump(tmp_path):
    """Write the given models (or apps) to a JSON fixture, as `dumpdata` does, and return its path."""

    def dump(*labels, natural=True, **options):
        path = tmp_path / "dump.json"
        call_command(
            "dumpdata", *labels, natural_foreign=natural, natural_primary=natural, output=path, verbosity=0, **options
        )
        return path

    return dump


@pytest.fixture
def term_dump(dump, published_term):
    """A fixture of the published term's working copy, taken before an editor changes it."""
    Example.objects.create(term=published_term, position=1, body="Descending a hill in fog.")
    return dump("terms.term", "terms.example")


@pytest.fixture
def edited(published_term):
    """The editor's change made after the fixture was taken."""
    Term.objects.filter(pk=published_term.pk).update(explanation="The editor's rewrite.", edit_version=7)
    return published_term


def test_a_fixture_that_would_overwrite_a_term_is_refused(term_dump, edited):
    with pytest.raises(CommandError, match="would overwrite 1 term, 1 example that editors wrote"):
        call_command("loaddata", term_dump, verbosity=0)


def test_the_refusal_names_the_term(term_dump, edited):
    with pytest.raises(CommandError, match="term gradient-descent"):
        call_command("loaddata", term_dump, verbosity=0)


def test_the_refusal_names_the_example(term_dump, edited):
    with pytest.raises(CommandError, match="example gradient-descent / 1"):
        call_command("loaddata", term_dump, verbosity=0)


def refused(path):
    with pytest.raises(CommandError):
        call_command("loaddata", path, verbosity=0)


def test_a_refused_fixture_keeps_the_editors_text(term_dump, edited):
    refused(term_dump)
    assert Term.objects.get(pk=edited.pk).explanation == "The editor's rewrite."


def test_a_refused_fixture_keeps_the_working_copys_version(term_dump, edited):
    refused(term_dump)
    assert Term.objects.get(pk=edited.pk).edit_version == 7


def test_a_refused_fixture_keeps_the_example(term_dump, edited):
    Example.objects.filter(term=edited).update(body="The editor's example.")
    refused(term_dump)
    assert Example.objects.get(term=edited).body == "The editor's example."


def test_a_refused_fixture_writes_no_revision(term_dump, edited):
    revisions = Revision.objects.count()
    refused(term_dump)
    assert Revision.objects.count() == revisions


def test_a_refused_fixture_adds_none_of_its_new_terms(dump, make_term, published_term):
    make_term("Learning rate")
    path = dump("terms.term")
    Term.objects.filter(name="Learning rate").delete()
    refused(path)
    assert not Term.objects.filter(name="Learning rate").exists()


def test_a_fixture_with_numeric_keys_is_refused_too(dump, published_term):
    path = dump("terms.term", natural=False)
    with pytest.raises(CommandError, match="term gradient-descent"):
        call_command("loaddata", path, verbosity=0)


def test_a_fixture_of_new_terms_is_added_to_a_glossary_in_use(dump, make_term, published_term):
    new = make_term("Learning rate", explanation="How far each step goes.")
    path = dump("terms.term", pks=str(new.pk))
    new.delete()
    call_command("loaddata", path, verbosity=0)
    assert Term.objects.get(name="Learning rate").explanation == "How far each step goes."


def test_loaded_terms_are_found_by_the_admins_search(dump, make_term, published_term):
    new = make_term("Learning rate", explanation="How far each step goes.")
    path = dump("terms.term", pks=str(new.pk))
    new.delete()
    call_command("loaddata", path, verbosity=0)
    assert search_working_copies("learning rate") == [Term.objects.get(name="Learning rate").pk]


def test_rows_left_out_with_exclude_are_not_refused(term_dump, edited):
    call_command("loaddata", term_dump, exclude=["terms.term", "terms.example"], verbosity=0)
    assert Term.objects.get(pk=edited.pk).explanation == "The editor's rewrite."


def empty_the_glossary():
    """What a freshly migrated database holds of the glossary: nothing."""
    for model in apps.get_app_config("terms").get_models():
        model._base_manager.all().delete()


@pytest.fixture
def restored(dump, published_term, relate, make_term):
    relate(published_term, make_term("Learning rate"))
    path = dump("terms", natural=False)
    empty_the_glossary()
    call_command("loaddata", path, verbosity=0)


def test_a_backup_restores_the_working_copies(restored):
    assert sorted(Term.objects.values_list("name", flat=True)) == ["Gradient descent", "Learning rate"]


def test_a_backup_restores_the_published_pages(restored):
    assert list(PublishedTerm.objects.values_list("name", flat=True)) == ["Gradient descent"]


def test_a_backup_restores_the_history(restored):
    assert Revision.objects.filter(term_name="Gradient descent", action=Revision.Action.PUBLISH).count() == 1


def test_loaddata_stores_a_names_key_and_normalised_name(db, tmp_path):
    fixture = tmp_path / "imported.json"
    fields = {"name": "Cafe\u0301\u200b", "slug": "cafe", "short_definition": "Coffee."}
    fixture.write_text(json.dumps([{"model": "terms.term", "fields": fields}]))
    call_command("loaddata", fixture, verbosity=0)
    assert Term.objects.values_list("name", "name_key").get() == ("Café", "café")
