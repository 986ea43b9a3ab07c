"""Notifications: who is told what when a term is submitted, sent back or published, in the admin and by email."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from terms import notifications
from terms.models.history import ReviewNote
from terms.models.workspace import EditorPreferences, Notification
from terms.publishing import publish
from terms.workflow import request_changes, submit_for_review

NOTIFICATIONS = reverse("admin:notifications")
EMAIL_SETTINGS = reverse("admin:notification_settings")


@pytest.fixture(autouse=True)
def addresses(editor, reviewer):
    """The editor and the reviewer have email addresses."""
    for person in (editor, reviewer):
        person.email = f"{person.username}@example.com"
        person.save()


@pytest.fixture
def second_reviewer(django_user_model):
    user = django_user_model.objects.create_user(
        "rosa", email="rosa@example.com", password="pw-rosa-1234", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture
def emails(django_capture_on_commit_callbacks):
    """Run what the test does with the emails sent once its transactions commit; the outbox as it is then."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            action(*args, **kwargs)
        return mail.outbox

    return run


@pytest.fixture
def term(editor, make_term):
    return make_term("Attention", created_by=editor)


def recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def test_submitting_emails_every_reviewer(editor, reviewer, second_reviewer, term, emails):
    outbox = emails(submit_for_review, term, by=editor)
    assert recipients(outbox) == ["rhys@example.com", "rosa@example.com"]


def test_submitting_notifies_every_reviewer_in_the_admin(editor, reviewer, second_reviewer, term, emails):
    emails(submit_for_review, term, by=editor)
    assert Notification.objects.filter(event="submitted").count() == 2


def test_a_reviewer_submitting_is_not_told_of_their_own_submission(reviewer, second_reviewer, term, emails):
    outbox = emails(submit_for_review, term, by=reviewer)
    assert recipients(outbox) == ["rosa@example.com"]


def test_editors_are_not_told_of_submissions(editor, reviewer, term, emails, django_user_model):
    other_editor = django_user_model.objects.create_user("eve", email="eve@example.com", is_staff=True)
    other_editor.groups.add(Group.objects.get(name="Editors"))
    outbox = emails(submit_for_review, term, by=editor)
    assert "eve@example.com" not in recipients(outbox)


def test_inactive_reviewers_are_not_told(editor, reviewer, second_reviewer, term, emails):
    second_reviewer.is_active = False
    second_reviewer.save()
    outbox = emails(submit_for_review, term, by=editor)
    assert recipients(outbox) == ["rhys@example.com"]


def test_the_submission_email_names_the_term(editor, reviewer, term, emails):
    (message,) = emails(submit_for_review, term, by=editor)
    assert message.subject == "“Attention” is waiting for your review"


def test_the_submission_email_links_to_the_review(editor, reviewer, term, emails):
    (message,) = emails(submit_for_review, term, by=editor)
    assert f"http://testserver{reverse('admin:terms_term_review', args=[term.pk])}" in message.body


def test_the_submission_email_carries_the_submitters_comment(editor, reviewer, term, emails):
    (message,) = emails(submit_for_review, term, by=editor, comment="Ready, I think.")
    assert "  Ready, I think." in message.body


def test_the_email_comes_from_the_configured_sender(editor, reviewer, term, emails, settings):
    settings.DEFAULT_FROM_EMAIL = "Glossary <glossary@example.org>"
    (message,) = emails(submit_for_review, term, by=editor)
    assert message.from_email == "Glossary <glossary@example.org>"


@pytest.fixture
def in_review(editor, term):
    submit_for_review(term, by=editor)
    mail.outbox.clear()
    return term


def test_requesting_changes_emails_the_author(reviewer, in_review, emails):
    outbox = emails(request_changes, in_review, by=reviewer, comment="Cite the paper.")
    assert recipients(outbox) == ["edna@example.com"]


def test_the_changes_requested_email_carries_the_comment(reviewer, in_review, emails):
    (message,) = emails(request_changes, in_review, by=reviewer, comment="Cite the paper.")
    assert "  Cite the paper." in message.body


def test_the_changes_requested_email_links_to_the_term(reviewer, in_review, emails):
    (message,) = emails(request_changes, in_review, by=reviewer, comment="Cite the paper.")
    assert f"http://testserver{reverse('admin:terms_term_change', args=[in_review.pk])}" in message.body


def test_changes_requested_go_to_the_submitter_rather_than_the_creator(editor, reviewer, second_reviewer, term, emails):
    submit_for_review(term, by=second_reviewer)
    mail.outbox.clear()
    outbox = emails(request_changes, term, by=reviewer, comment="Cite the paper.")
    assert recipients(outbox) == ["rosa@example.com"]


def test_publishing_emails_the_author(reviewer, in_review, emails):
    outbox = emails(publish, in_review, by=reviewer)
    assert recipients(outbox) == ["edna@example.com"]


def test_the_published_email_says_so(reviewer, in_review, emails):
    (message,) = emails(publish, in_review, by=reviewer)
    assert message.subject == "“Attention” is published"


def test_publishing_ones_own_term_emails_nobody(reviewer, make_term, emails):
    own = make_term("Own term", created_by=reviewer)
    assert emails(publish, own, by=reviewer) == []


def test_nobody_is_emailed_who_switched_email_off(editor, reviewer, in_review, emails):
    EditorPreferences.objects.create(user=editor, email_notifications=False)
    assert emails(request_changes, in_review, by=reviewer, comment="Cite the paper.") == []


def test_switching_email_off_keeps_the_notification_in_the_admin(editor, reviewer, in_review, emails):
    EditorPreferences.objects.create(user=editor, email_notifications=False)
    emails(request_changes, in_review, by=reviewer, comment="Cite the paper.")
    assert Notification.objects.filter(recipient=editor, event="changes_requested").exists()


def test_nobody_is_emailed_without_an_address(editor, reviewer, in_review, emails):
    editor.email = ""
    editor.save()
    assert emails(request_changes, in_review, by=reviewer, comment="Cite the paper.") == []


def test_an_emailed_notification_is_marked_emailed(editor, reviewer, in_review, emails):
    emails(request_changes, in_review, by=reviewer, comment="Cite the paper.")
    assert Notification.objects.get(recipient=editor).emailed_at is not None


def test_a_retried_event_does_not_notify_twice(editor, reviewer, in_review, emails):
    note = ReviewNote.objects.get(term=in_review, action=ReviewNote.Action.SUBMITTED)
    emails(notifications.review_step, note)
    assert Notification.objects.filter(recipient=reviewer).count() == 1


def test_a_retried_event_does_not_email_twice(editor, reviewer, term, emails):
    emails(submit_for_review, term, by=editor)
    note = ReviewNote.objects.get(term=term, action=ReviewNote.Action.SUBMITTED)
    assert len(emails(notifications.review_step, note)) == 1


def test_a_failed_email_is_tried_again_next_time(editor, reviewer, term, emails, monkeypatch):
    monkeypatch.setattr("django.core.mail.EmailMessage.send", lambda self: 1 / 0)
    emails(submit_for_review, term, by=editor)
    monkeypatch.undo()
    notifications.send_emails(Notification.objects.get().event_key)
    assert len(mail.outbox) == 1


def test_emails_wait_for_the_transaction_to_commit(editor, reviewer, term, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        submit_for_review(term, by=editor)
    assert mail.outbox == []


def test_submitting_several_terms_at_once_emails_once_per_term(
    editor_client, reviewer, make_term, editor, django_capture_on_commit_callbacks
):
    terms = [make_term(created_by=editor) for _ in range(3)]
    data = {"action": "submit_selected", "_selected_action": [term.pk for term in terms]}
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:terms_term_changelist"), data)
    assert (response.status_code, len(mail.outbox)) == (302, 3)


# In the admin --------------------------------------------------------------------------------------------------------


@pytest.fixture
def told(editor, reviewer, in_review):
    """The editor has been told their term was sent back."""
    request_changes(in_review, by=reviewer, comment="Cite the paper.")
    return Notification.objects.get(recipient=editor)


def test_the_notifications_page_lists_mine(editor_client, told, html_of):
    assert "Cite the paper." in html_of(editor_client, NOTIFICATIONS)


def test_the_notifications_page_leaves_out_other_peoples(separate_reviewer_client, told, html_of):
    assert "Cite the paper." not in html_of(separate_reviewer_client, NOTIFICATIONS)


def test_opening_someone_elses_notification_is_not_found(separate_reviewer_client, told):
    response = separate_reviewer_client.get(reverse("admin:notification_open", args=[told.pk]))
    assert response.status_code == 404


def test_opening_someone_elses_notification_leaves_it_unread(separate_reviewer_client, told):
    separate_reviewer_client.get(reverse("admin:notification_open", args=[told.pk]))
    told.refresh_from_db()
    assert told.read_at is None


def test_opening_a_notification_leads_to_its_term(editor_client, told, change_url):
    response = editor_client.get(reverse("admin:notification_open", args=[told.pk]))
    assert (response.status_code, response["Location"]) == (302, change_url(told.term))


def test_opening_a_notification_marks_it_read(editor_client, told):
    editor_client.get(reverse("admin:notification_open", args=[told.pk]))
    told.refresh_from_db()
    assert told.read_at is not None


def test_opening_a_notification_of_a_deleted_term_returns_to_the_list(editor_client, told):
    told.term.delete()
    response = editor_client.get(reverse("admin:notification_open", args=[told.pk]))
    assert response["Location"] == NOTIFICATIONS


def test_mark_all_read_marks_only_mine(editor_client, told, reviewer):
    response = editor_client.post(reverse("admin:notifications_read"))
    unread = Notification.objects.filter(read_at__isnull=True).values_list("recipient", flat=True)
    assert (response.status_code, list(unread)) == (302, [reviewer.pk])


def test_mark_all_read_refuses_a_get(editor_client, told):
    assert editor_client.get(reverse("admin:notifications_read")).status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(NOTIFICATIONS)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("admin:login"))


def test_readers_without_staff_access_are_sent_to_log_in(django_user_model, db):
    reader = django_user_model.objects.create_user("reader", password="pw-reader-1234")
    client = Client()
    client.force_login(reader)
    assert client.get(NOTIFICATIONS).status_code == 302


def test_email_settings_start_with_email_on(editor_client, html_of):
    assert 'id="id_email_notifications" checked' in html_of(editor_client, EMAIL_SETTINGS)


def test_email_settings_switch_email_off(editor_client, editor):
    response = editor_client.post(EMAIL_SETTINGS, {})
    assert (response.status_code, EditorPreferences.objects.get(user=editor).email_notifications) == (302, False)


def test_email_settings_switch_email_back_on(editor_client, editor):
    EditorPreferences.objects.create(user=editor, email_notifications=False)
    editor_client.post(EMAIL_SETTINGS, {"email_notifications": "on"})
    assert EditorPreferences.objects.get(user=editor).email_notifications is True


def test_email_settings_change_only_mine(editor_client, reviewer):
    editor_client.post(EMAIL_SETTINGS, {})
    assert not EditorPreferences.objects.filter(user=reviewer).exists()


def test_email_settings_show_where_emails_go(editor_client, html_of):
    assert "edna@example.com" in html_of(editor_client, EMAIL_SETTINGS)


def test_the_notifications_page_lists_unread_ones_first(editor_client, editor, reviewer, told, make_term, html_of):
    told.read_at = told.created_at
    told.save()
    later = make_term("Later term", created_by=editor)
    submit_for_review(later, by=editor)
    request_changes(later, by=reviewer, comment="Later comment.")
    Notification.objects.filter(term=later).update(created_at=told.created_at.replace(year=2020))
    page = html_of(editor_client, NOTIFICATIONS)
    assert page.index("Later comment.") < page.index("Cite the paper.")
