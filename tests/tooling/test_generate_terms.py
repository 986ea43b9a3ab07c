"""generate_terms: many synthetic published terms, reproducible, and published exactly as `publish` would."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.text import slugify

from terms.models import PublishedRelation, PublishedTerm, PublishedTermTag, Tag, Term
from terms.publishing import publish
from tooling.content import TermWriter


def generate(count=30, **options):
    call_command("generate_terms", count, stdout=io.StringIO(), stderr=io.StringIO(), **options)


def generated_names():
    return list(Term.objects.order_by("pk").values_list("name", flat=True))


def published_rows(term_pk):
    """A published term's row and its tag and relation rows, without publish (and review) times and row ids."""
    published = PublishedTerm.objects.get(pk=term_pk)
    values = {
        field.attname: getattr(published, field.attname)
        for field in PublishedTerm._meta.concrete_fields
        if field.name not in ("published_at", "first_published_at", "changed_at", "reviewed_at")
    }
    tags = list(PublishedTermTag.objects.filter(term=published).order_by("pk").values_list("name", "slug"))
    relations = list(
        PublishedRelation.objects.filter(source=published).order_by("pk").values_list("target_id", "kind", "position")
    )
    return values, tags, relations


def published_run():
    """Every term's published rows, with primary keys replaced by the order the terms were generated in."""
    pks = list(Term.objects.order_by("pk").values_list("pk", flat=True))
    order = {pk: index for index, pk in enumerate(pks)}
    runs = []
    for pk in pks:
        values, tags, relations = published_rows(pk)
        values["term_id"] = order[values["term_id"]]
        runs.append((values, tags, [(order[target], kind, position) for target, kind, position in relations]))
    return runs


def test_generating_30_terms_publishes_30_terms(db):
    generate(30)
    assert PublishedTerm.objects.count() == 30


def test_generated_terms_are_all_published(db):
    generate(12)
    assert set(Term.objects.values_list("status", flat=True)) == {Term.Status.PUBLISHED}


def test_every_generated_term_has_an_example(db):
    generate(12)
    assert all(len(term.examples) >= 1 for term in PublishedTerm.objects.all())


def test_every_generated_term_has_at_least_two_misconceptions(db):
    generate(12)
    assert all(len(term.misconceptions) >= 2 for term in PublishedTerm.objects.all())


def test_every_generated_term_has_a_tag(db):
    generate(12)
    assert all(len(term.tags) >= 1 for term in PublishedTerm.objects.all())


def test_generated_terms_relate_to_other_terms(db):
    generate(12)
    assert PublishedRelation.objects.filter(source__slug=Term.objects.order_by("pk").last().slug).count() >= 2


def test_the_same_seed_gives_the_same_names(db):
    generate(30, seed=7)
    first_run = generated_names()
    Term.objects.all().delete()
    Tag.objects.all().delete()
    generate(30, seed=7)
    assert generated_names() == first_run


def test_a_different_seed_gives_different_names():
    assert TermWriter(1).names(30) != TermWriter(2).names(30)


def test_names_are_unique_ignoring_case():
    names = [name for name, _ in TermWriter(3).names(5000)]
    assert len({name.casefold() for name in names}) == 5000


def test_names_have_unique_slugs():
    names = [name for name, _ in TermWriter(3).names(5000)]
    assert len({slugify(name) for name in names}) == 5000


def test_names_get_a_number_once_every_combination_is_used():
    class FewNames(TermWriter):
        total_names = 10  # the first ten combinations of words

    names = [name for name, _ in FewNames(3).names(11)]
    assert names[-1].endswith(" 2")


def test_aliases_are_never_a_name_or_another_alias():
    writer = TermWriter(4, taken_names=["LLM", "RAG", "CoT"])
    plans = [writer.plan(name, words, now=None) for name, words in writer.names(2000)]
    names = ["llm", "rag", "cot"] + [plan.term.name.casefold() for plan in plans]
    aliases = [alias.casefold() for plan in plans for alias in plan.term.alias_list]
    assert len(set(names + aliases)) == len(names) + len(aliases)


def test_short_definitions_are_one_line_of_at_most_300_characters():
    writer = TermWriter(5)
    definitions = [writer.plan(name, words, now=None).term.short_definition for name, words in writer.names(2000)]
    assert all(len(text) <= 300 and "\n" not in text for text in definitions)


def test_bulk_publishing_gives_the_rows_publish_would(db):
    generate(30)
    generated = published_run()
    for term in Term.objects.order_by("pk"):
        publish(term, by=None, again=True)
    assert published_run() == generated


def test_rendering_in_worker_processes_gives_the_same_rows(db):
    generate(20, seed=9, workers=0)
    in_process = published_run()
    Term.objects.all().delete()
    generate(20, seed=9, workers=2)
    assert published_run() == in_process


def test_generating_over_an_existing_name_does_not_clash(db, make_term):
    first_name = TermWriter(11).names(1)[0][0]
    make_term(first_name, slug=slugify(first_name))
    generate(5, seed=11)
    assert PublishedTerm.objects.count() == 5


def test_a_clashing_name_gets_a_number(db, make_term):
    first_name = TermWriter(11).names(1)[0][0]
    make_term(first_name.upper(), slug="other-slug")
    generate(5, seed=11)
    assert Term.objects.filter(name=f"{first_name} 2").exists()


def test_generating_after_the_starter_glossary_publishes_both(db):
    call_command("seed", stdout=io.StringIO())
    starter = PublishedTerm.objects.count()
    generate(30)
    assert PublishedTerm.objects.count() == starter + 30


def test_generating_reports_how_many_terms_and_how_long(db):
    out = io.StringIO()
    call_command("generate_terms", 3, stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("Generated and published 3 terms in ")


@pytest.mark.parametrize("count", [0, -1])
def test_generating_fewer_than_one_term_is_refused(db, count):
    with pytest.raises(CommandError, match="at least 1"):
        generate(count)
