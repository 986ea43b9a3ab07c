"""Tags: case-insensitive, length-limited, and every tag has its own working URL."""

import pytest
from django.db import IntegrityError, transaction

from terms.models.editorial import Tag
from terms.publishing import publish


def test_tags_differing_only_in_case_are_one_tag(make_term):
    make_term(tags=["LLM"])
    make_term(tags=["llm"])
    assert Tag.objects.count() == 1


def test_database_refuses_a_second_tag_differing_only_in_case(db):
    Tag.objects.create(name="Training")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="training", slug="training-2")


def test_database_refuses_an_over_long_tag(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="x" * 51, slug="long")


def test_cplusplus_and_csharp_get_different_slugs(db):
    cpp = Tag.objects.create(name="C++")
    csharp = Tag.objects.create(name="C#")
    assert (cpp.slug, csharp.slug) == ("c-plus-plus", "c-sharp")


@pytest.mark.parametrize("name", ["日本語", "машинное обучение", "!!!", "???", "…"])
def test_every_tag_gets_a_non_empty_slug(db, name):
    assert Tag.objects.create(name=name).slug


def test_punctuation_only_tags_get_distinct_slugs(db):
    assert Tag.objects.create(name="!!!").slug != Tag.objects.create(name="???").slug


@pytest.mark.parametrize("name", ["C++", "C#", "日本語", "!!!"])
def test_tag_page_works_for_unusual_tag_names(client, make_term, name):
    term = make_term(tags=[name])
    publish(term, by=None)
    tag = Tag.objects.get(name=name)
    response = client.get(tag.get_absolute_url())
    assert term.name in response.content.decode()


def test_cplusplus_and_csharp_tag_pages_list_different_terms(client, make_term):
    publish(make_term("Templates", tags=["C++"]), by=None)
    publish(make_term("LINQ", tags=["C#"]), by=None)
    page = client.get(Tag.objects.get(name="C#").get_absolute_url()).content.decode()
    assert "Templates" not in page
