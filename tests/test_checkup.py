"""The glossary's health check: each kind of problem found on a crafted glossary, and not on a clean one."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from terms.checkup import CHECKS, ERROR, WARNING, check_glossary, label_names, loops
from terms.models import Example, Misconception, PublishedTerm, Relation, Term
from terms.models.published import PublishedRelation
from terms.publishing import publish

BROADER = Relation.Kind.BROADER


def findings(check: str) -> list:
    """What one check found, run with all the others."""
    report = check_glossary()
    return next(result.findings for result in report.results if result.check.name == check)


def titles(check: str) -> list[str]:
    return [finding.term.title for finding in findings(check)]


@pytest.fixture
def complete_term(make_term):
    """A term with every section of its page written: publish it to have a clean page."""

    def complete(name, **fields):
        term = make_term(name, analogy="Like a map.", usage="Used daily.", history="Since 1990.", **fields)
        Example.objects.create(term=term, body="A worked example.")
        Misconception.objects.create(term=term, claim="It is magic.", correction="It is not.")
        return term

    return complete


# The registry


def test_every_check_has_a_title_a_level_and_a_way_to_fix_it():
    assert all(check.title and check.how_to_fix and check.level in (ERROR, WARNING) for check in CHECKS)


def test_check_names_are_unique():
    assert len({check.name for check in CHECKS}) == len(CHECKS)


def test_an_empty_glossary_has_no_findings(db):
    report = check_glossary()
    assert (report.errors, report.warnings) == (0, 0)


# Loops of broader terms


def test_loops_finds_a_loop_once_shortest_first():
    assert loops([(1, 2), (2, 3), (3, 1), (4, 1)]) == [[1, 2, 3, 1]]


def test_loops_finds_none_in_a_tree():
    assert loops([(2, 1), (3, 1), (4, 2)]) == []


def test_a_loop_of_broader_working_copies_is_an_error(make_term, relate):
    lora, fine_tuning = make_term("LoRA"), make_term("Fine-tuning")
    relate(lora, fine_tuning, BROADER)
    relate(fine_tuning, lora, BROADER)
    assert [finding.message for finding in findings("cycles")] == [
        "Broader terms loop back to it in the working copies: LoRA → Fine-tuning → LoRA."
    ]


def test_a_broader_and_a_narrower_relation_the_wrong_way_round_make_a_loop(make_term, relate):
    lora, fine_tuning = make_term("LoRA"), make_term("Fine-tuning")
    relate(lora, fine_tuning, BROADER)
    relate(lora, fine_tuning, Relation.Kind.NARROWER)
    assert titles("cycles") == ["LoRA"]


def test_a_loop_of_published_relations_is_an_error(make_term):
    lora, fine_tuning = make_term("LoRA"), make_term("Fine-tuning")
    publish(lora, by=None)
    publish(fine_tuning, by=None)
    PublishedRelation.objects.create(source_id=lora.pk, target_id=fine_tuning.pk, kind=BROADER)
    PublishedRelation.objects.create(source_id=fine_tuning.pk, target_id=lora.pk, kind=BROADER)
    assert [finding.message for finding in findings("cycles")] == [
        "Broader terms loop back to it in the published pages: LoRA → Fine-tuning → LoRA."
    ]


def test_a_chain_of_broader_terms_is_no_loop(make_term, relate):
    lora, fine_tuning, training = make_term("LoRA"), make_term("Fine-tuning"), make_term("Training")
    relate(lora, fine_tuning, BROADER)
    relate(fine_tuning, training, BROADER)
    assert findings("cycles") == []


# Aliases


def test_an_alias_shared_by_two_terms_is_an_error_on_each(make_term):
    make_term("Large language model", aliases="LLM")
    make_term("Legal language model", slug="legal", aliases="llm")
    assert titles("alias_collisions") == ["Large language model", "Legal language model"]


def test_an_alias_that_is_another_terms_name_is_an_error(make_term):
    make_term("Attention")
    make_term("Attention mechanism", aliases="ATTENTION")
    assert [finding.message for finding in findings("alias_collisions")] == [
        "Its alias “ATTENTION” is also the name of Attention."
    ]


def test_an_alias_collision_counts_as_an_error():
    assert next(check.level for check in CHECKS if check.name == "alias_collisions") == ERROR


def test_an_unpublished_terms_alias_collides_too(make_term):
    publish(make_term("Retrieval-augmented generation", aliases="RAG"), by=None)
    make_term("Red amber green", aliases="RAG")
    assert titles("alias_collisions") == ["Retrieval-augmented generation", "Red amber green"]


def test_a_label_kind_before_an_alias_is_not_part_of_its_name(make_term):
    make_term("Attention")
    make_term("Attention mechanism", aliases="hidden: attention")
    assert titles("alias_collisions") == ["Attention mechanism"]


def test_homonyms_sharing_a_name_are_no_collision(make_term):
    make_term("Attention", slug="attention-psychology", qualifier="psychology")
    make_term("Attention", slug="attention-machine-learning", qualifier="machine learning")
    assert findings("alias_collisions") == []


def test_label_names_drop_blanks_repeats_and_kinds():
    assert label_names("abbreviation: LLM\n\nllm\nSpelling variant: Large-language model") == [
        "LLM",
        "Large-language model",
    ]


# One-liners and pronunciations


def test_terms_with_the_same_one_liner_are_each_found(make_term):
    make_term("Prompt", short_definition="The input given to a model.")
    make_term("Instruction", short_definition="the  input given to a MODEL.")
    assert titles("duplicate_definitions") == ["Prompt", "Instruction"]


def test_different_one_liners_are_fine(make_term):
    make_term("Prompt", short_definition="The input given to a model.")
    make_term("Instruction", short_definition="What the model is told to do.")
    assert findings("duplicate_definitions") == []


@pytest.mark.parametrize("said", ["faɪn ˈtjuːnɪŋ", "/faɪn", "fine/tuning/"])
def test_a_pronunciation_outside_slashes_or_brackets_is_found(make_term, said):
    make_term("Fine-tuning", pronunciation=said)
    assert titles("pronunciation") == ["Fine-tuning"]


@pytest.mark.parametrize("said", ["", "/faɪn ˈtjuːnɪŋ/", "[faɪn ˈtjuːnɪŋ]"])
def test_a_pronunciation_between_slashes_or_brackets_or_none_is_fine(make_term, said):
    make_term("Fine-tuning", pronunciation=said)
    assert findings("pronunciation") == []


# Relations


def test_a_published_terms_relation_to_an_unpublished_term_is_found(make_term, relate):
    lora = make_term("LoRA")
    relate(lora, make_term("Adapter"))
    publish(lora, by=None)
    assert [finding.message for finding in findings("relations_to_unpublished")] == [
        "Its relation “related” leads to Adapter, which is not published."
    ]


def test_a_relation_between_published_terms_is_fine(make_term, relate):
    lora, adapter = make_term("LoRA"), make_term("Adapter")
    relate(lora, adapter)
    publish(adapter, by=None)
    publish(lora, by=None)
    assert findings("relations_to_unpublished") == []


def test_a_drafts_relation_to_another_draft_is_fine(make_term, relate):
    relate(make_term("LoRA"), make_term("Adapter"))
    assert findings("relations_to_unpublished") == []


def test_a_relation_to_a_deprecated_working_copy_is_found(make_term, relate):
    relate(make_term("LoRA"), make_term("Adapter", deprecated=True))
    assert titles("relations_to_deprecated") == ["LoRA"]


def test_a_relation_to_a_deprecated_published_page_is_found(make_term, relate):
    adapter = make_term("Adapter")
    relate(make_term("LoRA"), adapter)
    publish(adapter, by=None)
    PublishedTerm.objects.filter(pk=adapter.pk).update(deprecated_at=timezone.now())
    assert titles("relations_to_deprecated") == ["LoRA"]


def test_a_deprecated_terms_own_relation_to_another_deprecated_term_is_fine(make_term, relate):
    relate(make_term("LoRA", deprecated=True), make_term("Adapter", deprecated=True))
    assert findings("relations_to_deprecated") == []


# Published pages


def test_a_published_page_with_empty_sections_is_found_once_listing_them(make_term):
    publish(make_term("LoRA"), by=None)
    assert [finding.details["empty"] for finding in findings("empty_sections")] == [
        ["analogy", "how it is used", "history", "examples", "misconceptions"]
    ]


def test_a_complete_published_page_has_no_empty_sections(complete_term):
    publish(complete_term("LoRA"), by=None)
    assert findings("empty_sections") == []


def test_a_draft_with_empty_sections_is_not_checked(make_term):
    make_term("LoRA")
    assert findings("empty_sections") == []


def test_a_published_term_nothing_links_to_is_an_orphan(make_term):
    publish(make_term("LoRA"), by=None)
    assert titles("orphans") == ["LoRA"]


def test_a_term_related_to_another_published_term_is_no_orphan(make_term, relate):
    lora, adapter = make_term("LoRA"), make_term("Adapter")
    relate(lora, adapter)
    publish(adapter, by=None)
    publish(lora, by=None)
    assert findings("orphans") == []


def test_a_term_another_page_mentions_is_no_orphan(make_term):
    publish(make_term("LoRA"), by=None)
    publish(make_term("Adapter", explanation="Adapters are like LoRA."), by=None)
    assert titles("orphans") == ["Adapter"]


def test_a_live_term_past_its_review_date_is_found(make_term):
    lora = make_term("LoRA")
    publish(lora, by=None)
    # Publishing moved the review date a year ahead; three days ago it fell due.
    Term.objects.filter(pk=lora.pk).update(review_by=timezone.localdate() - timedelta(days=3))
    assert [finding.message[-11:] for finding in findings("review_overdue")] == ["3 days ago."]


def test_a_term_due_for_review_later_is_fine(make_term):
    publish(make_term("LoRA", review_by=timezone.localdate() + timedelta(days=1)), by=None)
    assert findings("review_overdue") == []


def test_a_draft_past_its_review_date_is_not_checked(make_term):
    make_term("LoRA", review_by=timezone.localdate() - timedelta(days=3))
    assert findings("review_overdue") == []


# Phrases with no entry


@pytest.fixture
def pages_about_vector_databases(make_term):
    def pages(count: int, text: str = "Store them in a vector database, served by a GPU."):
        for number in range(count):
            publish(make_term(f"Page {number}", explanation=text), by=None)

    return pages


def missing_phrases() -> list[str]:
    return [finding.details["phrase"] for finding in findings("missing_entries")]


def test_a_phrase_used_on_several_pages_without_an_entry_is_found(pages_about_vector_databases):
    pages_about_vector_databases(3)
    assert "vector database" in missing_phrases()


def test_an_acronym_used_on_several_pages_without_an_entry_is_found(pages_about_vector_databases):
    pages_about_vector_databases(2)
    assert "GPU" in missing_phrases()


def test_a_missing_phrase_names_its_pages(pages_about_vector_databases):
    pages_about_vector_databases(2)
    found = next(finding for finding in findings("missing_entries") if finding.details["phrase"] == "vector database")
    assert [page.title for page in found.others] == ["Page 0", "Page 1"]


def test_phrases_are_ranked_by_how_many_pages_use_them(pages_about_vector_databases, make_term):
    pages_about_vector_databases(2)
    for name in ("Alpha", "Beta", "Gamma"):
        publish(make_term(name, explanation="Each has a sparse mixture."), by=None)
    assert missing_phrases()[0] == "sparse mixture"


def test_a_phrase_used_on_one_page_only_is_ignored(pages_about_vector_databases):
    pages_about_vector_databases(1)
    assert missing_phrases() == []


def test_a_phrase_that_is_a_terms_name_is_not_missing(pages_about_vector_databases, make_term):
    make_term("Vector databases")
    pages_about_vector_databases(3)
    assert "vector database" not in missing_phrases()


def test_a_phrase_that_is_a_terms_alias_is_not_missing(pages_about_vector_databases, make_term):
    make_term("Graphics processor", aliases="abbreviation: GPU")
    pages_about_vector_databases(3)
    assert "GPU" not in missing_phrases()


def test_common_words_make_no_phrase(pages_about_vector_databases):
    pages_about_vector_databases(3, text="It is what they were doing with the others.")
    assert missing_phrases() == []


def test_text_in_code_is_not_prose(pages_about_vector_databases):
    pages_about_vector_databases(3, text="Call `vector_store lookup` or `GPU`.")
    assert missing_phrases() == []


def test_the_parts_of_a_phrase_used_on_no_other_page_are_left_out(pages_about_vector_databases):
    pages_about_vector_databases(2, text="Sparse token routing.")
    assert missing_phrases() == ["Sparse token routing"]


def test_at_most_twenty_phrases_are_listed(make_term):
    text = " ".join(f"Topic{number} thing." for number in range(30))
    for number in range(2):
        publish(make_term(f"Page {number}", explanation=text), by=None)
    assert len(missing_phrases()) == 20


# The starter glossary


def test_the_starter_glossary_has_no_errors(db):
    call_command("seed", verbosity=0)
    assert check_glossary().errors == 0


# Mentions of a shared name


@pytest.fixture
def shared_name(make_term):
    """Two published meanings of "Attention", and a page that mentions the name."""
    for qualifier in ("machine learning", "psychology"):
        publish(make_term("Attention", qualifier=qualifier, slug=f"attention-{qualifier.replace(' ', '-')}"), by=None)
    publish(make_term("Transformer", explanation="A transformer relies on attention throughout."), by=None)


def test_a_mention_of_a_name_two_terms_share_is_listed_on_its_page(shared_name):
    assert titles("ambiguous_mentions") == ["Transformer"]


def test_an_ambiguous_mention_names_both_meanings(shared_name):
    assert [finding.message for finding in findings("ambiguous_mentions")] == [
        "“attention” could mean Attention (machine learning) or Attention (psychology): it is not linked."
    ]


def test_a_mention_of_a_name_one_term_has_is_not_listed(make_term):
    publish(make_term("Attention"), by=None)
    publish(make_term("Transformer", explanation="A transformer relies on attention throughout."), by=None)
    assert findings("ambiguous_mentions") == []
