"""What the delete and history pages say in words (terms/admin_summaries.py)."""

import pytest

from terms.admin_summaries import DeletionSummary, deletion_summaries, kept_term
from terms.models import Example, Term
from terms.publishing import publish


@pytest.mark.parametrize(
    ("counts", "words"),
    [
        ((1, 0, 0), "1 example"),
        ((2, 1, 0), "2 examples and 1 misconception"),
        ((1, 2, 3), "1 example, 2 misconceptions and 3 relations to other terms"),
        ((0, 0, 1), "1 relation to another term"),
        ((0, 0, 0), ""),
    ],
)
def test_a_terms_parts_read_as_a_sentence(counts, words):
    examples, misconceptions, relations = counts
    summary = DeletionSummary(name="X", examples=examples, misconceptions=misconceptions, relations=relations)
    assert summary.parts == words


@pytest.mark.parametrize("size", [1, 12])
def test_summarising_deletions_takes_the_same_queries_whatever_the_number_of_terms(
    make_term, relate, django_assert_num_queries, size
):
    terms = [make_term() for _ in range(size)]
    for term in terms:
        Example.objects.create(term=term, position=1, body="An example.")
        if term != terms[0]:
            relate(term, terms[0])
        publish(term, by=None)
    terms = list(Term.objects.filter(pk__in=[term.pk for term in terms]))
    with django_assert_num_queries(7):
        deletion_summaries(terms)


def test_pages_deleted_together_are_not_listed_as_losing_each_other(make_term, relate):
    first, second = make_term("First"), make_term("Second")
    relate(second, first)
    publish(first, by=None)
    publish(second, by=None)
    assert deletion_summaries([first, second])[0].related_from == []


def test_a_revision_without_content_keeps_no_term():
    assert kept_term({}) is None


def test_an_older_snapshot_without_names_still_reads():
    kept = kept_term(
        {"name": "Old", "relations": [{"to": 7, "kind": "related"}], "examples": [{"body": "An *old* one."}]}
    )
    assert (kept.relations, kept.examples) == ([("Related", ["term #7"])], [("", "<p>An <em>old</em> one.</p>")])
