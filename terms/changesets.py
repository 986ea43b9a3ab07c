"""Imports under review: each import is one change set, which a reviewer publishes or rejects as a whole.

The import (`terms.importing`) leaves every term it created or updated as a working copy in review,
records them in a `ChangeSet` and calls `opened`, which tells the reviewers once. A reviewer then
publishes every term through `publish`, or rejects the import: the terms it created are deleted
(recoverable, as any deletion) and the ones it updated get their working copy from before it back.
Both act on the versions the import left: a term edited or deleted since is refused, and nothing changes.
"""

import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import get_text_list

from . import notifications
from .change_notes import NEW_TERM_NOTE
from .models.changesets import ChangeSet, ChangeSetTerm
from .models.editorial import PUBLISH_PERMISSION, Term
from .models.history import Revision
from .models.published import PublishedTerm
from .models.workspace import Notification
from .publishing import delete_term, publish
from .workflow import record_save, restore_working_copy

logger = logging.getLogger(__name__)
Event = Notification.Event


@dataclass
class Decision:
    """The names of the terms a decision acted on, and of those it left alone (already decided on their own)."""

    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def summary(change_set: ChangeSet) -> str:
    """The import's counts in words: "12 terms: 10 created, 2 updated (3 more in the file were unchanged)."."""
    count = change_set.created + change_set.updated
    words = f"{plural(count)}: {change_set.created} created, {change_set.updated} updated"
    if change_set.unchanged:
        words += (
            f" ({change_set.unchanged} more in the file {'was' if change_set.unchanged == 1 else 'were'} unchanged)"
        )
    return f"{words}."


def opened(change_set: ChangeSet) -> None:
    """Tell every reviewer, once, that an import waits for review; call inside the import's transaction."""
    notifications.change_set_step(
        change_set, Event.IMPORT_SUBMITTED, actor=change_set.created_by, message=summary(change_set)
    )


def publish_change_set(
    change_set: ChangeSet, *, by: AbstractBaseUser, message: str = "", public_note: str = "", minor: bool = False
) -> Decision:
    """Publish every term of the import together, each through `publish`, in one transaction.

    `public_note` tells readers what changed in each term they saw before (unless `minor`); new terms are
    "New term" unless it says more.

    Raises ValidationError, changing nothing, if a term was edited or deleted since the import, or
    cannot be published; terms readers already see at the imported version are skipped.
    """
    require_reviewer(by, "publish an import")
    message = message.strip()
    decision = Decision()
    with transaction.atomic():
        change_set = open_change_set(change_set)
        entries = locked_entries(change_set)
        refuse_changed_since_import(entries, deleted_too=True, doing="published")
        history_message = f"Published with {the_import(change_set)}" + (f": {message}" if message else "")
        failures = []
        # Each term's own "published" notification would tell the importer once per term: the set tells once.
        with notifications.told_once_by_change_set():
            for entry in entries:
                try:
                    note = public_note or ("" if entry.term.is_live else NEW_TERM_NOTE)
                    publish(entry.term, by=by, message=history_message, public_note=note, minor=minor)
                except ValidationError as error:
                    if getattr(error, "code", None) == "nothing_to_publish":
                        decision.skipped.append(entry.term.name)
                    else:
                        failures.append(f"“{entry.term.name}”: {' '.join(error.messages)}")
                else:
                    decision.done.append(entry.term.name)
        if failures:
            raise ValidationError(
                "No term was published, because %(count)s cannot be: %(failures)s Fix them and publish the import "
                "again, or take them out of it.",
                code="invalid",
                params={"count": plural(len(failures)), "failures": " ".join(failures)},
            )
        decide(change_set, ChangeSet.Status.PUBLISHED, by=by, comment=message)
        notifications.change_set_step(change_set, Event.IMPORT_PUBLISHED, actor=by, message=message)
    logger.info("Published %s (%d terms) by %s", the_import(change_set), len(decision.done), by)
    return decision


def reject_change_set(change_set: ChangeSet, *, by: AbstractBaseUser, comment: str) -> Decision:
    """Undo the import in one transaction: delete the terms it created, put back the working copies it changed.

    Terms published on their own since the import, and terms deleted since, are left as they are.
    Raises ValidationError, changing nothing, without a comment or if a term was edited since the import.
    """
    require_reviewer(by, "reject an import")
    comment = comment.strip()
    if not comment:
        raise ValidationError("Say why the import is rejected: the person who imported it sees your comment.")
    decision = Decision()
    with transaction.atomic():
        change_set = open_change_set(change_set)
        entries = [entry for entry in locked_entries(change_set) if entry.term is not None]
        refuse_changed_since_import(entries, deleted_too=False, doing="rejected")
        lost = [e.term.name for e in entries if e.action == ChangeSetTerm.Action.UPDATED and not e.previous_revision]
        if lost:
            raise ValidationError(
                "The import was not rejected: the history keeps no version of %(names)s from before it, so "
                "there is nothing to put back. Take %(them)s out of the import first.",
                code="no_previous_version",
                params={"names": quoted(lost), "them": "it" if len(lost) == 1 else "them"},
            )
        published_alone = published_since_import(entries)
        message = f"Put back as before {the_import(change_set)}, which was rejected"
        # The updated terms first: their earlier versions cannot point at terms the import created.
        for entry in sorted(entries, key=lambda entry: entry.action != ChangeSetTerm.Action.UPDATED):
            if entry.term.pk in published_alone:
                decision.skipped.append(entry.term.name)
                continue
            if entry.action == ChangeSetTerm.Action.UPDATED:
                put_back(entry, by=by, message=message)
            else:
                delete_term(entry.term, by=by)
            decision.done.append(entry.term.name)
        decide(change_set, ChangeSet.Status.REJECTED, by=by, comment=comment)
        notifications.change_set_step(change_set, Event.IMPORT_REJECTED, actor=by, message=comment)
    logger.info("Rejected %s by %s", the_import(change_set), by)
    return decision


def take_out_of_change_set(entry: ChangeSetTerm, *, by: AbstractBaseUser) -> str:
    """Take one term out of an open import: it is then reviewed on its own, and the import decided without it."""
    require_reviewer(by, "take a term out of an import")
    with transaction.atomic():
        open_change_set(entry.change_set)
        ChangeSetTerm.objects.filter(pk=entry.pk).delete()
    logger.info("Took %s out of %s by %s", entry.term_name, the_import(entry.change_set), by)
    return entry.term_name


def require_reviewer(user: AbstractBaseUser | None, doing: str) -> None:
    if user is None or not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(f"Only reviewers can {doing}.")


def open_change_set(change_set: ChangeSet) -> ChangeSet:
    """The change set's row, locked for the transaction; ValidationError if it was decided already."""
    locked = ChangeSet.objects.select_for_update(of=("self",)).select_related("decided_by").get(pk=change_set.pk)
    if locked.status != ChangeSet.Status.OPEN:
        when = timezone.localtime(locked.decided_at) if locked.decided_at else None
        raise ValidationError(
            "This import was %(decision)s already%(by)s%(when)s.",
            code="decided",
            params={
                "decision": locked.get_status_display().lower(),
                "by": f" by {locked.decided_by}" if locked.decided_by else "",
                "when": f" on {when:%d %b %Y at %H:%M}" if when else "",
            },
        )
    return locked


def locked_entries(change_set: ChangeSet) -> list[ChangeSetTerm]:
    """The change set's terms in file order, each term's row read anew and locked for the transaction."""
    entries = list(change_set.entries.select_related("previous_revision").order_by("line", "pk"))
    terms = Term.objects.select_for_update().in_bulk([entry.term_id for entry in entries if entry.term_id])
    for entry in entries:
        entry.term = terms.get(entry.term_id)
    return entries


def refuse_changed_since_import(entries: list[ChangeSetTerm], *, deleted_too: bool, doing: str) -> None:
    """Raise ValidationError naming the terms edited (or, if `deleted_too`, deleted) since the import."""
    edited = [entry.term.name for entry in entries if entry.term and entry.term.edit_version != entry.edit_version]
    deleted = [entry.term_name for entry in entries if entry.term is None] if deleted_too else []
    problems = []
    if edited:
        problems.append(f"{quoted(edited)} {'was' if len(edited) == 1 else 'were'} edited after the import")
    if deleted:
        problems.append(f"{quoted(deleted)} {'was' if len(deleted) == 1 else 'were'} deleted after it")
    if problems:
        raise ValidationError(
            "The import was not %(doing)s: %(problems)s, so what it brought is no longer what would be %(doing)s. "
            "Take %(them)s out of the import (to review on %(their)s own), then decide on the rest.",
            code="changed_since_import",
            params={
                "doing": doing,
                "problems": " and ".join(problems),
                "them": "it" if len(edited) + len(deleted) == 1 else "them",
                "their": "its" if len(edited) + len(deleted) == 1 else "their",
            },
        )


def published_since_import(entries: list[ChangeSetTerm]) -> set[int]:
    """The ids of the terms published on their own after the import recorded them (and live still)."""
    live = set(PublishedTerm.objects.filter(pk__in=[entry.term.pk for entry in entries]).values_list("pk", flat=True))
    newest = dict(
        Revision.objects.filter(term_id__in=live, action__in=Revision.LIVE_ACTIONS)
        .values("term_id")
        .annotate(newest=Max("pk"))
        .values_list("term_id", "newest")
    )
    return {
        entry.term.pk
        for entry in entries
        if entry.term.pk in live and entry.revision_id is not None and newest[entry.term.pk] > entry.revision_id
    }


def put_back(entry: ChangeSetTerm, *, by: AbstractBaseUser, message: str) -> None:
    """Give an updated term its working copy from before the import: published if readers see that, else a draft."""
    restored = restore_working_copy(entry.term, entry.previous_revision.snapshot, by=by)
    Term.objects.filter(pk=restored.pk).update(status=Term.Status.DRAFT)
    restored.status = Term.Status.DRAFT
    # Records the version put back; marks it published when it is what readers see.
    record_save(restored, by=by, message=message)


def decide(change_set: ChangeSet, status: str, *, by: AbstractBaseUser, comment: str) -> None:
    change_set.status, change_set.decided_at, change_set.decided_by = status, timezone.now(), by
    change_set.comment = comment
    change_set.save(update_fields=["status", "decided_at", "decided_by", "comment"])


def the_import(change_set: ChangeSet) -> str:
    """How a sentence names an import: "the import of glossary.csv"."""
    return f"the import of {change_set.file_name}"


def quoted(names: list[str]) -> str:
    """Names as a sentence lists them: “A”, “B” and “C”."""
    return str(get_text_list([f"“{name}”" for name in names], "and"))


def plural(count: int) -> str:
    return f"{count} term{'s' if count != 1 else ''}"
