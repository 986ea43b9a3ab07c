"""Publishing new terms in bulk (terms/bulk_publishing.py) keeps the rules publishing one by one keeps."""

import pytest
from django.core.exceptions import ValidationError

from terms.bulk_publishing import publish_new_in_bulk
from terms.models import PublishedImage, Revision
from terms.publishing import Draft, publish
from terms.workflow import record_save


def test_bulk_publishing_refuses_an_alias_another_published_term_has(make_term):
    publish(make_term("Large language model", aliases="LLM"), by=None)
    with pytest.raises(ValidationError, match="already leads to “Large language model”"):
        publish_new_in_bulk([Draft.load(make_term("Language model", aliases="LLM"))], by=None)


def test_bulk_publishing_refuses_two_new_terms_with_one_alias(make_term):
    drafts = [Draft.load(make_term(name, aliases="LLM")) for name in ("Large language model", "Language model")]
    with pytest.raises(ValidationError, match="already leads to “Large language model”"):
        publish_new_in_bulk(drafts, by=None)


def test_bulk_publishing_leads_each_alias_to_its_term(client, make_term, redirect_of):
    publish_new_in_bulk([Draft.load(make_term("Large language model", aliases="LLM"))], by=None)
    assert redirect_of(client, "llm") == (301, "/terms/large-language-model/")


def test_bulk_publishing_numbers_a_new_terms_revision_one(make_term):
    publish_new_in_bulk([Draft.load(make_term("Large language model"))], by=None)
    assert Revision.objects.get().number == 1


def test_bulk_publishing_numbers_a_revision_after_the_terms_saves(make_term):
    term = make_term("Large language model")
    record_save(term, by=None)
    publish_new_in_bulk([Draft.load(term)], by=None)
    assert Revision.objects.get(action=Revision.Action.PUBLISH).number == 2


def test_bulk_publishing_records_the_images_each_page_shows_as_publishing_does(make_term):
    name = f"{'0' * 64}-640x480.png"
    one, two = (make_term(n, explanation=f"![A plot](/media/images/{name})") for n in ("Plot", "Chart"))
    publish(one, by=None)
    publish_new_in_bulk([Draft.load(two)], by=None)
    assert sorted(PublishedImage.objects.values_list("term_id", "name")) == [(one.pk, name), (two.pk, name)]
