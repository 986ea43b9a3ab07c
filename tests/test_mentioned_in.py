"""A term's "Mentioned in": the published pages whose text links to it (terms/mentioned_in.py)."""

import pytest

from terms import mentioned_in
from terms.bulk_publishing import DERIVED, complete_deferred, publish_new_in_bulk, rebuild_derived
from terms.models import PublishedTerm
from terms.publishing import Draft, delete_term, publish, unpublish


def mentioned_in_of(term) -> list[str]:
    """The names of the pages stored as mentioning the term, in their order."""
    return [page["name"] for page in PublishedTerm.objects.get(pk=term.pk).mentioned_in]


@pytest.fixture
def tokenizer(make_term):
    term = make_term("Tokenizer", short_definition="Splits text into tokens.")
    publish(term, by=None)
    return term


@pytest.fixture
def mentioning(make_term, tokenizer):
    """A published page whose explanation links to Tokenizer."""
    term = make_term("Embedding", explanation="An embedding starts from what the tokenizer makes.")
    publish(term, by=None)
    return term


def mentioned_in_section(client, slug: str) -> str:
    response = client.get(f"/terms/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    if 'id="mentioned-in"' not in html:
        return ""
    start = html.index('id="mentioned-in"')
    return html[start : html.index("</section>", start)]


def test_a_page_that_links_to_a_term_is_listed_on_it(tokenizer, mentioning):
    assert mentioned_in_of(tokenizer) == ["Embedding"]


def test_a_listed_page_carries_its_address_and_one_liner(tokenizer, mentioning):
    assert PublishedTerm.objects.get(pk=tokenizer.pk).mentioned_in == [
        {"slug": "embedding", "name": "Embedding", "short_definition": "The one-line definition of Embedding."}
    ]


def test_a_page_published_before_the_term_it_mentions_is_listed_once_that_term_is(make_term):
    page = make_term("Embedding", explanation="An embedding starts from what the tokenizer makes.")
    publish(page, by=None)
    tokenizer = make_term("Tokenizer")
    publish(tokenizer, by=None)
    assert mentioned_in_of(tokenizer) == ["Embedding"]


def test_the_term_page_lists_the_pages_that_mention_it(client, tokenizer, mentioning):
    assert '<li><a href="/terms/embedding/">Embedding</a></li>' in mentioned_in_section(client, "tokenizer")


def test_a_term_nothing_mentions_has_no_mentioned_in_section(client, tokenizer, mentioning):
    assert mentioned_in_section(client, "embedding") == ""


def test_the_page_lists_mentioned_in_among_its_sections(client, tokenizer, mentioning):
    response = client.get("/terms/tokenizer/")
    assert response.status_code == 200
    assert '<li><a href="#mentioned-in">Mentioned in</a></li>' in response.content.decode()


def test_unpublishing_the_mentioning_page_takes_it_off_the_list(tokenizer, mentioning):
    unpublish(mentioning, by=None)
    assert mentioned_in_of(tokenizer) == []


def test_deleting_the_mentioning_page_takes_it_off_the_list(tokenizer, mentioning):
    delete_term(mentioning, by=None)
    assert mentioned_in_of(tokenizer) == []


def test_a_page_that_stops_linking_is_taken_off_the_list(tokenizer, mentioning):
    mentioning.explanation = "An embedding is a list of numbers."
    mentioning.save()
    publish(mentioning, by=None)
    assert mentioned_in_of(tokenizer) == []


def test_a_page_that_starts_linking_is_added_to_the_list(tokenizer, mentioning, make_term):
    page = make_term("Vocabulary", explanation="Words a model knows.")
    publish(page, by=None)
    page.explanation = "The words the tokenizer knows."
    page.save()
    publish(page, by=None)
    assert mentioned_in_of(tokenizer) == ["Embedding", "Vocabulary"]


def test_renaming_the_mentioning_page_renames_it_on_the_list(tokenizer, mentioning):
    mentioning.name, mentioning.sentence_name = "Vector embedding", ""
    mentioning.save()
    publish(mentioning, by=None)
    assert mentioned_in_of(tokenizer) == ["Vector embedding"]


def test_a_mentioning_homonym_is_listed_by_its_title(tokenizer, make_term):
    publish(
        make_term("Attention", qualifier="machine learning", explanation="Weighs what the tokenizer made."), by=None
    )
    assert mentioned_in_of(tokenizer) == ["Attention (machine learning)"]


def test_a_page_is_relisted_when_the_term_it_now_links_to_is_renamed(tokenizer, mentioning):
    # Renamed, Tokenizer is no longer mentioned by the page's text.
    tokenizer.name = "Word splitter"
    tokenizer.save()
    publish(tokenizer, by=None)
    assert mentioned_in_of(tokenizer) == []


def test_the_list_is_by_title(tokenizer, make_term):
    for name in ("Zeta model", "Alpha model"):
        publish(make_term(name, explanation="It reads what the tokenizer makes."), by=None)
    assert mentioned_in_of(tokenizer) == ["Alpha model", "Zeta model"]


def test_the_list_stops_at_its_limit(tokenizer, make_term, monkeypatch):
    monkeypatch.setattr(mentioned_in, "MENTIONED_IN_LIMIT", 2)
    for name in ("Gamma model", "Beta model", "Alpha model"):
        publish(make_term(name, explanation="It reads what the tokenizer makes."), by=None)
    assert mentioned_in_of(tokenizer) == ["Alpha model", "Beta model"]


def test_publishing_in_bulk_lists_the_pages_that_mention_a_term(make_term):
    tokenizer = make_term("Tokenizer")
    page = make_term("Embedding", explanation="An embedding starts from what the tokenizer makes.")
    publish_new_in_bulk([Draft.load(tokenizer), Draft.load(page)], by=None)
    assert mentioned_in_of(tokenizer) == ["Embedding"]


def test_completing_a_deferred_bulk_publish_lists_the_pages_that_mention_a_term(make_term):
    tokenizer = make_term("Tokenizer")
    page = make_term("Embedding", explanation="An embedding starts from what the tokenizer makes.")
    publish_new_in_bulk([Draft.load(tokenizer), Draft.load(page)], by=None, deferred=True)
    complete_deferred()
    assert mentioned_in_of(tokenizer) == ["Embedding"]


def test_every_list_is_written_again_by_the_rebuild(tokenizer, mentioning):
    PublishedTerm.objects.update(mentioned_in=[])
    rebuild_derived()
    assert mentioned_in_of(tokenizer) == ["Embedding"]


def test_the_rebuild_writes_the_lists_after_the_cross_links(db):
    parts = [part for part, _ in DERIVED]
    assert parts.index("mentioned in") > parts.index("cross-links")


@pytest.mark.parametrize("size", [2, 12])
def test_refreshing_the_lists_runs_a_constant_number_of_queries(tokenizer, make_term, django_assert_num_queries, size):
    for number in range(size):
        publish(make_term(f"Model {number}", explanation="It reads what the tokenizer makes."), by=None)
    ids = list(PublishedTerm.objects.values_list("pk", flat=True))
    # The pages that link to them, then one write for every list.
    with django_assert_num_queries(2):
        mentioned_in.refresh_mentioned_in(ids)


@pytest.mark.parametrize("size", [2, 12])
def test_the_term_page_reads_its_list_without_a_query_of_its_own(
    client, tokenizer, make_term, django_assert_num_queries, size
):
    for number in range(size):
        publish(make_term(f"Model {number}", explanation="It reads what the tokenizer makes."), by=None)
    # The site's generation, then the term with everything its page shows.
    with django_assert_num_queries(2):
        assert client.get("/terms/tokenizer/").status_code == 200


def test_the_page_escapes_the_names_it_lists(client, tokenizer, make_term):
    publish(make_term("Angle <i>brackets</i>", slug="angle", explanation="It reads what the tokenizer makes."), by=None)
    assert '<a href="/terms/angle/">Angle &lt;i&gt;brackets&lt;/i&gt;</a>' in mentioned_in_section(client, "tokenizer")


def test_a_homonym_that_links_to_a_term_is_listed_by_its_title(make_term, tokenizer):
    page = make_term("Attention", qualifier="psychology", slug="attention-psychology", explanation="Not the tokenizer.")
    publish(page, by=None)
    assert [entry["name"] for entry in PublishedTerm.objects.get(pk=tokenizer.pk).mentioned_in] == [
        "Attention (psychology)"
    ]
