"""Telling people about their terms: a notification in the admin until read, and one email per event.

The workflow verbs call `review_step` with the review note they wrote, inside their transaction; an
import's change set is announced once (`change_set_step`), never term by term. Each person gets at
most one notification per event (the note's or change set's id is in its `event_key`), so calling
again for the same step changes nothing; emails go once the transaction commits, each at most once,
and never to the person who acted.
"""

import contextlib
import contextvars
import functools
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models.changesets import ChangeSet
from .models.editorial import PUBLISH_PERMISSION, Term
from .models.history import ReviewNote
from .models.workspace import EditorPreferences, Notification

logger = logging.getLogger(__name__)
Event = Notification.Event

# Set while a change set is decided: its terms' own review steps tell nobody, the change set tells once.
_told_by_change_set = contextvars.ContextVar("told_by_change_set", default=False)


@contextlib.contextmanager
def told_once_by_change_set():
    """Inside, the review steps of single terms notify nobody: the change set's own notification says it all."""
    token = _told_by_change_set.set(True)
    try:
        yield
    finally:
        _told_by_change_set.reset(token)


def author_of(term: Term) -> AbstractBaseUser | None:
    """Whose term it is: who submitted it for review, else who created it."""
    return term.submitted_by or term.created_by


def reviewers():
    """Everyone who may publish and can reach the admin."""
    users = get_user_model().objects.with_perm(
        PUBLISH_PERMISSION, is_active=True, backend="django.contrib.auth.backends.ModelBackend"
    )
    return users.filter(is_staff=True)


def review_step(note: ReviewNote) -> None:
    """Tell whom a review step concerns: every reviewer of a submission, the term's author of the rest."""
    if _told_by_change_set.get():
        return
    if note.action == ReviewNote.Action.SUBMITTED:
        notify(Event.SUBMITTED, note, reviewers())
    else:
        # The events are named as the review steps are: changes requested, published.
        notify(Event(note.action), note, [author_of(note.term)])


def notify(event: str, note: ReviewNote, recipients) -> None:
    """Notify each recipient, but the person who acted, once about this review step; email them after commit."""
    about = {"term": note.term, "term_name": note.term.name}
    deliver(
        f"{event}:{note.pk}", event, about, recipients, actor=note.created_by, message=note.comment, at=note.created_at
    )


def change_set_step(change_set: ChangeSet, event: str, *, actor: AbstractBaseUser | None, message: str = "") -> None:
    """Tell whom an import's step concerns, once for the whole change set: every reviewer of a new import,
    the importer of a decision on it."""
    recipients = reviewers() if event == Event.IMPORT_SUBMITTED else [change_set.created_by]
    about = {"change_set": change_set, "term_name": change_set_name(change_set)}
    at = change_set.created_at if event == Event.IMPORT_SUBMITTED else change_set.decided_at
    deliver(f"{event}:{change_set.pk}", event, about, recipients, actor=actor, message=message, at=at)


def change_set_name(change_set: ChangeSet) -> str:
    """How a notification names an import: "Import of glossary.csv (12 terms)"."""
    count = change_set.created + change_set.updated
    name = f"{change_set} ({count} term{'s' if count != 1 else ''})"
    max_length = Notification._meta.get_field("term_name").max_length
    return name if len(name) <= max_length else f"{name[: max_length - 1]}…"


def deliver(key: str, event: str, about: dict, recipients, *, actor, message: str, at) -> None:
    """Notify each recipient but `actor` once of the event `key` names; email them once the transaction commits."""
    rows = [
        Notification(recipient=person, event=event, event_key=key, actor=actor, message=message, created_at=at, **about)
        for person in recipients
        if person is not None and person.is_active and (actor is None or person.pk != actor.pk)
    ]
    if not rows:
        return
    # A second call for the same step finds the rows there already: no second notification, no second email.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(functools.partial(send_emails, key))


def send_emails(event_key: str) -> int:
    """Email everyone notified of this event who has not been emailed and wants email; return how many were sent."""
    opted_out = EditorPreferences.objects.filter(email_notifications=False).values("user")
    waiting = (
        Notification.objects.filter(event_key=event_key, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .exclude(recipient__in=opted_out)
        .select_related("recipient", "actor", "term", "change_set")
    )
    sent = 0
    for notification in waiting:
        # Claim the row first: two workers sending the same event cannot both email.
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        try:
            email(notification).send()
        except Exception:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            logger.exception("Could not email %s about %s", notification.recipient, event_key)
        else:
            sent += 1
    return sent


def email(notification: Notification) -> EmailMessage:
    """The plain-text email telling the recipient what happened to the term."""
    name, actor = notification.term_name, notification.actor or "Someone"
    subject, happened = {
        Event.SUBMITTED: (f"“{name}” is waiting for your review", f"{actor} submitted “{name}” for review."),
        Event.CHANGES_REQUESTED: (
            f"Changes requested on “{name}”",
            f"{actor} sent “{name}” back to you with changes requested.",
        ),
        Event.PUBLISHED: (f"“{name}” is published", f"{actor} published “{name}”: readers can see it now."),
        Event.IMPORT_SUBMITTED: (
            f"{name} is waiting for your review",
            f"{actor} imported terms; they wait for review together, as one change set.",
        ),
        Event.IMPORT_PUBLISHED: (f"{name} is published", f"{actor} published your import: readers can see it now."),
        Event.IMPORT_REJECTED: (
            f"{name} was rejected",
            f"{actor} rejected your import: the terms it created are deleted, the ones it changed are as before.",
        ),
    }[notification.event]
    lines = [f"Hello {notification.recipient.get_short_name() or notification.recipient.get_username()},", "", happened]
    if notification.message:
        said = (Event.PUBLISHED, Event.IMPORT_PUBLISHED)
        label = "Their message" if notification.event in said else "Their comment"
        lines += ["", f"{label}:", *(f"  {line}" for line in notification.message.splitlines())]
    if link := term_path(notification):
        lines += ["", f"Open it: {absolute(link)}"]
    lines += [
        "",
        "--",
        "You receive these emails because you write or review the glossary.",
        f"Switch them off: {absolute(reverse('admin:notification_settings'))}",
    ]
    return EmailMessage(
        subject=subject, body="\n".join(lines) + "\n", from_email=None, to=[notification.recipient.email]
    )


def term_path(notification: Notification) -> str:
    """Where the recipient deals with the term (its review for a reviewer, else its edit page) or the import
    (its review screen); '' once deleted."""
    if notification.change_set_id is not None:
        return reverse("admin:terms_changeset_change", args=[notification.change_set_id])
    if notification.term_id is None:
        return ""
    screen = "admin:terms_term_review" if notification.event == Event.SUBMITTED else "admin:terms_term_change"
    return reverse(screen, args=[notification.term_id])


def absolute(path: str) -> str:
    return settings.SITE_URL + path
