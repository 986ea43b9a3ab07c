"""Reader pages come from the cache, and a publish is visible at once."""

import pytest

from terms.models.editorial import Term
from terms.publishing import publish, unpublish


def test_cached_term_page_runs_one_query(client, published_term, django_assert_num_queries):
    client.get("/terms/gradient-descent/")
    with django_assert_num_queries(1):
        client.get("/terms/gradient-descent/")


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
    # The site's state, the words' completions, the five tiers' reads, the results and their tags.
    with django_assert_num_queries(9):
        client.get("/search/?q=gradient")
