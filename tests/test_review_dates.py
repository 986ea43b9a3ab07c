"""Owners and review dates: set by publishing, confirmed by "Mark as reviewed", overdue on the dashboard."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from terms.models import PublishedTerm, ReviewNote, SiteState, Term
from terms.publishing import publish

from .conftest import change_form_data, read_page, run_manage


def today():
    return timezone.localdate()


def review_by(term) -> datetime.date | None:
    return Term.objects.values_list("review_by", flat=True).get(pk=term.pk)


def test_publishing_sets_the_review_date_a_year_ahead(published_term):
    assert review_by(published_term) == today() + datetime.timedelta(days=365)


def test_the_review_interval_is_a_setting(make_term, settings):
    settings.REVIEW_INTERVAL_DAYS = 30
    term = make_term("Short-lived")
    publish(term, by=None)
    assert review_by(term) == today() + datetime.timedelta(days=30)


def test_publishing_keeps_a_later_review_date(make_term):
    later = today() + datetime.timedelta(days=800)
    term = make_term("Stable", review_by=later)
    publish(term, by=None)
    assert review_by(term) == later


def test_publishing_replaces_an_earlier_review_date(make_term):
    term = make_term("Due", review_by=today() - datetime.timedelta(days=3))
    publish(term, by=None)
    assert review_by(term) == today() + datetime.timedelta(days=365)


@pytest.mark.parametrize("value", ["0", "-5", "a year", "1.5"])
def test_a_review_interval_that_is_not_a_positive_whole_number_stops_the_site(value):
    result = run_manage("check", REVIEW_INTERVAL_DAYS=value)
    assert "REVIEW_INTERVAL_DAYS must be a whole number of days" in result.stderr


def test_the_term_page_says_when_it_was_last_reviewed(client, published_term):
    assert "Last reviewed on <time datetime=" in read_page(client, "/terms/gradient-descent/")


# Owners in the admin ----------------------------------------------------------------------------------------------


def test_the_change_form_sets_the_owner(reviewer_client, reviewer, published_term):
    data = change_form_data(published_term, name="Gradient descent", slug="gradient-descent", owner=reviewer.pk)
    reviewer_client.post(f"/admin/terms/term/{published_term.pk}/change/", data)
    published_term.refresh_from_db()
    assert published_term.owner == reviewer


def test_a_term_owned_by_a_person_and_a_group_is_a_form_error(reviewer_client, reviewer, published_term):
    group = Group.objects.create(name="Linguists")
    data = change_form_data(
        published_term, name="Gradient descent", slug="gradient-descent", owner=reviewer.pk, owner_group=group.pk
    )
    response = reviewer_client.post(f"/admin/terms/term/{published_term.pk}/change/", data)
    assert "A term is owned by a person or by a group, not both." in response.content.decode()


def test_the_term_list_shows_the_owner(reviewer_client, reviewer, published_term):
    Term.objects.filter(pk=published_term.pk).update(owner=reviewer)
    assert f'<td class="field-owned_by">{reviewer.username}</td>' in read_page(reviewer_client, "/admin/terms/term/")


def test_the_overdue_filter_lists_live_terms_past_their_date(reviewer_client, published_term, make_term):
    Term.objects.update(review_by=today() - datetime.timedelta(days=1))
    assert "Gradient descent" in read_page(reviewer_client, "/admin/terms/term/?review=overdue")


def test_the_overdue_filter_leaves_out_drafts(reviewer_client, make_term):
    make_term("Overdue draft", review_by=today() - datetime.timedelta(days=1))
    assert "Overdue draft" not in read_page(reviewer_client, "/admin/terms/term/?review=overdue")


def test_the_overdue_filter_leaves_out_terms_not_yet_due(reviewer_client, published_term):
    assert "Gradient descent" not in read_page(reviewer_client, "/admin/terms/term/?review=overdue")


# Overdue on the dashboard -----------------------------------------------------------------------------------------


@pytest.fixture
def overdue(published_term, make_term, reviewer):
    older = make_term("Older term")
    publish(older, by=None)
    Term.objects.filter(pk=published_term.pk).update(review_by=today() - datetime.timedelta(days=2), owner=reviewer)
    Term.objects.filter(pk=older.pk).update(review_by=today() - datetime.timedelta(days=40))
    return [older, published_term]


def test_the_dashboard_lists_overdue_terms_oldest_first(reviewer_client, overdue):
    html = read_page(reviewer_client, "/admin/")
    assert html.index("Older term") < html.index("Gradient descent")


def test_the_dashboard_names_the_owner_of_an_overdue_term(reviewer_client, overdue, reviewer):
    assert f"owned by {reviewer.username}" in read_page(reviewer_client, "/admin/")


def test_the_dashboard_counts_overdue_terms(reviewer_client, overdue):
    assert "Overdue for review (2)" in read_page(reviewer_client, "/admin/")


def test_editors_dashboard_has_no_overdue_list(editor_client, overdue):
    assert "Overdue for review" not in read_page(editor_client, "/admin/")


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def overdue_terms(make_term, start: int, count: int) -> None:
    for number in range(start, start + count):
        publish(make_term(f"Term {number}"), by=None)
    Term.objects.update(review_by=today() - datetime.timedelta(days=1))


def test_the_dashboard_runs_as_many_queries_with_2_as_with_14_overdue_terms(reviewer_client, make_term):
    overdue_terms(make_term, 0, 2)
    small = queries_of(reviewer_client, "/admin/")
    overdue_terms(make_term, 2, 12)
    assert queries_of(reviewer_client, "/admin/") == small


# Mark as reviewed -------------------------------------------------------------------------------------------------


def mark_url(term) -> str:
    return f"/admin/terms/term/{term.pk}/mark-reviewed/"


def test_marking_as_reviewed_sets_last_reviewed(reviewer_client, published_term):
    PublishedTerm.objects.update(reviewed_at=timezone.now() - datetime.timedelta(days=400))
    reviewer_client.post(mark_url(published_term))
    assert PublishedTerm.objects.get(pk=published_term.pk).reviewed_at.date() == timezone.now().date()


def test_marking_as_reviewed_moves_the_review_date_ahead(reviewer_client, published_term):
    Term.objects.update(review_by=today() - datetime.timedelta(days=10))
    reviewer_client.post(mark_url(published_term))
    assert review_by(published_term) == today() + datetime.timedelta(days=365)


def test_marking_as_reviewed_refreshes_cached_pages(reviewer_client, published_term):
    before = SiteState.objects.get().generation
    reviewer_client.post(mark_url(published_term))
    assert SiteState.objects.get().generation == before + 1


def test_marking_as_reviewed_publishes_nothing(reviewer_client, published_term):
    before = PublishedTerm.objects.get(pk=published_term.pk).published_at
    reviewer_client.post(mark_url(published_term))
    assert PublishedTerm.objects.get(pk=published_term.pk).published_at == before


def test_marking_as_reviewed_says_when_the_next_review_is(reviewer_client, published_term):
    response = reviewer_client.post(mark_url(published_term), follow=True)
    assert "its next review is due by" in response.content.decode()


def test_editors_cannot_mark_as_reviewed(editor_client, published_term):
    assert editor_client.post(mark_url(published_term)).status_code == 403


def test_a_draft_cannot_be_marked_as_reviewed(reviewer_client, draft_term):
    response = reviewer_client.post(mark_url(draft_term), follow=True)
    assert "Only a published term can be marked as reviewed" in response.content.decode()


def test_marking_as_reviewed_is_a_post(reviewer_client, published_term):
    assert reviewer_client.get(mark_url(published_term)).status_code == 405


def test_the_change_form_offers_mark_as_reviewed_to_reviewers(reviewer_client, published_term):
    assert 'value="Mark as reviewed"' in read_page(reviewer_client, f"/admin/terms/term/{published_term.pk}/change/")


def test_the_change_form_offers_no_mark_as_reviewed_to_editors(editor_client, published_term):
    assert 'value="Mark as reviewed"' not in read_page(editor_client, f"/admin/terms/term/{published_term.pk}/change/")


def test_marking_as_reviewed_is_kept_among_the_review_steps(reviewer_client, published_term, reviewer):
    reviewer_client.post(mark_url(published_term))
    assert published_term.review_notes.filter(action=ReviewNote.Action.REVIEWED, created_by=reviewer).exists()
