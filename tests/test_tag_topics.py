"""A tag named after a concept leads its readers to the term that defines it."""

import pytest

from terms.publishing import publish, unpublish


def tag_page(client, slug="neural-networks"):
    response = client.get(f"/tags/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def neural_network(make_term):
    term = make_term("Neural network", short_definition="Layers of simple units that learn.", tags=["Neural networks"])
    publish(term, by=None)
    return term


def test_tag_page_links_the_term_its_name_is_the_plural_of(client, neural_network):
    assert '<a href="/terms/neural-network/">Neural network</a>' in tag_page(client)


def test_tag_page_shows_the_topic_terms_one_liner(client, neural_network):
    assert "Layers of simple units that learn." in tag_page(client)


def test_tag_page_links_a_term_whose_alias_is_the_tags_name(client, make_term):
    term = make_term("LLM", aliases="Large language models", tags=["Large language models"])
    publish(term, by=None)
    assert '<a href="/terms/llm/">LLM</a>' in tag_page(client, "large-language-models")


def test_tag_page_of_a_topic_without_a_term_shows_no_topic(client, neural_network, make_term):
    publish(make_term("Dropout", tags=["Training"]), by=None)
    assert 'class="tag-topic"' not in tag_page(client, "training")


def test_tag_page_drops_the_topic_term_once_it_is_unpublished(client, neural_network, make_term):
    publish(make_term("Perceptron", tags=["Neural networks"]), by=None)
    unpublish(neural_network, by=None)
    assert 'class="tag-topic"' not in tag_page(client)


def test_tag_page_does_not_lead_to_a_deprecated_term(client, neural_network, make_term):
    publish(make_term("Perceptron", tags=["Neural networks"]), by=None)
    neural_network.deprecated = True
    neural_network.deprecation_reason = "Split into narrower terms."
    neural_network.save()
    publish(neural_network, by=None)
    assert 'class="tag-topic"' not in tag_page(client)
