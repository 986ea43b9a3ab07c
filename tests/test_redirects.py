"""Aliases and former addresses lead to their term (terms/redirects.py): one term per address."""

import pytest
from django.core.exceptions import ValidationError

from terms.models import PublishedRedirect, Term
from terms.publishing import publish, unpublish


def test_an_alias_of_an_unpublished_term_leads_to_the_next_term_that_claims_it(client, make_term, redirect_of):
    first = make_term("Large language model", aliases="LLM")
    publish(first, by=None)
    unpublish(first, by=None)
    publish(make_term("Language model", aliases="LLM"), by=None)
    assert redirect_of(client, "llm") == (301, "/terms/language-model/")


def test_unpublishing_a_term_removes_its_alias_addresses(make_term):
    term = make_term("Large language model", aliases="LLM")
    publish(term, by=None)
    unpublish(term, by=None)
    assert list(PublishedRedirect.objects.values_list("slug", flat=True)) == []


def test_unpublishing_a_term_removes_its_former_addresses(make_term):
    term = make_term("Gradient descent")
    publish(term, by=None)
    Term.objects.filter(pk=term.pk).update(slug="steepest-descent")
    publish(term, by=None)
    unpublish(term, by=None)
    assert list(PublishedRedirect.objects.values_list("slug", flat=True)) == []


def test_republishing_a_term_brings_its_aliases_back(client, make_term, redirect_of):
    term = make_term("Large language model", aliases="LLM")
    publish(term, by=None)
    unpublish(term, by=None)
    publish(term, by=None)
    assert redirect_of(client, "llm") == (301, "/terms/large-language-model/")


def test_publishing_an_alias_another_published_term_has_is_refused(make_term):
    publish(make_term("Large language model", aliases="LLM"), by=None)
    with pytest.raises(ValidationError, match="already an alias of .*Large language model"):
        publish(make_term("Language model", aliases="LLM"), by=None)


def test_a_refused_alias_leaves_the_address_with_the_term_that_had_it(client, make_term, redirect_of):
    publish(make_term("Large language model", aliases="LLM"), by=None)
    with pytest.raises(ValidationError):
        publish(make_term("Language model", aliases="LLM"), by=None)
    assert redirect_of(client, "llm") == (301, "/terms/large-language-model/")


def test_a_refused_alias_publishes_nothing_of_the_term(make_term):
    publish(make_term("Large language model", aliases="LLM"), by=None)
    newcomer = make_term("Language model", aliases="LLM")
    with pytest.raises(ValidationError):
        publish(newcomer, by=None)
    assert Term.objects.get(pk=newcomer.pk).status == Term.Status.DRAFT


def test_aliases_spelled_differently_with_one_address_are_refused(make_term):
    publish(make_term("Large language model", aliases="L.L.M."), by=None)
    with pytest.raises(ValidationError, match="The alias “LLM” would lead /terms/llm/ here"):
        publish(make_term("Language model", aliases="LLM"), by=None)


def test_an_alias_takes_over_another_terms_former_address(client, make_term, redirect_of):
    renamed = make_term("Gradient descent", slug="llm")
    publish(renamed, by=None)
    Term.objects.filter(pk=renamed.pk).update(slug="gradient-descent")
    publish(renamed, by=None)
    publish(make_term("Large language model", aliases="LLM"), by=None)
    assert redirect_of(client, "llm") == (301, "/terms/large-language-model/")


def test_a_former_address_does_not_take_over_another_terms_alias(client, make_term, redirect_of):
    renamed = make_term("Gradient descent", slug="llm")
    publish(renamed, by=None)
    publish(make_term("Large language model", aliases="LLM"), by=None)
    Term.objects.filter(pk=renamed.pk).update(slug="gradient-descent")
    publish(renamed, by=None)
    assert redirect_of(client, "llm") == (301, "/terms/large-language-model/")


def test_an_alias_left_behind_by_a_term_unpublished_long_ago_is_claimed(client, make_term, redirect_of):
    gone = make_term("Large language model", aliases="LLM")
    PublishedRedirect.objects.create(slug="llm", term_id=gone.pk, kind=PublishedRedirect.Kind.ALIAS)
    publish(make_term("Language model", aliases="LLM"), by=None)
    assert redirect_of(client, "llm") == (301, "/terms/language-model/")


def test_a_term_named_after_a_live_terms_alias_is_not_published(make_term):
    publish(make_term("Beta Quux", aliases="Xylo Quux"), by=None)
    with pytest.raises(ValidationError, match="“Xylo Quux” is an alias of"):
        publish(make_term("Xylo Quux"), by=None)


def test_a_live_terms_alias_keeps_leading_to_it_when_a_term_named_after_it_is_refused(client, make_term, redirect_of):
    publish(make_term("Beta Quux", aliases="Xylo Quux"), by=None)
    with pytest.raises(ValidationError):
        publish(make_term("Xylo Quux"), by=None)
    assert redirect_of(client, "xylo-quux") == (301, "/terms/beta-quux/")


# Stable addresses --------------------------------------------------------------------------------------------------


def test_a_renamed_slug_redirects_permanently(client, published_term, edit):
    edit(published_term, slug="steepest-descent")
    publish(published_term, by=None)
    response = client.get("/terms/gradient-descent/")
    assert (response.status_code, response["Location"]) == (301, "/terms/steepest-descent/")


def test_a_slug_renamed_twice_still_redirects_from_the_first(client, published_term, edit):
    for slug in ("steepest-descent", "descent"):
        edit(published_term, slug=slug)
        publish(published_term, by=None)
    assert client.get("/terms/gradient-descent/")["Location"] == "/terms/descent/"


def test_an_alias_redirects_to_its_term(client, make_term):
    publish(make_term("Large language model", slug="large-language-model", aliases="LLM"), by=None)
    response = client.get("/terms/llm/")
    assert (response.status_code, response["Location"]) == (301, "/terms/large-language-model/")


def test_a_real_term_wins_over_an_alias(client, make_term):
    publish(make_term("Large language model", slug="large-language-model", aliases="LLM"), by=None)
    # A term named "LLM" is refused while the alias is live; another name may still have that address.
    publish(make_term("Master of Laws", slug="llm", short_definition="Its own page."), by=None)
    assert client.get("/terms/llm/").status_code == 200


def test_redirect_to_an_unpublished_term_is_a_404(client, published_term, edit):
    edit(published_term, slug="steepest-descent")
    publish(published_term, by=None)
    unpublish(published_term, by=None)
    assert client.get("/terms/gradient-descent/").status_code == 404


def test_an_unknown_address_is_still_a_404(client, published_term):
    assert client.get("/terms/no-such-term/").status_code == 404
