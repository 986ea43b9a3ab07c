"""Tags: one per name (ignoring case, width and invisible characters), length-limited, each with its own working URL."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from terms.models import Tag
from terms.publishing import publish


def test_database_refuses_a_second_tag_differing_only_in_case(db):
    Tag.objects.create(name="Training")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="training", slug="training-2")


def test_twin_tag_fails_validation_with_a_clear_message(db, twins):
    name, twin = twins
    Tag.objects.create(name=name)
    with pytest.raises(ValidationError, match="A tag with this name already exists"):
        Tag(name=twin, slug="twin").full_clean()


def test_database_refuses_a_twin_tag(db, twins):
    name, twin = twins
    Tag.objects.create(name=name)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name=twin, slug="twin")


def test_database_refuses_an_upper_case_tag_slug(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="Training", slug="Training")


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
    assert response.status_code == 200
    assert f'href="{term.get_absolute_url()}">{term.name}</a>' in response.content.decode()


@pytest.fixture
def csharp_page(client, make_term):
    publish(make_term("Templates", tags=["C++"]), by=None)
    publish(make_term("LINQ", tags=["C#"]), by=None)
    return client.get(Tag.objects.get(name="C#").get_absolute_url())


def test_csharp_tag_page_answers(csharp_page):
    assert csharp_page.status_code == 200


def test_csharp_tag_page_lists_its_own_term(csharp_page):
    assert "LINQ" in csharp_page.content.decode()


def test_csharp_tag_page_leaves_out_the_cplusplus_term(csharp_page):
    assert "Templates" not in csharp_page.content.decode()
