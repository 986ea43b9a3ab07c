"""Search: what a reader finds at /search/, on SQLite's FTS5 and PostgreSQL's full-text index alike."""

import pytest

from terms.publishing import publish, unpublish
from terms.search import MAX_SUGGESTIONS, rebuild_index, search_terms, suggest


def names(query: str) -> list[str]:
    return [result.name for result in search_terms(query)]


@pytest.fixture
def glossary(make_term):
    """A few published terms whose names, aliases and texts overlap in the ways search must sort out."""
    terms = {
        "Fine-tuning": {"short_definition": "Adapting a trained model to a narrower task."},
        "Large language model": {"aliases": "LLM", "short_definition": "A model trained on a great deal of text."},
        "Language model": {"short_definition": "A model that predicts the next word."},
        "Backpropagation": {"short_definition": "How a network learns from its errors."},
        "Token": {"short_definition": "A piece of text a model reads."},
        "Tokenizer": {"short_definition": "Splits text into tokens."},
        "Embedding": {
            "short_definition": "A vector that stands for a token.",
            "explanation": "Used by every transformer.",
        },
        "Corpus": {"short_definition": "A collection of documents.", "explanation": "Lots of text, gathered."},
        "Chain-of-thought prompting": {"aliases": "CoT", "short_definition": "Asking a model to reason step by step."},
    }
    for name, fields in terms.items():
        publish(make_term(name, **fields), by=None)


@pytest.mark.parametrize("query", ["fine tuning", "Fine-Tuning", "finetuning", "FINE-TUNING", "fine-tun"])
def test_case_hyphens_and_spaces_do_not_matter(glossary, query):
    assert names(query)[0] == "Fine-tuning"


def test_an_alias_finds_its_term(glossary):
    assert names("llm")[0] == "Large language model"


def test_a_prefix_finds_the_term(glossary):
    assert "Backpropagation" in names("backprop")


def test_exact_name_comes_before_names_that_start_with_it(glossary):
    assert names("token")[:2] == ["Token", "Tokenizer"]


def test_names_holding_all_the_words_come_before_definitions(glossary):
    assert names("language model")[:2] == ["Language model", "Large language model"]


def test_a_match_in_the_definition_comes_before_one_in_the_body(glossary):
    assert names("text")[-1] == "Corpus"


def test_definition_matches_rank_after_name_matches(glossary):
    assert names("model").index("Fine-tuning") > names("model").index("Language model")


def test_body_text_is_searched(glossary):
    assert names("transformer") == ["Embedding"]


def test_a_query_with_no_match_finds_nothing(glossary):
    assert names("zzzz") == []


def test_punctuation_only_query_finds_nothing(glossary):
    assert names('"*()') == []


def test_search_syntax_in_the_query_is_taken_as_words(glossary):
    assert names('token OR "x" NEAR(') == []


def test_drafts_are_never_found(draft_term):
    assert names("secret") == []


def test_unpublished_term_is_no_longer_found(published_term):
    unpublish(published_term, by=None)
    assert names("gradient") == []


def test_republished_term_is_found_by_its_new_name(published_term):
    published_term.name = "Steepest descent"
    published_term.save()
    publish(published_term, by=None)
    assert names("steepest") == ["Steepest descent"]


def test_republished_term_is_not_found_by_its_old_name(published_term):
    published_term.name = "Steepest descent"
    published_term.explanation = "Going downhill."
    published_term.short_definition = "Following the slope."
    published_term.save()
    publish(published_term, by=None)
    assert names("gradient") == []


def test_deleted_term_is_no_longer_found(published_term, reviewer_client):
    reviewer_client.post(f"/admin/terms/term/{published_term.pk}/delete/", {"post": "yes"})
    assert names("gradient") == []


def test_rebuilding_the_index_finds_the_same_terms(glossary):
    before = names("model")
    rebuild_index()
    assert names("model") == before


def test_search_page_shows_each_result_with_its_definition(client, glossary):
    assert "Adapting a trained model to a narrower task." in client.get("/search/?q=fine+tuning").content.decode()


# --- Forgiving of typos ---


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("embeding", "Embedding"),
        ("embdding", "Embedding"),
        ("backpropogation", "Backpropagation"),
        ("bakcpropagation", "Backpropagation"),
        ("backpropagatoin", "Backpropagation"),
        ("tokenzier", "Tokenizer"),
        ("larg langauge model", "Large language model"),
    ],
)
def test_one_or_two_typos_in_a_word_still_find_the_term(glossary, query, found):
    assert names(query)[0] == found


def test_an_abbreviation_alias_finds_its_term_in_any_case(glossary):
    assert names("cot")[0] == "Chain-of-thought prompting"


def test_a_word_too_short_to_correct_is_not_guessed(glossary):
    assert names("tkn") == []


def test_a_word_far_from_every_name_finds_nothing(glossary):
    assert names("xylophone") == []


def test_within_a_tier_words_as_typed_come_before_corrected_ones(make_term):
    publish(make_term("Tokens"), by=None)
    publish(make_term("Alpha", short_definition="About tokens."), by=None)
    publish(make_term("Beta", short_definition="About tokenz."), by=None)
    assert names("tokenz") == ["Tokens", "Beta", "Alpha"]


def test_a_typo_is_not_corrected_to_an_unpublished_name(published_term):
    unpublish(published_term, by=None)
    assert names("gradiant descent") == []


def test_a_typo_is_corrected_to_a_new_name_once_published(make_term):
    publish(make_term("Perplexity"), by=None)
    assert names("perplexety") == ["Perplexity"]


def test_a_typo_is_not_corrected_to_a_draft(draft_term):
    assert names("secrte draft") == []


# --- Suggestions as you type ---


def test_suggest_answers_json_with_name_url_definition_and_why_it_matched(client, glossary):
    data = client.get("/search/suggest?q=fine").json()
    assert data["suggestions"][0] == {
        "name": "Fine-tuning",
        "url": "/terms/fine-tuning/",
        "short_definition": "Adapting a trained model to a narrower task.",
        "matched": "",
    }


def test_suggest_echoes_the_query_it_answered(client, glossary):
    assert client.get("/search/suggest?q=  fine   tun ").json()["query"] == "fine tun"


def test_suggest_gives_at_most_eight_terms(client, make_term):
    for number in range(12):
        publish(make_term(f"Sampling method {number}"), by=None)
    assert len(client.get("/search/suggest?q=sampling").json()["suggestions"]) == MAX_SUGGESTIONS


def test_suggest_for_an_empty_query_is_an_empty_list(client, glossary):
    assert client.get("/search/suggest?q=").json() == {"query": "", "suggestions": []}


def test_suggest_matches_names_only(glossary):
    assert [result.name for result in suggest("documents")] == []


def test_suggest_forgives_typos(glossary):
    assert [result.name for result in suggest("embeding")] == ["Embedding"]


def test_suggest_is_json(client, glossary):
    assert client.get("/search/suggest?q=tok")["Content-Type"] == "application/json"


# --- The search page ---


def search_page(client, url):
    return client.get(url).content.decode()


def test_matched_words_are_marked_in_result_names(client, glossary):
    assert "<mark>Language</mark> model" in search_page(client, "/search/?q=language")


def test_the_query_is_escaped_in_the_page(client, glossary):
    html = search_page(client, "/search/?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_results_show_their_tags(client, make_term):
    publish(make_term("Dropout", tags=["Regularisation"]), by=None)
    assert 'href="/tags/regularisation/">Regularisation</a>' in search_page(client, "/search/?q=dropout")


def test_the_tag_filter_keeps_only_terms_with_that_tag(client, make_term):
    publish(make_term("Dropout", tags=["Regularisation"]), by=None)
    publish(make_term("Dropout rate", tags=["Training"]), by=None)
    html = search_page(client, "/search/?q=dropout&tag=training")
    assert 'href="/terms/dropout-rate/"' in html and 'href="/terms/dropout/"' not in html


def test_an_unknown_tag_searches_every_tag(client, make_term):
    publish(make_term("Dropout", tags=["Regularisation"]), by=None)
    assert 'href="/terms/dropout/"' in search_page(client, "/search/?q=dropout&tag=no-such-tag")


def test_results_come_in_pages_of_twenty(client, make_term):
    for number in range(25):
        publish(make_term(f"Sampling method {number:02}"), by=None)
    first, second = search_page(client, "/search/?q=sampling"), search_page(client, "/search/?q=sampling&page=2")
    assert (first.count('class="search-result"'), second.count('class="search-result"')) == (20, 5)


def test_the_first_page_links_to_the_next(client, make_term):
    for number in range(25):
        publish(make_term(f"Sampling method {number:02}"), by=None)
    assert 'rel="next" href="?q=sampling&amp;page=2"' in search_page(client, "/search/?q=sampling")


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999999"])
def test_a_bad_page_number_is_a_404(client, glossary, page):
    assert client.get(f"/search/?q=token&page={page}").status_code == 404


def test_no_match_says_so_and_offers_the_index(client, glossary):
    html = search_page(client, "/search/?q=qzxv")
    assert "No terms match “qzxv”" in html and 'href="/terms/"' in html


def test_no_match_suggests_the_closest_terms(client, glossary):
    # Three typos: more than a search forgives, not more than "did you mean" looks for.
    html = search_page(client, "/search/?q=emmbedinng")
    assert "Did you mean" in html and 'href="/terms/embedding/"' in html


def test_did_you_mean_links_to_the_respelt_search(client, glossary):
    assert 'href="?q=embedding"' in search_page(client, "/search/?q=emmbedinng")


def test_search_form_keeps_the_query(client, glossary):
    assert 'value="tokens &amp; more"' in search_page(client, "/search/?q=tokens+%26+more")


def test_suggest_is_answered_with_304_while_nothing_is_published(client, glossary):
    etag = client.get("/search/suggest?q=tok")["ETag"]
    assert client.get("/search/suggest?q=tok", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_suggest_is_fresh_right_after_a_publish(client, glossary, make_term):
    etag = client.get("/search/suggest?q=perp")["ETag"]
    publish(make_term("Perplexity"), by=None)
    response = client.get("/search/suggest?q=perp", HTTP_IF_NONE_MATCH=etag)
    assert [s["name"] for s in response.json()["suggestions"]] == ["Perplexity"]


def test_every_page_s_search_box_asks_the_suggest_endpoint(client, glossary):
    assert 'data-suggest="/search/suggest"' in search_page(client, "/")
