"""The sitemap and robots.txt, for search engines (terms/sitemaps.py)."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.sitemaps import Sitemap

from terms.models import PublishedTerm, SiteState
from terms.publishing import publish

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def urlset(client, url="/sitemap.xml", **headers) -> dict[str, str]:
    """The sitemap's addresses, each with its lastmod."""
    response = client.get(url, **headers)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {item.findtext(f"{SITEMAP}loc"): item.findtext(f"{SITEMAP}lastmod") for item in root}


@pytest.mark.parametrize(
    "address",
    [
        "http://testserver/",
        "http://testserver/terms/",
        "http://testserver/terms/tree/",
        "http://testserver/terms/gradient-descent/",
        "http://testserver/tags/training/",
    ],
)
def test_the_sitemap_lists_the_home_page_the_indexes_and_every_term_and_tag(client, published_term, address):
    assert address in urlset(client)


def test_a_term_was_last_modified_when_it_was_last_published(client, published_term):
    published_at = PublishedTerm.objects.get(pk=published_term.pk).published_at
    assert urlset(client)["http://testserver/terms/gradient-descent/"] == published_at.date().isoformat()


def test_the_index_was_last_modified_when_anything_was_last_published(client, published_term):
    assert urlset(client)["http://testserver/terms/"] == SiteState.objects.get().changed_at.date().isoformat()


def test_addresses_start_with_site_url(client, published_term, settings):
    settings.SITE_URL = "https://glossary.example.org"
    assert "https://glossary.example.org/terms/gradient-descent/" in urlset(client)


def test_addresses_never_come_from_the_requests_host(client, published_term, settings):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    assert all(address.startswith("http://testserver/") for address in urlset(client, HTTP_HOST="evil.example"))


@pytest.mark.parametrize("address", ["http://testserver/terms/secret-draft/", "http://testserver/tags/hidden-tag/"])
def test_drafts_and_their_tags_are_not_in_the_sitemap(client, published_term, draft_term, address):
    assert address not in urlset(client)


def test_a_published_term_is_in_the_sitemap(client, published_term, draft_term):
    publish(draft_term, by=None)
    assert "http://testserver/terms/secret-draft/" in urlset(client)


def test_a_large_glossary_gets_a_sitemap_index(client, make_term, monkeypatch):
    monkeypatch.setattr(Sitemap, "limit", 2)
    for _ in range(3):
        publish(make_term(tags=["Training"]), by=None)
    assert list(urlset(client)) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-pages.xml?p=2",
        "http://testserver/sitemap-terms.xml",
        "http://testserver/sitemap-terms.xml?p=2",
        "http://testserver/sitemap-tags.xml",
    ]


def test_each_page_of_a_section_sitemap_lists_its_share(client, make_term, monkeypatch):
    monkeypatch.setattr(Sitemap, "limit", 2)
    for _ in range(3):
        publish(make_term(), by=None)
    assert list(urlset(client, "/sitemap-terms.xml?p=2")) == ["http://testserver/terms/sample-term-3/"]


def test_an_unknown_section_is_a_404(client, published_term):
    assert client.get("/sitemap-drafts.xml").status_code == 404


@pytest.mark.parametrize("terms", [3, 30])
def test_the_sitemap_runs_a_fixed_number_of_queries(client, make_term, django_assert_num_queries, terms):
    for _ in range(terms):
        publish(make_term(tags=["Training"]), by=None)
    # The site state, its counts, then the terms and the tags: each counted, then read.
    with django_assert_num_queries(6):
        client.get("/sitemap.xml")


def test_robots_txt_names_the_sitemap(client, db, settings):
    settings.SITE_URL = "https://glossary.example.org"
    assert "Sitemap: https://glossary.example.org/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_robots_txt_keeps_search_pages_out_of_search_engines(client, db):
    assert client.get("/robots.txt").content.decode().startswith("User-agent: *\nDisallow: /search/\n")


def test_robots_txt_is_plain_text(client, db):
    assert client.get("/robots.txt")["Content-Type"] == "text/plain; charset=utf-8"
