"""What readers are told changed, and when a term is next due for review: written by the publishing verbs.

A publish that is not minor records a `PublishedChange` (new, updated or deprecated) with its public note
and stamps the page's "Last updated"; every publish stamps "Last reviewed" and moves the working copy's
"review by" date ahead. `rebuild_changes` writes the list again from the revisions, for upgrades and rebuilds.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import bulk
from .enums import ChangeKind
from .models.editorial import Term
from .models.history import ReviewNote, Revision
from .models.published import PublishedChange, PublishedTerm, SiteState

# The public note of a term's first publish, unless the reviewer writes another.
NEW_TERM_NOTE = "New term"
PUBLIC_NOTE_MAX_LENGTH = 300
NOTE_REQUIRED = (
    "Write a public change note saying what readers are told changed, "
    "or tick “Minor change” if readers need not be told (a typo, a link)."
)


def public_note(note: str, minor: bool, *, first: bool) -> tuple[str, bool]:
    """The note and minor flag a publish records, from what the reviewer entered.

    A term's first publish is news to readers whatever was ticked, and its note defaults to "New term";
    any other publish needs a note unless it is minor. Raises ValidationError otherwise.
    """
    note = " ".join(note.split())
    if first:
        return note or NEW_TERM_NOTE, False
    if minor:
        return "", True
    if not note:
        raise ValidationError(NOTE_REQUIRED, code="note_required")
    return note, False


def review_due(now: datetime.datetime) -> datetime.date:
    """The "review by" date a publish or a review sets: REVIEW_INTERVAL_DAYS after it."""
    return timezone.localdate(now) + datetime.timedelta(days=settings.REVIEW_INTERVAL_DAYS)


def extend_review_by(term_ids, now: datetime.datetime) -> None:
    """Set these working copies' "review by" date to a full interval from now, unless they already have a later one."""
    due = review_due(now)
    Term.objects.filter(pk__in=term_ids).filter(Q(review_by__isnull=True) | Q(review_by__lt=due)).update(review_by=due)


def told(term_id: int, values: dict, *, now: datetime.datetime, note: str, minor: bool) -> str | None:
    """Fill a published row's "Last updated" and "Last reviewed"; return the kind of change readers are told of.

    None for a minor change, which keeps the row's earlier "Last updated" (and tells nobody).
    A first publish, or one after an unpublishing, is new; one that deprecates the term, deprecated.
    """
    values["reviewed_at"] = now
    # The row readers see now, if any: when it was deprecated.
    previous = list(PublishedTerm.objects.filter(pk=term_id).values_list("deprecated_at", flat=True))
    if not previous:
        kind = ChangeKind.NEW
    elif values.get("deprecated_at") and previous[0] is None:
        # Deprecating is news to readers, minor or not.
        kind = ChangeKind.DEPRECATED
    elif minor:
        return None
    else:
        kind = ChangeKind.UPDATED
    values["changed_at"] = now
    values["change_note"] = note
    return kind


def change_row(values: dict, kind: str, revision_id: int | None = None) -> PublishedChange:
    """The line of `/changes/` for a published row whose change fields `told` filled."""
    return PublishedChange(
        term_id=values["term_id"],
        kind=kind,
        note=values["change_note"],
        title=values["title"],
        slug=values["slug"],
        changed_at=values["changed_at"],
        revision_id=revision_id,
    )


def mark_reviewed(term: Term, *, by: AbstractBaseUser | None) -> datetime.date:
    """Record that a reviewer checked the published term and found it still accurate; return its next "review by".

    Not a publish: the page's content and "Last updated" stay, its "Last reviewed" moves to today.
    Raises ValidationError, changing nothing, if readers do not see the term.
    """
    with transaction.atomic():
        now = timezone.now()
        if not PublishedTerm.objects.filter(pk=term.pk).update(reviewed_at=now):
            raise ValidationError(
                "Only a published term can be marked as reviewed: publish it first.", code="not_published"
            )
        extend_review_by([term.pk], now)
        # Kept with the term's review steps; no one needs telling.
        ReviewNote.objects.create(
            term=term, action=ReviewNote.Action.REVIEWED, edit_version=term.edit_version, created_at=now, created_by=by
        )
        # The page shows "Last reviewed": cached copies must go.
        SiteState.bump(now)
    return Term.objects.filter(pk=term.pk).values_list("review_by", flat=True).get()


def title_of(snapshot: dict) -> str:
    """A revision's term name as lists show it, its qualifier in brackets."""
    name, qualifier = snapshot.get("name", ""), snapshot.get("qualifier", "")
    return f"{name} ({qualifier})" if qualifier else name


def rebuild_changes() -> int:
    """Write `/changes/` again from the revisions, and each published page's "Last updated"; return how many.

    Every publish or rollback that was not minor is a change: the first one live, and the first after an
    unpublishing or a deletion, new; one that deprecated the term, deprecated; the others, updated.
    """
    PublishedChange.objects.all().delete()
    revisions = (
        Revision.objects.filter(
            term_id__isnull=False,
            action__in=[*Revision.LIVE_ACTIONS, Revision.Action.UNPUBLISH, Revision.Action.DELETE],
        )
        .order_by("term_id", "created_at", "pk")
        .values_list("pk", "term_id", "action", "minor", "public_note", "created_at", "snapshot")
    )
    rows: list[PublishedChange] = []
    latest: dict[int, PublishedChange] = {}
    current, live, deprecated = None, False, False
    for pk, term_id, action, minor, note, created_at, snapshot in revisions.iterator(chunk_size=500):
        if term_id != current:
            current, live, deprecated = term_id, False, False
        if action not in Revision.LIVE_ACTIONS:
            # Off the site: its next publish is news again.
            live, deprecated = False, False
            continue
        first, live = not live, True
        deprecates = bool(snapshot.get("deprecated")) and not deprecated and not first
        deprecated = bool(snapshot.get("deprecated"))
        if first:
            kind = ChangeKind.NEW
        elif deprecates:
            kind = ChangeKind.DEPRECATED
        elif minor:
            continue
        else:
            kind = ChangeKind.UPDATED
        row = PublishedChange(
            term_id=term_id,
            kind=kind,
            note=note,
            title=title_of(snapshot)[:203],
            slug=snapshot.get("slug", ""),
            changed_at=created_at,
            revision_id=pk,
        )
        rows.append(row)
        latest[term_id] = row
    bulk.insert(rows)
    published = PublishedTerm.objects.filter(pk__in=latest).values_list("pk", flat=True)
    bulk.update(
        PublishedTerm,
        ["changed_at", "change_note"],
        {pk: {"changed_at": latest[pk].changed_at, "change_note": latest[pk].note} for pk in published},
    )
    return len(rows)
