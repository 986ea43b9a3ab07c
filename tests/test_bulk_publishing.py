"""Publishing new terms in bulk (terms/bulk_publishing.py) keeps the rules publishing one by one keeps."""

import pytest
from django.core.exceptions import ValidationError

from terms.bulk_publishing import publish_new_in_bulk
from terms.publishing import Draft, publish


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
