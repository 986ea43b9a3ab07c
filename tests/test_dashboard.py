"""The admin home's workspace and the counts in the admin's header."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from terms.dashboard import header_counts
from terms.models import Term
from terms.models.workspace import Notification, ScheduledPublication
from terms.publishing import publish
from terms.workflow import request_changes, submit_for_review

HOME = "/admin/"


def section(html: str, heading_id: str) -> str:
    """The HTML of one section of the admin home, by its heading's id."""
    match = re.search(rf'<section [^>]*aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert match, f"no section {heading_id}"
    return match.group(1).replace("\xa0", " ")  # timesince keeps "3 days" together


def heading(html: str, heading_id: str) -> str:
    return re.search(rf'<h2 id="{heading_id}">([^<]*)</h2>', html).group(1)


def test_admin_home_answers_an_editor(editor_client):
    assert editor_client.get(HOME).status_code == 200


def test_admin_home_still_lists_the_admins_models(editor_client, html_of):
    assert reverse("admin:terms_term_changelist") in html_of(editor_client, HOME)


def test_my_drafts_lists_a_draft_i_created(editor_client, editor, make_term, html_of):
    make_term("Attention", created_by=editor)
    assert "Attention" in section(html_of(editor_client, HOME), "ws-drafts")


def test_my_drafts_links_to_the_terms_change_page(editor_client, editor, make_term, html_of, change_url):
    term = make_term("Attention", created_by=editor)
    assert change_url(term) in section(html_of(editor_client, HOME), "ws-drafts")


def test_my_drafts_lists_a_draft_i_saved_last(editor_client, editor, make_term, html_of):
    make_term("Attention", updated_by=editor)
    assert "Attention" in section(html_of(editor_client, HOME), "ws-drafts")


def test_my_drafts_leaves_out_other_peoples_drafts(editor_client, reviewer, make_term, html_of):
    make_term("Attention", created_by=reviewer)
    assert "Attention" not in section(html_of(editor_client, HOME), "ws-drafts")


def test_my_drafts_leaves_out_my_terms_in_review(editor_client, editor, make_term, html_of):
    submit_for_review(make_term("Attention", created_by=editor), by=editor)
    assert "Attention" not in section(html_of(editor_client, HOME), "ws-drafts")


def test_my_drafts_counts_them(editor_client, editor, make_term, html_of):
    for _ in range(3):
        make_term(created_by=editor)
    assert heading(html_of(editor_client, HOME), "ws-drafts") == "My drafts (3)"


@pytest.fixture
def sent_back(editor, reviewer, make_term):
    term = make_term("Attention", created_by=editor)
    submit_for_review(term, by=editor)
    request_changes(term, by=reviewer, comment="Cite the 2017 paper.")
    return term


def test_sent_back_lists_my_term(editor_client, sent_back, html_of):
    assert "Attention" in section(html_of(editor_client, HOME), "ws-sent-back")


def test_sent_back_shows_the_reviewers_comment(editor_client, sent_back, html_of):
    assert "Cite the 2017 paper." in section(html_of(editor_client, HOME), "ws-sent-back")


def test_sent_back_says_which_reviewer(editor_client, sent_back, html_of):
    assert "rhys" in section(html_of(editor_client, HOME), "ws-sent-back")


def test_sent_back_shows_the_latest_comment(editor_client, editor, reviewer, sent_back, html_of):
    submit_for_review(sent_back, by=editor)
    request_changes(sent_back, by=reviewer, comment="Now shorten the analogy.")
    assert "Cite the 2017 paper." not in section(html_of(editor_client, HOME), "ws-sent-back")


def test_sent_back_leaves_out_other_peoples_terms(separate_reviewer_client, sent_back, html_of):
    assert "Attention" not in section(html_of(separate_reviewer_client, HOME), "ws-sent-back")


def test_waiting_for_review_shows_editors_the_queue(editor_client, reviewer, make_term, html_of):
    submit_for_review(make_term("Attention", created_by=reviewer), by=reviewer)
    assert "Attention" in section(html_of(editor_client, HOME), "ws-waiting")


def test_waiting_for_review_says_who_submitted(editor_client, reviewer, make_term, html_of):
    submit_for_review(make_term("Attention"), by=reviewer)
    assert "submitted by rhys" in section(html_of(editor_client, HOME), "ws-waiting")


def test_recently_published_lists_a_live_term(editor_client, published_term, html_of):
    assert "Gradient descent" in section(html_of(editor_client, HOME), "ws-published")


def test_editors_see_no_awaiting_review_section(editor_client, html_of):
    assert 'id="ws-awaiting"' not in html_of(editor_client, HOME)


def test_editors_see_no_scheduled_section(editor_client, html_of):
    assert 'id="ws-scheduled"' not in html_of(editor_client, HOME)


def test_awaiting_review_counts_the_terms_in_review(reviewer_client, editor, make_term, html_of):
    for _ in range(2):
        submit_for_review(make_term(), by=editor)
    assert heading(html_of(reviewer_client, HOME), "ws-awaiting") == "Awaiting review (2)"


def test_awaiting_review_says_how_long_each_has_waited(reviewer_client, editor, make_term, html_of):
    term = make_term("Attention")
    submit_for_review(term, by=editor)
    Term.objects.filter(pk=term.pk).update(submitted_at=timezone.now() - timedelta(days=3, hours=1))
    assert "waiting 3 days" in section(html_of(reviewer_client, HOME), "ws-awaiting")


def test_awaiting_review_lists_the_oldest_first(reviewer_client, editor, make_term, html_of):
    newer, older = make_term("Newer"), make_term("Older")
    for term, days in ((newer, 1), (older, 5)):
        submit_for_review(term, by=editor)
        Term.objects.filter(pk=term.pk).update(submitted_at=timezone.now() - timedelta(days=days))
    listed = section(html_of(reviewer_client, HOME), "ws-awaiting")
    assert listed.index("Older") < listed.index("Newer")


def test_scheduled_to_publish_lists_the_term_when_and_who(reviewer_client, reviewer, make_term, html_of):
    term = make_term("Attention")
    ScheduledPublication.objects.create(
        term=term, edit_version=term.edit_version, publish_at=timezone.now() + timedelta(days=1), scheduled_by=reviewer
    )
    listed = section(html_of(reviewer_client, HOME), "ws-scheduled")
    assert "Attention" in listed and "approved by rhys" in listed


def test_a_long_list_shows_ten(editor_client, editor, make_term, html_of):
    for _ in range(12):
        make_term(created_by=editor)
    assert section(html_of(editor_client, HOME), "ws-drafts").count("<li>") == 10


def test_a_long_list_counts_every_row(editor_client, editor, make_term, html_of):
    for _ in range(12):
        make_term(created_by=editor)
    assert heading(html_of(editor_client, HOME), "ws-drafts") == "My drafts (12)"


def test_a_long_list_links_to_all_of_it(editor_client, editor, make_term, html_of):
    for _ in range(12):
        make_term(created_by=editor)
    assert "?status__exact=draft&amp;author=edited" in section(html_of(editor_client, HOME), "ws-drafts")


def test_see_all_drafts_lists_the_drafts_i_saved_last(editor_client, editor, reviewer, make_term, html_of):
    make_term("Saved by me", created_by=reviewer, updated_by=editor)
    changelist = reverse("admin:terms_term_changelist") + "?status__exact=draft&author=edited"
    assert "Saved by me" in html_of(editor_client, changelist)


def test_see_all_sent_back_leaves_out_terms_someone_else_submitted(editor_client, editor, reviewer, make_term, html_of):
    term = make_term("Theirs now", created_by=editor)
    submit_for_review(term, by=reviewer)
    request_changes(term, by=reviewer, comment="Fix it.")
    changelist = reverse("admin:terms_term_changelist") + "?status__exact=changes_requested&author=submitted"
    assert "Theirs now" not in html_of(editor_client, changelist)


def test_latest_unread_notifications_are_on_the_admin_home(editor_client, editor, sent_back, html_of):
    assert "sent it back with changes requested" in section(html_of(editor_client, HOME), "ws-notifications")


# The header, on every admin page -------------------------------------------------------------------------------------


def test_header_shows_reviewers_the_awaiting_count(reviewer_client, editor, make_term, html_of):
    submit_for_review(make_term(), by=editor)
    page = html_of(reviewer_client, reverse("admin:terms_term_changelist"))
    assert "Awaiting review (1)" in page


def test_header_count_links_to_the_review_queue(reviewer_client, html_of):
    page = html_of(reviewer_client, reverse("admin:terms_tag_changelist"))
    assert f'href="{reverse("admin:terms_term_review_queue")}"' in page


def test_header_shows_editors_no_awaiting_count(editor_client, html_of):
    assert "Awaiting review" not in html_of(editor_client, reverse("admin:terms_term_changelist"))


def test_header_shows_the_unread_notifications(editor_client, sent_back, html_of):
    assert "Notifications (1 unread)" in html_of(editor_client, reverse("admin:terms_term_changelist"))


def test_header_links_to_email_settings(editor_client, html_of):
    assert reverse("admin:notification_settings") in html_of(editor_client, reverse("admin:terms_term_changelist"))


def test_header_counts_take_one_query(reviewer, editor, make_term, django_assert_num_queries):
    submit_for_review(make_term(), by=editor)
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    reviewer.has_perm("terms.publish_term")  # the permission cache is filled by any earlier check on the page
    with django_assert_num_queries(1):
        assert header_counts(reviewer) == {"unread": 1, "awaiting": 1}


def test_admin_pages_link_the_house_styles(editor_client, html_of):
    assert "css/admin.css" in html_of(editor_client, reverse("admin:terms_tag_changelist"))


# A fixed number of queries, whatever the glossary's size --------------------------------------------------------------


def glossary_of(size: int, editor, reviewer, start: int = 0) -> None:
    """Add `size` terms of every kind the home page lists, written in bulk."""
    statuses = (Term.Status.DRAFT, Term.Status.IN_REVIEW, Term.Status.CHANGES_REQUESTED)
    now = timezone.now()
    Term.objects.bulk_create(
        Term(
            name=f"Bulk term {number}",
            slug=f"bulk-term-{number}",
            short_definition="A term made in bulk.",
            status=statuses[number % 3],
            created_by=editor,
            updated_by=editor,
            submitted_by=editor if number % 3 else None,
            submitted_at=now - timedelta(minutes=number) if number % 3 else None,
        )
        for number in range(start, start + size)
    )


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def busy_workspace(editor, reviewer, make_term):
    """Some of everything the home page shows: published terms, sent-back comments, schedules and notifications."""
    for name in ("Live one", "Live two"):
        publish(make_term(name, created_by=editor), by=reviewer)
    term = make_term("Sent back", created_by=editor)
    submit_for_review(term, by=editor)
    request_changes(term, by=reviewer, comment="Shorter, please.")
    scheduled = make_term("Scheduled", created_by=editor)
    ScheduledPublication.objects.create(
        term=scheduled, edit_version=1, publish_at=timezone.now() + timedelta(hours=1), scheduled_by=reviewer
    )
    submit_for_review(make_term("Queued", created_by=editor), by=editor)
    assert Notification.objects.filter(recipient=reviewer).exists()


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_admin_home_runs_as_many_queries_at_10_as_at_10000_terms(
    who, client, editor, reviewer, busy_workspace, django_assert_num_queries
):
    client.force_login(editor if who == "editor" else reviewer)
    glossary_of(10 - Term.objects.count(), editor, reviewer)
    small = queries_of(client, HOME)
    glossary_of(10_000 - Term.objects.count(), editor, reviewer, start=100)
    assert Term.objects.count() == 10_000
    assert queries_of(client, HOME) == small, small


def test_a_screen_without_the_sites_context_shows_no_counts(rf, reviewer):
    request = rf.get("/admin/")
    request.user = reviewer
    page = render_to_string("admin/base_site.html", {"has_permission": True, "user": reviewer}, request=request)
    assert "Awaiting review" not in page
