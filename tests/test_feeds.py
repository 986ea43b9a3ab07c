"""The Atom feed of new and updated terms (terms/feeds.py)."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from terms.models import PublishedTerm
from terms.publishing import publish

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, **headers) -> ET.Element:
    response = client.get("/feed/", **headers)
    assert response.status_code == 200
    return ET.fromstring(response.content)


def entries(client) -> list[ET.Element]:
    return feed(client).findall(f"{ATOM}entry")


def entry_named(client, name) -> ET.Element:
    return next(entry for entry in entries(client) if entry.findtext(f"{ATOM}title") == name)


def test_the_feed_is_atom(client, published_term):
    assert client.get("/feed/")["Content-Type"] == "application/atom+xml; charset=utf-8"


def test_the_feed_is_titled_after_the_site(client, published_term):
    assert feed(client).findtext(f"{ATOM}title") == "AI Glossary: new and updated terms"


def test_the_feed_names_its_author_as_atom_requires(client, published_term):
    assert feed(client).findtext(f"{ATOM}author/{ATOM}name") == "AI Glossary"


def test_an_entry_is_a_term_with_its_one_liner(client, published_term):
    entry = entry_named(client, "Gradient descent")
    assert entry.findtext(f"{ATOM}summary") == "The one-line definition of Gradient descent."


def test_an_entry_links_to_the_term_page_from_site_url(client, published_term, settings):
    settings.SITE_URL = "https://glossary.example.org"
    link = entry_named(client, "Gradient descent").find(f"{ATOM}link").get("href")
    assert link == "https://glossary.example.org/terms/gradient-descent/"


def test_links_never_come_from_the_requests_host(client, published_term, settings):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    links = [link.get("href") for link in feed(client, HTTP_HOST="evil.example").iter(f"{ATOM}link")]
    assert all(link.startswith("http://testserver/") for link in links)


def test_an_entry_was_updated_when_last_published_and_published_when_first(client, published_term, edit):
    first = PublishedTerm.objects.get(pk=published_term.pk).published_at
    edit(published_term, short_definition="Walking downhill, step by step.")
    publish(published_term, by=None)
    entry = entry_named(client, "Gradient descent")
    assert (entry.findtext(f"{ATOM}published"), entry.findtext(f"{ATOM}updated")) == (
        first.isoformat(),
        PublishedTerm.objects.get(pk=published_term.pk).published_at.isoformat(),
    )


def test_the_latest_term_comes_first(client, published_term, make_term):
    publish(make_term("Weight decay"), by=None)
    assert entries(client)[0].findtext(f"{ATOM}title") == "Weight decay"


def test_the_feed_holds_the_latest_fifty(client, make_term):
    for _ in range(51):
        publish(make_term(), by=None)
    assert len(entries(client)) == 50


def test_the_feed_leaves_out_the_term_published_longest_ago(client, make_term):
    for _ in range(51):
        publish(make_term(), by=None)
    PublishedTerm.objects.filter(name="Sample term 7").update(published_at=timezone.now() - timedelta(days=30))
    assert "Sample term 7" not in [entry.findtext(f"{ATOM}title") for entry in entries(client)]


def test_a_one_liner_is_text_in_the_html_summary(client, make_term):
    publish(make_term("Angle", short_definition="When x < y & y > z."), by=None)
    assert b"When x &amp;lt; y &amp;amp; y &amp;gt; z." in client.get("/feed/").content


def test_a_draft_is_not_in_the_feed(client, published_term, draft_term):
    assert b"Secret draft" not in client.get("/feed/").content


def test_unpublished_edits_are_not_in_the_feed(client, published_term, edit):
    edit(published_term, short_definition="An edit nobody has reviewed.")
    assert b"An edit nobody has reviewed." not in client.get("/feed/").content


def test_the_feed_is_not_modified_until_something_is_published(client, published_term):
    etag = client.get("/feed/")["ETag"]
    assert client.get("/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("url", ["/", "/terms/", "/terms/gradient-descent/", "/tags/", "/tags/training/", "/search/"])
def test_every_reader_page_links_to_the_feed(client, published_term, url):
    assert (
        '<link rel="alternate" type="application/atom+xml" title="AI Glossary: new and updated terms" href="/feed/">'
        in client.get(url).content.decode()
    )


@pytest.mark.parametrize("terms", [3, 30])
def test_the_feed_runs_a_fixed_number_of_queries(client, make_term, django_assert_num_queries, terms):
    for _ in range(terms):
        publish(make_term(), by=None)
    # The page cache's site state, then the terms.
    with django_assert_num_queries(2):
        client.get("/feed/")
