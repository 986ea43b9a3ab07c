"""Published terms as records of the interchange format (terms/records.py)."""

import pytest

from terms.enums import RelationKind
from terms.models import Example, Misconception
from terms.publishing import publish, unpublish
from terms.records import published_neighbourhood, published_records

RECORD_KEYS = [
    "name",
    "qualifier",
    "slug",
    "sentence_name",
    "short_definition",
    "pronunciation",
    "aliases",
    "explanation",
    "analogy",
    "usage",
    "history",
    "examples",
    "misconceptions",
    "relations",
    "tags",
    "deprecated",
    "deprecation_reason",
    "replaced_by",
    "status",
]


@pytest.fixture
def full_term(make_term):
    """A published term with every field filled in."""
    term = make_term(
        "Dropout",
        pronunciation="/ˈdrɒpaʊt/",
        aliases="Dilution\nDropConnect",
        analogy="Like a team that trains with players missing.",
        usage="Used in **most** deep networks.",
        history="Hinton et al., 2012.",
        tags=["training", "Regularisation"],
    )
    Example.objects.create(term=term, position=1, title="Images", body="Dropping *half* the units.")
    Misconception.objects.create(term=term, position=1, claim="It slows inference.", correction="It is **off** then.")
    publish(term, by=None)
    return term


def record_named(name):
    return next(record for record in published_records() if record["name"] == name)


def test_a_record_has_the_interchange_keys_in_order(full_term):
    assert list(record_named("Dropout")) == RECORD_KEYS


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("slug", "dropout"),
        ("sentence_name", "dropout"),
        ("pronunciation", "/ˈdrɒpaʊt/"),
        ("aliases", ["Dilution", "DropConnect"]),
        ("explanation", "Dropout explained, first paragraph.\n\nSecond paragraph."),
        ("analogy", "Like a team that trains with players missing."),
        ("usage", "Used in **most** deep networks."),
        ("history", "Hinton et al., 2012."),
        ("examples", [{"title": "Images", "body": "Dropping *half* the units."}]),
        ("misconceptions", [{"claim": "It slows inference.", "correction": "It is **off** then."}]),
        ("tags", ["Regularisation", "training"]),
        ("status", "published"),
    ],
)
def test_a_record_holds_the_published_markdown_and_fields(full_term, key, value):
    assert record_named("Dropout")[key] == value


def test_relations_come_in_position_order_naming_their_targets(make_term, relate):
    term = make_term("Dropout")
    first, second = make_term("Regularisation"), make_term("Batch normalisation")
    relate(term, second, kind=RelationKind.RELATED, position=2)
    relate(term, first, kind=RelationKind.BROADER, position=1)
    publish(first, by=None)
    publish(second, by=None)
    publish(term, by=None)
    assert record_named("Dropout")["relations"] == [
        {"kind": "broader", "term": "Regularisation"},
        {"kind": "related", "term": "Batch normalisation"},
    ]


def test_a_relation_to_an_unpublished_term_is_left_out(published_term, draft_term, relate):
    relate(published_term, draft_term)
    publish(published_term, by=None)
    assert record_named("Gradient descent")["relations"] == []


def test_records_are_sorted_by_name_ignoring_case(make_term):
    for name in ("beta", "Alpha", "Gamma"):
        publish(make_term(name), by=None)
    assert [record["name"] for record in published_records()] == ["Alpha", "beta", "Gamma"]


def test_a_draft_has_no_record(published_term, draft_term):
    assert [record["name"] for record in published_records()] == ["Gradient descent"]


def test_an_unpublished_term_has_no_record(published_term):
    unpublish(published_term, by=None)
    assert published_records() == []


def test_unpublished_edits_are_not_in_the_record(published_term, edit):
    edit(published_term, short_definition="An edit nobody has reviewed.")
    assert record_named("Gradient descent")["short_definition"] == "The one-line definition of Gradient descent."


@pytest.mark.parametrize("count", [2, 20])
def test_records_are_read_in_two_queries_however_many_terms(make_term, relate, django_assert_num_queries, count):
    terms = [make_term(tags=["Training"]) for _ in range(count)]
    for term, other in zip(terms, terms[1:], strict=False):
        relate(term, other)
    for term in terms:
        publish(term, by=None)
    with django_assert_num_queries(2):
        published_records()


def test_a_neighbourhood_names_the_terms_linking_to_the_term(make_term, relate):
    term, parent = make_term("Dropout"), make_term("Regularisation")
    relate(parent, term, kind=RelationKind.NARROWER)
    publish(term, by=None)
    publish(parent, by=None)
    _, neighbours = published_neighbourhood("dropout")
    assert neighbours == [
        {"name": "Regularisation", "slug": "regularisation", "relations": [{"kind": "narrower", "term": "Dropout"}]}
    ]


def test_a_neighbourhood_of_a_draft_is_empty(draft_term):
    assert published_neighbourhood(draft_term.slug) == (None, [])
