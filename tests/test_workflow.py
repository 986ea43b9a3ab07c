"""The editorial workflow (terms/workflow.py and the verbs): states, history and rollback, deletion and recovery."""

import contextlib
import itertools
import random

import pytest
from django.core.exceptions import ValidationError

from terms import diffing
from terms.models import Example, Revision, Term
from terms.publishing import delete_term, publish, rollback, unpublish
from terms.workflow import find_conflict, record_save, recover_deleted, request_changes, submit_for_review

# States ------------------------------------------------------------------------------------------------------------


def test_editing_a_published_term_keeps_the_live_page(client, published_term, edit, html_of):
    edit(published_term, short_definition="A new, unreviewed definition.")
    assert "A new, unreviewed definition." not in html_of(client, "/terms/gradient-descent/")


def test_editing_a_published_term_shows_unpublished_changes(published_term, edit):
    edit(published_term, short_definition="A new, unreviewed definition.")
    assert Term.objects.get(pk=published_term.pk).state_label == "Published, with unpublished changes"


def test_submitted_edit_of_a_published_term_shows_it_is_in_review(published_term, edit):
    edit(published_term, short_definition="A new, unreviewed definition.")
    submit_for_review(published_term, by=None)
    assert published_term.state_label == "Published, with unpublished changes (in review)"


def test_saving_without_changes_keeps_a_published_term_published(published_term, edit):
    edit(published_term)
    assert Term.objects.get(pk=published_term.pk).status == Term.Status.PUBLISHED


def test_editing_back_to_the_live_content_is_published_again(published_term, edit):
    original = published_term.short_definition
    edit(published_term, short_definition="Something else.")
    edit(published_term, short_definition=original)
    assert Term.objects.get(pk=published_term.pk).status == Term.Status.PUBLISHED


def test_a_published_term_without_changes_cannot_be_submitted(published_term):
    with pytest.raises(ValidationError):
        submit_for_review(published_term, by=None)


def test_requesting_changes_needs_a_comment(draft_term):
    submit_for_review(draft_term, by=None)
    with pytest.raises(ValidationError):
        request_changes(draft_term, by=None, comment="  ")


def test_requesting_changes_sends_the_term_back(draft_term):
    submit_for_review(draft_term, by=None)
    request_changes(draft_term, by=None, comment="Add an example.")
    assert Term.objects.get(pk=draft_term.pk).status == Term.Status.CHANGES_REQUESTED


# History and rollback ----------------------------------------------------------------------------------------------


def test_every_publish_is_a_revision(published_term, edit, live_revisions):
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    assert len(live_revisions(published_term)) == 2


def test_each_revision_takes_the_next_number_in_its_terms_history(published_term, edit, numbers):
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    unpublish(published_term, by=None)
    assert numbers(published_term.pk) == [1, 2, 3, 4]


def test_rollback_puts_the_old_version_back_on_the_site(client, published_term, edit, html_of, live_revisions):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    rollback(first, by=None)
    assert "The one-line definition of Gradient descent." in html_of(client, "/terms/gradient-descent/")


def test_rollback_is_itself_a_revision(published_term, edit, live_revisions):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    rollback(first, by=None)
    assert live_revisions(published_term)[-1].action == Revision.Action.ROLLBACK


def test_rollback_brings_back_the_old_examples(client, published_term, html_of, live_revisions):
    first = live_revisions(published_term)[0]
    Example.objects.create(term=published_term, position=1, body="An example added later.")
    publish(published_term, by=None)
    rollback(first, by=None)
    assert "An example added later." not in html_of(client, "/terms/gradient-descent/")


def test_rollback_keeps_unpublished_changes_in_the_working_copy(published_term, edit, live_revisions):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    edit(published_term, short_definition="Third wording, not reviewed.")
    rollback(first, by=None)
    assert Term.objects.get(pk=published_term.pk).short_definition == "Third wording, not reviewed."


def test_rollback_of_an_unchanged_term_moves_the_working_copy_back(published_term, edit, live_revisions):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    rollback(first, by=None)
    assert Term.objects.get(pk=published_term.pk).short_definition == "The one-line definition of Gradient descent."


def test_conflict_after_a_rollback_names_only_what_was_changed_since(published_term, edit, live_revisions, snapshot_of):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    edit(published_term, short_definition="Third wording, not reviewed.")
    opened_at = Term.objects.get(pk=published_term.pk).edit_version
    rollback(first, by=None)  # keeps the unreviewed working copy, at the same edit version
    edit(published_term, name="Steepest descent")
    changed = diffing.compare(find_conflict(published_term.pk, opened_at).before, snapshot_of(published_term))
    assert [change.label for change in changed] == ["Name"]


def test_rollback_to_a_saved_but_unpublished_version_is_refused(published_term, edit):
    edit(published_term, short_definition="Never published.")
    saved = Revision.objects.filter(term_id=published_term.pk, action=Revision.Action.SAVE).first()
    with pytest.raises(ValidationError):
        rollback(saved, by=None)


# Deleting and recovering ----------------------------------------------------------------------------------------------


def test_deleted_term_is_gone(deleted):
    assert not Term.objects.filter(name="Momentum").exists()


def test_a_recovered_terms_history_goes_on_from_its_deletion(deleted, edit, numbers):
    edit(recover_deleted(deleted, by=None), short_definition="Rewritten after its recovery.")
    assert numbers(deleted.term_id) == [1, 2, 3, 4, 5]


def test_recovered_term_comes_back_as_a_draft(deleted):
    assert recover_deleted(deleted, by=None).status == Term.Status.DRAFT


def test_recovered_term_has_its_examples(deleted):
    assert recover_deleted(deleted, by=None).examples.get().body == "A ball rolling downhill."


def test_recovered_term_has_its_misconceptions(deleted):
    assert recover_deleted(deleted, by=None).misconceptions.get().claim == "It is always faster."


def test_recovered_term_has_its_tags(deleted):
    assert [tag.name for tag in recover_deleted(deleted, by=None).tags.all()] == ["Training"]


def test_recovered_term_has_its_relations(deleted):
    assert recover_deleted(deleted, by=None).relations.get().to_term.name == "Learning rate"


def test_recovered_term_gets_back_the_relations_to_it(deleted):
    assert recover_deleted(deleted, by=None).incoming_relations.get().from_term.name == "Learning rate"


def test_recovered_term_keeps_its_history(deleted):
    term = recover_deleted(deleted, by=None)
    assert Revision.objects.filter(term_id=term.pk, action=Revision.Action.PUBLISH).exists()


def test_recovery_is_refused_when_the_name_is_taken(deleted, make_term):
    make_term("Momentum")
    with pytest.raises(ValidationError):
        recover_deleted(deleted, by=None)


def test_recovering_a_deleted_term_whose_name_a_twin_took_is_refused(make_term):
    delete_term(make_term("Embedding", slug="embedding"), by=None)
    make_term("Ｅｍｂｅｄｄｉｎｇ", slug="embedding-2")
    with pytest.raises(ValidationError, match="cannot be recovered"):
        recover_deleted(Revision.objects.get(action=Revision.Action.DELETE), by=None)


# What readers see after any sequence of steps ----------------------------------------------------------------------

STEPS = ("edit", "submit", "publish", "request_changes", "unpublish", "rollback")


def sequences():
    short = list(itertools.product(STEPS, repeat=2))
    rng = random.Random(4)
    long = [tuple(rng.choice(STEPS) for _ in range(7)) for _ in range(30)]
    return short + long


@pytest.mark.parametrize("steps", sequences(), ids="-".join)
def test_readers_see_exactly_the_last_published_content(client, make_term, steps, reader_sees, edit, live_revisions):
    term = make_term("Workflow term", short_definition="Wording zqv0.", tags=["Process"])
    record_save(term, by=None)
    working, live, counter = "zqv0", None, itertools.count(1)
    for step in steps:
        if step == "edit":
            working = f"zqv{next(counter)}"
            edit(term, short_definition=f"Wording {working}.")
        elif step == "submit":
            try_step(submit_for_review, term, by=None)
        elif step == "request_changes":
            try_step(request_changes, term, by=None, comment="Not yet.")
        elif step == "publish":
            # Refused when readers already see the working copy: then `live` is `working` already.
            try_step(publish, term, by=None)
            live = working
        elif step == "unpublish":
            unpublish(term, by=None)
            live = None
        elif step == "rollback" and live_revisions(term):
            oldest = live_revisions(term)[0]
            working_was_live = Term.objects.get(pk=term.pk).status == Term.Status.PUBLISHED
            rollback(oldest, by=None)
            live = oldest.snapshot["short_definition"].removeprefix("Wording ").removesuffix(".")
            working = live if working_was_live else working
        term.refresh_from_db()
        assert reader_sees(client, live, working) == (live, live, live, live), f"after {step} in {steps}"


def try_step(function, *args, **kwargs):
    # A step that does not apply in this state is refused and changes nothing.
    with contextlib.suppress(ValidationError):
        function(*args, **kwargs)


@pytest.fixture
def reader_sees(html_of):
    """Which wording each public page shows: `reader_sees(client, live, working)` for the term page, index, tag page and search."""

    def reader_sees(client, live, working) -> tuple:
        on_site = 200 if live else 404
        pages = [
            html_of(client, "/terms/workflow-term/", status=on_site),
            html_of(client, "/terms/"),
            html_of(client, "/tags/process/", status=on_site),
            html_of(client, "/search/?q=workflow"),
        ]
        return tuple(shown_wording(html, live, working) for html in pages)

    return reader_sees


def shown_wording(html: str, live, working):
    shown = [wording for wording in {live, working} - {None} if f"Wording {wording}." in html]
    return shown[0] if len(shown) == 1 else (None if not shown else tuple(sorted(shown)))


# What each step of the history keeps -------------------------------------------------------------------------------


def test_a_save_keeps_its_summary(draft_term):
    assert record_save(draft_term, by=None, message="First draft.").message == "First draft."


def test_submitting_records_the_version_submitted(draft_term, edit):
    record_save(draft_term, by=None)
    edit(draft_term, analogy="A sealed letter.")
    submit_for_review(draft_term, by=None)
    assert draft_term.review_notes.get().edit_version == 2


def test_requesting_changes_records_the_version_reviewed(draft_term, edit, reviewer):
    record_save(draft_term, by=None)
    edit(draft_term, analogy="A sealed letter.")
    submit_for_review(draft_term, by=None)
    request_changes(draft_term, by=reviewer, comment="Shorter, please.")
    assert draft_term.review_notes.get(action="changes_requested").edit_version == 2
