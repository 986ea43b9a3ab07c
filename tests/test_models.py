"""The editorial models and the rules the database enforces."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from terms.models import Relation, Term
from terms.models.editorial import lower_common_words
from terms.publishing import publish


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


def test_twin_name_fails_validation_with_a_clear_message(make_term, twins):
    name, twin = twins
    make_term(name, slug="first")
    term = Term(name=twin, slug="twin", short_definition="Another.")
    with pytest.raises(ValidationError, match="A term with this name already exists") as refused:
        term.full_clean()
    assert list(refused.value.message_dict) == ["name"]


def test_database_refuses_a_twin_name(make_term, twins):
    name, twin = twins
    make_term(name, slug="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_term(twin, slug="twin")


def test_names_are_stored_composed_and_without_invisible_characters(make_term):
    term = make_term("Cafe\u0301 au\u200b lait\u00ad", slug="cafe-au-lait")
    assert Term.objects.get(pk=term.pk).name == "Café au lait"


def test_name_keeps_the_letter_case_the_editor_typed(make_term):
    term = Term(name="ＬoRA", slug="lora", short_definition="Low-rank adaptation.")
    term.full_clean()
    assert term.name == "ＬoRA"


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


@pytest.fixture
def fine_tuning_and_lora(make_term, relate):
    """LoRA, whose broader term is Fine-tuning."""
    fine_tuning, lora = make_term("Fine-tuning"), make_term("LoRA")
    relate(lora, fine_tuning, Relation.Kind.BROADER)
    return fine_tuning, lora


def test_broader_both_ways_fails_validation_naming_the_loop(fine_tuning_and_lora):
    fine_tuning, lora = fine_tuning_and_lora
    with pytest.raises(ValidationError, match="Fine-tuning → LoRA → Fine-tuning"):
        Relation(from_term=fine_tuning, to_term=lora, kind=Relation.Kind.BROADER).full_clean()


def test_narrower_contradicting_a_broader_fails_validation(fine_tuning_and_lora):
    fine_tuning, lora = fine_tuning_and_lora
    with pytest.raises(ValidationError, match="LoRA → Fine-tuning → LoRA"):
        Relation(from_term=lora, to_term=fine_tuning, kind=Relation.Kind.NARROWER).full_clean()


def test_narrower_saying_the_same_as_a_broader_passes_validation(fine_tuning_and_lora):
    fine_tuning, lora = fine_tuning_and_lora
    relation = Relation(from_term=fine_tuning, to_term=lora, kind=Relation.Kind.NARROWER)
    relation.full_clean()
    assert relation.kind == Relation.Kind.NARROWER


def test_longer_loop_of_broader_terms_fails_validation_naming_it(make_term, relate):
    a, b, c = make_term("Attention"), make_term("Transformer"), make_term("LLM")
    relate(a, b, Relation.Kind.BROADER)
    relate(b, c, Relation.Kind.BROADER)
    with pytest.raises(ValidationError, match="LLM → Attention → Transformer → LLM"):
        Relation(from_term=c, to_term=a, kind=Relation.Kind.BROADER).full_clean()


def test_related_both_ways_is_not_a_loop(make_term, relate):
    a, b = make_term(), make_term()
    relate(a, b)
    relation = Relation(from_term=b, to_term=a, kind=Relation.Kind.RELATED)
    relation.full_clean()
    assert relation.kind == Relation.Kind.RELATED


def test_publishing_refuses_a_term_whose_stored_relations_make_a_loop(fine_tuning_and_lora, relate):
    fine_tuning, lora = fine_tuning_and_lora
    relate(fine_tuning, lora, Relation.Kind.BROADER)  # past validation, as an import could
    with pytest.raises(ValidationError, match="Fine-tuning → LoRA → Fine-tuning"):
        publish(fine_tuning, by=None)


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
