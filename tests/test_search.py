"""Search: what a reader finds at /search/, on SQLite's FTS5 and PostgreSQL's full-text index alike."""

import pytest

from terms.publishing import publish, unpublish
from terms.search import rebuild_index, search_terms


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
