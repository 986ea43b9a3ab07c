"""The admin's Imports: the list, each import's review screen, and publishing or rejecting it from there."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from terms.admin_changesets import TERMS_PER_PAGE
from terms.changesets import opened, reject_change_set
from terms.models import ChangeSet, PublishedTerm, Term
from terms.models.workspace import Notification
from terms.publishing import publish
from terms.workflow import record_save

IMPORTS = reverse("admin:terms_changeset_changelist")


def review_url(change_set):
    return reverse("admin:terms_changeset_change", args=[change_set.pk])


# An import that updates terms readers see is published with a public change note.
NOTE = {"public_note": "Imported the 2026 wording."}


def publish_url(change_set):
    return reverse("admin:terms_changeset_publish", args=[change_set.pk])


def reject_url(change_set):
    return reverse("admin:terms_changeset_reject", args=[change_set.pk])


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def status_of(change_set) -> str:
    return ChangeSet.objects.get(pk=change_set.pk).status


# The list -------------------------------------------------------------------------------------------------------------


def test_the_imports_list_shows_each_import(editor_client, mixed, html_of):
    assert "glossary.csv" in html_of(editor_client, IMPORTS)


def test_the_imports_list_is_titled_imports(editor_client, mixed, html_of):
    assert "<h1>Imports</h1>" in html_of(editor_client, IMPORTS)


def test_the_imports_list_filters_by_status(editor_client, import_of, html_of):
    import_of(created=["Alpha"], file_name="first.csv")
    ChangeSet.objects.filter(file_name="first.csv").update(status=ChangeSet.Status.REJECTED)
    import_of(created=["Beta"], file_name="second.csv")
    assert "first.csv" not in html_of(editor_client, f"{IMPORTS}?status__exact=open")


def test_imports_cannot_be_added_in_the_admin(reviewer_client, db):
    assert reviewer_client.get(reverse("admin:terms_changeset_add")).status_code == 403


def test_imports_cannot_be_deleted_in_the_admin(reviewer_client, mixed):
    assert reviewer_client.get(reverse("admin:terms_changeset_delete", args=[mixed.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, mixed):
    assert client.get(review_url(mixed)).status_code == 302


# The review screen ----------------------------------------------------------------------------------------------------


def test_the_review_screen_lists_every_term(editor_client, mixed, html_of):
    page = html_of(editor_client, review_url(mixed))
    assert all(name in page for name in ("Alpha", "Gradient descent", "Secret draft"))


def test_the_review_screen_summarises_the_import(editor_client, mixed, html_of):
    assert "3 terms: 1 created, 2 updated." in html_of(editor_client, review_url(mixed))


def test_the_review_screen_shows_a_new_terms_content(editor_client, mixed, html_of):
    assert "New term: everything below is new." in html_of(editor_client, review_url(mixed))


def test_the_review_screen_diffs_an_updated_term_against_the_live_page(editor_client, mixed, html_of):
    page = html_of(editor_client, review_url(mixed))
    assert "<del>The one-line definition of Gradient descent.</del> <ins>Imported one-liner.</ins>" in page


def test_the_review_screen_links_each_term_to_its_change_form(editor_client, mixed, html_of, change_url):
    alpha = Term.objects.get(name="Alpha")
    assert f'href="{change_url(alpha)}"' in html_of(editor_client, review_url(mixed))


def test_the_review_screen_links_each_term_to_its_versions(editor_client, mixed, html_of):
    alpha = Term.objects.get(name="Alpha")
    assert reverse("admin:terms_term_revisions", args=[alpha.pk]) in html_of(editor_client, review_url(mixed))


def test_the_review_screen_flags_a_term_edited_since(editor_client, mixed, html_of, edit):
    edit(Term.objects.get(name="Alpha"), explanation="Edited after the import.")
    assert "edited after the import (version" in html_of(editor_client, review_url(mixed))


def test_an_import_with_a_term_edited_since_offers_no_publishing(reviewer_client, mixed, html_of, edit):
    edit(Term.objects.get(name="Alpha"), explanation="Edited after the import.")
    assert publish_url(mixed) not in html_of(reviewer_client, review_url(mixed))


def test_the_review_screen_refuses_a_post(reviewer_client, mixed):
    assert reviewer_client.post(review_url(mixed)).status_code == 405


def test_an_unknown_import_leads_back_to_the_list(reviewer_client, db):
    assert reviewer_client.get(reverse("admin:terms_changeset_change", args=[999])).status_code == 302


def test_an_impossible_import_id_leads_back_to_the_list(reviewer_client, db):
    assert reviewer_client.get("/admin/terms/changeset/99999999999999999999999/change/").status_code == 302


@pytest.mark.parametrize("page", ["2", "abc", "-1", "99999999999999999999"])
def test_any_page_number_answers(reviewer_client, import_of, page):
    change_set = import_of(created=[f"Term {n}" for n in range(TERMS_PER_PAGE + 1)])
    assert reviewer_client.get(f"{review_url(change_set)}?page={page}").status_code == 200


def test_a_long_import_shows_a_page_of_terms_at_a_time(reviewer_client, import_of, html_of):
    change_set = import_of(created=[f"Term {n:03}" for n in range(TERMS_PER_PAGE + 10)])
    page = html_of(reviewer_client, review_url(change_set))
    assert len(re.findall(r'class="review-section changeset-term"', page)) == TERMS_PER_PAGE


def test_the_next_page_shows_the_rest(reviewer_client, import_of, html_of):
    change_set = import_of(created=[f"Term {n:03}" for n in range(TERMS_PER_PAGE + 10)])
    page = html_of(reviewer_client, f"{review_url(change_set)}?page=2")
    assert len(re.findall(r'class="review-section changeset-term"', page)) == 10


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_the_review_screen_runs_as_many_queries_at_3_as_at_60_terms(
    who, client, editor, reviewer, import_of, make_term
):
    client.force_login(editor if who == "editor" else reviewer)
    # Half of them already on the site, so their diffs are against a live version.
    live = [make_term(f"Live {n:02}") for n in range(30)]
    for term in live:
        record_save(term, by=None)
        publish(term, by=None)
    small = import_of(created=["New 1", "New 2"], updated={live[0]: {"analogy": "Imported."}})
    large = import_of(
        created=[f"Another {n:02}" for n in range(31)],
        updated={term: {"analogy": "Imported."} for term in live[1:]},
        file_name="large.csv",
    )
    assert queries_of(client, review_url(small)) == queries_of(client, review_url(large))


# Who sees what --------------------------------------------------------------------------------------------------------


def test_an_editor_sees_the_import_waiting_for_a_reviewer(editor_client, mixed, html_of):
    assert "Waiting for a reviewer" in html_of(editor_client, review_url(mixed))


def test_an_editor_is_offered_no_decision(editor_client, mixed, html_of):
    page = html_of(editor_client, review_url(mixed))
    assert (publish_url(mixed) in page, reject_url(mixed) in page) == (False, False)


def test_a_reviewer_is_offered_to_publish_all_the_terms(reviewer_client, mixed, html_of):
    assert "Publish all 3 terms" in html_of(reviewer_client, review_url(mixed))


def test_a_reviewer_is_offered_to_reject_the_import(reviewer_client, mixed, html_of):
    assert 'value="Reject import"' in html_of(reviewer_client, review_url(mixed))


def test_an_editor_cannot_open_the_publish_confirmation(editor_client, mixed):
    assert editor_client.get(publish_url(mixed)).status_code == 403


def test_an_editor_cannot_publish_an_import(editor_client, mixed):
    assert editor_client.post(publish_url(mixed)).status_code == 403


def test_an_editor_publishing_changes_nothing(editor_client, mixed):
    editor_client.post(publish_url(mixed))
    assert status_of(mixed) == ChangeSet.Status.OPEN


def test_an_editor_cannot_reject_an_import(editor_client, mixed):
    assert editor_client.post(reject_url(mixed), {"comment": "No."}).status_code == 403


def test_an_editor_rejecting_changes_nothing(editor_client, mixed):
    editor_client.post(reject_url(mixed), {"comment": "No."})
    assert Term.objects.filter(name="Alpha").exists()


# Publishing -----------------------------------------------------------------------------------------------------------


def test_the_publish_button_asks_first(reviewer_client, mixed, html_of):
    assert 'value="Publish all 3 terms"' in html_of(reviewer_client, publish_url(mixed))


def test_asking_first_changes_nothing(reviewer_client, mixed, html_of):
    html_of(reviewer_client, publish_url(mixed))
    assert status_of(mixed) == ChangeSet.Status.OPEN


def test_publishing_from_the_screen_publishes_every_term(reviewer_client, mixed):
    response = reviewer_client.post(publish_url(mixed), {**NOTE, "message": "Checked."})
    assert response.status_code == 302
    assert sorted(PublishedTerm.objects.values_list("name", flat=True)) == ["Alpha", "Gradient descent", "Secret draft"]


def test_publishing_from_the_screen_returns_to_the_import(reviewer_client, mixed):
    assert reviewer_client.post(publish_url(mixed), NOTE)["Location"] == review_url(mixed)


def test_publishing_from_the_screen_says_how_many(reviewer_client, mixed):
    response = reviewer_client.post(publish_url(mixed), NOTE)
    assert said(response) == ["Published 3 terms of the import of glossary.csv."]


def test_a_refused_publish_says_why(reviewer_client, mixed, edit):
    edit(Term.objects.get(name="Alpha"), explanation="Edited after the import.")
    response = reviewer_client.post(publish_url(mixed), NOTE)
    assert said(response)[0].startswith("Nothing changed: The import was not published: “Alpha” was edited")


def test_a_refused_publish_changes_nothing(reviewer_client, mixed, edit):
    edit(Term.objects.get(name="Alpha"), explanation="Edited after the import.")
    reviewer_client.post(publish_url(mixed), NOTE)
    assert (status_of(mixed), PublishedTerm.objects.count()) == (ChangeSet.Status.OPEN, 1)


def test_publishing_needs_the_csrf_token(reviewer, mixed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    assert client.post(publish_url(mixed)).status_code == 403


def test_publishing_an_unknown_import_is_not_found(reviewer_client, db):
    assert reviewer_client.post(reverse("admin:terms_changeset_publish", args=[999])).status_code == 404


def test_a_published_import_shows_who_decided_and_their_message(reviewer_client, mixed, html_of):
    reviewer_client.post(publish_url(mixed), {**NOTE, "message": "Checked every one."})
    page = html_of(reviewer_client, review_url(mixed))
    assert re.search(r"<strong>Published</strong> by rhys on .*with the message", page)


def test_a_published_import_shows_the_message(reviewer_client, mixed, html_of):
    reviewer_client.post(publish_url(mixed), {**NOTE, "message": "Checked every one."})
    assert "Checked every one." in html_of(reviewer_client, review_url(mixed))


def test_a_published_import_offers_no_decision(reviewer_client, mixed, html_of):
    reviewer_client.post(publish_url(mixed), NOTE)
    page = html_of(reviewer_client, review_url(mixed))
    assert ("Publish all" in page, "Reject import" in page) == (False, False)


def test_publishing_twice_says_it_was_published_already(reviewer_client, mixed):
    reviewer_client.post(publish_url(mixed), NOTE)
    assert said(reviewer_client.post(publish_url(mixed), NOTE))[-1] == (
        "Nothing changed: This import was published already by rhys on " + said_date(mixed) + "."
    )


def said_date(change_set) -> str:
    when = timezone.localtime(ChangeSet.objects.get(pk=change_set.pk).decided_at)
    return f"{when:%d %b %Y at %H:%M}"


# Rejecting ------------------------------------------------------------------------------------------------------------


def test_rejecting_from_the_screen_deletes_the_created_terms(reviewer_client, mixed):
    response = reviewer_client.post(reject_url(mixed), {"comment": "Wrong file."})
    assert response.status_code == 302
    assert not Term.objects.filter(name="Alpha").exists()


def test_rejecting_from_the_screen_says_what_happened(reviewer_client, mixed):
    response = reviewer_client.post(reject_url(mixed), {"comment": "Wrong file."})
    assert said(response)[0].startswith("Rejected the import of glossary.csv: the terms it created are deleted")


@pytest.mark.parametrize("data", [{}, {"comment": ""}, {"comment": "  \n "}])
def test_rejecting_without_a_comment_changes_nothing(reviewer_client, mixed, data):
    response = reviewer_client.post(reject_url(mixed), data)
    assert response.status_code == 302
    assert (status_of(mixed), Term.objects.filter(name="Alpha").exists()) == (ChangeSet.Status.OPEN, True)


def test_rejecting_without_a_comment_says_why(reviewer_client, mixed):
    response = reviewer_client.post(reject_url(mixed), {"comment": ""})
    assert said(response) == [
        "Nothing changed: Say why the import is rejected: the person who imported it sees your comment."
    ]


def test_rejecting_is_a_post(reviewer_client, mixed):
    assert reviewer_client.get(reject_url(mixed)).status_code == 405


def test_a_rejected_import_shows_the_reviewers_comment(reviewer_client, mixed, html_of):
    reviewer_client.post(reject_url(mixed), {"comment": "Wrong file."})
    page = html_of(reviewer_client, review_url(mixed))
    assert re.search(r"<strong>Rejected</strong> by rhys on .*saying:.*Wrong file\.", page, re.S)


def test_a_rejected_import_flags_no_term_as_changed_since(reviewer_client, mixed, html_of):
    reviewer_client.post(reject_url(mixed), {"comment": "Wrong file."})
    assert 'class="changeset-flag"' not in html_of(reviewer_client, review_url(mixed))


def test_a_rejected_import_still_lists_its_deleted_terms(reviewer_client, mixed, html_of):
    reviewer_client.post(reject_url(mixed), {"comment": "Wrong file."})
    assert "Alpha" in html_of(reviewer_client, review_url(mixed))


# Taking a term out ----------------------------------------------------------------------------------------------------


def take_out_url(change_set, term):
    entry = change_set.entries.get(term=term)
    return reverse("admin:terms_changeset_take_out", args=[change_set.pk, entry.pk])


def test_a_term_edited_since_can_be_taken_out(reviewer_client, mixed, edit):
    alpha = Term.objects.get(name="Alpha")
    edit(alpha, explanation="Edited after the import.")
    reviewer_client.post(take_out_url(mixed, alpha))
    assert not mixed.entries.filter(term=alpha).exists()


def test_the_review_screen_offers_to_take_an_edited_term_out(reviewer_client, mixed, edit, html_of):
    alpha = Term.objects.get(name="Alpha")
    edit(alpha, explanation="Edited after the import.")
    assert take_out_url(mixed, alpha) in html_of(reviewer_client, review_url(mixed))


def test_an_editor_cannot_take_a_term_out(editor_client, mixed):
    alpha = Term.objects.get(name="Alpha")
    assert editor_client.post(take_out_url(mixed, alpha)).status_code == 403


def test_a_term_of_another_import_cannot_be_taken_out_here(reviewer_client, mixed, import_of):
    other = import_of(created=["Zeta"], file_name="other.csv")
    entry = other.entries.get()
    url = reverse("admin:terms_changeset_take_out", args=[mixed.pk, entry.pk])
    assert reviewer_client.post(url).status_code == 404


# The workspace --------------------------------------------------------------------------------------------------------


def test_the_admin_home_lists_an_import_as_one_row(reviewer_client, mixed, html_of):
    page = html_of(reviewer_client, reverse("admin:index"))
    assert "Awaiting review (1)" in page


def test_the_admin_home_names_the_import_and_its_size(reviewer_client, mixed, html_of):
    page = html_of(reviewer_client, reverse("admin:index"))
    assert re.search(r"Import of glossary.csv</a>: 3 terms\s*<span", page)


def test_the_review_queue_leaves_out_the_imports_terms(reviewer_client, mixed, html_of, review_url):
    page = html_of(reviewer_client, reverse("admin:terms_term_review_queue"))
    assert review_url(Term.objects.get(name="Alpha")) not in page


def test_the_review_queue_lists_the_import(reviewer_client, mixed, html_of):
    assert review_url(mixed) in html_of(reviewer_client, reverse("admin:terms_term_review_queue"))


def test_a_terms_own_review_leads_to_its_import(reviewer_client, mixed, html_of, review_url):
    page = html_of(reviewer_client, review_url(Term.objects.get(name="Alpha")))
    assert f'Part of the <a href="{reverse("admin:terms_changeset_change", args=[mixed.pk])}">' in page


def test_the_header_counts_an_import_once(reviewer_client, mixed, make_term, html_of):
    assert "Awaiting review (1)" in html_of(reviewer_client, reverse("admin:terms_tag_changelist"))


def test_opening_an_imports_notification_leads_to_its_review_screen(reviewer_client, mixed):
    opened(mixed)
    notification = Notification.objects.get(event=Notification.Event.IMPORT_SUBMITTED)
    assert reviewer_client.get(reverse("admin:notification_open", args=[notification.pk]))["Location"] == review_url(
        mixed
    )


def test_the_notifications_page_says_the_import_was_rejected(editor_client, reviewer, mixed, html_of):
    reject_change_set(mixed, by=reviewer, comment="Wrong file.")
    assert "rhys rejected it" in html_of(editor_client, reverse("admin:notifications"))


def test_publishing_an_import_of_live_terms_without_a_note_asks_for_one(reviewer_client, mixed):
    response = reviewer_client.post(publish_url(mixed))
    assert "Write a public change note" in response.content.decode()
