"""The model admins (terms/admin.py): what editors and reviewers can do from the term list, change and delete pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from terms.models import Example, Misconception, PublishedTerm, Relation, Revision, Term
from terms.publishing import publish
from terms.workflow import record_save

ADD_URL = reverse("admin:terms_term_add")


def test_editor_creates_a_whole_term_with_every_part(editor_client, llm, term_form):
    data = term_form(
        examples=[{"position": "1", "title": "Healthcare", "body": "A healthcare company fine-tunes an LLM."}],
        misconceptions=[{"position": "1", "claim": "It adds facts reliably.", "correction": "It mostly adapts style."}],
        relations=[{"position": "1", "kind": "related", "to_term": str(llm.pk)}],
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302
    term = Term.objects.get(slug="fine-tuning")
    assert (term.examples.count(), term.misconceptions.count(), term.relations.count()) == (1, 1, 1)


def test_saved_term_keeps_its_tags(editor_client, db, term_form):
    editor_client.post(ADD_URL, term_form())
    assert sorted(t.name for t in Term.objects.get(slug="fine-tuning").tags.all()) == [
        "Large language models",
        "Training",
    ]


def test_saved_term_records_who_created_it(editor_client, editor, term_form):
    editor_client.post(ADD_URL, term_form())
    assert Term.objects.get(slug="fine-tuning").created_by == editor


def test_saving_in_the_admin_does_not_publish(editor_client, db, term_form):
    editor_client.post(ADD_URL, term_form())
    assert (Term.objects.filter(slug="fine-tuning").exists(), PublishedTerm.objects.exists()) == (True, False)


def test_editor_does_not_see_the_publish_button(editor_client, make_term, change_url, html_of):
    html = html_of(editor_client, change_url(make_term()))
    assert ('name="_submit"' in html, 'name="_publish"' in html) == (True, False)


def test_reviewer_sees_the_publish_button(reviewer_client, make_term, change_url, html_of):
    assert 'name="_publish"' in html_of(reviewer_client, change_url(make_term()))


def test_editor_publishing_through_the_form_is_refused_with_403(editor_client, db, term_form):
    assert editor_client.post(ADD_URL, {**term_form(), "_publish": "1"}).status_code == 403


def test_editor_refused_publishing_saves_nothing(editor_client, db, term_form):
    editor_client.post(ADD_URL, {**term_form(), "_publish": "1"})
    assert not Term.objects.exists()


def test_editor_cannot_run_the_publish_action(editor_client, draft_term):
    data = {"action": "publish_selected", "_selected_action": [draft_term.pk], "confirmed": "yes"}
    data[f"edit_version-{draft_term.pk}"] = draft_term.edit_version
    editor_client.post(reverse("admin:terms_term_changelist"), data)
    assert not PublishedTerm.objects.exists()


def test_reviewer_saves_and_publishes_from_the_form(reviewer_client, db, term_form):
    reviewer_client.post(ADD_URL, {**term_form(), "_publish": "1"})
    assert PublishedTerm.objects.filter(slug="fine-tuning").exists()


def test_published_term_is_on_the_site_after_save_and_publish(reviewer_client, client, db, term_form):
    reviewer_client.post(ADD_URL, {**term_form(), "_publish": "1"})
    assert client.get("/terms/fine-tuning/").status_code == 200


def publish_action(term, **data):
    """The publish action's confirmation, as its page sends it: the term and the edit version it showed."""
    return {"action": "publish_selected", "_selected_action": [term.pk], "confirmed": "yes", **data}


def test_the_term_list_links_reviewers_to_the_review_queue(reviewer_client, db, html_of):
    html = html_of(reviewer_client, reverse("admin:terms_term_changelist"))
    assert reverse("admin:terms_term_review_queue") in html


def test_the_term_list_offers_editors_no_review_queue(editor_client, db, html_of):
    html = html_of(editor_client, reverse("admin:terms_term_changelist"))
    assert reverse("admin:terms_term_review_queue") not in html


def test_the_publish_action_first_shows_the_versions_it_would_publish(reviewer_client, draft_term):
    data = {"action": "publish_selected", "_selected_action": [draft_term.pk]}
    response = reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert response.status_code == 200
    assert f'name="edit_version-{draft_term.pk}" value="{draft_term.edit_version}"' in response.content.decode()


def test_the_publish_action_publishes_nothing_before_it_is_confirmed(reviewer_client, draft_term):
    data = {"action": "publish_selected", "_selected_action": [draft_term.pk]}
    reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert not PublishedTerm.objects.exists()


def test_reviewer_publishes_with_the_action(reviewer_client, draft_term):
    data = publish_action(draft_term, **{f"edit_version-{draft_term.pk}": draft_term.edit_version})
    reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert PublishedTerm.objects.filter(pk=draft_term.pk).exists()


def test_the_publish_action_refuses_a_version_saved_after_it_was_shown(reviewer_client, client, draft_term):
    shown = draft_term.edit_version
    Term.objects.filter(pk=draft_term.pk).update(edit_version=shown + 1, explanation="Text nobody reviewed.")
    response = reviewer_client.post(
        reverse("admin:terms_term_changelist"),
        publish_action(draft_term, **{f"edit_version-{draft_term.pk}": shown}),
        follow=True,
    )
    assert "saved again after this page listed it" in response.content.decode()


def test_the_publish_action_leaves_a_version_saved_after_it_was_shown_unpublished(reviewer_client, draft_term):
    shown = draft_term.edit_version
    Term.objects.filter(pk=draft_term.pk).update(edit_version=shown + 1)
    reviewer_client.post(
        reverse("admin:terms_term_changelist"), publish_action(draft_term, **{f"edit_version-{draft_term.pk}": shown})
    )
    assert not PublishedTerm.objects.exists()


def test_the_publish_action_refuses_a_confirmation_without_versions(reviewer_client, draft_term):
    reviewer_client.post(reverse("admin:terms_term_changelist"), publish_action(draft_term))
    assert not PublishedTerm.objects.exists()


def test_reviewer_unpublishes_with_the_action(reviewer_client, published_term):
    data = {"action": "unpublish_selected", "_selected_action": [published_term.pk]}
    reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert not PublishedTerm.objects.exists()


def test_reviewer_unpublishes_from_the_form(reviewer_client, published_term, change_form, change_url):
    data = change_form(published_term, name=published_term.name, slug=published_term.slug, _unpublish="1")
    reviewer_client.post(change_url(published_term), data)
    assert not PublishedTerm.objects.exists()


def test_changelist_search_finds_a_term_by_alias(editor_client, make_term, html_of):
    record_save(make_term("Large language model", aliases="LLM"), by=None)
    assert "Large language model" in html_of(editor_client, reverse("admin:terms_term_changelist") + "?q=llm")


def test_changelist_filters_by_tag(editor_client, published_term, draft_term, html_of):
    tag = draft_term.tags.get(name="Hidden tag")
    html = html_of(editor_client, reverse("admin:terms_term_changelist") + f"?tags__id__exact={tag.pk}")
    assert ("Secret draft" in html, "Gradient descent" in html) == (True, False)


@pytest.mark.parametrize("rows", [3, 30])
def test_changelist_query_count_does_not_grow_with_rows(editor_client, make_term, django_assert_num_queries, rows):
    for number in range(rows):
        make_term(f"Row {number}", tags=["One", "Two"])
    # One is the author filter's choices (the people who wrote terms), one the header's counts on every admin page,
    # two the owner and owning group filters' choices.
    with django_assert_num_queries(12):
        assert editor_client.get(reverse("admin:terms_term_changelist")).status_code == 200


def test_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get(ADD_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_markdown_preview_renders_for_an_editor(editor_client):
    assert editor_client.post("/markdownx/markdownify/", {"content": "*hi*"}).content == b"<p><em>hi</em></p>"


def test_draft_has_no_view_on_site_link(editor_client, draft_term, change_url, html_of):
    html = html_of(editor_client, change_url(draft_term))
    assert ("Preview</a>" in html, "View on site" in html) == (True, False)


def test_editor_cannot_delete_a_published_term(editor_client, published_term, change_url):
    response = editor_client.post(change_url(published_term).replace("change", "delete"), {"post": "yes"})
    assert response.status_code == 403


def test_editor_refused_delete_leaves_the_term_on_the_site(editor_client, client, published_term, change_url):
    editor_client.post(change_url(published_term).replace("change", "delete"), {"post": "yes"})
    assert client.get("/terms/gradient-descent/").status_code == 200


def test_editor_cannot_bulk_delete_a_published_term(editor_client, published_term):
    data = {"action": "delete_selected", "_selected_action": [published_term.pk], "post": "yes"}
    assert editor_client.post(reverse("admin:terms_term_changelist"), data).status_code == 403


def test_editor_can_delete_a_draft(editor_client, draft_term, change_url):
    editor_client.post(change_url(draft_term).replace("change", "delete"), {"post": "yes"})
    assert not Term.objects.filter(pk=draft_term.pk).exists()


# Addresses no row can have: the admin says so, never a server error.
NO_SUCH_ROW = ["99999999999999999999999", "abc", "%C2%B2", "-1"]


@pytest.mark.parametrize(
    ("model", "page"),
    [("term", "change"), ("term", "delete"), ("term", "history"), ("tag", "change"), ("tag", "delete")]
    + [("tag", "history"), ("revision", "change"), ("revision", "history")],
)
@pytest.mark.parametrize("object_id", NO_SUCH_ROW)
def test_an_address_naming_no_row_says_it_does_not_exist(reviewer_client, model, object_id, page):
    response = reviewer_client.get(f"/admin/terms/{model}/{object_id}/{page}/", follow=True)
    assert response.status_code == 200
    assert "doesn’t exist. Perhaps it was deleted?" in response.content.decode()


@pytest.mark.parametrize("lookup", ["term_id", "term"])
def test_the_history_list_of_a_term_no_term_can_be_is_refused(reviewer_client, lookup):
    response = reviewer_client.get(f"/admin/terms/revision/?{lookup}=99999999999999999999999")
    assert (response.status_code, response.content.decode()) == (
        400,
        "A filter in this address asks for a number no row can have.",
    )


def test_searching_the_term_list_for_a_long_number_is_a_search(reviewer_client):
    response = reviewer_client.get("/admin/terms/term/?q=99999999999999999999999")
    assert response.status_code == 200
    assert "0 terms" in response.content.decode()


def test_editor_unpublishing_through_the_form_is_refused_with_403(editor_client, published_term, change_url):
    response = editor_client.post(change_url(published_term), {"_unpublish": "1"})
    assert response.status_code == 403


def test_editor_does_not_get_the_unpublish_action(editor_client, published_term, html_of):
    html = html_of(editor_client, reverse("admin:terms_term_changelist"))
    assert ("submit_selected" in html, "unpublish_selected" in html) == (True, False)


def test_editor_submits_a_term_for_review_from_the_form(editor_client, db, term_form):
    editor_client.post(reverse("admin:terms_term_add"), term_form(_submit="1"))
    assert Term.objects.get().status == Term.Status.IN_REVIEW


def test_editor_sees_the_submit_button(editor_client, draft_term, change_url, html_of):
    assert 'name="_submit"' in html_of(editor_client, change_url(draft_term))


def test_changelist_shows_each_terms_state(editor_client, published_term, edit, html_of):
    edit(published_term, short_definition="Changed.")
    assert "Published, with unpublished changes" in html_of(editor_client, reverse("admin:terms_term_changelist"))


def test_delete_page_warns_which_published_terms_link_to_the_term(reviewer_client, make_term, relate, html_of):
    target, source = make_term("Overfitting"), make_term("Regularisation")
    relate(source, target)
    publish(target, by=None)
    publish(source, by=None)
    html = html_of(reviewer_client, reverse("admin:terms_term_delete", args=[target.pk]))
    assert "Published pages that link here lose it from their “Related terms”: Regularisation." in html


def test_deleting_a_related_term_leaves_no_link_to_it(client, reviewer_client, make_term, relate, html_of):
    target, source = make_term("Overfitting"), make_term("Regularisation")
    relate(source, target)
    publish(target, by=None)
    publish(source, by=None)
    reviewer_client.post(reverse("admin:terms_term_delete", args=[target.pk]), {"post": "yes"})
    assert "/terms/overfitting/" not in html_of(client, "/terms/regularisation/")


def test_term_list_links_reviewers_to_the_review_queue(reviewer_client, db, html_of):
    html = html_of(reviewer_client, reverse("admin:terms_term_changelist"))
    assert reverse("admin:terms_term_review_queue") in html


def test_term_list_links_editors_to_deleted_terms(editor_client, db, html_of):
    assert "?action__exact=delete" in html_of(editor_client, reverse("admin:terms_term_changelist"))


def test_admin_lists_set_aside_twins_under_name_clashes(editor_client, set_aside_twin):
    response = editor_client.get(reverse("admin:terms_term_changelist"), {"clash": "yes"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_the_admin_lists_the_published_pages_that_link_to_a_term(editor_client, mentioner, make_term):
    widget = make_term("Widget")
    publish(widget, by=None)
    html = editor_client.get(reverse("admin:terms_term_change", args=[widget.pk])).content.decode()
    assert f'<a href="{reverse("admin:terms_term_change", args=[mentioner.pk])}">Assembly line</a>' in html


def test_the_admin_lists_mentions_not_linked_because_their_term_is_unpublished(editor_client, mentioner, make_term):
    sprocket = make_term("Sprocket")
    html = editor_client.get(reverse("admin:terms_term_change", args=[mentioner.pk])).content.decode()
    assert f'<a href="{reverse("admin:terms_term_change", args=[sprocket.pk])}">Sprocket</a> (not published)' in html


# Filters ---------------------------------------------------------------------------------------------------------


def listed_names(client, **params) -> set[str]:
    response = client.get(reverse("admin:terms_term_changelist"), params)
    assert response.status_code == 200
    return set(re.findall(r'<th class="field-name"><a href="[^"]+">([^<]+)</a>', response.content.decode()))


def test_author_filter_created_by_me(editor_client, editor, make_term):
    make_term("Mine", created_by=editor)
    make_term("Someone else's")
    assert listed_names(editor_client, author="me") == {"Mine"}


def test_author_filter_keeps_its_former_address(editor_client, editor, make_term):
    make_term("Mine", created_by=editor)
    make_term("Someone else's")
    assert listed_names(editor_client, mine="yes") == {"Mine"}


def test_author_filter_lists_who_created_or_last_edited_terms(editor_client, reviewer, make_term, html_of):
    make_term("Edited by a reviewer", updated_by=reviewer)
    html = html_of(editor_client, reverse("admin:terms_term_changelist"))
    assert f"?author={reviewer.pk}" in html


def test_author_filter_by_a_person_lists_what_they_created_or_last_edited(editor_client, reviewer, make_term):
    make_term("Created by the reviewer", created_by=reviewer)
    make_term("Last edited by the reviewer", updated_by=reviewer)
    make_term("Nobody's")
    assert listed_names(editor_client, author=reviewer.pk) == {"Created by the reviewer", "Last edited by the reviewer"}


def test_unpublished_changes_filter_lists_live_terms_edited_since(editor_client, published_term, make_term, edit):
    publish(make_term("Published as is"), by=None)
    make_term("Never published")
    edit(published_term, analogy="A new analogy, not yet live.")
    assert listed_names(editor_client, unpublished="yes") == {"Gradient descent"}


def test_waiting_filter_lists_terms_in_review_for_more_than_a_week(editor_client, make_term):
    long_ago = timezone.now() - datetime.timedelta(days=8)
    make_term("Waiting long", status=Term.Status.IN_REVIEW, submitted_at=long_ago)
    make_term("Waiting a day", status=Term.Status.IN_REVIEW, submitted_at=timezone.now() - datetime.timedelta(days=1))
    make_term("Sent back long ago", status=Term.Status.CHANGES_REQUESTED, submitted_at=long_ago)
    assert listed_names(editor_client, waiting="week") == {"Waiting long"}


# Edit summary ------------------------------------------------------------------------------------------------------


def test_the_change_form_offers_an_edit_summary(editor_client, draft_term, change_url, html_of):
    assert 'name="edit_summary"' in html_of(editor_client, change_url(draft_term))


def test_the_edit_summary_is_kept_as_the_saves_message(editor_client, draft_term, change_url, change_form):
    data = change_form(draft_term, edit_summary="Rewrote the analogy, as the review asked.")
    editor_client.post(change_url(draft_term), data)
    assert Revision.objects.get(term=draft_term, action="save").message == "Rewrote the analogy, as the review asked."


def test_an_edit_summary_over_300_characters_is_refused(editor_client, draft_term, change_url, change_form):
    response = editor_client.post(change_url(draft_term), change_form(draft_term, edit_summary="x" * 301))
    assert "at most 300 characters" in response.content.decode()


def test_a_refused_edit_summary_saves_nothing(editor_client, draft_term, change_url, change_form):
    editor_client.post(change_url(draft_term), change_form(draft_term, edit_summary="x" * 301))
    assert not Revision.objects.filter(term=draft_term).exists()


def test_a_save_that_changes_nothing_says_its_summary_was_not_recorded(
    editor_client, draft_term, change_url, form_as_submitted
):
    record_save(draft_term, by=None)
    data = {**form_as_submitted(editor_client.get(change_url(draft_term)).content.decode()), "edit_summary": "Typo."}
    response = editor_client.post(change_url(draft_term), data, follow=True)
    assert "Your edit summary was not recorded: nothing changed" in response.content.decode()


def test_a_save_that_changes_nothing_records_no_summary(editor_client, draft_term, change_url, form_as_submitted):
    record_save(draft_term, by=None)
    data = {**form_as_submitted(editor_client.get(change_url(draft_term)).content.decode()), "edit_summary": "Typo."}
    editor_client.post(change_url(draft_term), data)
    assert list(Revision.objects.filter(term=draft_term).values_list("message", flat=True)) == [""]


def test_the_versions_page_shows_the_edit_summary(editor_client, draft_term, change_url, change_form, html_of):
    editor_client.post(change_url(draft_term), change_form(draft_term, edit_summary="Shorter analogy."))
    assert "Shorter analogy." in html_of(editor_client, reverse("admin:terms_term_revisions", args=[draft_term.pk]))


# Nothing to publish ------------------------------------------------------------------------------------------------


def test_save_and_publish_is_hidden_on_a_term_readers_already_see_until_something_is_changed(
    reviewer_client, published_term, change_url, html_of
):
    html = html_of(reviewer_client, change_url(published_term))
    assert 'name="_publish" class="default" hidden data-shown-when-changed>' in html


def test_the_change_form_says_there_is_nothing_to_publish(reviewer_client, published_term, change_url, html_of):
    html = html_of(reviewer_client, change_url(published_term))
    assert "Nothing to publish: readers already see this version." in html


def test_save_and_publish_is_offered_once_the_term_has_changes(
    reviewer_client, published_term, edit, change_url, html_of
):
    edit(published_term, analogy="Walking downhill at night.")
    assert 'name="_publish" class="default">' in html_of(reviewer_client, change_url(published_term))


def test_save_and_publish_of_an_unchanged_term_says_there_is_nothing_to_publish(
    reviewer_client, published_term, change_url, form_as_submitted
):
    data = {**form_as_submitted(reviewer_client.get(change_url(published_term)).content.decode()), "_publish": "1"}
    response = reviewer_client.post(change_url(published_term), data, follow=True)
    assert "Nothing to publish: readers already see this version." in response.content.decode()


def test_the_publish_action_leaves_out_terms_readers_already_see(reviewer_client, published_term):
    data = {"action": "publish_selected", "_selected_action": [published_term.pk]}
    response = reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert f'name="edit_version-{published_term.pk}"' not in response.content.decode()


def test_the_publish_action_says_why_it_left_a_term_out(reviewer_client, published_term):
    data = {"action": "publish_selected", "_selected_action": [published_term.pk]}
    response = reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert "Nothing to publish: readers already see this version" in response.content.decode()


def test_the_publish_action_refuses_an_unchanged_term_sent_anyway(reviewer_client, published_term):
    data = publish_action(published_term, **{f"edit_version-{published_term.pk}": published_term.edit_version})
    reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert Revision.objects.filter(term=published_term, action="publish").count() == 1


def test_an_edited_live_term_can_be_saved_and_submitted_at_once(editor_client, published_term, change_url, change_form):
    data = change_form(published_term, name="Gradient descent", slug="gradient-descent", _submit="1")
    editor_client.post(change_url(published_term), data)
    assert Term.objects.get(pk=published_term.pk).status == Term.Status.IN_REVIEW


# The delete pages say in words what deleting does ----------------------------------------------------------------------


@pytest.fixture
def linked_term(make_term, relate):
    """A published term with an example, a misconception, two relations, and a published page relating to it."""
    term = make_term("Overfitting")
    Example.objects.create(term=term, position=1, title="Memorised", body="A model that memorised its data.")
    Misconception.objects.create(term=term, position=1, claim="More data never helps.", correction="It usually does.")
    relate(make_term("Regularisation"), term)
    relate(term, make_term("Underfitting"), kind=Relation.Kind.CONTRAST)
    for published in Term.objects.order_by("pk"):
        publish(published, by=None)
    return term


def delete_page(client, term):
    response = client.get(reverse("admin:terms_term_delete", args=[term.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_delete_page_says_a_live_term_will_be_removed_from_the_site(reviewer_client, linked_term):
    assert "“Overfitting” will be removed from the site:" in delete_page(reviewer_client, linked_term)


def test_delete_page_links_to_the_live_page_readers_lose(reviewer_client, linked_term):
    assert '<a href="/terms/overfitting/">its page</a>' in delete_page(reviewer_client, linked_term)


def test_delete_page_says_a_draft_is_not_on_the_site(editor_client, draft_term):
    assert "“Secret draft” is not on the site, so readers see no change." in delete_page(editor_client, draft_term)


def test_delete_page_counts_what_goes_with_the_term(reviewer_client, linked_term):
    html = delete_page(reviewer_client, linked_term)
    assert "Its 1 example, 1 misconception and 2 relations to other terms go with it." in html


def test_delete_page_says_where_to_recover_the_term(reviewer_client, linked_term):
    html = delete_page(reviewer_client, linked_term)
    assert (
        'it can be recovered, as a draft, from <a href="/admin/terms/revision/?action__exact=delete">Deleted terms</a>'
        in html
    )


def test_delete_page_names_the_pages_whose_text_links_here(reviewer_client, make_term):
    target = make_term("Overfitting")
    publish(target, by=None)
    publish(make_term("Dropout", explanation="Dropout reduces overfitting."), by=None)
    html = delete_page(reviewer_client, target)
    assert "Published pages whose text links here keep the words, without the link: Dropout." in html


def test_delete_page_lists_no_internal_rows(reviewer_client, linked_term):
    html = delete_page(reviewer_client, linked_term)
    assert ('id="deleted-objects"' in html, "Tagged term" in html, "Relation:" in html) == (False, False, False)


def test_delete_page_confirms_in_words(reviewer_client, linked_term):
    assert 'value="Yes, delete “Overfitting”"' in delete_page(reviewer_client, linked_term)


def test_deleting_from_the_delete_page_still_deletes(reviewer_client, linked_term):
    response = reviewer_client.post(reverse("admin:terms_term_delete", args=[linked_term.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Term.objects.filter(pk=linked_term.pk).exists()


def bulk_delete_page(client, *terms):
    data = {"action": "delete_selected", "_selected_action": [term.pk for term in terms]}
    response = client.post(reverse("admin:terms_term_changelist"), data)
    assert response.status_code == 200
    return response.content.decode()


def test_bulk_delete_confirmation_summarises_each_term(reviewer_client, linked_term, draft_term):
    html = bulk_delete_page(reviewer_client, linked_term, draft_term)
    assert ("“Overfitting” will be removed from the site:" in html, "“Secret draft” is not on the site" in html) == (
        True,
        True,
    )


def test_bulk_delete_confirmation_says_where_to_recover_the_terms(reviewer_client, linked_term, draft_term):
    assert "each can be recovered, as a draft, from" in bulk_delete_page(reviewer_client, linked_term, draft_term)


def test_bulk_delete_confirmation_lists_no_internal_rows(reviewer_client, linked_term, draft_term):
    html = bulk_delete_page(reviewer_client, linked_term, draft_term)
    assert ("Tagged term" in html, "Relation:" in html, "Summary" in html) == (False, False, False)


def test_bulk_delete_confirmed_deletes_the_terms(reviewer_client, linked_term, draft_term):
    data = {"action": "delete_selected", "_selected_action": [linked_term.pk, draft_term.pk], "post": "yes"}
    response = reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert response.status_code == 302
    assert not Term.objects.filter(pk__in=[linked_term.pk, draft_term.pk]).exists()


# The admin's own 404 and 403 ------------------------------------------------------------------------------------------


def test_a_bad_admin_address_is_a_404(editor_client):
    assert editor_client.get("/admin/nonexistent/").status_code == 404


def test_a_bad_admin_address_says_nothing_is_there(editor_client):
    html = editor_client.get("/admin/nonexistent/").content.decode()
    assert "There is nothing in the editorial workspace at <code>/admin/nonexistent/</code>." in html


def test_an_admin_404_is_an_admin_page_leading_home(editor_client):
    html = editor_client.get("/admin/nonexistent/").content.decode()
    assert ("Glossary editorial" in html, '<a href="/admin/">Go to the editorial home</a>' in html) == (True, True)


def test_an_admin_404_points_to_deleted_terms(reviewer_client):
    html = reviewer_client.get(reverse("admin:terms_term_review", args=[999999])).content.decode()
    assert "A deleted term can be recovered from" in html


def test_a_readers_404_stays_the_sites_own(client, db):
    response = client.get("/terms/no-such-term/")
    assert (response.status_code, "We couldn't find that page" in response.content.decode()) == (404, True)


def test_an_admin_403_says_why_on_an_admin_page(editor_client, draft_term):
    response = editor_client.get(reverse("admin:terms_term_review", args=[draft_term.pk]))
    assert response.status_code == 403
    assert "You do not have permission to do this." in response.content.decode()


def test_an_admin_403_says_who_may_and_where_to_go(editor_client, draft_term):
    html = editor_client.get(reverse("admin:terms_term_review", args=[draft_term.pk])).content.decode()
    assert ("ask a reviewer" in html, '<a href="/admin/">Go to the editorial home</a>' in html) == (True, True)


def test_an_admin_403_is_in_the_admins_look(editor_client, draft_term):
    html = editor_client.get(reverse("admin:terms_term_review", args=[draft_term.pk])).content.decode()
    assert "Glossary editorial" in html


def test_bulk_delete_confirmation_of_one_term_names_it(reviewer_client, linked_term):
    assert 'value="Yes, delete “Overfitting”"' in bulk_delete_page(reviewer_client, linked_term)


def test_bulk_delete_confirmation_counts_the_terms(reviewer_client, linked_term, draft_term):
    assert "What deleting these 2 terms does" in bulk_delete_page(reviewer_client, linked_term, draft_term)


def test_a_missing_terms_change_page_says_where_deleted_terms_are(editor_client, db):
    response = editor_client.get(reverse("admin:terms_term_change", args=[999999]), follow=True)
    assert response.status_code == 200
    assert 'A deleted term can be recovered from <a href="/admin/terms/revision/?action__exact=delete">' in (
        response.content.decode()
    )
