"""The editorial workflow: roles, review, history, rollback, recovery, edit conflicts and stable addresses."""

import contextlib
import itertools
import random
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from terms import diffing
from terms.models import Example, Misconception, PublishedTerm, Relation, Revision, Term
from terms.publishing import delete_term, publish, rollback, unpublish
from terms.workflow import (
    Draft,
    find_conflict,
    record_save,
    recover_deleted,
    request_changes,
    snapshot,
    submit_for_review,
)

from .admin_forms import change_url, page, term_form


def review_url(term):
    return reverse("admin:terms_term_review", args=[term.pk])


def decide(client, term, **data):
    """Open the term's review page, then send one of its forms with the edit version the page showed."""
    edit_version = re.search(r'name="edit_version" value="(\d+)"', page(client, review_url(term))).group(1)
    return client.post(review_url(term), {"edit_version": edit_version, **data})


def edit(term, by=None, **fields):
    """Save new content into the working copy, as the admin does."""
    for field, value in fields.items():
        setattr(term, field, value)
    term.save()
    record_save(term, by=by)


def snapshot_of(term) -> dict:
    return snapshot(Draft.load(Term.objects.get(pk=term.pk)))


def live_revisions(term):
    return list(Revision.objects.filter(term_id=term.pk, action__in=Revision.LIVE_ACTIONS).order_by("created_at", "pk"))


# Roles -------------------------------------------------------------------------------------------------------------


def test_editor_cannot_open_the_review_queue(editor_client):
    assert editor_client.get(reverse("admin:terms_term_review_queue")).status_code == 403


def test_reviewer_opens_the_review_queue(reviewer_client):
    assert reviewer_client.get(reverse("admin:terms_term_review_queue")).status_code == 200


def test_editor_cannot_open_a_terms_review(editor_client, draft_term):
    assert editor_client.get(reverse("admin:terms_term_review", args=[draft_term.pk])).status_code == 403


def test_editor_publishing_from_the_review_page_is_refused_with_403(editor_client, draft_term):
    data = {"_publish": "1", "edit_version": str(draft_term.edit_version)}
    assert editor_client.post(review_url(draft_term), data).status_code == 403


def test_editor_refused_publish_from_the_review_page_publishes_nothing(editor_client, draft_term):
    editor_client.post(review_url(draft_term), {"_publish": "1", "edit_version": str(draft_term.edit_version)})
    assert not PublishedTerm.objects.exists()


def test_editor_requesting_changes_is_refused_with_403(editor_client, draft_term):
    submit_for_review(draft_term, by=None)
    data = {"_request_changes": "1", "comment": "No", "edit_version": str(draft_term.edit_version)}
    assert editor_client.post(review_url(draft_term), data).status_code == 403


def test_editor_rolling_back_is_refused_with_403(editor_client, published_term):
    revision = live_revisions(published_term)[0]
    url = reverse("admin:terms_term_rollback", args=[published_term.pk, revision.pk])
    assert editor_client.post(url).status_code == 403


def test_editor_unpublishing_through_the_form_is_refused_with_403(editor_client, published_term):
    response = editor_client.post(change_url(published_term), {"_unpublish": "1"})
    assert response.status_code == 403


def test_editor_does_not_get_the_unpublish_action(editor_client, published_term):
    html = page(editor_client, reverse("admin:terms_term_changelist"))
    assert ("submit_selected" in html, "unpublish_selected" in html) == (True, False)


def test_anonymous_visitor_is_sent_to_login_from_the_review_queue(client, db):
    response = client.get(reverse("admin:terms_term_review_queue"))
    assert response.url.startswith(reverse("admin:login"))


def test_anonymous_visitor_is_sent_to_login_from_a_preview(client, draft_term):
    response = client.get(reverse("admin:terms_term_preview", args=[draft_term.pk]))
    assert response.url.startswith(reverse("admin:login"))


def test_editor_submits_a_term_for_review_from_the_form(editor_client, db):
    editor_client.post(reverse("admin:terms_term_add"), term_form(_submit="1"))
    assert Term.objects.get().status == Term.Status.IN_REVIEW


def test_editor_sees_the_submit_button(editor_client, draft_term):
    assert 'name="_submit"' in page(editor_client, change_url(draft_term))


def test_superuser_can_publish(admin_client, draft_term):
    decide(admin_client, draft_term, _publish="1")
    assert PublishedTerm.objects.filter(pk=draft_term.pk).exists()


# States ------------------------------------------------------------------------------------------------------------


def test_editing_a_published_term_keeps_the_live_page(client, published_term):
    edit(published_term, short_definition="A new, unreviewed definition.")
    assert "A new, unreviewed definition." not in page(client, "/terms/gradient-descent/")


def test_editing_a_published_term_shows_unpublished_changes(published_term):
    edit(published_term, short_definition="A new, unreviewed definition.")
    assert Term.objects.get(pk=published_term.pk).state_label == "Published, with unpublished changes"


def test_submitted_edit_of_a_published_term_shows_it_is_in_review(published_term):
    edit(published_term, short_definition="A new, unreviewed definition.")
    submit_for_review(published_term, by=None)
    assert published_term.state_label == "Published, with unpublished changes (in review)"


def test_saving_without_changes_keeps_a_published_term_published(published_term):
    edit(published_term)
    assert Term.objects.get(pk=published_term.pk).status == Term.Status.PUBLISHED


def test_editing_back_to_the_live_content_is_published_again(published_term):
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


def test_author_sees_the_reviewers_comment(editor_client, separate_reviewer_client, draft_term):
    submit_for_review(draft_term, by=None)
    decide(separate_reviewer_client, draft_term, _request_changes="1", comment="Please add an example.")
    assert "Please add an example." in page(editor_client, change_url(draft_term))


def test_request_changes_without_a_comment_changes_nothing(reviewer_client, draft_term):
    submit_for_review(draft_term, by=None)
    decide(reviewer_client, draft_term, _request_changes="1")
    assert Term.objects.get(pk=draft_term.pk).status == Term.Status.IN_REVIEW


def test_changelist_shows_each_terms_state(editor_client, published_term):
    edit(published_term, short_definition="Changed.")
    assert "Published, with unpublished changes" in page(editor_client, reverse("admin:terms_term_changelist"))


# Review ------------------------------------------------------------------------------------------------------------


def test_review_queue_lists_the_oldest_submission_first(reviewer_client, make_term):
    for name in ("First in", "Second in"):
        submit_for_review(make_term(name), by=None)
    html = page(reviewer_client, reverse("admin:terms_term_review_queue"))
    assert html.index("First in") < html.index("Second in")


def test_review_queue_shows_who_submitted(reviewer_client, editor, draft_term):
    submit_for_review(draft_term, by=editor)
    assert editor.username in page(reviewer_client, reverse("admin:terms_term_review_queue"))


def test_review_queue_leaves_out_drafts(reviewer_client, make_term, draft_term):
    submit_for_review(make_term("Waiting term"), by=None)
    html = page(reviewer_client, reverse("admin:terms_term_review_queue"))
    assert ("Waiting term" in html, "Secret draft" in html) == (True, False)


def test_review_shows_the_changed_field_against_the_live_page(reviewer_client, published_term):
    edit(published_term, short_definition="Following the slope down.")
    html = page(reviewer_client, reverse("admin:terms_term_review", args=[published_term.pk]))
    assert "<ins>Following the slope down.</ins>" in html


def test_review_shows_a_changed_example(reviewer_client, published_term):
    Example.objects.create(term=published_term, position=1, body="A fresh example.")
    record_save(published_term, by=None)
    html = page(reviewer_client, reverse("admin:terms_term_review", args=[published_term.pk]))
    assert "A fresh example.</ins>" in html


def test_review_shows_changed_tags(reviewer_client, published_term):
    published_term.tags.add("Optimisation")
    record_save(published_term, by=None)
    html = page(reviewer_client, reverse("admin:terms_term_review", args=[published_term.pk]))
    assert "<ins>Optimisation, Training</ins>" in html


def test_review_escapes_the_changed_text(reviewer_client, published_term):
    edit(published_term, short_definition="<script>alert(1)</script>")
    html = page(reviewer_client, reverse("admin:terms_term_review", args=[published_term.pk]))
    assert ("&lt;script&gt;alert(1)" in html, "<script>alert(1)" in html) == (True, False)


def test_reviewer_publishes_from_the_review_page(reviewer_client, client, draft_term):
    submit_for_review(draft_term, by=None)
    decide(reviewer_client, draft_term, _publish="1")
    assert client.get("/terms/secret-draft/").status_code == 200


@pytest.fixture
def review_overtaken(reviewer_client, published_term):
    """A reviewer opens the review of an edit; the editor saves another wording before the reviewer decides."""
    edit(published_term, short_definition="The wording the reviewer read.")
    submit_for_review(published_term, by=None)
    edit_version = re.search(
        r'name="edit_version" value="(\d+)"', page(reviewer_client, review_url(published_term))
    ).group(1)
    edit(published_term, short_definition="A wording nobody reviewed.")
    return published_term, edit_version


def test_reviewer_cannot_publish_a_version_they_did_not_see(reviewer_client, review_overtaken):
    term, edit_version = review_overtaken
    reviewer_client.post(review_url(term), {"_publish": "1", "edit_version": edit_version})
    assert PublishedTerm.objects.get(pk=term.pk).short_definition == "The one-line definition of Gradient descent."


def test_refused_publish_sends_the_reviewer_back_to_the_review(reviewer_client, review_overtaken):
    term, edit_version = review_overtaken
    response = reviewer_client.post(review_url(term), {"_publish": "1", "edit_version": edit_version})
    assert (response.status_code, response["Location"]) == (302, review_url(term))


def test_refused_publish_says_the_term_was_saved_since(reviewer_client, review_overtaken):
    term, edit_version = review_overtaken
    reviewer_client.post(review_url(term), {"_publish": "1", "edit_version": edit_version})
    assert "after you opened this review" in page(reviewer_client, review_url(term))


def test_the_fresh_review_shows_the_wording_saved_since(reviewer_client, review_overtaken):
    term, edit_version = review_overtaken
    reviewer_client.post(review_url(term), {"_publish": "1", "edit_version": edit_version})
    assert "A wording nobody reviewed." in page(reviewer_client, review_url(term))


def test_reviewer_cannot_request_changes_on_a_version_they_did_not_see(reviewer_client, review_overtaken):
    term, edit_version = review_overtaken
    reviewer_client.post(
        review_url(term), {"_request_changes": "1", "comment": "Shorter.", "edit_version": edit_version}
    )
    assert Term.objects.get(pk=term.pk).status == Term.Status.IN_REVIEW


def test_reviewer_publishes_exactly_the_version_they_saw(reviewer_client, published_term):
    edit(published_term, short_definition="The wording the reviewer read.")
    decide(reviewer_client, published_term, _publish="1")
    assert PublishedTerm.objects.get(pk=published_term.pk).short_definition == "The wording the reviewer read."


@pytest.mark.parametrize("decision", [{"_publish": "1"}, {"_request_changes": "1", "comment": "Shorter."}])
def test_a_review_decision_without_the_version_reviewed_is_a_bad_request(reviewer_client, draft_term, decision):
    submit_for_review(draft_term, by=None)
    assert reviewer_client.post(review_url(draft_term), decision).status_code == 400


def test_publishing_without_the_version_reviewed_publishes_nothing(reviewer_client, draft_term):
    submit_for_review(draft_term, by=None)
    reviewer_client.post(review_url(draft_term), {"_publish": "1"})
    assert not PublishedTerm.objects.exists()


def test_preview_shows_the_working_copy(editor_client, published_term):
    edit(published_term, short_definition="The unreviewed wording.")
    assert "The unreviewed wording." in page(
        editor_client, reverse("admin:terms_term_preview", args=[published_term.pk])
    )


def test_preview_is_marked_as_a_preview(editor_client, draft_term):
    assert "Preview</strong> of the working copy" in page(
        editor_client, reverse("admin:terms_term_preview", args=[draft_term.pk])
    )


def test_preview_is_kept_out_of_search_engines(editor_client, draft_term):
    response = editor_client.get(reverse("admin:terms_term_preview", args=[draft_term.pk]))
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_page_says_noindex(editor_client, draft_term):
    assert '<meta name="robots" content="noindex, nofollow">' in page(
        editor_client, reverse("admin:terms_term_preview", args=[draft_term.pk])
    )


def test_preview_is_refused_to_staff_without_term_permissions(client, django_user_model, draft_term):
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert client.get(reverse("admin:terms_term_preview", args=[draft_term.pk])).status_code == 403


# History and rollback ----------------------------------------------------------------------------------------------


def test_every_publish_is_a_revision(published_term):
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    assert len(live_revisions(published_term)) == 2


def test_history_lists_publishes_and_saves(editor_client, published_term):
    edit(published_term, short_definition="Second wording.")
    html = page(editor_client, reverse("admin:terms_term_revisions", args=[published_term.pk]))
    assert html.count("(version ") >= 2


def numbers(term_id) -> list[int]:
    """The numbers of a term's revisions, in the order they were made."""
    return list(Revision.objects.filter(term_id=term_id).order_by("created_at", "pk").values_list("number", flat=True))


def test_each_revision_takes_the_next_number_in_its_terms_history(published_term):
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    unpublish(published_term, by=None)
    assert numbers(published_term.pk) == [1, 2, 3, 4]


def test_history_shows_each_revisions_number(editor_client, published_term):
    edit(published_term, short_definition="Second wording.")
    html = page(editor_client, reverse("admin:terms_term_revisions", args=[published_term.pk]))
    assert "Revision 2 · Saved" in html


def test_history_of_a_single_version_offers_no_comparison(editor_client, published_term):
    html = page(editor_client, reverse("admin:terms_term_revisions", args=[published_term.pk]))
    assert "Compare the chosen versions" not in html


def test_history_comparison_chosen_by_default_opens(editor_client, published_term):
    edit(published_term, short_definition="Second wording.")
    html = page(editor_client, reverse("admin:terms_term_revisions", args=[published_term.pk]))
    chosen = dict(re.findall(r'name="([ab])" value="(\d+)"[^>]* checked', html))
    url = reverse("admin:terms_term_compare", args=[published_term.pk]) + f"?a={chosen['a']}&b={chosen['b']}"
    assert "<ins>Second wording.</ins>" in page(editor_client, url).replace("</del> <ins>", "<ins>")


def test_comparing_two_versions_shows_what_changed(editor_client, published_term):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    second = live_revisions(published_term)[-1]
    url = reverse("admin:terms_term_compare", args=[published_term.pk]) + f"?a={first.pk}&b={second.pk}"
    assert "<ins>Second wording.</ins>" in page(editor_client, url).replace("</del> <ins>", "<ins>")


def test_comparing_without_two_versions_explains(editor_client, published_term):
    response = editor_client.get(reverse("admin:terms_term_compare", args=[published_term.pk]) + "?a=1")
    assert (response.status_code, response.content.decode()) == (
        400,
        "Choose two different versions of this term to compare.",
    )


def test_rollback_puts_the_old_version_back_on_the_site(client, published_term):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    rollback(first, by=None)
    assert "The one-line definition of Gradient descent." in page(client, "/terms/gradient-descent/")


def test_rollback_is_itself_a_revision(published_term):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    rollback(first, by=None)
    assert live_revisions(published_term)[-1].action == Revision.Action.ROLLBACK


def test_rollback_brings_back_the_old_examples(client, published_term):
    first = live_revisions(published_term)[0]
    Example.objects.create(term=published_term, position=1, body="An example added later.")
    publish(published_term, by=None)
    rollback(first, by=None)
    assert "An example added later." not in page(client, "/terms/gradient-descent/")


def test_rollback_keeps_unpublished_changes_in_the_working_copy(published_term):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    edit(published_term, short_definition="Third wording, not reviewed.")
    rollback(first, by=None)
    assert Term.objects.get(pk=published_term.pk).short_definition == "Third wording, not reviewed."


def test_rollback_of_an_unchanged_term_moves_the_working_copy_back(published_term):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    rollback(first, by=None)
    assert Term.objects.get(pk=published_term.pk).short_definition == "The one-line definition of Gradient descent."


def test_reviewer_rolls_back_from_the_history_page(reviewer_client, client, published_term):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    reviewer_client.post(reverse("admin:terms_term_rollback", args=[published_term.pk, first.pk]))
    assert "Second wording." not in page(client, "/terms/gradient-descent/")


def test_conflict_after_a_rollback_names_only_what_was_changed_since(published_term):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    edit(published_term, short_definition="Third wording, not reviewed.")
    opened_at = Term.objects.get(pk=published_term.pk).edit_version
    rollback(first, by=None)  # keeps the unreviewed working copy, at the same edit version
    edit(published_term, name="Steepest descent")
    changed = diffing.compare(find_conflict(published_term.pk, opened_at).before, snapshot_of(published_term))
    assert [change.label for change in changed] == ["Name"]


def test_rollback_to_a_saved_but_unpublished_version_is_refused(published_term):
    edit(published_term, short_definition="Never published.")
    saved = Revision.objects.filter(term_id=published_term.pk, action=Revision.Action.SAVE).first()
    with pytest.raises(ValidationError):
        rollback(saved, by=None)


# Deleting and recovering -------------------------------------------------------------------------------------------


@pytest.fixture
def deleted(make_term, relate):
    """A term with every kind of part, linked both ways with another term, then deleted."""
    other = make_term("Learning rate")
    term = make_term("Momentum", tags=["Training"])
    Example.objects.create(term=term, position=1, title="A ball", body="A ball rolling downhill.")
    Misconception.objects.create(term=term, position=1, claim="It is always faster.", correction="Not always.")
    relate(term, other)
    relate(other, term, kind=Relation.Kind.NARROWER)
    record_save(term, by=None)
    publish(term, by=None)
    publish(other, by=None)
    delete_term(term, by=None)
    return Revision.objects.get(action=Revision.Action.DELETE)


def test_deleted_term_is_gone(deleted):
    assert not Term.objects.filter(name="Momentum").exists()


def test_a_recovered_terms_history_goes_on_from_its_deletion(deleted):
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


def test_editor_recovers_a_deleted_term_from_the_admin(editor_client, deleted):
    editor_client.post(reverse("admin:terms_revision_recover", args=[deleted.pk]))
    assert Term.objects.filter(name="Momentum").exists()


def test_deleted_revision_offers_recovery_in_the_admin(editor_client, deleted):
    assert "Recover this term" in page(editor_client, reverse("admin:terms_revision_change", args=[deleted.pk]))


def test_delete_page_warns_which_published_terms_link_to_the_term(reviewer_client, make_term, relate):
    target, source = make_term("Overfitting"), make_term("Regularisation")
    relate(source, target)
    publish(target, by=None)
    publish(source, by=None)
    html = page(reviewer_client, reverse("admin:terms_term_delete", args=[target.pk]))
    assert "Published terms that list “Overfitting” among their related terms:</strong> Regularisation." in html


def test_deleting_a_related_term_leaves_no_link_to_it(client, reviewer_client, make_term, relate):
    target, source = make_term("Overfitting"), make_term("Regularisation")
    relate(source, target)
    publish(target, by=None)
    publish(source, by=None)
    reviewer_client.post(reverse("admin:terms_term_delete", args=[target.pk]), {"post": "yes"})
    assert "/terms/overfitting/" not in page(client, "/terms/regularisation/")


# No lost updates ---------------------------------------------------------------------------------------------------


@pytest.fixture
def two_stale_forms(editor_client, separate_reviewer_client, make_term):
    """Two people open the same term; the first saves a change."""
    term = make_term("Fine-tuning", slug="fine-tuning")
    record_save(term, by=None)
    opened_at = Term.objects.get(pk=term.pk).edit_version
    first = editor_client.post(
        change_url(term), term_form(short_definition="The first person's wording.", loaded_edit_version=opened_at)
    )
    second = separate_reviewer_client.post(
        change_url(term), term_form(short_definition="The second person's wording.", loaded_edit_version=opened_at)
    )
    return term, first, second


def test_the_first_save_is_accepted(two_stale_forms):
    _, first, _ = two_stale_forms
    assert first.status_code == 302


def test_the_second_save_comes_back_as_the_form(two_stale_forms):
    _, _, second = two_stale_forms
    assert second.status_code == 200


def test_the_refused_form_shows_the_other_persons_text(two_stale_forms):
    _, _, second = two_stale_forms
    assert "<ins>The first person&#x27;s wording.</ins>" in second.content.decode()


def test_the_refused_form_shows_what_the_other_person_removed(two_stale_forms):
    _, _, second = two_stale_forms
    assert "<del>The one-line definition of Fine-tuning.</del>" in second.content.decode()


def test_the_first_save_wins(two_stale_forms):
    term, first, _ = two_stale_forms
    assert Term.objects.get(pk=term.pk).short_definition == "The first person's wording."


def test_the_second_save_is_refused_with_a_conflict_message(two_stale_forms):
    _, _, second = two_stale_forms
    assert "after you opened it" in second.content.decode()


def test_the_conflict_message_names_who_saved(two_stale_forms):
    _, _, second = two_stale_forms
    assert "edna saved this term at" in second.content.decode()


def test_the_conflict_message_says_what_changed(two_stale_forms):
    _, _, second = two_stale_forms
    assert "changing: One-line definition" in second.content.decode()


def test_the_refused_form_keeps_the_second_persons_text(two_stale_forms):
    _, _, second = two_stale_forms
    assert "The second person&#x27;s wording." in second.content.decode()


def test_saving_the_refused_form_again_replaces_the_first_version(separate_reviewer_client, two_stale_forms):
    term, _, second = two_stale_forms
    resubmitted = second.context["adminform"].form.data
    separate_reviewer_client.post(change_url(term), resubmitted)
    assert Term.objects.get(pk=term.pk).short_definition == "The second person's wording."


def test_the_first_version_stays_in_the_history(separate_reviewer_client, two_stale_forms):
    term, _, second = two_stale_forms
    separate_reviewer_client.post(change_url(term), second.context["adminform"].form.data)
    snapshots = Revision.objects.filter(term_id=term.pk, action=Revision.Action.SAVE).values_list("snapshot", flat=True)
    assert "The first person's wording." in [snapshot["short_definition"] for snapshot in snapshots]


def test_conflicting_inline_edit_is_refused(editor_client, separate_reviewer_client, db):
    editor_client.post(reverse("admin:terms_term_add"), term_form())
    term = Term.objects.get()
    opened_at = term.edit_version
    example = {"position": "1", "title": "", "body": "An example."}
    editor_client.post(change_url(term), term_form(examples=[example], loaded_edit_version=opened_at))
    response = separate_reviewer_client.post(change_url(term), term_form(loaded_edit_version=opened_at))
    assert "changing: Examples." in response.content.decode()


@pytest.fixture
def stale_inline_forms(editor_client, db):
    """Both people add an example to the same term, each from a form opened before the other saved."""
    assert editor_client.post(reverse("admin:terms_term_add"), term_form()).status_code == 302
    term = Term.objects.get()
    opened_at = term.edit_version
    theirs = {"position": "1", "title": "", "body": "Their example."}
    response = editor_client.post(change_url(term), term_form(examples=[theirs], loaded_edit_version=opened_at))
    assert response.status_code == 302
    mine = {"position": "1", "title": "", "body": "My own example."}
    response = editor_client.post(change_url(term), term_form(examples=[mine], loaded_edit_version=opened_at))
    assert response.status_code == 200
    return response.content.decode()


def test_the_refused_form_shows_the_other_persons_example(stale_inline_forms):
    assert "Their example.</ins>" in stale_inline_forms


def test_the_refused_form_keeps_the_example_typed_in_it(stale_inline_forms):
    assert ">\nMy own example.</textarea>" in stale_inline_forms


# Stable addresses --------------------------------------------------------------------------------------------------


def test_a_renamed_slug_redirects_permanently(client, published_term):
    edit(published_term, slug="steepest-descent")
    publish(published_term, by=None)
    response = client.get("/terms/gradient-descent/")
    assert (response.status_code, response["Location"]) == (301, "/terms/steepest-descent/")


def test_a_slug_renamed_twice_still_redirects_from_the_first(client, published_term):
    for slug in ("steepest-descent", "descent"):
        edit(published_term, slug=slug)
        publish(published_term, by=None)
    assert client.get("/terms/gradient-descent/")["Location"] == "/terms/descent/"


def test_an_alias_redirects_to_its_term(client, make_term):
    publish(make_term("Large language model", slug="large-language-model", aliases="LLM"), by=None)
    response = client.get("/terms/llm/")
    assert (response.status_code, response["Location"]) == (301, "/terms/large-language-model/")


def test_a_real_term_wins_over_an_alias(client, make_term):
    publish(make_term("Large language model", slug="large-language-model", aliases="LLM"), by=None)
    # A term named "LLM" is refused while the alias is live; another name may still have that address.
    publish(make_term("Master of Laws", slug="llm", short_definition="Its own page."), by=None)
    assert client.get("/terms/llm/").status_code == 200


def test_redirect_to_an_unpublished_term_is_a_404(client, published_term):
    edit(published_term, slug="steepest-descent")
    publish(published_term, by=None)
    unpublish(published_term, by=None)
    assert client.get("/terms/gradient-descent/").status_code == 404


def test_an_unknown_address_is_still_a_404(client, published_term):
    assert client.get("/terms/no-such-term/").status_code == 404


# What readers see after any sequence of steps ----------------------------------------------------------------------

STEPS = ("edit", "submit", "publish", "request_changes", "unpublish", "rollback")


def sequences():
    short = list(itertools.product(STEPS, repeat=2))
    rng = random.Random(4)
    long = [tuple(rng.choice(STEPS) for _ in range(7)) for _ in range(30)]
    return short + long


@pytest.mark.parametrize("steps", sequences(), ids="-".join)
def test_readers_see_exactly_the_last_published_content(client, make_term, steps):
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
            publish(term, by=None)
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


def reader_sees(client, live, working) -> tuple:
    """Which wording each public page shows: the term page, the index, the tag page and search."""
    on_site = 200 if live else 404
    pages = [
        page(client, "/terms/workflow-term/", status=on_site),
        page(client, "/terms/"),
        page(client, "/tags/process/", status=on_site),
        page(client, "/search/?q=workflow"),
    ]
    return tuple(shown_wording(html, live, working) for html in pages)


def shown_wording(html: str, live, working):
    shown = [wording for wording in {live, working} - {None} if f"Wording {wording}." in html]
    return shown[0] if len(shown) == 1 else (None if not shown else tuple(sorted(shown)))


def test_term_list_links_reviewers_to_the_review_queue(reviewer_client, db):
    html = page(reviewer_client, reverse("admin:terms_term_changelist"))
    assert reverse("admin:terms_term_review_queue") in html


def test_term_list_links_editors_to_deleted_terms(editor_client, db):
    assert "?action__exact=delete" in page(editor_client, reverse("admin:terms_term_changelist"))


# Bad input to the staff pages ----------------------------------------------------------------------------------------

HUGE = str(10**20)
TERM = "/admin/terms/term/{term}"
BAD_REQUESTS = [
    ("get", TERM + "/revisions/compare/?a={huge}&b={rev}", None),
    ("get", TERM + "/revisions/compare/?a=-1&b={rev}", None),
    ("get", TERM + "/revisions/compare/?a=latest&b={rev}", None),
    ("get", TERM + "/revisions/compare/?a=%C2%B2&b={rev}", None),
    ("get", TERM + "/revisions/compare/?b={rev}", None),
    ("get", TERM + "/revisions/compare/?a={rev}&b={rev}", None),
    ("get", TERM + "/revisions/compare/?a={other_rev}&b={rev}", None),
    ("get", TERM + "/revisions/compare/?a={unpublish_rev}&b={rev}", None),
    ("get", "/admin/terms/term/{huge}/revisions/compare/?a={rev}&b={rev}", None),
    ("get", "/admin/terms/term/{huge}/review/", None),
    ("get", "/admin/terms/term/{huge}/revisions/", None),
    ("get", "/admin/terms/term/{huge}/preview/", None),
    ("post", "/admin/terms/term/{huge}/review/", {"_publish": "1", "edit_version": "1"}),
    ("post", TERM + "/review/", {"_publish": "1", "edit_version": "{huge}"}),
    ("post", TERM + "/review/", {"_publish": "1", "edit_version": "-1"}),
    ("post", TERM + "/review/", {"_publish": "1", "edit_version": "latest"}),
    ("post", TERM + "/review/", {"_publish": "1"}),
    ("post", TERM + "/review/", {"_request_changes": "1", "comment": "Shorter.", "edit_version": "{huge}"}),
    ("post", TERM + "/review/", {"_request_changes": "1", "comment": "Shorter."}),
    ("post", TERM + "/revisions/{huge}/rollback/", {}),
    ("post", TERM + "/revisions/{other_rev}/rollback/", {}),
    ("post", "/admin/terms/term/{huge}/revisions/{rev}/rollback/", {}),
    ("post", "/admin/terms/revision/{huge}/recover/", {}),
]


@pytest.fixture
def bad_request_targets(make_term):
    """A term with a history, another term's revision and an unpublishing, to point the bad requests at."""
    term, other = make_term("Workflow term"), make_term("Another term")
    publish(other, by=None)
    publish(term, by=None)
    unpublish(term, by=None)
    publish(term, by=None)
    revisions = Revision.objects.filter(term_id=term.pk)
    return {
        "term": term.pk,
        "huge": HUGE,
        "rev": revisions.filter(action=Revision.Action.PUBLISH).first().pk,
        "unpublish_rev": revisions.get(action=Revision.Action.UNPUBLISH).pk,
        "other_rev": Revision.objects.get(term_id=other.pk).pk,
    }


@pytest.mark.parametrize(("method", "url", "data"), BAD_REQUESTS, ids=lambda value: str(value))
def test_bad_input_to_a_staff_page_is_a_client_error(admin_client, bad_request_targets, method, url, data):
    url = url.format(**bad_request_targets)
    if method == "post":
        response = admin_client.post(url, {key: value.format(**bad_request_targets) for key, value in data.items()})
    else:
        response = admin_client.get(url)
    assert response.status_code in (400, 404)
