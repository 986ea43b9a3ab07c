"""An import's change set: reviewers told once, then every term published together, or the import undone."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from terms.changesets import opened, publish_change_set, reject_change_set, take_out_of_change_set
from terms.models import ChangeSet, PublishedTerm, ReviewNote, Revision, Term
from terms.models.workspace import Notification
from terms.publishing import publish
from terms.workflow import recover_deleted

IMPORT = Notification.Event


@pytest.fixture
def second_reviewer(django_user_model):
    user = django_user_model.objects.create_user("rosa", email="rosa@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture(autouse=True)
def addresses(editor, reviewer):
    for person in (editor, reviewer):
        person.email = f"{person.username}@example.com"
        person.save()


@pytest.fixture
def three_new(import_of):
    return import_of(created=["Alpha", "Beta", "Gamma"], unchanged=2)


def live_names() -> list[str]:
    return sorted(PublishedTerm.objects.values_list("name", flat=True))


def refreshed(change_set: ChangeSet) -> ChangeSet:
    return ChangeSet.objects.get(pk=change_set.pk)


# Opened: reviewers told once ------------------------------------------------------------------------------------------


def test_an_import_notifies_each_reviewer_once(three_new, reviewer, second_reviewer):
    opened(three_new)
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["rhys", "rosa"]


def test_the_notification_is_about_the_change_set_not_a_term(three_new, reviewer):
    opened(three_new)
    notification = Notification.objects.get(recipient=reviewer)
    assert (notification.event, notification.change_set, notification.term) == (
        IMPORT.IMPORT_SUBMITTED,
        three_new,
        None,
    )


def test_the_notification_names_the_import_and_its_size(three_new, reviewer):
    opened(three_new)
    assert Notification.objects.get(recipient=reviewer).term_name == "Import of glossary.csv (3 terms)"


def test_the_notification_gives_the_counts(three_new, reviewer):
    opened(three_new)
    assert Notification.objects.get(recipient=reviewer).message == (
        "3 terms: 3 created, 0 updated (2 more in the file were unchanged)."
    )


def test_opening_again_notifies_nobody_twice(three_new, reviewer):
    opened(three_new)
    opened(three_new)
    assert Notification.objects.filter(recipient=reviewer).count() == 1


def test_a_reviewer_who_imported_is_not_told_of_their_own_import(import_of, reviewer, second_reviewer):
    opened(import_of(created=["Alpha"], by=reviewer))
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["rosa"]


def test_reviewers_are_emailed_once_the_import_commits(three_new, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        opened(three_new)
    assert [message.subject for message in mail.outbox] == [
        "Import of glossary.csv (3 terms) is waiting for your review"
    ]


def test_the_email_links_to_the_imports_review_screen(three_new, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        opened(three_new)
    assert f"/admin/terms/changeset/{three_new.pk}/change/" in mail.outbox[0].body


# Publishing the whole set ---------------------------------------------------------------------------------------------


def test_publishing_an_import_publishes_every_term(three_new, reviewer):
    publish_change_set(three_new, by=reviewer)
    assert live_names() == ["Alpha", "Beta", "Gamma"]


def test_publishing_an_import_says_which_terms_it_published(three_new, reviewer):
    assert publish_change_set(three_new, by=reviewer).done == ["Alpha", "Beta", "Gamma"]


def test_each_term_is_published_as_a_normal_publish_would(three_new, reviewer):
    publish_change_set(three_new, by=reviewer, message="Checked.")
    revision = Revision.objects.filter(term_name="Beta", action=Revision.Action.PUBLISH).get()
    assert (revision.created_by, revision.message) == (reviewer, "Published with the import of glossary.csv: Checked.")


def test_each_term_gets_its_published_review_note(three_new, reviewer):
    publish_change_set(three_new, by=reviewer)
    assert ReviewNote.objects.filter(action=ReviewNote.Action.PUBLISHED, created_by=reviewer).count() == 3


def test_the_published_terms_are_marked_published(three_new, reviewer):
    publish_change_set(three_new, by=reviewer)
    assert set(Term.objects.values_list("status", flat=True)) == {Term.Status.PUBLISHED}


def test_a_published_import_records_who_decided_and_their_message(three_new, reviewer):
    publish_change_set(three_new, by=reviewer, message=" Looks right. ")
    decided = refreshed(three_new)
    assert (decided.status, decided.decided_by, decided.comment) == (
        ChangeSet.Status.PUBLISHED,
        reviewer,
        "Looks right.",
    )


def test_a_published_import_records_when(three_new, reviewer):
    publish_change_set(three_new, by=reviewer)
    assert refreshed(three_new).decided_at is not None


def test_publishing_tells_the_importer_once(three_new, editor, reviewer):
    publish_change_set(three_new, by=reviewer, message="Thanks.")
    assert list(Notification.objects.filter(recipient=editor).values_list("event", "message")) == [
        (IMPORT.IMPORT_PUBLISHED, "Thanks.")
    ]


def test_publishing_emails_the_importer_once(three_new, editor, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish_change_set(three_new, by=reviewer)
    assert [message.to for message in mail.outbox] == [[editor.email]]


def test_publishing_updates_the_live_page_of_an_updated_term(mixed, reviewer, published_term):
    publish_change_set(mixed, by=reviewer)
    assert PublishedTerm.objects.get(pk=published_term.pk).short_definition == "Imported one-liner."


@pytest.fixture
def blocked(import_of, make_term, edit):
    """An import whose "Beta" takes the address a published page still uses (its term has moved since)."""
    holder = make_term("Holder", slug="beta")
    publish(holder, by=None)
    edit(holder, slug="holder")
    return import_of(created=["Alpha", "Beta", "Gamma"])


def test_one_term_that_cannot_be_published_publishes_none(blocked, reviewer):
    with pytest.raises(ValidationError):
        publish_change_set(blocked, by=reviewer)
    assert live_names() == ["Holder"]


def test_the_refusal_names_the_term_that_cannot_be_published(blocked, reviewer):
    with pytest.raises(ValidationError, match="“Beta”: The address /terms/beta/ is still used"):
        publish_change_set(blocked, by=reviewer)


def test_a_refused_import_stays_open(blocked, reviewer):
    with pytest.raises(ValidationError):
        publish_change_set(blocked, by=reviewer)
    assert refreshed(blocked).status == ChangeSet.Status.OPEN


def test_a_refused_import_leaves_no_new_revision(blocked, reviewer):
    with pytest.raises(ValidationError):
        publish_change_set(blocked, by=reviewer)
    assert not Revision.objects.filter(action=Revision.Action.PUBLISH, created_by=reviewer).exists()


def test_a_refused_import_tells_nobody(blocked, editor, reviewer):
    with pytest.raises(ValidationError):
        publish_change_set(blocked, by=reviewer)
    assert not Notification.objects.filter(recipient=editor).exists()


def test_a_term_edited_since_the_import_stops_the_whole_set(three_new, reviewer, edit):
    edit(Term.objects.get(name="Gamma"), explanation="Edited after the import.")
    with pytest.raises(ValidationError, match="“Gamma” was edited after the import"):
        publish_change_set(three_new, by=reviewer)
    assert live_names() == []


def test_a_term_deleted_since_the_import_stops_publishing(three_new, reviewer):
    Term.objects.get(name="Alpha").delete()
    with pytest.raises(ValidationError, match="“Alpha” was deleted after it"):
        publish_change_set(three_new, by=reviewer)


def test_a_term_published_on_its_own_is_skipped(three_new, reviewer):
    publish(Term.objects.get(name="Alpha"), by=reviewer)
    assert publish_change_set(three_new, by=reviewer).skipped == ["Alpha"]


def test_a_term_published_on_its_own_is_not_published_again(three_new, reviewer):
    publish(Term.objects.get(name="Alpha"), by=reviewer)
    publish_change_set(three_new, by=reviewer)
    assert Revision.objects.filter(term_name="Alpha", action=Revision.Action.PUBLISH).count() == 1


def test_a_term_taken_out_is_left_to_review_on_its_own(three_new, reviewer, edit):
    gamma = Term.objects.get(name="Gamma")
    edit(gamma, explanation="Edited after the import.")
    take_out_of_change_set(three_new.entries.get(term=gamma), by=reviewer)
    publish_change_set(three_new, by=reviewer)
    assert live_names() == ["Alpha", "Beta"]


def test_an_editor_cannot_take_a_term_out(three_new, editor):
    with pytest.raises(PermissionDenied):
        take_out_of_change_set(three_new.entries.first(), by=editor)


def test_an_editor_cannot_publish_an_import(three_new, editor):
    with pytest.raises(PermissionDenied):
        publish_change_set(three_new, by=editor)


def test_an_editor_publishing_changes_nothing(three_new, editor):
    with pytest.raises(PermissionDenied):
        publish_change_set(three_new, by=editor)
    assert (live_names(), refreshed(three_new).status) == ([], ChangeSet.Status.OPEN)


def test_a_published_import_cannot_be_published_again(three_new, reviewer):
    publish_change_set(three_new, by=reviewer)
    with pytest.raises(ValidationError, match="already"):
        publish_change_set(three_new, by=reviewer)


def test_a_published_import_cannot_be_rejected(three_new, reviewer):
    publish_change_set(three_new, by=reviewer)
    with pytest.raises(ValidationError, match="published already"):
        reject_change_set(three_new, by=reviewer, comment="Too late.")


# Rejecting: the import undone -----------------------------------------------------------------------------------------


def test_rejecting_deletes_the_terms_the_import_created(mixed, reviewer):
    reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    assert not Term.objects.filter(name="Alpha").exists()


def test_a_term_deleted_by_a_rejection_can_be_recovered(mixed, reviewer):
    reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    deletion = Revision.objects.get(term_name="Alpha", action=Revision.Action.DELETE)
    assert recover_deleted(deletion, by=reviewer).name == "Alpha"


def test_rejecting_puts_back_the_working_copy_from_before_the_import(mixed, reviewer, draft_term):
    reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    assert (
        Term.objects.get(pk=draft_term.pk).explanation
        == "Secret draft explained, first paragraph.\n\nSecond paragraph."
    )


def test_a_put_back_term_readers_see_is_published_again(mixed, reviewer, published_term):
    reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    assert Term.objects.get(pk=published_term.pk).status == Term.Status.PUBLISHED


def test_a_put_back_term_not_on_the_site_is_a_draft(mixed, reviewer, draft_term):
    reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    assert Term.objects.get(pk=draft_term.pk).status == Term.Status.DRAFT


def test_the_history_keeps_the_put_back_version(mixed, reviewer, draft_term):
    reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    assert Revision.objects.filter(term_id=draft_term.pk).first().message == (
        "Put back as before the import of glossary.csv, which was rejected"
    )


def test_rejecting_leaves_the_live_page_alone(mixed, reviewer, published_term):
    reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    assert PublishedTerm.objects.get(pk=published_term.pk).short_definition == (
        "The one-line definition of Gradient descent."
    )


def test_rejecting_records_who_decided_and_why(mixed, reviewer):
    reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    decided = refreshed(mixed)
    assert (decided.status, decided.decided_by, decided.comment) == (ChangeSet.Status.REJECTED, reviewer, "Wrong file.")


def test_rejecting_tells_the_importer_with_the_comment(mixed, editor, reviewer):
    reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    assert list(Notification.objects.filter(recipient=editor).values_list("event", "message")) == [
        (IMPORT.IMPORT_REJECTED, "Wrong file.")
    ]


@pytest.mark.parametrize("comment", ["", "   "])
def test_rejecting_needs_a_comment(mixed, reviewer, comment):
    with pytest.raises(ValidationError, match="Say why"):
        reject_change_set(mixed, by=reviewer, comment=comment)
    assert Term.objects.filter(name="Alpha").exists()


def test_rejecting_refuses_a_term_edited_since_the_import(mixed, reviewer, draft_term, edit):
    edit(Term.objects.get(pk=draft_term.pk), explanation="Edited after the import.")
    with pytest.raises(ValidationError, match="“Secret draft” was edited after the import"):
        reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    assert Term.objects.filter(name="Alpha").exists()


def test_rejecting_leaves_a_term_published_on_its_own(mixed, reviewer):
    publish(Term.objects.get(name="Alpha"), by=reviewer)
    reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    assert live_names() == ["Alpha", "Gradient descent"]


def test_rejecting_skips_a_term_deleted_since(mixed, reviewer):
    Term.objects.get(name="Alpha").delete()
    assert reject_change_set(mixed, by=reviewer, comment="Wrong file.").done == ["Gradient descent", "Secret draft"]


def test_rejecting_refuses_an_updated_term_without_an_earlier_version(import_of, reviewer, draft_term):
    change_set = import_of(created=["Alpha"], updated={draft_term: {"explanation": "Imported."}})
    with pytest.raises(ValidationError, match="keeps no version of “Secret draft” from before it"):
        reject_change_set(change_set, by=reviewer, comment="Wrong file.")
    assert Term.objects.filter(name="Alpha").exists()


def test_an_editor_cannot_reject_an_import(mixed, editor):
    with pytest.raises(PermissionDenied):
        reject_change_set(mixed, by=editor, comment="Mine, but wrong.")
    assert Term.objects.filter(name="Alpha").exists()
