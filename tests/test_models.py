"""The editorial models and the rules the database enforces."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from terms.models.editorial import Relation, Term, lower_common_words


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


def test_term_names_are_unique_ignoring_case(make_term):
    make_term("Embedding")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_term("EMBEDDING", slug="embedding-2")


def test_duplicate_name_fails_validation_with_a_clear_message(make_term):
    make_term("Embedding")
    term = Term(name="embedding", slug="embedding-2", short_definition="Another.")
    with pytest.raises(ValidationError, match="A term with this name already exists"):
        term.full_clean()


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
