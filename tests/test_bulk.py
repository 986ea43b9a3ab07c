"""terms.bulk.insert: the rows it writes are the rows bulk_create would write."""

import datetime

import pytest
from django.utils import timezone

from terms.bulk import insert
from terms.models import Example, PublishedTermTag, Revision, Tag

WHEN = timezone.make_aware(datetime.datetime(2026, 3, 4, 5, 6, 7, 891011), datetime.UTC)


def revisions(term, editor, message):
    return [
        Revision(
            term_id=term.pk,
            term_name="Café ☕ “quoted”",
            action=Revision.Action.PUBLISH,
            message=message,
            snapshot={"nested": [1, 2.5, None, True, "é"], "empty": {}},
            edit_version=3,
            created_at=WHEN,
            created_by=editor,
        ),
        Revision(term_id=term.pk, term_name="No author", action="save", snapshot={}, created_at=WHEN),
    ]


def stored(model, **filters):
    return [
        {key: value for key, value in row.items() if key != "id"}
        for row in model.objects.filter(**filters).order_by("pk").values()
    ]


def test_inserted_revisions_equal_bulk_created_ones(published_term, editor):
    Revision.objects.bulk_create(revisions(published_term, editor, "by bulk_create"))
    insert(revisions(published_term, editor, "by insert"))

    assert [{**row, "message": ""} for row in stored(Revision, message="by insert")] == [
        {**row, "message": ""} for row in stored(Revision, message="by bulk_create")
    ]


def test_inserted_rows_read_back_as_the_same_values(published_term, editor):
    insert(revisions(published_term, editor, "read back"))

    revision = Revision.objects.get(message="read back")

    assert (revision.snapshot, revision.created_at, revision.created_by) == (
        {"nested": [1, 2.5, None, True, "é"], "empty": {}},
        WHEN,
        editor,
    )


def test_foreign_keys_set_through_their_objects_are_stored(published_term):
    insert([Example(term=published_term, position=9, title="Set by object", body="Body")])

    assert Example.objects.get(title="Set by object").term == published_term


def test_foreign_keys_to_a_key_that_is_itself_a_foreign_key_are_stored(published_term):
    tag = Tag.objects.create(name="Bulk")
    row = {"name": tag.name, "slug": tag.slug, "sort_name": "x", "term_slug": "x", "term_name": "X", "letter": "X"}

    insert([PublishedTermTag(term_id=published_term.pk, short_definition="One line.", **row)])

    assert PublishedTermTag.objects.get(slug=tag.slug).term_id == published_term.pk


def test_inserted_instances_are_no_longer_marked_as_new(published_term):
    example = Example(term=published_term, position=9, body="Body")

    insert([example])

    assert example._state.adding is False


def test_nothing_to_insert_writes_nothing(db):
    assert insert([]) == 0


def test_instances_of_two_models_are_refused(published_term, editor):
    example = Example(term=published_term, position=9, body="Body")

    with pytest.raises(TypeError, match="one model"):
        insert([example, *revisions(published_term, editor, "mixed")])


def test_a_refused_insert_writes_nothing(published_term, editor):
    with pytest.raises(TypeError):
        insert([Example(term=published_term, position=9, body="Body"), *revisions(published_term, editor, "x")])

    assert not Example.objects.filter(position=9).exists()
