"""The editorial models and the rules the database enforces."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from terms.models import Relation, Term
from terms.models.editorial import lower_common_words
from terms.publishing import publish
from terms.rendering import MAX_MARKDOWN_LENGTH


def test_term_cannot_be_related_to_itself_in_the_database(make_term):
    term = make_term()
    with pytest.raises(IntegrityError), transaction.atomic():
        Relation.objects.create(from_term=term, to_term=term)


def test_duplicate_relation_is_refused_by_the_database(make_term, relate):
    a, b = make_term(), make_term()
    relate(a, b)
    with pytest.raises(IntegrityError), transaction.atomic():
        relate(a, b)


def test_same_pair_may_be_related_with_different_kinds(make_term, relate):
    a, b = make_term(), make_term()
    relate(a, b, Relation.Kind.RELATED)
    relate(a, b, Relation.Kind.CONTRAST)
    assert a.relations.count() == 2


def test_self_relation_fails_validation_with_a_clear_message(make_term):
    term = make_term()
    with pytest.raises(ValidationError, match="cannot be related to itself"):
        Relation(from_term=term, to_term=term).full_clean()


def test_over_long_short_definition_is_refused_by_the_database(make_term):
    term = make_term()
    # SQLite refuses it through the check constraint, PostgreSQL through the column's length.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Term.objects.filter(pk=term.pk).update(short_definition="x" * 301)


def test_empty_short_definition_is_refused_by_the_database(make_term):
    term = make_term()
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.filter(pk=term.pk).update(short_definition="")


def test_upper_case_slug_is_lower_cased_by_validation(db):
    term = Term(name="Embedding", slug="Embedding", short_definition="A vector.")
    term.full_clean()
    assert term.slug == "embedding"


def test_slug_differing_only_in_case_fails_validation(make_term):
    make_term("Embedding", slug="embedding")
    term = Term(name="Embeddings", slug="Embedding", short_definition="Vectors.")
    with pytest.raises(ValidationError, match="Term with this Slug already exists"):
        term.full_clean()


def test_database_refuses_an_upper_case_slug(make_term):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_term("Embedding", slug="Embedding")


def test_alias_that_is_another_terms_name_fails_validation(make_term):
    make_term("Large language model", slug="large-language-model")
    term = Term(name="LLM", slug="llm", short_definition="A model.", aliases="LARGE  language model")
    with pytest.raises(ValidationError, match="is already the name of"):
        term.full_clean()


def test_alias_that_is_another_terms_alias_fails_validation(make_term):
    publish(make_term("Fine-tuning", slug="fine-tuning", aliases="Finetuning"), by=None)
    term = Term(name="Fine tuning", slug="fine-tuning-2", short_definition="Training.", aliases="FINE\u200bTUNING")
    with pytest.raises(ValidationError, match="is already an alias of"):
        term.full_clean()


def test_refused_alias_links_to_the_other_terms_admin_page(make_term):
    other = make_term("Large language model", slug="large-language-model")
    term = Term(name="LLM", slug="llm", short_definition="A model.", aliases="Large language model")
    with pytest.raises(ValidationError) as refused:
        term.full_clean()
    assert f'<a href="/admin/terms/term/{other.pk}/change/">Large language model</a>' in refused.value.messages[0]


def test_alias_that_is_the_terms_own_name_in_another_form_fails_validation(db):
    term = Term(name="Café", slug="cafe", short_definition="Coffee.", aliases="CAFE\u0301")
    with pytest.raises(ValidationError, match="is this term's own name"):
        term.full_clean()


@pytest.fixture
def beta_quux(make_term):
    """A published term with the alias "Xylo Quux"."""
    term = make_term("Beta Quux", slug="beta-quux", aliases="Xylo Quux")
    publish(term, by=None)
    return term


def test_name_that_is_a_live_terms_alias_fails_validation_on_the_name(beta_quux):
    term = Term(name="XYLO quux", slug="xylo-quux", short_definition="Another.")
    with pytest.raises(ValidationError, match="is an alias of") as refused:
        term.full_clean()
    assert list(refused.value.message_dict) == ["name"]


def test_refused_name_links_to_the_term_whose_alias_it_is(beta_quux):
    term = Term(name="Xylo\u200b Quux", slug="xylo-quux", short_definition="Another.")
    with pytest.raises(ValidationError) as refused:
        term.full_clean()
    assert refused.value.message_dict["name"] == [
        f'“Xylo Quux” is an alias of <a href="/admin/terms/term/{beta_quux.pk}/change/">Beta Quux</a>: '
        "remove it there first, or choose another name."
    ]


def test_renaming_a_term_to_a_live_terms_alias_fails_validation(beta_quux, make_term):
    term = make_term("Gamma Quux", slug="gamma-quux")
    term.name = "Xylo Quux"
    with pytest.raises(ValidationError, match="is an alias of"):
        term.full_clean()


def test_name_that_is_an_unpublished_terms_alias_passes_validation(make_term):
    make_term("Beta Quux", slug="beta-quux", aliases="Xylo Quux")
    term = Term(name="Xylo Quux", slug="xylo-quux", short_definition="Another.")
    term.full_clean()
    assert term.name_key == "xylo quux"


def test_alias_of_no_other_term_passes_validation(make_term):
    make_term("Large language model", slug="large-language-model", aliases="LLMs")
    term = Term(name="LLM", slug="llm", short_definition="A model.", aliases="Foundation model")
    term.full_clean()
    assert term.alias_list == ["Foundation model"]


def test_new_term_starts_as_a_draft(make_term):
    assert make_term().status == Term.Status.DRAFT


@pytest.mark.parametrize(
    ("name", "sentence_name", "expected"),
    [
        ("Fine-tuning", "", "fine-tuning"),
        ("Chain-of-Thought Prompting", "", "chain-of-thought prompting"),
        ("Artificial Intelligence", "", "artificial intelligence"),
        ("BERT", "", "BERT"),
        ("LoRA", "", "LoRA"),
        ("AI slop", "", "AI slop"),
        ("LLM", "an LLM", "an LLM"),
    ],
)
def test_name_in_sentence_reads_naturally(name, sentence_name, expected):
    assert Term(name=name, sentence_name=sentence_name).name_in_sentence == expected


def test_lower_common_words_keeps_acronyms_inside_names():
    assert lower_common_words("Retrieval-Augmented Generation (RAG)") == "retrieval-augmented generation (RAG)"


def test_alias_list_drops_blank_lines_and_repeats():
    term = Term(aliases="LLM\n\n  Large   language model \nllm")
    assert term.alias_list == ["LLM", "Large language model"]


def test_term_url_is_its_public_page(make_term):
    assert make_term("Token").get_absolute_url() == "/terms/token/"


def test_the_database_refuses_an_over_long_markdown_section(make_term):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_term("Widget", history="x" * (MAX_MARKDOWN_LENGTH + 1))
