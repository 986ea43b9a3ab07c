"""What search engines and link previews read in a page's head: JSON-LD, OpenGraph, canonical links."""

import json
import re

import pytest
from django.urls import reverse

from terms.context_processors import SITE_DESCRIPTION
from terms.publishing import publish
from terms.views import server_error

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def structured_data(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    blocks = JSON_LD.findall(response.content.decode())
    assert len(blocks) == 1
    return json.loads(blocks[0])


def head(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode().split("</head>")[0]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("@context", "https://schema.org"),
        ("@type", "DefinedTerm"),
        ("name", "Large language model"),
        ("description", "The one-line definition of Large language model."),
        ("url", "http://testserver/terms/large-language-model/"),
        ("alternateName", ["Foundation model"]),
        ("termCode", "large-language-model"),
    ],
)
def test_a_term_page_describes_its_term_as_a_defined_term(client, large_language_model, key, value):
    assert structured_data(client, "/terms/large-language-model/")[key] == value


def test_a_defined_term_belongs_to_the_glossary(client, large_language_model):
    assert structured_data(client, "/terms/large-language-model/")["inDefinedTermSet"] == {
        "@type": "DefinedTermSet",
        "@id": "http://testserver/terms/",
        "name": "AI Glossary",
        "url": "http://testserver/terms/",
    }


def test_a_term_without_aliases_has_no_alternate_name(client, published_term):
    assert "alternateName" not in structured_data(client, "/terms/gradient-descent/")


def test_the_index_describes_the_glossary_as_a_defined_term_set(client, published_term):
    assert structured_data(client, "/terms/")["@type"] == "DefinedTermSet"


def test_the_defined_term_set_lists_the_terms_on_the_page(client, published_term):
    assert [term["name"] for term in structured_data(client, "/terms/")["hasDefinedTerm"]] == ["Gradient descent"]


def test_markup_in_a_name_cannot_end_the_data_block(client, make_term):
    publish(make_term("Tags </script><script>alert(1)</script>", slug="tags"), by=None)
    assert structured_data(client, "/terms/tags/")["name"] == "Tags </script><script>alert(1)</script>"


def test_a_draft_is_not_in_the_index_structured_data(client, published_term, draft_term):
    assert "Secret draft" not in json.dumps(structured_data(client, "/terms/"))


def test_unpublished_edits_are_not_in_a_term_pages_structured_data(client, published_term, edit):
    edit(published_term, short_definition="An edit nobody has reviewed.")
    assert structured_data(client, "/terms/gradient-descent/")["description"] != "An edit nobody has reviewed."


def preview(client, term) -> str:
    response = client.get(reverse("admin:terms_term_preview", args=[term.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_preview_has_no_structured_data(editor_client, published_term):
    assert "application/ld+json" not in preview(editor_client, published_term)


# OpenGraph and Twitter cards -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "meta",
    [
        '<meta property="og:title" content="What is gradient descent?">',
        '<meta property="og:description" content="The one-line definition of Gradient descent.">',
        '<meta property="og:url" content="http://testserver/terms/gradient-descent/">',
        '<meta property="og:type" content="article">',
        '<meta property="og:site_name" content="AI Glossary">',
        '<meta name="twitter:card" content="summary">',
    ],
)
def test_a_term_page_previews_as_the_term(client, published_term, meta):
    assert meta in head(client, "/terms/gradient-descent/")


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/", "AI Glossary"),
        ("/terms/", "All terms, A–Z"),
        ("/tags/", "Tags"),
        ("/tags/training/", "Terms tagged “Training”"),
    ],
)
def test_each_reader_page_has_an_opengraph_title(client, published_term, url, title):
    assert f'<meta property="og:title" content="{title}">' in head(client, url)


# Canonical addresses ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/", "https://glossary.example.org/"),
        ("/terms/", "https://glossary.example.org/terms/"),
        ("/terms/?letter=G", "https://glossary.example.org/terms/?letter=G"),
        ("/terms/?r=anything", "https://glossary.example.org/terms/"),
        ("/terms/gradient-descent/", "https://glossary.example.org/terms/gradient-descent/"),
        ("/tags/", "https://glossary.example.org/tags/"),
        ("/tags/training/", "https://glossary.example.org/tags/training/"),
    ],
)
def test_every_reader_page_has_a_canonical_address_from_site_url(client, published_term, settings, url, canonical):
    settings.SITE_URL = "https://glossary.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "glossary.example.org"]
    assert f'<link rel="canonical" href="{canonical}">' in head(client, url, HTTP_HOST="glossary.example.org")


def test_a_second_page_of_the_index_is_its_own_canonical_page(client, make_term, monkeypatch):
    monkeypatch.setattr("terms.views.LIST_PAGE_SIZE", 1)
    for name in ("Alpha", "Beta"):
        publish(make_term(name), by=None)
    assert '<link rel="canonical" href="http://testserver/terms/?page=2">' in head(client, "/terms/?page=2")


def test_a_non_latin_tag_has_an_encoded_canonical_address(client, make_term):
    publish(make_term("Kanji", tags=["日本語"]), by=None)
    tag_page = "/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E/"
    assert f'<link rel="canonical" href="http://testserver{tag_page}">' in head(client, tag_page)


def test_a_preview_has_no_canonical_address(editor_client, published_term):
    assert 'rel="canonical"' not in preview(editor_client, published_term)


def test_the_server_error_page_keeps_the_sites_description(rf, db):
    assert (
        f'<meta property="og:description" content="{SITE_DESCRIPTION}">' in server_error(rf.get("/")).content.decode()
    )
