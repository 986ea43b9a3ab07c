"""Scheduled publishing: a reviewer approves the version they read to go live at a set time.

`manage.py publish_scheduled`, run by cron, publishes what is due through `publishing.publish`,
and only the version approved: a term saved again after its approval waits for a new review.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models.editorial import Term
from .models.workspace import ScheduledPublication
from .publishing import publish, refuse_nothing_to_publish, validate_for_publishing
from .workflow import Draft, require_edit_version

logger = logging.getLogger(__name__)

SAVED_SINCE = "saved again after approval; not published"


@dataclass
class Report:
    """What a run of `publish_due` did: term names, and for those not published, why."""

    published: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def schedule(
    term: Term,
    *,
    edit_version: int,
    at: datetime,
    by: AbstractBaseUser | None,
    message: str = "",
    public_note: str = "",
    minor: bool = False,
) -> ScheduledPublication:
    """Approve the term's working copy at `edit_version` to go live at `at`, replacing any earlier schedule.

    `public_note` and `minor` are what readers are told then, as for `publish`.

    Raises ValidationError, changing nothing, if `at` is not in the future, the term was saved
    since `edit_version`, or the version could not be published.
    """
    if at <= timezone.now():
        when = timezone.localtime(at)
        raise ValidationError(
            "Choose a time in the future: %(when)s has passed. To publish now, use “Publish this version”.",
            code="past",
            params={"when": f"{when:%d %b %Y %H:%M} ({when:%Z})"},
        )
    with transaction.atomic():
        require_edit_version(term, edit_version)
        draft = Draft.load(Term.objects.get(pk=term.pk))
        refuse_nothing_to_publish(draft)
        validate_for_publishing(draft)
        scheduled, _ = ScheduledPublication.objects.update_or_create(
            term_id=term.pk,
            defaults={
                "edit_version": edit_version,
                "publish_at": at,
                "message": message,
                "public_note": public_note,
                "minor": minor,
                "scheduled_by": by,
                "created_at": timezone.now(),
            },
        )
    logger.info("Scheduled %s (%s) version %s for %s by %s", term.name, term.slug, edit_version, at, by)
    return scheduled


def cancel(term: Term, *, by: AbstractBaseUser | None) -> ScheduledPublication | None:
    """Withdraw the term's scheduled publication; returns it, or None if it had none."""
    scheduled = ScheduledPublication.objects.filter(term_id=term.pk).first()
    if scheduled is None:
        return None
    scheduled.delete()
    logger.info("Cancelled the scheduled publication of %s (%s) by %s", term.name, term.slug, by or "the system")
    return scheduled


def publish_due(now: datetime | None = None) -> Report:
    """Publish each scheduled term whose time has come, if it is still the version approved.

    Each in its own transaction: one that fails is reported, left scheduled to be tried again,
    and does not stop the others.
    """
    now = now or timezone.now()
    report = Report()
    due = ScheduledPublication.objects.filter(publish_at__lte=now).select_related("term", "scheduled_by")
    for scheduled in list(due):
        name = scheduled.term.name
        try:
            with transaction.atomic():
                outcome = publish_one(scheduled)
        except ValidationError as error:
            report.failed.append((name, " ".join(error.messages)))
            logger.error("Scheduled publication of %s failed: %s", name, " ".join(error.messages))
        except Exception as error:  # one term's failure must not stop the others
            report.failed.append((name, f"{type(error).__name__}: {error}"))
            logger.exception("Scheduled publication of %s failed", name)
        else:
            if outcome is None:
                report.published.append(name)
            else:
                report.skipped.append((name, outcome))
    return report


def publish_one(scheduled: ScheduledPublication) -> str | None:
    """Publish one due schedule inside a transaction; None once published, or why it was not (and dropped)."""
    term = Term.objects.select_for_update().filter(pk=scheduled.term_id).first()
    current = ScheduledPublication.objects.filter(pk=scheduled.pk, publish_at=scheduled.publish_at).first()
    if term is None or current is None:
        return "cancelled or rescheduled meanwhile"
    if term.edit_version != current.edit_version:
        current.delete()
        logger.warning("Scheduled publication of %s dropped: %s", term.name, SAVED_SINCE)
        return SAVED_SINCE
    try:
        publish(
            term,
            by=current.scheduled_by,
            message=current.message,
            public_note=current.public_note,
            minor=current.minor,
        )
    except ValidationError as error:
        if error.code != "nothing_to_publish":
            raise
        current.delete()
        return "readers already see this version"
    return None
