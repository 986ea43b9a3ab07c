"""The starter glossary: loaded once into a new database, published, and word for word."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from terms import queries
from terms.models import PublishedTerm, Revision, SiteState, Term

from .conftest import clear_the_glossary

SEED_TEXTS = [
    "What is fine-tuning?",
    "The process of further training a pre-trained AI model on specialised data to improve performance on specific tasks.",
    "/faɪn ˈtjuːnɪŋ/",
    "Fine-tuning explained in plain English",
    "<p>Fine-tuning takes an already-trained AI model and trains it further on a smaller, task-specific dataset. "
    "This adapts the model's general capabilities to perform better on particular domains, styles, or tasks "
    "— like teaching a general practitioner to specialise in cardiology.</p>",
    "<p>Fine-tuning is distinct from prompt engineering (guiding the model at inference time) "
    "and from training a model from scratch.</p>",
    "Fine-tuning is like hiring an experienced chef and teaching them your restaurant's specific recipes. "
    "They already know how to cook; you are refining their skills for your particular kitchen.",
    "A healthcare company fine-tunes an LLM on medical literature and clinical notes so it can assist doctors "
    "with terminology and context specific to their speciality.",
    "How is fine-tuning used?",
    "Organisations fine-tune models for brand-specific writing, domain-specific analysis (legal, medical), "
    "code generation in proprietary languages, and customer service with company-specific knowledge.",
    "Common misconceptions about fine-tuning",
    "Fine-tuning has been a core technique in machine learning for decades. With LLMs, parameter-efficient methods "
    "like LoRA (2021) made fine-tuning accessible without massive compute resources.",
    "Related terms",
]

SEED_RELATED_TERMS = [
    ("LLM", "A type of AI model trained on vast amounts of text to understand and generate human language."),
    ("Prompt", "The input text or instruction given to an AI model to guide its response."),
    ("Embedding", "A numerical representation of text, images, or other data that captures semantic meaning."),
    (
        "Inference",
        "The phase when a trained model is actually used — taking new input and producing a prediction or response.",
    ),
    ("AI slop", "Output from a generative AI system that favors quantity over quality."),
    # Corrected since the seed (issue 19): AI is more than learning from data.
    (
        "Artificial Intelligence",
        "The field of building computer systems that do tasks normally thought to need human intelligence, such as "
        "understanding language, recognising images, solving problems and making decisions, using methods that range "
        "from hand-written rules and search to machine learning.",
    ),
    (
        "average precision at k",
        "A metric for summarizing a model&#x27;s performance on a single prompt that generates ranked results, "
        "such as a numbered list of book recommendations.",
    ),
    (
        "Backpropagation",
        "The process that tells a neural network which internal settings caused an error and how to adjust them, "
        "working backwards through layers.",
    ),
    # Corrected since the seed (issue 19): BERT is a family of models, not an architecture.
    (
        "BERT",
        "A family of pre-trained Transformer encoder models, released by Google in 2018, that turn text into "
        "representations of each word&#x27;s meaning in context, used for tasks such as classification and search.",
    ),
    (
        "Chain-of-Thought Prompting",
        "Asking an AI to show its reasoning step by step before giving a final answer, "
        "which often improves accuracy on complex tasks.",
    ),
]


@pytest.fixture
def new_database(db):
    """An empty database, even while this module's seeded glossary exists; the test's changes are rolled back."""
    clear_the_glossary()


def seed() -> str:
    """Run `seed` and return what it printed."""
    out = io.StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


@pytest.fixture
def fine_tuning_page(client, seeded):
    response = client.get("/terms/fine-tuning/")
    assert response.status_code == 200
    return response.content.decode()


def test_seed_publishes_at_least_60_terms(seeded):
    assert PublishedTerm.objects.count() >= 60


def test_seed_leaves_every_term_published(seeded):
    assert set(Term.objects.values_list("status", flat=True)) == {Term.Status.PUBLISHED}


def starter_names() -> list[str]:
    return sorted(Term.objects.values_list("name", flat=True))


def test_every_seeded_term_has_a_complete_page(seeded):
    complete = [
        term.name
        for term in PublishedTerm.objects.all()
        if all((term.explanation_html, term.analogy_html, term.usage_html, term.history_html, term.examples))
    ]
    assert sorted(complete) == starter_names()


def test_every_seeded_term_has_misconceptions(seeded):
    assert sorted(PublishedTerm.objects.exclude(misconceptions=[]).values_list("name", flat=True)) == starter_names()


def test_every_seeded_term_has_tags(seeded):
    assert sorted(PublishedTerm.objects.exclude(tags=[]).values_list("name", flat=True)) == starter_names()


@pytest.mark.parametrize("text", SEED_TEXTS)
def test_fine_tuning_page_shows_the_seed_text(fine_tuning_page, text, without_cross_links):
    assert text in without_cross_links(fine_tuning_page)


def test_fine_tuning_page_links_the_terms_it_mentions(fine_tuning_page):
    assert '<a href="/terms/llm/" aria-describedby="example-1-xref-1">LLM</a>' in fine_tuning_page


def test_fine_tuning_page_has_real_misconceptions(fine_tuning_page):
    assert fine_tuning_page.count('class="misconception"') >= 3


@pytest.mark.parametrize(("name", "definition"), SEED_RELATED_TERMS)
def test_fine_tuning_page_links_each_seed_related_term(fine_tuning_page, name, definition):
    term = PublishedTerm.objects.get(name=name)
    assert f'href="/terms/{term.slug}/">{name}</a>' in fine_tuning_page


@pytest.mark.parametrize(("name", "definition"), SEED_RELATED_TERMS)
def test_fine_tuning_page_shows_each_related_one_liner(fine_tuning_page, name, definition):
    assert definition in fine_tuning_page


@pytest.mark.parametrize(
    ("slug", "heading"),
    [("llm", "What is an LLM?"), ("bert", "What is BERT?"), ("prompt", "What is a prompt?")],
)
def test_seeded_headings_read_naturally(client, seeded, slug, heading):
    response = client.get(f"/terms/{slug}/")
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_seeded_versions_say_they_were_seeded(seeded):
    messages = set(Revision.objects.filter(action=Revision.Action.PUBLISH).values_list("message", flat=True))
    assert messages == {"Seeded from fixtures/glossary.json"}


def test_seeding_records_that_the_database_was_seeded(seeded):
    assert SiteState.objects.get(pk=1).seeded_at is not None


def test_seeding_twice_adds_nothing(seeded):
    count = Term.objects.count()
    call_command("seed", verbosity=0)
    assert Term.objects.count() == count


def test_seeding_again_keeps_an_editors_change(seeded):
    Term.objects.filter(slug="fine-tuning").update(history="An editor's rewrite.")
    call_command("seed", verbosity=0)
    assert Term.objects.get(slug="fine-tuning").history == "An editor's rewrite."


def test_seeding_again_says_when_the_database_was_seeded(seeded):
    seeded_on = SiteState.objects.get(pk=1).seeded_at
    assert seed() == (
        f"This database was seeded on {seeded_on:%Y-%m-%d %H:%M} UTC; seeding runs once per database. Nothing changed.\n"
    )


@pytest.fixture
def starter_terms_deleted(seeded):
    """The team has deleted every starter term."""
    Term.objects.all().delete()


def test_seeding_never_brings_back_deleted_starter_terms(starter_terms_deleted):
    seed()
    assert Term.objects.count() == 0


def test_seeding_after_deletions_publishes_nothing(starter_terms_deleted):
    seed()
    assert PublishedTerm.objects.count() == 0


def test_seeding_after_deletions_writes_no_revision(starter_terms_deleted):
    revisions = Revision.objects.count()
    seed()
    assert Revision.objects.count() == revisions


def test_seeding_after_deletions_leaves_the_cached_pages_valid(starter_terms_deleted):
    generation = queries.site_state().generation
    seed()
    assert queries.site_state().generation == generation


def test_seeding_a_database_with_terms_but_no_record_of_seeding_leaves_it_alone(new_database, make_term):
    make_term("House term")
    seed()
    assert list(Term.objects.values_list("name", flat=True)) == ["House term"]


def test_seeding_a_database_with_terms_but_no_record_of_seeding_says_so(new_database, make_term):
    make_term("House term")
    assert "already holds terms or their history, so it is not seeded" in seed()


def test_seeding_a_database_with_terms_but_no_record_of_seeding_marks_it_seeded(new_database, make_term):
    make_term("House term")
    seed()
    assert SiteState.objects.get(pk=1).seeded_at is not None


def test_seeding_a_database_whose_terms_were_all_deleted_leaves_it_alone(new_database, published_term):
    Term.objects.all().delete()
    seed()
    assert Term.objects.count() == 0


def test_seeding_a_new_database_publishes_the_glossary(new_database):
    assert seed() == "Seeded and published 64 terms.\n"


def test_loading_the_starter_glossary_directly_points_to_seed(seeded):
    with pytest.raises(CommandError, match="loads only through `manage.py seed`"):
        call_command("loaddata", "glossary", verbosity=0)


def test_loading_the_starter_glossary_directly_keeps_an_editors_change(seeded):
    Term.objects.filter(slug="fine-tuning").update(history="An editor's rewrite.")
    with pytest.raises(CommandError):
        call_command("loaddata", "glossary", verbosity=0)
    assert Term.objects.get(slug="fine-tuning").history == "An editor's rewrite."


def test_loading_the_starter_glossary_directly_writes_no_revision(seeded):
    revisions = Revision.objects.count()
    with pytest.raises(CommandError):
        call_command("loaddata", "glossary", verbosity=0)
    assert Revision.objects.count() == revisions


def test_loading_the_starter_glossary_into_a_new_database_is_refused_too(new_database):
    with pytest.raises(CommandError, match="loads only through `manage.py seed`"):
        call_command("loaddata", "glossary", verbosity=0)


def test_seeded_aliases_are_keyed_for_the_admins_checks(seeded):
    assert (
        Term.objects.get(slug="lora").alias_keys
        == "\nlow-rank adaptation\nlow-rank adaptation of large language models\n"
    )
