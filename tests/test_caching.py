"""Reader pages come from the cache, and a publish is visible at once."""

from unittest import mock

import pytest

from terms import caching, queries
from terms.models import Term
from terms.publishing import publish, unpublish


def test_cached_term_page_runs_one_query(client, published_term, django_assert_num_queries):
    client.get("/terms/gradient-descent/")
    with django_assert_num_queries(1):
        client.get("/terms/gradient-descent/")


@pytest.mark.parametrize("url", ["/", "/terms/", "/tags/", "/tags/training/"])
def test_a_list_page_the_cache_misses_reads_its_counts_with_the_hand_written_reader(client, published_term, url):
    with mock.patch.object(queries, "site_counts", wraps=queries.site_counts) as read:
        assert client.get(url).status_code == 200
    assert read.call_count == 1


def test_cached_term_page_shows_the_same_content(client, published_term):
    first = client.get("/terms/gradient-descent/").content
    assert client.get("/terms/gradient-descent/").content == first


def test_republish_shows_the_new_text_at_once(client, published_term):
    client.get("/terms/gradient-descent/")
    Term.objects.filter(pk=published_term.pk).update(short_definition="A freshly reviewed definition.")
    publish(published_term, by=None)
    assert "A freshly reviewed definition." in client.get("/terms/gradient-descent/").content.decode()


def test_saving_without_publishing_keeps_the_cached_page(client, published_term):
    client.get("/terms/gradient-descent/")
    Term.objects.filter(pk=published_term.pk).update(short_definition="Unreviewed.")
    assert "Unreviewed." not in client.get("/terms/gradient-descent/").content.decode()


def test_unpublish_takes_a_cached_page_down_at_once(client, published_term):
    client.get("/terms/gradient-descent/")
    unpublish(published_term, by=None)
    assert client.get("/terms/gradient-descent/").status_code == 404


@pytest.mark.parametrize(
    ("url", "marker"),
    [
        ("/", "Learning rate"),
        ("/terms/", "Learning rate"),
        ("/tags/", 'aria-label="2 terms"'),
        ("/tags/training/", "Learning rate"),
    ],
)
def test_publishing_a_new_term_updates_cached_lists(client, published_term, make_term, url, marker):
    client.get(url)
    publish(make_term("Learning rate", tags=["Training"]), by=None)
    assert marker in client.get(url).content.decode()


def test_missing_page_is_not_cached(client, make_term):
    client.get("/terms/learning-rate/")
    publish(make_term("Learning rate"), by=None)
    assert client.get("/terms/learning-rate/").status_code == 200


def test_term_page_sends_an_etag(client, published_term):
    assert client.get("/terms/gradient-descent/").has_header("ETag")


def test_term_page_sends_last_modified(client, published_term):
    assert client.get("/terms/gradient-descent/").has_header("Last-Modified")


def test_term_page_asks_browsers_to_revalidate(client, published_term):
    assert "must-revalidate" in client.get("/terms/gradient-descent/")["Cache-Control"]


def test_revalidation_with_the_etag_gets_304(client, published_term):
    etag = client.get("/terms/gradient-descent/")["ETag"]
    assert client.get("/terms/gradient-descent/", headers={"if-none-match": etag}).status_code == 304


def test_revalidation_with_last_modified_gets_304(client, published_term):
    last_modified = client.get("/terms/gradient-descent/")["Last-Modified"]
    response = client.get("/terms/gradient-descent/", headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_revalidation_runs_one_query(client, published_term, django_assert_num_queries):
    etag = client.get("/terms/gradient-descent/")["ETag"]
    with django_assert_num_queries(1):
        client.get("/terms/gradient-descent/", headers={"if-none-match": etag})


def test_revalidation_after_a_publish_gets_the_new_page(client, published_term, make_term):
    etag = client.get("/terms/gradient-descent/")["ETag"]
    publish(make_term("Learning rate"), by=None)
    assert client.get("/terms/gradient-descent/", headers={"if-none-match": etag}).status_code == 200


def test_a_new_release_gives_the_same_page_a_new_etag(client, published_term, settings):
    settings.RELEASE = "a"
    before = client.get("/terms/gradient-descent/")
    assert before.status_code == 200
    settings.RELEASE = "b"
    after = client.get("/terms/gradient-descent/")
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


@pytest.mark.parametrize("url", ["/terms/gradient-descent/", "/search/suggest?q=gradient"])
def test_revalidation_after_a_new_release_gets_the_new_page(client, published_term, settings, url):
    settings.RELEASE = "a"
    etag = client.get(url)["ETag"]
    settings.RELEASE = "b"
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert b"Gradient descent" in response.content


def test_revalidation_of_a_page_cached_under_a_new_release_gets_the_new_page(client, published_term, settings):
    settings.RELEASE = "a"
    etag = client.get("/terms/gradient-descent/")["ETag"]
    settings.RELEASE = "b"
    assert client.get("/terms/gradient-descent/").status_code == 200
    # The page now comes from the cache, stored under release "b".
    assert client.get("/terms/gradient-descent/", headers={"if-none-match": etag}).status_code == 200


def test_a_browser_revalidating_with_both_validators_after_a_new_release_gets_the_new_page(
    client, published_term, settings
):
    settings.RELEASE = "a"
    first = client.get("/terms/gradient-descent/")
    settings.RELEASE = "b"
    validators = {"if-none-match": first["ETag"], "if-modified-since": first["Last-Modified"]}
    assert client.get("/terms/gradient-descent/", headers=validators).status_code == 200


def test_revalidation_within_a_release_still_gets_304(client, published_term, settings):
    settings.RELEASE = "b"
    etag = client.get("/search/suggest?q=gradient")["ETag"]
    assert client.get("/search/suggest?q=gradient", headers={"if-none-match": etag}).status_code == 304


def test_page_cache_can_be_turned_off(client, published_term, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/terms/gradient-descent/")
    with django_assert_num_queries(2):
        client.get("/terms/gradient-descent/")


def test_search_results_are_never_stale(client, published_term, make_term):
    client.get("/search/?q=learning")
    publish(make_term("Learning rate"), by=None)
    assert "Learning rate" in client.get("/search/?q=learning").content.decode()


def test_deleting_a_published_term_in_the_admin_takes_its_cached_page_down(client, reviewer_client, published_term):
    client.get("/terms/gradient-descent/")
    reviewer_client.post(f"/admin/terms/term/{published_term.pk}/delete/", {"post": "yes"})
    assert client.get("/terms/gradient-descent/").status_code == 404


def test_bulk_deleting_published_terms_updates_the_cached_index(client, reviewer_client, published_term):
    client.get("/terms/")
    data = {"action": "delete_selected", "_selected_action": [published_term.pk], "post": "yes"}
    reviewer_client.post("/admin/terms/term/", data)
    assert "Gradient descent" not in client.get("/terms/").content.decode()


@pytest.mark.parametrize("header", ["Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "ETag"])
def test_page_from_the_cache_keeps_every_header(client, published_term, header):
    first = client.get("/terms/gradient-descent/")
    assert client.get("/terms/gradient-descent/")[header] == first[header]


def test_head_of_a_cached_page_has_no_body(client, published_term):
    client.get("/terms/gradient-descent/")
    assert client.head("/terms/gradient-descent/").content == b""


def test_cached_page_is_refused_to_an_unknown_host(client, published_term):
    client.get("/terms/gradient-descent/")
    assert client.get("/terms/gradient-descent/", HTTP_HOST="evil.example").status_code == 400


def test_search_is_never_served_from_the_page_cache(client, published_term, django_assert_num_queries):
    client.get("/search/?q=gradient")
    # The site's state, the words' completions, the five tiers' reads, which results are deprecated,
    # the results and their tags.
    with django_assert_num_queries(10):
        client.get("/search/?q=gradient")


@pytest.fixture
def site_url(settings):
    """The site's configured address, and hosts a request may spell differently."""
    settings.SITE_URL = "https://glossary.example.org"
    settings.ALLOWED_HOSTS = ["glossary.example.org", "testserver", "127.0.0.1", "localhost"]
    return settings.SITE_URL


@pytest.mark.parametrize("host", ["127.0.0.1:6666", "LOCALHOST", "localhost."])
def test_a_request_under_another_host_cannot_change_the_cached_canonical_link(client, published_term, site_url, host):
    assert client.get("/terms/gradient-descent/", HTTP_HOST=host).status_code == 200
    response = client.get("/terms/gradient-descent/", HTTP_HOST="glossary.example.org")
    assert response.status_code == 200
    assert f'<link rel="canonical" href="{site_url}/terms/gradient-descent/">' in response.content.decode()


@pytest.mark.parametrize("host", ["127.0.0.1:6666", "LOCALHOST", "localhost.", "Glossary.example.org"])
def test_a_page_requested_under_another_host_is_not_stored(client, published_term, site_url, host, pages_stored):
    assert client.get("/terms/gradient-descent/", HTTP_HOST=host).status_code == 200
    assert pages_stored.call_count == 0


def test_a_page_requested_under_the_site_url_host_is_stored(client, published_term, site_url, pages_stored):
    assert client.get("/terms/gradient-descent/", HTTP_HOST="glossary.example.org").status_code == 200
    assert pages_stored.call_count == 1


@pytest.fixture
def pages_stored():
    """Every page the page cache stores, whatever the cache backend."""
    with mock.patch.object(caching.cache, "set", wraps=caching.cache.set) as stored:
        yield stored


def test_random_query_strings_share_one_cache_entry(client, published_term, pages_stored):
    for number in range(50):
        assert client.get(f"/terms/gradient-descent/?r={number}").status_code == 200
    assert pages_stored.call_count == 1


def test_random_query_strings_are_served_from_the_cache(client, published_term, django_assert_num_queries):
    assert client.get("/terms/gradient-descent/?r=1").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/terms/gradient-descent/?r=2").status_code == 200


def test_the_index_caches_each_letter_apart(client, make_term):
    publish(make_term("Apple model"), by=None)
    publish(make_term("Zebra model"), by=None)
    assert client.get("/terms/?letter=A").status_code == 200
    response = client.get("/terms/?letter=Z&r=1")
    assert response.status_code == 200
    assert "Zebra model" in response.content.decode()


def test_parameters_in_another_order_share_one_cache_entry(client, published_term, pages_stored):
    assert client.get("/terms/?letter=G&page=1").status_code == 200
    assert client.get("/terms/?page=1&letter=G").status_code == 200
    assert pages_stored.call_count == 1


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/terms/no-such-term/", 404),
        ("/terms/?letter=!", 404),
        ("/terms/gd/", 301),
        ("/terms/?page=2", 404),
        ("/tags/nothing-here/", 404),
        ("/terms/gradient-descent/", 304),
    ],
)
def test_revalidation_answers_what_the_page_answers(client, make_term, url, status):
    publish(make_term("Gradient descent", aliases="GD"), by=None)
    home = client.get("/")
    assert home.status_code == 200
    response = client.get(url, headers={"if-none-match": home["ETag"]})
    assert response.status_code == status


@pytest.mark.parametrize(
    ("url", "status"),
    [("/terms/no-such-term/", 404), ("/terms/?letter=!", 404), ("/terms/gd/", 301), ("/terms/gradient-descent/", 304)],
)
def test_revalidation_by_date_answers_what_the_page_answers(client, make_term, url, status):
    publish(make_term("Gradient descent", aliases="GD"), by=None)
    home = client.get("/")
    assert home.status_code == 200
    response = client.get(url, headers={"if-modified-since": home["Last-Modified"]})
    assert response.status_code == status
