"""The starter glossary is complete and checked: every term has every part a reader expects.

The conventions (pronunciation, sources, tags) are described in docs/content.md.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Q

from terms.enums import SHOWN_LABEL_KINDS
from terms.models import PublishedTerm, Relation, SiteState, Term

STARTER = Path(settings.BASE_DIR) / "fixtures" / "glossary.json"
# British IPA as in the Cambridge and Oxford learner's dictionaries: the symbols the convention uses.
IPA_SYMBOLS = set("abdefhijklmnprstuvwzæɑɒɔəɜɪʊʌθðʃʒŋɡːˈˌ ")
# Names said letter by letter, spelled out in the pronunciation.
SAID_LETTER_BY_LETTER = ["AGI", "GPT", "GPU", "LLM", "RLHF"]
YEAR = re.compile(r"\b(1[6-9]\d\d|20[0-2]\d)\b")
EXPECTED_TERMS = [
    "RLHF",
    "Context window",
    "Temperature",
    "Diffusion model",
    "Generative AI",
    "GPT",
    "AI agent",
    "Foundation model",
    "Instruction tuning",
    "Quantisation",
    "Vector database",
    "Reinforcement learning",
    "Supervised learning",
    "Unsupervised learning",
    "Self-supervised learning",
    "Multimodal model",
    "Loss function",
    "Few-shot prompting",
    "Zero-shot prompting",
    "AGI",
    "Alignment",
    "Reasoning model",
    "Knowledge distillation",
]
SEED_RELATED_ORDER = [
    "llm",
    "prompt",
    "embedding",
    "inference",
    "ai-slop",
    "artificial-intelligence",
    "average-precision-at-k",
    "backpropagation",
    "bert",
    "chain-of-thought-prompting",
]
TOPIC_TAGS = ["Generative AI", "Large language models", "Natural language processing", "Neural networks"]


def starter_terms() -> list[Term]:
    return list(Term.objects.prefetch_related("examples", "misconceptions", "tags").order_by("name"))


def names_where(broken) -> list[str]:
    """The starter terms for which `broken(term)` holds: an empty list when every term is right."""
    return [term.name for term in starter_terms() if broken(term)]


def term(slug: str) -> Term:
    return Term.objects.get(slug=slug)


def everything_said(slug: str) -> str:
    found = term(slug)
    return " ".join([found.short_definition, found.explanation, found.analogy, found.usage, found.history])


def related(one: str, other: str) -> bool:
    return Relation.objects.filter(
        Q(from_term__slug=one, to_term__slug=other) | Q(from_term__slug=other, to_term__slug=one)
    ).exists()


def test_the_starter_glossary_publishes_at_least_60_terms(seeded):
    assert PublishedTerm.objects.filter(deprecated_at__isnull=True).count() >= 60


@pytest.mark.parametrize("name", EXPECTED_TERMS)
def test_the_starter_glossary_has_the_terms_readers_expect(seeded, name):
    assert PublishedTerm.objects.filter(name=name).exists()


@pytest.mark.parametrize(
    "field", ["short_definition", "pronunciation", "sentence_name", "explanation", "analogy", "usage", "history"]
)
def test_every_starter_term_fills_in(seeded, field):
    assert names_where(lambda term: not getattr(term, field).strip()) == []


def test_every_starter_one_liner_is_one_sentence_of_at_most_300_characters(seeded):
    assert names_where(lambda term: len(term.short_definition) > 300 or not term.short_definition.endswith(".")) == []


def test_every_starter_pronunciation_is_between_slashes(seeded):
    assert names_where(lambda term: not re.fullmatch(r"/[^/]+/", term.pronunciation)) == []


def test_every_starter_pronunciation_uses_only_the_conventions_symbols(seeded):
    assert names_where(lambda term: set(term.pronunciation.strip("/")) - IPA_SYMBOLS) == []


def test_every_starter_pronunciation_marks_its_primary_stress(seeded):
    assert names_where(lambda term: term.pronunciation.count("ˈ") < 1) == []


def test_every_starter_pronunciation_of_several_words_marks_a_secondary_stress(seeded):
    # Fine-tuning keeps the seed's own words, /faɪn ˈtjuːnɪŋ/, written before the convention.
    assert names_where(lambda term: " " in term.pronunciation and "ˌ" not in term.pronunciation) == ["Fine-tuning"]


@pytest.mark.parametrize("name", SAID_LETTER_BY_LETTER)
def test_an_acronym_said_letter_by_letter_is_spelled_out_from_secondary_to_primary_stress(seeded, name):
    assert re.fullmatch(r"/ˌ[^ ˌˈ]+ˈ[^ ˌˈ]+/", Term.objects.get(name=name).pronunciation)


def test_every_starter_term_has_an_example(seeded):
    assert names_where(lambda term: not [example for example in term.examples.all() if example.body.strip()]) == []


def test_every_starter_term_has_at_least_two_misconceptions(seeded):
    assert names_where(lambda term: len(term.misconceptions.all()) < 2) == []


def test_every_starter_misconception_has_a_claim_and_a_correction(seeded):
    def broken(term):
        return any(not (m.claim.strip() and m.correction.strip()) for m in term.misconceptions.all())

    assert names_where(broken) == []


def test_every_starter_history_has_a_dated_milestone(seeded):
    assert names_where(lambda term: not YEAR.search(term.history)) == []


def test_every_starter_history_names_its_sources(seeded):
    assert names_where(lambda term: "\n\nSources: " not in term.history) == []


def test_every_starter_term_has_at_least_two_relations(seeded):
    def broken(term):
        return Relation.objects.filter(Q(from_term=term) | Q(to_term=term)).count() < 2

    assert names_where(broken) == []


def test_every_relation_of_the_starter_fixture_points_to_a_starter_term():
    records = json.loads(STARTER.read_text())
    slugs = {record["fields"]["slug"] for record in records if record["model"] == "terms.term"}
    targets = {record["fields"]["to_term"][0] for record in records if record["model"] == "terms.relation"}
    assert targets - slugs == set()


def test_every_starter_relation_leads_to_a_published_term(seeded):
    assert not Relation.objects.exclude(to_term__status=Term.Status.PUBLISHED).exists()


def test_every_starter_term_has_a_tag(seeded):
    assert names_where(lambda term: not term.tags.all()) == []


def test_every_starter_tag_has_at_least_three_terms(seeded):
    counts = SiteState.objects.get(pk=1).counts.tags
    assert [tag["name"] for tag in counts if tag["count"] < 3] == []


def test_no_starter_tag_duplicates_another(seeded):
    names = [tag["name"].casefold().removesuffix("s") for tag in SiteState.objects.get(pk=1).counts.tags]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("tag_name", TOPIC_TAGS)
def test_a_starter_tag_named_after_a_concept_leads_to_its_term(seeded, tag_name):
    tag = next(tag for tag in SiteState.objects.get(pk=1).counts.tags if tag["name"] == tag_name)
    assert tag["topic"] is not None


# The corrections a domain expert asked for (issue 19).


def test_artificial_intelligence_is_defined_beyond_learning_from_data(seeded):
    assert "rules and search" in term("artificial-intelligence").short_definition


def test_bert_is_defined_as_a_family_of_encoder_models(seeded):
    assert "family of pre-trained Transformer encoder models" in term("bert").short_definition


@pytest.mark.parametrize("method", ["BPE", "WordPiece", "Unigram"])
def test_tokenization_names_each_subword_method(seeded, method):
    assert method in term("tokenization").explanation


def test_tokenization_calls_sentencepiece_a_library_that_implements_bpe_and_unigram(seeded):
    assert "SentencePiece, which implements BPE and Unigram" in term("tokenization").explanation


def test_transformer_no_longer_calls_recurrent_networks_the_earlier_language_models(seeded):
    assert "the earlier language models" not in everything_said("transformer").lower()


def test_pre_training_says_frontier_runs_use_tens_of_thousands_of_accelerators(seeded):
    assert "tens of thousands of accelerators" in everything_said("pre-training")


def test_pre_training_does_not_give_foundation_model_as_another_name(seeded):
    assert "foundation model" not in term("pre-training").aliases.lower()


def test_foundation_model_and_base_model_are_told_apart(seeded):
    assert Relation.objects.filter(
        from_term__slug="foundation-model", to_term__slug="base-model", kind=Relation.Kind.CONTRAST
    ).exists()


def test_ai_slop_history_says_slop_first_meant_mud(seeded):
    assert "soft mud or slush" in term("ai-slop").history


def test_weights_is_not_shown_as_another_name_for_a_parameter(seeded):
    labels = PublishedTerm.objects.get(slug="parameter").labels
    assert [
        label for label in labels if label["name"].lower() == "weights" and label["kind"] in SHOWN_LABEL_KINDS
    ] == []


def test_self_attention_is_its_own_term_narrower_than_attention(seeded):
    assert Relation.objects.filter(
        from_term__slug="self-attention", to_term__slug="attention-mechanism", kind=Relation.Kind.BROADER
    ).exists()


def test_self_attention_is_no_longer_an_alias_of_attention(seeded):
    assert "self-attention" not in term("attention-mechanism").aliases.lower()


@pytest.mark.parametrize(
    ("one", "other"), [("llm", "token"), ("llm", "prompt"), ("llm", "parameter"), ("transformer", "deep-learning")]
)
def test_the_links_readers_missed_are_there(seeded, one, other):
    assert related(one, other)


def test_fine_tuning_keeps_the_seeds_ten_related_terms_first(seeded):
    first_ten = Relation.objects.filter(from_term__slug="fine-tuning").order_by("position", "pk")[:10]
    assert [relation.to_term.slug for relation in first_ten] == SEED_RELATED_ORDER


def test_pre_training_is_related_to_fine_tuning_rather_than_a_term_not_to_confuse_with_it(seeded):
    assert Relation.objects.filter(
        from_term__slug="fine-tuning", to_term__slug="pre-training", kind=Relation.Kind.RELATED
    ).exists()


@pytest.mark.parametrize("year", ["2006", "2018", "2019", "2022", "2023"])
def test_fine_tuning_history_adds_its_milestones(seeded, year):
    history = term("fine-tuning").history
    assert year in history.split("\n\n", 1)[1]


# People also read, chosen from the terms' wording as well as their tags and relations.


def also_read(slug: str) -> list[str]:
    return [entry["slug"] for entry in PublishedTerm.objects.get(slug=slug).also_read]


def test_an_llm_reader_is_no_longer_sent_to_a_ranking_metric(seeded):
    assert "average-precision-at-k" not in also_read("llm")


def test_few_shot_prompting_readers_are_offered_chain_of_thought_prompting(seeded):
    assert "chain-of-thought-prompting" in also_read("few-shot-prompting")


def test_bert_readers_are_offered_the_tokens_it_reads(seeded):
    assert "token" in also_read("bert")
