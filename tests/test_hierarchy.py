"""Broader and narrower terms never make a loop (terms/hierarchy.py)."""

import pytest
from django.core.exceptions import ValidationError

from terms.models import Relation
from terms.publishing import publish


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
