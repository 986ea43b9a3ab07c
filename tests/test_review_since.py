"""A term back in review shows each reviewer what changed since the version they last reviewed (terms/admin_review.py)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from terms.models import ReviewNote, Revision
from terms.publishing import publish
from terms.workflow import last_review, record_save, request_changes, submit_for_review


def section(html: str, section_id: str) -> str:
    """The text of one <section> of the review page."""
    return re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S).group(0)


def row_labels(html: str) -> list[str]:
    """The field names a diff table lists."""
    return re.findall(r'<th scope="row">([^<]*)</th>', html)


@pytest.fixture
def sent_back(draft_term, reviewer):
    """A term the reviewer sent back at version 1, edited in one field and resubmitted (version 2)."""
    record_save(draft_term, by=None)
    submit_for_review(draft_term, by=None)
    request_changes(draft_term, by=reviewer, comment="The analogy is missing.")
    return draft_term


@pytest.fixture
def resubmitted(sent_back, edit):
    edit(sent_back, analogy="Like a letter in a sealed envelope.")
    submit_for_review(sent_back, by=None)
    return sent_back


@pytest.fixture
def review_page(reviewer_client, review_url, html_of):
    return lambda term: html_of(reviewer_client, review_url(term))


def test_a_resubmitted_term_shows_only_what_changed_since_the_reviewers_last_review(resubmitted, review_page):
    assert row_labels(section(review_page(resubmitted), "since-last-review")) == ["Analogy"]


def test_a_resubmitted_term_still_shows_everything_against_the_live_page(resubmitted, review_page):
    assert "Explained in plain English" in row_labels(section(review_page(resubmitted), "against-live"))


def test_the_review_page_names_the_version_and_date_last_reviewed(resubmitted, review_page):
    when = timezone.localtime(ReviewNote.objects.get(action="changes_requested").created_at)
    assert f"What changed since you last reviewed it (version 1, {when:%-d %b %Y %H:%M})" in review_page(resubmitted)


def test_the_review_page_recalls_the_reviewers_comment(resubmitted, review_page):
    assert "The analogy is missing." in section(review_page(resubmitted), "since-last-review")


def test_a_reviewer_who_never_reviewed_the_term_is_told_so(resubmitted, review_url, html_of, django_user_model):
    other = django_user_model.objects.create_user("ravi", is_staff=True)
    other.groups.add(Group.objects.get(name="Reviewers"))
    client = Client()
    client.force_login(other)
    assert "You have not reviewed this term before" in section(
        html_of(client, review_url(resubmitted)), "since-last-review"
    )


def test_a_reviewer_who_never_reviewed_the_term_gets_no_second_diff(resubmitted, review_page, reviewer):
    ReviewNote.objects.update(created_by=None)
    assert row_labels(section(review_page(resubmitted), "since-last-review")) == []


def test_nothing_changed_since_the_last_review_says_so(sent_back, review_page):
    submit_for_review(sent_back, by=None)
    assert "Nothing: this is the version you reviewed." in review_page(sent_back)


def test_the_last_review_is_the_reviewers_latest_decision(resubmitted, reviewer, edit):
    request_changes(resubmitted, by=reviewer, comment="Now the usage.")
    assert last_review(resubmitted, reviewer).edit_version == 2


def test_a_published_term_edited_again_shows_what_changed_since_it_was_published(
    reviewer_client, draft_term, reviewer, edit, review_page
):
    record_save(draft_term, by=None)
    publish(draft_term, by=reviewer)
    edit(draft_term, usage="Used in every lab.")
    assert row_labels(section(review_page(draft_term), "since-last-review")) == ["How it is used"]


def test_an_older_note_without_its_version_compares_with_the_last_save_before_it(resubmitted, reviewer):
    ReviewNote.objects.update(edit_version=None)
    first_save = Revision.objects.filter(term=resubmitted, action="save").order_by("created_at").first()
    assert last_review(resubmitted, reviewer).revision == first_save


def test_a_version_missing_from_the_history_is_said_to_be(resubmitted, review_page):
    Revision.objects.filter(edit_version=1).delete()
    assert "The history does not keep the version you reviewed" in review_page(resubmitted)


def queries_on_the_review_page(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_review_page_runs_as_many_queries_after_many_rounds_of_review(
    sent_back, reviewer, edit, reviewer_client, review_url
):
    edit(sent_back, analogy="The first analogy.")
    submit_for_review(sent_back, by=None)
    after_one_round = queries_on_the_review_page(reviewer_client, review_url(sent_back))
    for number in range(5):
        request_changes(sent_back, by=reviewer, comment=f"Round {number}.")
        edit(sent_back, analogy=f"Draft {number} of the analogy.", usage=f"Usage {number}.")
        submit_for_review(sent_back, by=None)
    assert queries_on_the_review_page(reviewer_client, review_url(sent_back)) == after_one_round
