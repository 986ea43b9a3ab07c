"""The admin's term search: the site's search engine over working copies, drafts included."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from terms.admin_search import rebuild_admin_index, search_working_copies
from terms.models import Example, Misconception
from terms.publishing import delete_term, publish
from terms.search import search_terms
from terms.workflow import record_save

CHANGELIST = reverse("admin:terms_term_changelist")


@pytest.fixture
def saved(make_term):
    """A term made and saved as the admin saves it: `saved(name, **fields)`."""

    def saved(name, **fields):
        term = make_term(name, **fields)
        record_save(term, by=None)
        return term

    return saved


def listed(client, query: str) -> list[str]:
    """The names the term changelist lists for a search, in its order."""
    response = client.get(CHANGELIST, {"q": query})
    assert response.status_code == 200
    return re.findall(r'<th class="field-name"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def glossary(saved):
    saved("Embedding", short_definition="A list of numbers standing for text.", explanation="Vectors of meaning.")
    saved(
        "LoRA", short_definition="Low-rank adaptation: small adapters, little storage.", explanation="Cheaply trained."
    )
    saved("RAG", short_definition="Retrieval-augmented generation.", explanation="Looking things up first.")
    saved("Open-book exam", short_definition="An exam with notes allowed.", explanation="Like an open book test.")
    saved("Tokenizer", short_definition="Splits text into tokens.", aliases="Tokeniser\nWordpiece splitter")


def test_search_finds_a_term_by_a_word_in_its_body(editor_client, glossary, saved):
    saved("Grounding", short_definition="Tying answers to sources.", explanation="The model answers from a library.")
    assert listed(editor_client, "library") == ["Grounding"]


def test_search_finds_a_term_by_a_body_word_with_a_one_letter_typo(editor_client, glossary, saved):
    saved("Grounding", short_definition="Tying answers to sources.", explanation="The model answers from a library.")
    assert listed(editor_client, "libary") == ["Grounding"]


def test_search_finds_a_name_with_a_typo(editor_client, glossary):
    assert listed(editor_client, "embeding") == ["Embedding"]


def test_search_finds_a_term_by_its_alias(editor_client, glossary):
    assert listed(editor_client, "wordpiece") == ["Tokenizer"]


def test_search_finds_a_term_by_its_one_line_definition(editor_client, glossary):
    assert listed(editor_client, "retrieval") == ["RAG"]


def test_search_finds_words_in_examples_and_misconceptions(editor_client, saved):
    term = saved("Hallucination", short_definition="A confident, wrong answer.")
    Example.objects.create(term=term, title="A made-up court case", body="The lawyer cited a fictional ruling.")
    Misconception.objects.create(term=term, claim="Bigger models never invent", correction="They still confabulate.")
    record_save(term, by=None)
    assert (listed(editor_client, "fictional"), listed(editor_client, "confabulate")) == (
        ["Hallucination"],
        ["Hallucination"],
    )


def test_search_finds_drafts(editor_client, saved):
    saved("Secret draft", short_definition="Nobody reads this yet.")
    assert listed(editor_client, "secret") == ["Secret draft"]


def test_search_for_rag_does_not_list_lora(editor_client, glossary):
    assert listed(editor_client, "RAG") == ["RAG"]


def test_an_exact_name_comes_before_a_mention_in_a_body(editor_client, saved):
    saved("Attention", short_definition="Weighing the parts of the input.")
    saved("Transformer", short_definition="A network built on attention.", explanation="Attention everywhere.")
    assert listed(editor_client, "attention") == ["Attention", "Transformer"]


def test_a_clicked_column_orders_the_search_results(editor_client, saved):
    saved("Attention", short_definition="Weighing the parts of the input.")
    saved("Transformer", short_definition="A network built on attention.")
    response = editor_client.get(CHANGELIST, {"q": "attention", "o": "-1"})
    names = re.findall(r'<th class="field-name"><a href="[^"]+">([^<]+)</a>', response.content.decode())
    assert names == ["Transformer", "Attention"]


def test_a_search_finding_nothing_lists_nothing(editor_client, glossary):
    assert listed(editor_client, "zzzqqq") == []


def test_an_edit_replaces_what_the_search_finds(editor_client, saved, edit):
    term = saved("Grounding", short_definition="Tying answers to sources.", explanation="From a library.")
    edit(term, explanation="From an archive.")
    assert (listed(editor_client, "library"), listed(editor_client, "archive")) == ([], ["Grounding"])


def test_a_deleted_term_leaves_the_search(editor_client, saved):
    term = saved("Grounding", short_definition="Tying answers to sources.")
    delete_term(term, by=None)
    assert search_working_copies("grounding") == []


def test_a_published_term_is_found_after_publishing_without_a_save(editor_client, make_term):
    publish(make_term("Seeded term", short_definition="Loaded by the seed, then published."), by=None)
    assert listed(editor_client, "seeded") == ["Seeded term"]


def test_the_public_search_never_finds_a_draft(client, saved):
    saved("Secret draft", short_definition="Nobody reads this yet.")
    response = client.get("/search/", {"q": "secret"})
    assert response.status_code == 200
    assert "Secret draft" not in response.content.decode()


def test_the_public_search_never_finds_unpublished_changes(saved, edit):
    term = saved("Grounding", short_definition="Tying answers to sources.")
    publish(term, by=None)
    edit(term, explanation="An unpublished secret phrase: quokka.")
    assert search_terms("quokka") == []


def test_rebuilding_indexes_terms_the_index_missed(make_term):
    make_term("Loaded raw", short_definition="Written past the verbs.")
    rebuild_admin_index()
    assert len(search_working_copies("loaded raw")) == 1


def test_rebuild_published_rebuilds_the_admin_index_too(make_term):
    make_term("Loaded raw", short_definition="Written past the verbs.")
    call_command("rebuild_published", verbosity=0)
    assert len(search_working_copies("loaded raw")) == 1


def test_a_search_runs_a_fixed_number_of_queries(editor_client, saved, django_assert_max_num_queries):
    for number in range(30):
        saved(f"Attention variant {number}", short_definition="Weighing the parts of the input.")
    with django_assert_max_num_queries(40):
        assert editor_client.get(CHANGELIST, {"q": "attention"}).status_code == 200
