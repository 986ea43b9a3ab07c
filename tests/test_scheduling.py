"""Scheduled publishing (terms/scheduling.py), its command `publish_scheduled`, and its buttons in the admin."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from terms.models import PublishedTerm, Term
from terms.models.workspace import ScheduledPublication
from terms.publishing import publish
from terms.scheduling import cancel, publish_due, schedule
from terms.workflow import record_save, submit_for_review


def later(hours=1):
    return timezone.now() + timedelta(hours=hours)


@pytest.fixture
def scheduled(draft_term, reviewer):
    """A draft, saved as the admin saves it, approved by the reviewer to go live in an hour."""
    record_save(draft_term, by=None)
    schedule(draft_term, edit_version=draft_term.edit_version, at=later(), by=reviewer, message="Launch day.")
    return draft_term


def run_command(*args):
    out, err = StringIO(), StringIO()
    call_command("publish_scheduled", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# schedule and cancel -----------------------------------------------------------------------------------------------


def test_scheduling_keeps_the_approved_version(scheduled):
    assert ScheduledPublication.objects.get(term=scheduled).edit_version == scheduled.edit_version


def test_scheduling_keeps_who_approved_it(scheduled, reviewer):
    assert ScheduledPublication.objects.get(term=scheduled).scheduled_by == reviewer


def test_scheduling_publishes_nothing_yet(scheduled):
    assert not PublishedTerm.objects.filter(pk=scheduled.pk).exists()


def test_scheduling_again_replaces_the_earlier_schedule(scheduled, reviewer):
    schedule(scheduled, edit_version=scheduled.edit_version, at=later(5), by=reviewer)
    assert ScheduledPublication.objects.filter(term=scheduled).count() == 1


def test_scheduling_for_a_past_time_is_refused(draft_term, reviewer):
    with pytest.raises(ValidationError, match="Choose a time in the future"):
        schedule(draft_term, edit_version=draft_term.edit_version, at=later(-1), by=reviewer)


def test_a_refused_schedule_stores_nothing(draft_term, reviewer):
    with pytest.raises(ValidationError):
        schedule(draft_term, edit_version=draft_term.edit_version, at=later(-1), by=reviewer)
    assert not ScheduledPublication.objects.exists()


def test_scheduling_a_version_saved_over_since_is_refused(draft_term, reviewer, edit):
    opened_at = draft_term.edit_version
    edit(draft_term, analogy="Rewritten meanwhile.")
    edit(draft_term, analogy="Rewritten again.")
    with pytest.raises(ValidationError, match="after you opened this review"):
        schedule(draft_term, edit_version=opened_at, at=later(), by=reviewer)


def test_scheduling_a_term_readers_already_see_is_refused(published_term, reviewer):
    with pytest.raises(ValidationError, match="Nothing to publish"):
        schedule(published_term, edit_version=published_term.edit_version, at=later(), by=reviewer)


def test_scheduling_an_invalid_term_is_refused(draft_term, reviewer):
    Term.objects.filter(pk=draft_term.pk).update(slug="not a slug!")
    with pytest.raises(ValidationError, match="slug"):
        schedule(draft_term, edit_version=draft_term.edit_version, at=later(), by=reviewer)


def test_cancelling_removes_the_schedule(scheduled, reviewer):
    cancel(scheduled, by=reviewer)
    assert not ScheduledPublication.objects.exists()


def test_cancelling_without_a_schedule_says_so(draft_term, reviewer):
    assert cancel(draft_term, by=reviewer) is None


def test_publishing_now_drops_the_schedule(scheduled):
    publish(scheduled, by=None)
    assert not ScheduledPublication.objects.exists()


# publish_due -------------------------------------------------------------------------------------------------------


def test_a_schedule_not_yet_due_is_not_published(scheduled):
    publish_due()
    assert not PublishedTerm.objects.filter(pk=scheduled.pk).exists()


def test_a_due_schedule_is_published(scheduled):
    publish_due(now=later(2))
    assert PublishedTerm.objects.filter(pk=scheduled.pk).exists()


def test_a_due_schedule_is_published_by_the_reviewer_who_approved_it(scheduled, reviewer):
    publish_due(now=later(2))
    assert PublishedTerm.objects.get(pk=scheduled.pk).published_by == reviewer


def test_a_due_schedule_is_published_with_its_message(scheduled):
    publish_due(now=later(2))
    assert scheduled.revisions.get(action="publish").message == "Launch day."


def test_a_published_schedule_is_removed(scheduled):
    publish_due(now=later(2))
    assert not ScheduledPublication.objects.exists()


def test_the_report_names_what_was_published(scheduled):
    assert publish_due(now=later(2)).published == ["Secret draft"]


def test_a_term_saved_after_approval_is_not_published(scheduled, edit):
    edit(scheduled, analogy="Changed after the review.")
    publish_due(now=later(2))
    assert not PublishedTerm.objects.filter(pk=scheduled.pk).exists()


def test_a_term_saved_after_approval_is_reported(scheduled, edit):
    edit(scheduled, analogy="Changed after the review.")
    report = publish_due(now=later(2))
    assert report.skipped == [("Secret draft", "saved again after approval; not published")]


def test_a_term_saved_after_approval_loses_its_schedule(scheduled, edit):
    edit(scheduled, analogy="Changed after the review.")
    publish_due(now=later(2))
    assert not ScheduledPublication.objects.exists()


def test_one_failure_does_not_stop_the_others(scheduled, make_term, reviewer):
    other = make_term("Learning rate")
    schedule(other, edit_version=other.edit_version, at=later(), by=reviewer)
    Term.objects.filter(pk=scheduled.pk).update(slug="not a slug!")
    publish_due(now=later(2))
    assert PublishedTerm.objects.filter(pk=other.pk).exists()


def test_a_failed_publication_is_reported_and_stays_scheduled(scheduled):
    Term.objects.filter(pk=scheduled.pk).update(slug="not a slug!")
    report = publish_due(now=later(2))
    assert (report.failed[0][0], ScheduledPublication.objects.filter(term=scheduled).exists()) == (
        "Secret draft",
        True,
    )


# The command -------------------------------------------------------------------------------------------------------


def test_the_command_publishes_what_is_due(scheduled):
    ScheduledPublication.objects.update(publish_at=timezone.now() - timedelta(minutes=1))
    run_command()
    assert PublishedTerm.objects.filter(pk=scheduled.pk).exists()


def test_the_command_says_what_it_published(scheduled):
    ScheduledPublication.objects.update(publish_at=timezone.now() - timedelta(minutes=1))
    assert run_command()[0] == "Published “Secret draft”.\n"


def test_the_command_leaves_what_is_not_due(scheduled):
    run_command()
    assert not PublishedTerm.objects.filter(pk=scheduled.pk).exists()


def test_the_command_says_what_it_skipped(scheduled, edit):
    edit(scheduled, analogy="Changed after the review.")
    ScheduledPublication.objects.update(publish_at=timezone.now() - timedelta(minutes=1))
    assert "saved again after approval; not published" in run_command()[0]


def test_the_command_with_verbosity_0_prints_nothing(scheduled):
    ScheduledPublication.objects.update(publish_at=timezone.now() - timedelta(minutes=1))
    assert run_command("-v", "0") == ("", "")


def test_the_command_fails_when_a_publication_fails(scheduled):
    Term.objects.filter(pk=scheduled.pk).update(slug="not a slug!")
    ScheduledPublication.objects.update(publish_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(CommandError, match="1 scheduled publication failed"):
        run_command()


# The review page and the change form -------------------------------------------------------------------------------


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_reviewer_schedules_from_the_review_page(reviewer_client, draft_term, decide):
    submit_for_review(draft_term, by=None)
    decide(reviewer_client, draft_term, _schedule="1", publish_at=local_input(later(3)))
    assert ScheduledPublication.objects.get(term=draft_term).edit_version == draft_term.edit_version


def test_scheduling_from_the_review_page_reads_the_sites_time_zone(reviewer_client, draft_term, decide, settings):
    settings.TIME_ZONE = "Europe/Paris"
    decide(reviewer_client, draft_term, _schedule="1", publish_at="2099-07-01T09:30")
    scheduled = ScheduledPublication.objects.get(term=draft_term).publish_at
    assert scheduled == datetime(2099, 7, 1, 7, 30, tzinfo=UTC)


def test_scheduling_for_a_past_time_from_the_review_page_says_why(reviewer_client, draft_term, decide, html_of):
    response = decide(reviewer_client, draft_term, _schedule="1", publish_at="2001-01-01T09:30")
    assert "Choose a time in the future" in html_of(reviewer_client, response.url)


def test_scheduling_without_a_time_from_the_review_page_stores_nothing(reviewer_client, draft_term, decide):
    decide(reviewer_client, draft_term, _schedule="1", publish_at="tomorrow")
    assert not ScheduledPublication.objects.exists()


def test_editor_cannot_schedule(editor_client, draft_term, review_url):
    data = {"_schedule": "1", "edit_version": str(draft_term.edit_version), "publish_at": local_input(later())}
    assert editor_client.post(review_url(draft_term), data).status_code == 403


def test_the_change_form_says_when_a_term_goes_live(reviewer_client, scheduled, change_url, html_of):
    when = timezone.localtime(ScheduledPublication.objects.get().publish_at)
    assert f"Scheduled to go live on <strong>{when:%-d %b %Y %H:%M}" in html_of(reviewer_client, change_url(scheduled))


def test_the_change_form_offers_reviewers_to_cancel_the_schedule(reviewer_client, scheduled, change_url, html_of):
    assert 'form="cancel-schedule"' in html_of(reviewer_client, change_url(scheduled))


def test_the_change_form_offers_editors_no_cancel_button(editor_client, scheduled, change_url, html_of):
    assert 'form="cancel-schedule"' not in html_of(editor_client, change_url(scheduled))


def test_reviewer_cancels_the_schedule_from_the_change_form(reviewer_client, scheduled):
    reviewer_client.post(reverse("admin:terms_term_cancel_schedule", args=[scheduled.pk]))
    assert not ScheduledPublication.objects.exists()


def test_cancelling_leads_back_to_the_change_form(reviewer_client, scheduled, change_url):
    response = reviewer_client.post(reverse("admin:terms_term_cancel_schedule", args=[scheduled.pk]))
    assert response.url == change_url(scheduled)


def test_cancelling_never_leads_off_the_site(reviewer_client, scheduled, change_url):
    url = reverse("admin:terms_term_cancel_schedule", args=[scheduled.pk])
    assert reviewer_client.post(url, {"next": "https://evil.example/"}).url == change_url(scheduled)


def test_editor_cannot_cancel_a_schedule(editor_client, scheduled):
    response = editor_client.post(reverse("admin:terms_term_cancel_schedule", args=[scheduled.pk]))
    assert response.status_code == 403


def test_cancelling_by_get_is_refused(reviewer_client, scheduled):
    response = reviewer_client.get(reverse("admin:terms_term_cancel_schedule", args=[scheduled.pk]))
    assert response.status_code == 405


def test_saving_the_term_cancels_its_schedule(editor_client, scheduled, change_url, change_form):
    editor_client.post(change_url(scheduled), change_form(scheduled, name="Secret draft", slug="secret-draft"))
    assert not ScheduledPublication.objects.exists()


def test_saving_the_term_says_its_schedule_was_cancelled(editor_client, scheduled, change_url, change_form):
    data = change_form(scheduled, name="Secret draft", slug="secret-draft")
    response = editor_client.post(change_url(scheduled), data, follow=True)
    assert "is cancelled: it was approved for the version before this save" in response.content.decode()


def test_a_save_that_changes_nothing_keeps_the_schedule(editor_client, scheduled, change_url, form_as_submitted):
    html = editor_client.get(change_url(scheduled)).content.decode()
    editor_client.post(change_url(scheduled), form_as_submitted(html))
    assert ScheduledPublication.objects.filter(term=scheduled).exists()


def test_the_review_page_says_when_the_term_goes_live(reviewer_client, scheduled, review_url, html_of):
    when = timezone.localtime(ScheduledPublication.objects.get().publish_at)
    assert f"Scheduled to go live on <strong>{when:%-d %b %Y %H:%M}" in html_of(reviewer_client, review_url(scheduled))


def test_a_schedule_from_the_review_page_accepts_seconds(reviewer_client, draft_term, decide):
    decide(reviewer_client, draft_term, _schedule="1", publish_at="2099-07-01T09:30:15")
    assert ScheduledPublication.objects.get(term=draft_term).publish_at == datetime(2099, 7, 1, 9, 30, 15, tzinfo=UTC)


def test_the_review_queue_marks_a_scheduled_term(reviewer_client, scheduled, html_of):
    submit_for_review(scheduled, by=None)
    assert "(scheduled to go live" in html_of(reviewer_client, reverse("admin:terms_term_review_queue"))


# What readers are told when a scheduled version goes live --------------------------------------------------------


@pytest.fixture
def live_with_changes(draft_term):
    """A published term with a saved change, submitted for review."""
    publish(draft_term, by=None)
    draft_term.short_definition = "A better one-liner."
    draft_term.save()
    record_save(draft_term, by=None)
    submit_for_review(draft_term, by=None)
    return draft_term


def test_scheduling_a_change_without_a_note_or_minor_is_refused(reviewer_client, live_with_changes, decide):
    decide(reviewer_client, live_with_changes, _schedule="1", publish_at=local_input(later(3)))
    assert not ScheduledPublication.objects.exists()


def test_scheduling_a_change_without_a_note_says_why(reviewer_client, live_with_changes, decide):
    response = decide(reviewer_client, live_with_changes, _schedule="1", publish_at=local_input(later(3)))
    assert "Nothing was scheduled: correct the error below." in response.content.decode()


def test_a_scheduled_change_keeps_its_public_note(reviewer_client, live_with_changes, decide):
    data = {"_schedule": "1", "publish_at": local_input(later(3)), "schedule-public_note": "Clearer one-liner."}
    decide(reviewer_client, live_with_changes, **data)
    assert ScheduledPublication.objects.get().public_note == "Clearer one-liner."


def test_a_scheduled_change_tells_readers_its_note_when_it_goes_live(live_with_changes, reviewer):
    schedule(
        live_with_changes, edit_version=live_with_changes.edit_version, at=later(), by=reviewer, public_note="Clearer."
    )
    publish_due(now=later(2))
    assert PublishedTerm.objects.get(pk=live_with_changes.pk).change_note == "Clearer."


def test_a_scheduled_minor_change_tells_readers_nothing(live_with_changes, reviewer):
    before = PublishedTerm.objects.get(pk=live_with_changes.pk).changed_at
    schedule(live_with_changes, edit_version=live_with_changes.edit_version, at=later(), by=reviewer, minor=True)
    publish_due(now=later(2))
    assert PublishedTerm.objects.get(pk=live_with_changes.pk).changed_at == before
