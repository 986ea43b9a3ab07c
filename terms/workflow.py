"""The editorial workflow: saves, review, and what the history keeps of each working copy.

A term's working copy moves draft → in review → published, or back to its author
with "changes requested". Every save that changes it is kept as a revision with
the full content, so a conflict can show what changed in between, a deleted term
can be recovered, and nothing anyone saved is lost. Writes to the published layer
(publish, unpublish, rollback) live in `terms.publishing`.
"""

import copy
import html
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags

from . import notifications
from .admin_search import index_working_copies
from .diffing import Change, compare, content, related_ids
from .models.editorial import Term
from .models.history import ReviewNote, Revision
from .models.parts import Example, Misconception
from .models.published import PublishedTerm
from .models.relations import Relation
from .models.tags import Tag

logger = logging.getLogger(__name__)
TO_TERM = Relation._meta.get_field("to_term")

TERM_FIELDS = (
    "name", "qualifier", "slug", "sentence_name", "short_definition", "pronunciation", "aliases",
    "explanation", "analogy", "usage", "history", "deprecated", "deprecation_reason",
)  # fmt: skip
# What a field is when a revision older than the field does not hold it.
FIELD_DEFAULTS = {"deprecated": False}


@dataclass
class Draft:
    """A term's working copy with all its parts: what a publish snapshots."""

    term: Term
    examples: list[Example]
    misconceptions: list[Misconception]
    relations: list[Relation]
    tags: list[Tag]
    # The terms readers should use instead, while it is deprecated.
    replaced_by: list[Term] = field(default_factory=list)

    @classmethod
    def load(cls, term: Term) -> "Draft":
        return cls(
            term=term,
            examples=list(term.examples.all()),
            misconceptions=list(term.misconceptions.all()),
            relations=list(term.relations.select_related("to_term")),
            tags=sorted(term.tags.all(), key=lambda tag: tag.name.casefold()),
            replaced_by=sorted(term.replaced_by.all(), key=lambda other: (other.name.casefold(), other.pk)),
        )

    @classmethod
    def markdown_of(cls, data: dict) -> "Draft":
        """Only the markdown a revision kept (sections, example bodies, corrections), for rendering it."""
        return cls(
            term=Term(**{key: data.get(key, "") for key in ("explanation", "analogy", "usage", "history")}),
            examples=[Example(body=item.get("body", "")) for item in data.get("examples", [])],
            misconceptions=[
                Misconception(correction=item.get("correction", "")) for item in data.get("misconceptions", [])
            ],
            relations=[],
            tags=[],
        )

    def markdown(self) -> dict:
        """The markdown its page's sections render from, as the published layer keeps it for the API."""
        return {
            **{key: getattr(self.term, key) for key in ("explanation", "analogy", "usage", "history")},
            "examples": [example.body for example in self.examples],
            "misconceptions": [misconception.correction for misconception in self.misconceptions],
        }

    @classmethod
    def from_snapshot(cls, term: Term, data: dict) -> "Draft":
        """The content a revision kept, as unsaved objects on a copy of `term` (which is left alone).

        Relations to terms deleted since are left out; tags that no longer exist get their slug anew.
        """
        content = copy.copy(term)
        for name in TERM_FIELDS:
            setattr(content, name, data.get(name, FIELD_DEFAULTS.get(name, "")))
        targets = Term.objects.in_bulk(
            [relation["to"] for relation in data.get("relations", [])]
            + [successor["to"] for successor in data.get("replaced_by", [])]
        )
        existing_tags = {tag.name.casefold(): tag for tag in Tag.objects.filter(name__in=data.get("tags", []))}
        return cls(
            term=content,
            examples=[Example(term=content, **example) for example in data.get("examples", [])],
            misconceptions=[Misconception(term=content, **item) for item in data.get("misconceptions", [])],
            relations=[
                Relation(from_term=content, to_term=targets[r["to"]], kind=r["kind"], position=r["position"])
                for r in data.get("relations", [])
                if r["to"] in targets
            ],
            tags=[
                existing_tags.get(name.casefold()) or Tag(name=name, slug=Tag().slugify(name))
                for name in data.get("tags", [])
            ],
            replaced_by=[targets[s["to"]] for s in data.get("replaced_by", []) if s["to"] in targets],
        )


def deprecation_errors(term: Term, replaced_by: Iterable[Term]) -> dict[str, list[str]]:
    """What is wrong with a term's deprecation fields, by field (empty if nothing): the rules a form and a publish share."""
    replaced_by = list(replaced_by)
    errors: dict[str, list[str]] = {}
    if term.pk is not None and any(other.pk == term.pk for other in replaced_by):
        errors["replaced_by"] = ["A term cannot be replaced by itself: choose the terms readers should use instead."]
    if not term.deprecated:
        if term.deprecation_reason.strip():
            errors["deprecation_reason"] = ["Only a deprecated term has a reason: tick “Deprecated”, or clear it."]
        if replaced_by:
            errors.setdefault("replaced_by", []).append(
                "Only a deprecated term is replaced by others: tick “Deprecated”, or remove them."
            )
    elif not term.deprecation_reason.strip() and not replaced_by:
        errors["deprecation_reason"] = [
            "Say why the term is deprecated, or choose the terms that replace it: readers need one or the other."
        ]
    return errors


def snapshot(draft: Draft) -> dict:
    """The term's editorial content as plain data, kept with each revision."""
    term = draft.term
    return {
        **{field: getattr(term, field) for field in TERM_FIELDS},
        "examples": [{"position": e.position, "title": e.title, "body": e.body} for e in draft.examples],
        "misconceptions": [
            {"position": m.position, "claim": m.claim, "correction": m.correction} for m in draft.misconceptions
        ],
        # The other term's name too, so the history still reads after it is renamed or deleted.
        "relations": [
            {
                "to": r.to_term_id,
                "to_name": r.to_term.name if TO_TERM.is_cached(r) else "",
                "kind": r.kind,
                "position": r.position,
            }
            for r in draft.relations
        ],
        "tags": [tag.name for tag in draft.tags],
        "replaced_by": [{"to": other.pk, "to_name": other.name} for other in draft.replaced_by],
    }


def latest_revision(term: Term, *actions: str) -> Revision | None:
    revisions = Revision.objects.filter(term_id=term.pk)
    if actions:
        revisions = revisions.filter(action__in=actions)
    return revisions.exclude(action=Revision.Action.UNPUBLISH).first()


def live_revision(term: Term) -> Revision | None:
    """The revision readers see now, or None when the term is not live."""
    if not PublishedTerm.objects.filter(pk=term.pk).exists():
        return None
    return latest_revision(term, *Revision.LIVE_ACTIONS)


@dataclass
class LastReview:
    """A reviewer's latest decision on a term, and the version it was about (None if the history lacks it)."""

    note: ReviewNote
    revision: Revision | None

    @property
    def edit_version(self) -> int | None:
        return self.note.edit_version or (self.revision.edit_version if self.revision else None)


def last_review(term: Term, reviewer: AbstractBaseUser) -> LastReview | None:
    """What `reviewer` last decided on the term (changes requested or published), or None if they never did."""
    decided = (ReviewNote.Action.CHANGES_REQUESTED, ReviewNote.Action.PUBLISHED)
    note = ReviewNote.objects.filter(term_id=term.pk, created_by=reviewer, action__in=decided).first()
    if note is None:
        return None
    versions = Revision.objects.filter(term_id=term.pk).exclude(
        action__in=(Revision.Action.UNPUBLISH, Revision.Action.DELETE)
    )
    if note.edit_version is not None:
        revision = versions.filter(edit_version=note.edit_version).first()
    else:
        # A note older than migration 0016 has no version: the last save before it is what was reviewed.
        revision = versions.filter(action=Revision.Action.SAVE, created_at__lte=note.created_at).first()
    return LastReview(note=note, revision=revision)


def record_save(term: Term, *, by: AbstractBaseUser | None, message: str = "") -> Revision | None:
    """Keep a saved working copy in the history, with its edit summary, and move its state on; None if nothing changed.

    Call after the term and all its parts are saved, in the same transaction. A new
    edit version is counted only when the content changed, so a save that changes nothing
    never makes someone else's open form stale.
    """
    with transaction.atomic():
        saved = Term.objects.select_for_update().get(pk=term.pk)
        data = snapshot(Draft.load(saved))
        last = latest_revision(saved)
        if last is not None and content(last.snapshot) == content(data):
            return None
        edit_version = saved.edit_version + 1 if last is not None else saved.edit_version
        live = live_revision(saved)
        status = saved.status
        if live is not None and content(live.snapshot) == content(data):
            status = Term.Status.PUBLISHED  # edited back to exactly what readers see
        elif status == Term.Status.PUBLISHED:
            status = Term.Status.DRAFT
        Term.objects.filter(pk=saved.pk).update(edit_version=edit_version, status=status)
        term.edit_version, term.status = edit_version, status
        index_working_copies({saved.pk: data})
        return Revision.objects.create(
            term=saved,
            number=next_revision_number(saved.pk),
            term_name=data["name"],
            action=Revision.Action.SAVE,
            message=message,
            snapshot=data,
            edit_version=edit_version,
            created_at=timezone.now(),
            created_by=by,
        )


def next_revision_numbers(term_ids: Iterable[int]) -> dict[int, int]:
    """The number each term's next revision takes in its history: one after its last, 1 for its first.

    Call with the terms' rows locked (or new), so two revisions cannot take the same number.
    """
    term_ids = set(term_ids)
    last = dict(
        Revision.objects.filter(term_id__in=term_ids)
        .values("term_id")
        .annotate(last=Max("number"))
        .values_list("term_id", "last")
    )
    return {term_id: (last.get(term_id) or 0) + 1 for term_id in term_ids}


def next_revision_number(term_id: int) -> int:
    return next_revision_numbers([term_id])[term_id]


@dataclass
class Conflict:
    """Someone saved the term after the form was opened."""

    saved_by: str
    saved_at: object
    edit_version: int
    before: dict  # the content the form was opened on
    after: dict  # the content saved since


def find_conflict(term_pk: int, loaded_edit_version: int) -> Conflict | None:
    """Whether the term has been saved since a form showed it at `loaded_edit_version`.

    Locks the term's row until the end of the transaction, so two saves cannot both pass.
    """
    saved = Term.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=term_pk)
    if saved.edit_version == loaded_edit_version:
        return None
    revisions = Revision.objects.filter(term_id=term_pk, edit_version__in=(loaded_edit_version, saved.edit_version))
    by_edit_version = {revision.edit_version: revision for revision in revisions.order_by("created_at", "pk")}
    before = by_edit_version.get(loaded_edit_version)
    return Conflict(
        saved_by=str(saved.updated_by or "someone"),
        saved_at=saved.updated_at,
        edit_version=saved.edit_version,
        before=before.snapshot if before else {},
        after=snapshot(Draft.load(saved)),
    )


def require_edit_version(term: Term, edit_version: int) -> None:
    """Lock the term's row for the transaction, and refuse if its working copy is no longer at `edit_version`.

    A reviewer's decision is about the version they read: publishing a newer one would put text nobody reviewed live.
    """
    saved = Term.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=term.pk)
    if saved.edit_version != edit_version:
        when = timezone.localtime(saved.updated_at)
        raise ValidationError(
            "%(who)s saved “%(name)s” at %(when)s, after you opened this review, so what you reviewed is not "
            "what would be published. Review it again below.",
            code="stale",
            params={"who": saved.updated_by or "Someone", "name": saved.name, "when": f"{when:%H:%M:%S}"},
        )


def changes_between(before: dict, after: dict) -> list[Change]:
    """What changed from one snapshot to the other, field by field, related terms named."""
    names = dict(Term.objects.filter(pk__in=related_ids(before, after)).values_list("pk", "name"))
    return compare(before, after, names=names)


def submit_for_review(term: Term, *, by: AbstractBaseUser | None, comment: str = "") -> None:
    """Put the working copy in the reviewers' queue."""
    with transaction.atomic():
        saved = Term.objects.select_for_update().get(pk=term.pk)
        if saved.status == Term.Status.PUBLISHED:
            raise ValidationError("This term has no unpublished changes to review.")
        if saved.status == Term.Status.IN_REVIEW:
            raise ValidationError("This term is already waiting for review.")
        now = timezone.now()
        Term.objects.filter(pk=saved.pk).update(status=Term.Status.IN_REVIEW, submitted_at=now, submitted_by=by)
        review_step(saved, ReviewNote.Action.SUBMITTED, by=by, comment=comment, at=now)
    term.status, term.submitted_at, term.submitted_by = Term.Status.IN_REVIEW, now, by
    logger.info("Submitted %s (%s) for review by %s", saved.name, saved.slug, by or "the system")


def review_step(term: Term, action: str, *, by: AbstractBaseUser | None, comment: str = "", at=None) -> ReviewNote:
    """Record a step of the term's review, about its working copy's edit version, and tell whom it concerns."""
    note = ReviewNote.objects.create(
        term=term,
        action=action,
        comment=comment,
        edit_version=term.edit_version,
        created_at=at or timezone.now(),
        created_by=by,
    )
    notifications.review_step(note)
    return note


def request_changes(term: Term, *, by: AbstractBaseUser | None, comment: str) -> None:
    """Send the working copy back to its author with the reviewer's comment; the live page is unchanged."""
    comment = comment.strip()
    if not comment:
        raise ValidationError("Say what needs to change: the author sees this comment.")
    with transaction.atomic():
        saved = Term.objects.select_for_update().get(pk=term.pk)
        if saved.status != Term.Status.IN_REVIEW:
            raise ValidationError("Only a term in review can be sent back with changes requested.")
        Term.objects.filter(pk=saved.pk).update(status=Term.Status.CHANGES_REQUESTED)
        review_step(saved, ReviewNote.Action.CHANGES_REQUESTED, by=by, comment=comment)
    term.status = Term.Status.CHANGES_REQUESTED
    logger.info("Changes requested on %s (%s) by %s", saved.name, saved.slug, by or "the system")


def restore_working_copy(term: Term, data: dict, *, by: AbstractBaseUser | None) -> Term:
    """Make the working copy hold a revision's content, parts and tags included; returns it saved."""
    draft = Draft.from_snapshot(term, data)
    restored = draft.term
    restored.updated_at, restored.updated_by = timezone.now(), by
    restored.save()
    restored.examples.all().delete()
    restored.misconceptions.all().delete()
    restored.relations.all().delete()
    for child in [*draft.examples, *draft.misconceptions, *draft.relations]:
        child.pk = None
        child.save()
    restored.tags.set(data.get("tags", []))
    restored.replaced_by.set(draft.replaced_by)
    return restored


def recover_deleted(revision: Revision, *, by: AbstractBaseUser | None) -> Term:
    """Bring a deleted term back as a draft, under its old id, with its parts, tags and relations.

    Relations from other terms that pointed at it come back too, where those terms still exist.
    Raises ValidationError, changing nothing, if its name or slug has been taken since.
    """
    if revision.action != Revision.Action.DELETE:
        raise ValidationError("Only a deleted term can be recovered.")
    data = revision.snapshot
    with transaction.atomic():
        if Term.objects.filter(pk=revision.term_id).exists():
            raise ValidationError(f"“{data['name']}” has already been recovered.")
        clash = Term.objects.filter(slug=data["slug"]).first()
        if clash is not None:
            raise ValidationError(
                f"“{data['name']}” cannot be recovered: the term “{clash.title}” now uses its address. "
                "Rename or delete that term first."
            )
        # Another term may share its name as a homonym, with a qualifier of its own.
        homonym = Term(pk=revision.term_id, name=data["name"], qualifier=data.get("qualifier", "")).homonym_clash()
        if homonym is not None:
            # The admin shows the message as text: the link to the other term would show as markup.
            reason = html.unescape(strip_tags(homonym[1]))
            raise ValidationError(f"“{data['name']}” cannot be recovered as it was: {reason}")
        term = Term(pk=revision.term_id, created_by=by, status=Term.Status.DRAFT)
        term = restore_working_copy(term, data, by=by)
        sources = Term.objects.in_bulk([incoming["from"] for incoming in data.get("incoming", [])])
        Relation.objects.bulk_create(
            Relation(from_term=sources[r["from"]], to_term=term, kind=r["kind"], position=r["position"])
            for r in data.get("incoming", [])
            if r["from"] in sources
        )
        record_save(term, by=by)
    logger.info("Recovered %s (%s) by %s", term.name, term.slug, by or "the system")
    return term


def deletion_snapshot(term: Term) -> dict:
    """The working copy as `snapshot` keeps it, plus the relations other terms had to it."""
    incoming = term.incoming_relations.select_related("from_term")
    return {
        **snapshot(Draft.load(term)),
        "incoming": [
            {"from": r.from_term_id, "from_name": r.from_term.name, "kind": r.kind, "position": r.position}
            for r in incoming
        ],
    }
