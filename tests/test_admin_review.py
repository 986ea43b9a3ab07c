"""The review screens (terms/admin_review.py): review queue, review, preview, history, compare, rollback and recovery."""

import re

import pytest
from django.urls import reverse

from terms.models import Example, PublishedTerm, Revision, Term
from terms.publishing import delete_term, publish, unpublish
from terms.workflow import record_save, request_changes, submit_for_review

# Roles -------------------------------------------------------------------------------------------------------------


def test_editor_cannot_open_the_review_queue(editor_client):
    assert editor_client.get(reverse("admin:terms_term_review_queue")).status_code == 403


def test_reviewer_opens_the_review_queue(reviewer_client):
    assert reviewer_client.get(reverse("admin:terms_term_review_queue")).status_code == 200


def test_editor_cannot_open_a_terms_review(editor_client, draft_term):
    assert editor_client.get(reverse("admin:terms_term_review", args=[draft_term.pk])).status_code == 403


def test_editor_publishing_from_the_review_page_is_refused_with_403(editor_client, draft_term, review_url):
    data = {"_publish": "1", "edit_version": str(draft_term.edit_version)}
    assert editor_client.post(review_url(draft_term), data).status_code == 403


def test_editor_refused_publish_from_the_review_page_publishes_nothing(editor_client, draft_term, review_url):
    editor_client.post(review_url(draft_term), {"_publish": "1", "edit_version": str(draft_term.edit_version)})
    assert not PublishedTerm.objects.exists()


def test_editor_requesting_changes_is_refused_with_403(editor_client, draft_term, review_url):
    submit_for_review(draft_term, by=None)
    data = {"_request_changes": "1", "comment": "No", "edit_version": str(draft_term.edit_version)}
    assert editor_client.post(review_url(draft_term), data).status_code == 403


def test_editor_rolling_back_is_refused_with_403(editor_client, published_term, live_revisions):
    revision = live_revisions(published_term)[0]
    url = reverse("admin:terms_term_rollback", args=[published_term.pk, revision.pk])
    assert editor_client.post(url).status_code == 403


def test_anonymous_visitor_is_sent_to_login_from_the_review_queue(client, db):
    response = client.get(reverse("admin:terms_term_review_queue"))
    assert response.url.startswith(reverse("admin:login"))


def test_anonymous_visitor_is_sent_to_login_from_a_preview(client, draft_term):
    response = client.get(reverse("admin:terms_term_preview", args=[draft_term.pk]))
    assert response.url.startswith(reverse("admin:login"))


def test_superuser_can_publish(admin_client, draft_term, decide):
    decide(admin_client, draft_term, _publish="1")
    assert PublishedTerm.objects.filter(pk=draft_term.pk).exists()


def test_author_sees_the_reviewers_comment(
    editor_client, separate_reviewer_client, draft_term, change_url, decide, html_of
):
    submit_for_review(draft_term, by=None)
    decide(separate_reviewer_client, draft_term, _request_changes="1", comment="Please add an example.")
    assert "Please add an example." in html_of(editor_client, change_url(draft_term))


def test_request_changes_without_a_comment_changes_nothing(reviewer_client, draft_term, decide):
    submit_for_review(draft_term, by=None)
    decide(reviewer_client, draft_term, _request_changes="1")
    assert Term.objects.get(pk=draft_term.pk).status == Term.Status.IN_REVIEW


# Review ------------------------------------------------------------------------------------------------------------


def test_review_queue_lists_the_oldest_submission_first(reviewer_client, make_term, html_of):
    for name in ("First in", "Second in"):
        submit_for_review(make_term(name), by=None)
    html = html_of(reviewer_client, reverse("admin:terms_term_review_queue"))
    assert html.index("First in") < html.index("Second in")


def test_review_queue_shows_who_submitted(reviewer_client, editor, draft_term, html_of):
    submit_for_review(draft_term, by=editor)
    assert editor.username in html_of(reviewer_client, reverse("admin:terms_term_review_queue"))


def test_review_queue_leaves_out_drafts(reviewer_client, make_term, draft_term, html_of):
    submit_for_review(make_term("Waiting term"), by=None)
    html = html_of(reviewer_client, reverse("admin:terms_term_review_queue"))
    assert ("Waiting term" in html, "Secret draft" in html) == (True, False)


def test_review_shows_the_changed_field_against_the_live_page(reviewer_client, published_term, edit, html_of):
    edit(published_term, short_definition="Following the slope down.")
    html = html_of(reviewer_client, reverse("admin:terms_term_review", args=[published_term.pk]))
    assert "<ins>Following the slope down.</ins>" in html


def test_review_shows_a_changed_example(reviewer_client, published_term, html_of):
    Example.objects.create(term=published_term, position=1, body="A fresh example.")
    record_save(published_term, by=None)
    html = html_of(reviewer_client, reverse("admin:terms_term_review", args=[published_term.pk]))
    assert "A fresh example.</ins>" in html


def test_review_shows_changed_tags(reviewer_client, published_term, html_of):
    published_term.tags.add("Optimisation")
    record_save(published_term, by=None)
    html = html_of(reviewer_client, reverse("admin:terms_term_review", args=[published_term.pk]))
    assert "<ins>Optimisation, Training</ins>" in html


def test_review_escapes_the_changed_text(reviewer_client, published_term, edit, html_of):
    edit(published_term, short_definition="<script>alert(1)</script>")
    html = html_of(reviewer_client, reverse("admin:terms_term_review", args=[published_term.pk]))
    assert ("&lt;script&gt;alert(1)" in html, "<script>alert(1)" in html) == (True, False)


def test_reviewer_publishes_from_the_review_page(reviewer_client, client, draft_term, decide):
    submit_for_review(draft_term, by=None)
    decide(reviewer_client, draft_term, _publish="1")
    assert client.get("/terms/secret-draft/").status_code == 200


@pytest.fixture
def review_overtaken(reviewer_client, published_term, edit, html_of, review_url):
    """A reviewer opens the review of an edit; the editor saves another wording before the reviewer decides."""
    edit(published_term, short_definition="The wording the reviewer read.")
    submit_for_review(published_term, by=None)
    edit_version = re.search(
        r'name="edit_version" value="(\d+)"', html_of(reviewer_client, review_url(published_term))
    ).group(1)
    edit(published_term, short_definition="A wording nobody reviewed.")
    return published_term, edit_version


def test_reviewer_cannot_publish_a_version_they_did_not_see(reviewer_client, review_overtaken, review_url):
    term, edit_version = review_overtaken
    reviewer_client.post(review_url(term), {"_publish": "1", "edit_version": edit_version})
    assert PublishedTerm.objects.get(pk=term.pk).short_definition == "The one-line definition of Gradient descent."


def test_refused_publish_sends_the_reviewer_back_to_the_review(reviewer_client, review_overtaken, review_url):
    term, edit_version = review_overtaken
    response = reviewer_client.post(review_url(term), {"_publish": "1", "edit_version": edit_version})
    assert (response.status_code, response["Location"]) == (302, review_url(term))


def test_refused_publish_says_the_term_was_saved_since(reviewer_client, review_overtaken, html_of, review_url):
    term, edit_version = review_overtaken
    reviewer_client.post(review_url(term), {"_publish": "1", "edit_version": edit_version})
    assert "after you opened this review" in html_of(reviewer_client, review_url(term))


def test_the_fresh_review_shows_the_wording_saved_since(reviewer_client, review_overtaken, html_of, review_url):
    term, edit_version = review_overtaken
    reviewer_client.post(review_url(term), {"_publish": "1", "edit_version": edit_version})
    assert "A wording nobody reviewed." in html_of(reviewer_client, review_url(term))


def test_reviewer_cannot_request_changes_on_a_version_they_did_not_see(reviewer_client, review_overtaken, review_url):
    term, edit_version = review_overtaken
    reviewer_client.post(
        review_url(term), {"_request_changes": "1", "comment": "Shorter.", "edit_version": edit_version}
    )
    assert Term.objects.get(pk=term.pk).status == Term.Status.IN_REVIEW


def test_reviewer_publishes_exactly_the_version_they_saw(reviewer_client, published_term, decide, edit):
    edit(published_term, short_definition="The wording the reviewer read.")
    decide(reviewer_client, published_term, _publish="1", public_note="Clearer one-liner.")
    assert PublishedTerm.objects.get(pk=published_term.pk).short_definition == "The wording the reviewer read."


@pytest.mark.parametrize("decision", [{"_publish": "1"}, {"_request_changes": "1", "comment": "Shorter."}])
def test_a_review_decision_without_the_version_reviewed_is_a_bad_request(
    reviewer_client, draft_term, decision, review_url
):
    submit_for_review(draft_term, by=None)
    assert reviewer_client.post(review_url(draft_term), decision).status_code == 400


def test_publishing_without_the_version_reviewed_publishes_nothing(reviewer_client, draft_term, review_url):
    submit_for_review(draft_term, by=None)
    reviewer_client.post(review_url(draft_term), {"_publish": "1"})
    assert not PublishedTerm.objects.exists()


# Preview --------------------------------------------------------------------------------------------------------------


def test_preview_shows_the_working_copy(editor_client, published_term, edit, html_of):
    edit(published_term, short_definition="The unreviewed wording.")
    assert "The unreviewed wording." in html_of(
        editor_client, reverse("admin:terms_term_preview", args=[published_term.pk])
    )


def test_preview_is_marked_as_a_preview(editor_client, draft_term, html_of):
    assert "Preview</strong> of the working copy" in html_of(
        editor_client, reverse("admin:terms_term_preview", args=[draft_term.pk])
    )


def test_preview_is_kept_out_of_search_engines(editor_client, draft_term):
    response = editor_client.get(reverse("admin:terms_term_preview", args=[draft_term.pk]))
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_page_says_noindex(editor_client, draft_term, html_of):
    assert '<meta name="robots" content="noindex, nofollow">' in html_of(
        editor_client, reverse("admin:terms_term_preview", args=[draft_term.pk])
    )


def test_preview_is_refused_to_staff_without_term_permissions(client, django_user_model, draft_term):
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert client.get(reverse("admin:terms_term_preview", args=[draft_term.pk])).status_code == 403


# History, comparison, rollback and recovery ---------------------------------------------------------------------------


def test_history_lists_publishes_and_saves(editor_client, published_term, edit, html_of):
    edit(published_term, short_definition="Second wording.")
    html = html_of(editor_client, reverse("admin:terms_term_revisions", args=[published_term.pk]))
    assert html.count("(version ") >= 2


def test_history_shows_each_revisions_number(editor_client, published_term, edit, html_of):
    edit(published_term, short_definition="Second wording.")
    html = html_of(editor_client, reverse("admin:terms_term_revisions", args=[published_term.pk]))
    assert "Revision 2 · Saved" in html


def test_history_of_a_single_version_offers_no_comparison(editor_client, published_term, html_of):
    html = html_of(editor_client, reverse("admin:terms_term_revisions", args=[published_term.pk]))
    assert "Compare the chosen versions" not in html


def test_history_comparison_chosen_by_default_opens(editor_client, published_term, edit, html_of):
    edit(published_term, short_definition="Second wording.")
    html = html_of(editor_client, reverse("admin:terms_term_revisions", args=[published_term.pk]))
    chosen = dict(re.findall(r'name="([ab])" value="(\d+)"[^>]* checked', html))
    url = reverse("admin:terms_term_compare", args=[published_term.pk]) + f"?a={chosen['a']}&b={chosen['b']}"
    assert "<ins>Second wording.</ins>" in html_of(editor_client, url).replace("</del> <ins>", "<ins>")


def test_comparing_two_versions_shows_what_changed(editor_client, published_term, edit, html_of, live_revisions):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    second = live_revisions(published_term)[-1]
    url = reverse("admin:terms_term_compare", args=[published_term.pk]) + f"?a={first.pk}&b={second.pk}"
    assert "<ins>Second wording.</ins>" in html_of(editor_client, url).replace("</del> <ins>", "<ins>")


def test_comparing_without_two_versions_explains(editor_client, published_term):
    response = editor_client.get(reverse("admin:terms_term_compare", args=[published_term.pk]) + "?a=1")
    assert (response.status_code, response.content.decode()) == (
        400,
        "Choose two different versions of this term to compare.",
    )


def test_reviewer_rolls_back_from_the_history_page(
    reviewer_client, client, published_term, edit, html_of, live_revisions
):
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    reviewer_client.post(reverse("admin:terms_term_rollback", args=[published_term.pk, first.pk]))
    assert "Second wording." not in html_of(client, "/terms/gradient-descent/")


def test_editor_recovers_a_deleted_term_from_the_admin(editor_client, deleted):
    editor_client.post(reverse("admin:terms_revision_recover", args=[deleted.pk]))
    assert Term.objects.filter(name="Momentum").exists()


def test_deleted_revision_offers_recovery_in_the_admin(editor_client, deleted, html_of):
    assert "Recover this term" in html_of(editor_client, reverse("admin:terms_revision_change", args=[deleted.pk]))


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


# One history -------------------------------------------------------------------------------------------------------


def test_djangos_history_of_a_term_redirects_to_its_versions_page(editor_client, published_term):
    response = editor_client.get(reverse("admin:terms_term_history", args=[published_term.pk]))
    assert response.status_code == 302


def test_djangos_history_of_a_term_leads_to_its_versions_page(editor_client, published_term):
    response = editor_client.get(reverse("admin:terms_term_history", args=[published_term.pk]))
    assert response["Location"] == reverse("admin:terms_term_revisions", args=[published_term.pk])


def test_the_change_page_links_the_versions_page(editor_client, published_term, change_url):
    response = editor_client.get(change_url(published_term))
    assert reverse("admin:terms_term_revisions", args=[published_term.pk]) in response.content.decode()


def test_the_change_page_has_no_second_history_link(editor_client, published_term, change_url):
    response = editor_client.get(change_url(published_term))
    assert response.status_code == 200
    assert reverse("admin:terms_term_history", args=[published_term.pk]) not in response.content.decode()


# Refusals ----------------------------------------------------------------------------------------------------------


def test_a_refused_screen_says_what_was_refused(editor_client):
    response = editor_client.get(reverse("admin:terms_term_review_queue"))
    assert response.status_code == 403
    assert "You do not have permission to do this." in response.content.decode()


def test_a_refused_screen_explains_who_may_publish(editor_client):
    response = editor_client.get(reverse("admin:terms_term_review_queue"))
    assert "only reviewers publish" in response.content.decode()


def test_a_refused_screen_leads_back_to_the_editorial_home(editor_client):
    response = editor_client.get(reverse("admin:terms_term_review_queue"))
    assert f'href="{reverse("admin:index")}"' in response.content.decode()


# Rolling back asks first -------------------------------------------------------------------------------------------


@pytest.fixture
def rolled_over(published_term, edit, live_revisions):
    """A published term whose first live version has been replaced by a second: (term, first revision)."""
    first = live_revisions(published_term)[0]
    edit(published_term, short_definition="Second wording.")
    publish(published_term, by=None)
    return published_term, first


def rollback_url(term, revision):
    return reverse("admin:terms_term_rollback", args=[term.pk, revision.pk])


def test_rolling_back_first_shows_a_confirmation(reviewer_client, rolled_over):
    response = reviewer_client.get(rollback_url(*rolled_over))
    assert response.status_code == 200
    assert "Yes, make this version live" in response.content.decode()


def test_the_confirmation_shows_what_readers_would_see_change(reviewer_client, rolled_over):
    response = reviewer_client.get(rollback_url(*rolled_over))
    assert "Second wording." in response.content.decode()


def test_opening_the_confirmation_changes_nothing_readers_see(reviewer_client, client, rolled_over, html_of):
    assert reviewer_client.get(rollback_url(*rolled_over)).status_code == 200
    assert "Second wording." in html_of(client, "/terms/gradient-descent/")


def test_editor_cannot_open_the_rollback_confirmation(editor_client, rolled_over):
    assert editor_client.get(rollback_url(*rolled_over)).status_code == 403


def test_the_history_page_links_each_earlier_live_version_to_its_confirmation(reviewer_client, rolled_over):
    term, first = rolled_over
    response = reviewer_client.get(reverse("admin:terms_term_revisions", args=[term.pk]))
    assert f'href="{rollback_url(term, first)}"' in response.content.decode()


def test_a_version_that_was_never_live_cannot_be_confirmed(reviewer_client, published_term, edit):
    edit(published_term, short_definition="Only saved.")
    saved = Revision.objects.filter(term_id=published_term.pk, action=Revision.Action.SAVE).latest("created_at")
    response = reviewer_client.get(rollback_url(published_term, saved))
    assert "Only a version that was live can be made live again" in response.content.decode()


# One history: review steps and edit summaries on the Versions page --------------------------------------------------


def test_the_versions_page_lists_each_review_step(reviewer_client, draft_term, reviewer, html_of):
    record_save(draft_term, by=None)
    submit_for_review(draft_term, by=None)
    request_changes(draft_term, by=reviewer, comment="Add an example, please.")
    html = html_of(reviewer_client, reverse("admin:terms_term_revisions", args=[draft_term.pk]))
    assert "Review · Changes requested (version 1)" in html


def test_the_versions_page_shows_the_reviewers_comment(reviewer_client, draft_term, reviewer, html_of):
    submit_for_review(draft_term, by=None)
    request_changes(draft_term, by=reviewer, comment="Add an example, please.")
    html = html_of(reviewer_client, reverse("admin:terms_term_revisions", args=[draft_term.pk]))
    assert "Add an example, please." in html


def test_the_versions_page_shows_who_took_a_review_step(reviewer_client, draft_term, editor, html_of):
    submit_for_review(draft_term, by=editor)
    html = html_of(reviewer_client, reverse("admin:terms_term_revisions", args=[draft_term.pk]))
    assert re.search(r"Review · Submitted for review \(version 1\)</td>\s*<td>edna</td>", html)


def test_the_versions_page_lists_review_steps_among_saves_newest_first(
    reviewer_client, draft_term, reviewer, edit, html_of
):
    record_save(draft_term, by=None)
    submit_for_review(draft_term, by=None)
    edit(draft_term, analogy="A sealed letter.")
    html = html_of(reviewer_client, reverse("admin:terms_term_revisions", args=[draft_term.pk]))
    order = [html.index("Revision 2 · Saved"), html.index("Review · Submitted"), html.index("Revision 1 · Saved")]
    assert order == sorted(order)


def test_the_comparison_shows_each_versions_summary(editor_client, published_term, edit, html_of):
    Revision.objects.filter(term=published_term).update(message="First go.")
    edit(published_term, analogy="A sealed letter.")
    newer = Revision.objects.filter(term=published_term).first()
    url = reverse("admin:terms_term_compare", args=[published_term.pk])
    older = Revision.objects.filter(term=published_term).last()
    assert "(“First go.”)" in html_of(editor_client, f"{url}?a={older.pk}&b={newer.pk}")


# Nothing to publish on the review page -----------------------------------------------------------------------------


def test_the_review_page_offers_no_publishing_for_a_term_readers_already_see(reviewer_client, published_term, html_of):
    html = html_of(reviewer_client, reverse("admin:terms_term_review", args=[published_term.pk]))
    assert ('name="_publish"' in html, 'name="_schedule"' in html) == (False, False)


def test_the_review_page_says_there_is_nothing_to_publish(reviewer_client, published_term, html_of):
    html = html_of(reviewer_client, reverse("admin:terms_term_review", args=[published_term.pk]))
    assert "Nothing to publish: readers already see this version." in html


def test_the_review_page_offers_publishing_once_the_term_changed(reviewer_client, published_term, edit, html_of):
    edit(published_term, analogy="A sealed letter.")
    html = html_of(reviewer_client, reverse("admin:terms_term_review", args=[published_term.pk]))
    assert 'name="_publish"' in html


def test_publishing_an_unchanged_term_from_the_review_page_says_why_not(
    reviewer_client, published_term, review_url, html_of
):
    data = {"_publish": "1", "edit_version": str(published_term.edit_version)}
    response = reviewer_client.post(review_url(published_term), data)
    assert "Nothing to publish: readers already see this version." in html_of(reviewer_client, response.url)


# The recover page and every revision's page show the term as a person reads it -----------------------------------------


def revision_page(client, revision):
    response = client.get(reverse("admin:terms_revision_change", args=[revision.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_recover_page_shows_the_term_as_it_will_come_back(editor_client, deleted):
    assert "The term as it will come back" in revision_page(editor_client, deleted)


def test_recover_page_shows_the_terms_name_as_a_heading(editor_client, deleted):
    assert '<h3 id="kept-term-name" class="kept-term__name">Momentum</h3>' in revision_page(editor_client, deleted)


def test_recover_page_shows_the_one_line_definition(editor_client, deleted):
    assert '<p class="kept-term__lede">The one-line definition of Momentum.</p>' in revision_page(
        editor_client, deleted
    )


def test_recover_page_renders_the_sections(editor_client, deleted):
    assert "<p>Momentum explained, first paragraph.</p>" in revision_page(editor_client, deleted)


def test_recover_page_shows_the_examples(editor_client, deleted):
    html = revision_page(editor_client, deleted)
    assert ("<h5>A ball</h5>" in html, "<p>A ball rolling downhill.</p>" in html) == (True, True)


def test_recover_page_shows_the_misconceptions(editor_client, deleted):
    assert "Myth: It is always faster." in revision_page(editor_client, deleted)


def test_recover_page_shows_the_tags(editor_client, deleted):
    assert "<h4>Tags</h4>\n  <p>Training</p>" in revision_page(editor_client, deleted)


def test_recover_page_names_the_related_terms(editor_client, deleted):
    assert "<li>Related: Learning rate</li>" in revision_page(editor_client, deleted)


def test_recover_page_names_the_terms_that_related_to_it(editor_client, deleted):
    assert "<li>Learning rate (narrower)</li>" in revision_page(editor_client, deleted)


def test_recover_page_keeps_the_stored_data_in_collapsed_technical_details(editor_client, deleted):
    html = revision_page(editor_client, deleted)
    assert re.search(
        r'<fieldset class="module aligned collapse"[^>]*>\s*<details[^>]*>\s*<summary>.*Technical details', html, re.S
    )


def test_recover_page_sanitises_the_markdown(editor_client, make_term):
    term = make_term("Momentum", explanation="**Heavy** <script>alert(1)</script>")
    record_save(term, by=None)
    delete_term(term, by=None)
    html = revision_page(editor_client, Revision.objects.get(action=Revision.Action.DELETE))
    assert ("<strong>Heavy</strong>" in html, "<script>alert(1)" in html) == (True, False)


def test_a_recovered_deletion_leads_to_the_term(editor_client, deleted):
    editor_client.post(reverse("admin:terms_revision_recover", args=[deleted.pk]))
    html = revision_page(editor_client, deleted)
    assert ("Recover this term" in html, "This term has been recovered since" in html) == (False, True)


def test_a_saved_version_shows_the_term_as_it_kept_it(editor_client, published_term):
    revision = Revision.objects.get(term_id=published_term.pk)
    assert "The term as this version kept it" in revision_page(editor_client, revision)


def test_an_unpublishing_shows_no_term(editor_client, published_term):
    unpublish(published_term, by=None)
    revision = Revision.objects.get(term_id=published_term.pk, action=Revision.Action.UNPUBLISH)
    assert "kept-term" not in revision_page(editor_client, revision)
