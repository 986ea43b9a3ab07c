"""Publish and unpublish: the only writers of the published layer.

Editors change the editorial workspace as often as they like; readers see a
term only as it was when someone with the publish permission published it.
"""

import logging
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import also_read, bulk, change_notes, images, keywords, paths
from .admin_search import index_working_copies, unindex_working_copies
from .diffing import content
from .enums import RelationKind
from .linking import Glossary, name_rows, names_also_of_others, published_glossary
from .mentioned_in import refresh_mentioned_in
from .models.editorial import Term
from .models.history import ReviewNote, Revision
from .models.published import (
    PublishedMention,
    PublishedName,
    PublishedRedirect,
    PublishedRelation,
    PublishedTerm,
    PublishedTermTag,
    SiteState,
)
from .models.workspace import ScheduledPublication
from .redirects import refuse_taken_aliases, update_redirects
from .related import groups_by_term, related_ids
from .relinking import SECTIONS, apply_links, mentioning, relink, relink_all
from .rendering import render_markdown
from .rows import initial_letter, relation_rows, tag_rows
from .search import index_terms, search_index, unindex_terms
from .successors import deprecation_values, refresh_successors
from .workflow import (
    Draft,
    deletion_snapshot,
    deprecation_errors,
    live_revision,
    next_revision_number,
    restore_working_copy,
    review_step,
    snapshot,
)

__all__ = ["SECTIONS", "Draft", "delete_term", "mentioning", "publish", "relink", "relink_all", "rollback", "unpublish"]

logger = logging.getLogger(__name__)

# What a cross-link to a term shows of it: when one changes, the pages that link to it are linked again.
IDENTITY = ("slug", "name", "aliases", "short_definition", "title")
# What the "Mentioned in" of the pages a term links to shows of it; what the paths of the terms below it show.
MENTIONED_AS = ("slug", "title", "short_definition")
ON_PATHS_AS = ("slug", "title")
PREVIOUS = (*IDENTITY, "deprecated_at", "tags")


class Renderer(Protocol):
    def __call__(self, text: str, *, prefix: str = "") -> str: ...


def publish(
    term: Term,
    *,
    by: AbstractBaseUser | None,
    message: str = "",
    again: bool = False,
    public_note: str = "",
    minor: bool = False,
) -> PublishedTerm:
    """Make the term's saved working copy what readers see, and record a revision.

    `public_note` tells readers what changed (`/changes/`, "Last updated"); a `minor` change tells them nothing.

    Raises ValidationError, changing nothing, if the saved term is not valid, or if readers
    already see it, unless `again` asks to write its page anew (a rebuild does, to link it again).
    """
    with transaction.atomic():
        draft = Draft.load(Term.objects.select_for_update().get(pk=term.pk))
        if not again:
            refuse_nothing_to_publish(draft)
        published = go_live(
            draft, by=by, message=message, action=Revision.Action.PUBLISH, public_note=public_note, minor=minor
        )
        # Terms loaded by `seed` or an import are published without a save: the admin finds them too.
        index_working_copies({draft.term.pk: snapshot(draft)})
        Term.objects.filter(pk=draft.term.pk).update(status=Term.Status.PUBLISHED)
        review_step(draft.term, ReviewNote.Action.PUBLISHED, by=by, comment=message)
        # Published now: an approval to publish later has nothing left to do.
        ScheduledPublication.objects.filter(term_id=draft.term.pk).delete()
    term.status = Term.Status.PUBLISHED
    logger.info("Published %s (%s) by %s", draft.term.name, draft.term.slug, by or "the system")
    return published


NOTHING_TO_PUBLISH = "Nothing to publish: readers already see this version."


def refuse_nothing_to_publish(draft: Draft) -> None:
    """Refuse to publish a working copy readers already see: it would only add a revision that changes nothing."""
    # A working copy marked published was saved back to, or published as, the live content: check it really is.
    if draft.term.status != Term.Status.PUBLISHED:
        return
    live = live_revision(draft.term)
    if live is not None and content(live.snapshot) == content(snapshot(draft)):
        raise ValidationError(NOTHING_TO_PUBLISH, code="nothing_to_publish")


def rollback(revision: Revision, *, by: AbstractBaseUser | None, message: str = "") -> PublishedTerm:
    """Make an earlier live version what readers see again; recorded as a new revision.

    The working copy follows when it had no unpublished changes; otherwise those
    changes stay in it, waiting for review, and the term shows as "published, with
    unpublished changes". Raises ValidationError, changing nothing, if the old
    version is no longer valid (say, its address is now another term's).
    """
    if not revision.is_live_version:
        raise ValidationError("Only a version that was live can be rolled back to.")
    with transaction.atomic():
        term = Term.objects.select_for_update().filter(pk=revision.term_id).first()
        if term is None:
            raise ValidationError("This term has been deleted; recover it first.")
        when = timezone.localtime(revision.created_at)
        message = message or f"Rolled back to the version published {when:%d %b %Y %H:%M}"
        if term.status == Term.Status.PUBLISHED:
            # The working copy is what readers see: it goes back with the page.
            restored = restore_working_copy(term, revision.snapshot, by=by)
            Term.objects.filter(pk=term.pk).update(edit_version=term.edit_version + 1)
            restored.edit_version = term.edit_version + 1
            draft = Draft.load(restored)
            index_working_copies({term.pk: snapshot(draft)})
        else:
            # Unpublished changes stay in the working copy, still waiting for review.
            draft = Draft.from_snapshot(term, revision.snapshot)
        published = go_live(
            draft,
            by=by,
            message=message,
            action=Revision.Action.ROLLBACK,
            of_working_copy=term.status == Term.Status.PUBLISHED,
        )
    logger.info("Rolled %s (%s) back by %s", term.name, term.slug, by or "the system")
    return published


def go_live(
    draft: Draft,
    *,
    by: AbstractBaseUser | None,
    message: str,
    action: str,
    of_working_copy: bool = True,
    public_note: str = "",
    minor: bool = False,
) -> PublishedTerm:
    """Write a term's content into the published layer, with its revision; inside a transaction.

    `of_working_copy`: the content is the saved working copy, so the revision carries its edit version
    (a conflict's "what changed since" looks edit versions up); an older version's content does not.
    """
    validate_for_publishing(draft)
    now = timezone.now()
    values, mentions = published_values(draft, now=now, by=by)
    change = change_notes.told(draft.term.pk, values, now=now, note=public_note, minor=minor)
    previous = PublishedTerm.objects.filter(pk=draft.term.pk).values_list(*PREVIOUS).first()
    previous_slug = previous[0] if previous else None
    was_deprecated = previous is not None and previous[-2] is not None
    if was_deprecated and values["deprecated_at"] is not None:
        values["deprecated_at"] = previous[-2]  # deprecated since then, not since this publish
    listed = values["deprecated_at"] is None
    # Pages that listed the term among their related terms, or lose it now.
    neighbours = related_ids([draft.term.pk])
    previous_rows = list(
        PublishedRelation.objects.filter(source_id=draft.term.pk).values_list("target_id", "kind", "position")
    )
    hierarchy_before = {row for row in previous_rows if row[1] in paths.HIERARCHY_KINDS}
    previous_relations = {(target_id, kind) for target_id, kind, _ in previous_rows}
    published, _ = PublishedTerm.objects.update_or_create(
        term_id=draft.term.pk, defaults=values, create_defaults={**values, "first_published_at": now}
    )
    published.tag_rows.all().delete()
    # A deprecated term is on no tag's page and in no count.
    PublishedTermTag.objects.bulk_create(tag_rows(draft) if listed else [])
    published.outgoing_relations.all().delete()
    PublishedRelation.objects.bulk_create(relation_rows(draft))
    refresh_related([draft.term.pk, *neighbours, *related_ids([draft.term.pk])])
    update_redirects(draft, previous_slug=previous_slug)
    index_terms([published])
    published.name_rows.all().delete()
    # A deprecated term is never linked to: cross-links look for its names no more.
    PublishedName.objects.bulk_create(name_rows(published.pk, [published.name, *published.aliases]) if listed else [])
    mentioned_before = set(published.mentions.values_list("target_id", flat=True))
    published.mentions.all().delete()
    PublishedMention.objects.bulk_create(PublishedMention(source_id=published.pk, target_id=pk) for pk in mentions)
    images.record_published(published.pk, values["unlinked"])
    deprecation_changed = previous is not None and was_deprecated == listed
    renamed = previous is None or previous[: len(IDENTITY)] != tuple(values[field] for field in IDENTITY)
    if renamed or deprecation_changed:
        # What links to the term shows its name, address and one-liner: link those pages again,
        # and the pages that mention a name it has now, or had (another term may be alone with it now; a
        # deprecated term's links go).
        former = [previous[1], *previous[2]] if previous else []
        relink(mentioning([published.pk], [published.name, *published.aliases, *former]) - {published.pk})
        refresh_successors([published.pk])
    edit_version = draft.term.edit_version if of_working_copy else None
    # Reworded, it may pick other terms, and they it (as when its tags or relations change).
    reworded = bool(keywords.record([published]))
    links_changed = (
        previous is None
        or deprecation_changed
        or reworded
        or previous[-1] != values["tags"]
        or previous_relations != {(relation.to_term_id, relation.kind) for relation in draft.relations}
    )
    also_read.after_publish([published.pk], neighbours_before=neighbours, links_changed=links_changed, renamed=renamed)
    if deprecation_changed:
        # The pages that showed it among "People also read" choose again: a deprecated term is no one's pick.
        also_read.refresh(also_read.listing([published.pk]) - {published.pk})

    def changed(fields) -> bool:
        return previous is None or any(previous[PREVIOUS.index(field)] != values[field] for field in fields)

    if changed(MENTIONED_AS) or mentioned_before != mentions:
        refresh_mentioned_in(mentioned_before | mentions)
    # Positions count: the first broader term is the one a path goes through.
    hierarchy_now = {(r.to_term_id, r.kind, r.position) for r in draft.relations if r.kind in paths.HIERARCHY_KINDS}
    if changed(ON_PATHS_AS) or hierarchy_before != hierarchy_now:
        # Its own path, and those of the terms below it, including any it no longer has as narrower terms.
        lost = [pk for pk, kind, _ in hierarchy_before if kind == RelationKind.NARROWER]
        paths.refresh_paths([published.pk, *lost])
    number = next_revision_number(draft.term.pk)
    recorded = revision(
        draft,
        number=number,
        now=now,
        by=by,
        message=message,
        action=action,
        edit_version=edit_version,
        public_note=values.get("change_note", "") if change else "",
        minor=change is None,
    )
    recorded.save()
    if change is not None:
        change_notes.change_row(values, change, recorded.pk).save()
    change_notes.extend_review_by([draft.term.pk], now)
    SiteState.bump(now)
    published.refresh_from_db(fields=["related", "also_read", "path", "mentioned_in"])
    return published


def refresh_related(term_ids) -> None:
    """Recompute the stored "Related terms" of these published terms (missing ones are skipped)."""
    groups = groups_by_term(sorted(set(term_ids)))
    bulk.update(PublishedTerm, ["related"], {pk: {"related": related} for pk, related in groups.items()})


def published_values(
    draft: Draft, *, now, by, render: Renderer = render_markdown, glossary: Glossary | None = None
) -> tuple[dict, set[int]]:
    """The published layer's row for a term, its markdown rendered and cross-linked once; and the ids it links to.

    `glossary` defaults to the published names the term's text could mention.
    """
    term = draft.term
    unlinked = rendered_sections(draft, render)
    values = {
        "term_id": term.pk,
        "slug": term.slug,
        "name": term.name,
        "qualifier": term.qualifier,
        "title": term.title,
        "sentence_name": term.name_in_sentence,
        "short_definition": term.short_definition,
        "pronunciation": term.pronunciation,
        "aliases": term.shown_aliases,
        "labels": [label.as_dict() for label in term.labels],
        "unlinked": unlinked,
        "markdown": draft.markdown(),
        "examples": [{"title": e.title, "html": ""} for e in draft.examples],
        "misconceptions": [{"claim": m.claim, "html": ""} for m in draft.misconceptions],
        "tags": [{"name": tag.name, "slug": tag.slug} for tag in draft.tags],
        # Homonyms file under their name, told apart by their qualifiers.
        "sort_name": term.title.casefold(),
        "letter": initial_letter(term.name),
        "published_at": now,
        "published_by": by,
        **deprecation_values(draft, now=now),
    }
    if glossary is None:
        glossary = published_glossary(unlinked.values(), own=(term.pk, [term.name, *term.alias_list]))
    mentions = apply_links(values, glossary)
    return values, mentions


def rendered_sections(draft: Draft, render: Renderer = render_markdown) -> dict[str, str]:
    """Each markdown section as sanitised HTML, by the prefix that keeps its ids apart from the others'."""
    term = draft.term
    sections = {key: render(getattr(term, key), prefix=f"{key}-") for key in SECTIONS}
    for number, example in enumerate(draft.examples, start=1):
        sections[f"example-{number}"] = render(example.body, prefix=f"example-{number}-")
    for number, misconception in enumerate(draft.misconceptions, start=1):
        sections[f"misconception-{number}"] = render(misconception.correction, prefix=f"misconception-{number}-")
    return sections


def revision(
    draft: Draft,
    *,
    number: int,
    now,
    by,
    message: str,
    action: str,
    edit_version: int | None,
    public_note: str = "",
    minor: bool = False,
) -> Revision:
    return Revision(
        public_note=public_note,
        minor=minor,
        term_id=draft.term.pk,
        number=number,
        term_name=draft.term.name,
        action=action,
        message=message,
        snapshot=snapshot(draft),
        edit_version=edit_version,
        created_at=now,
        created_by=by,
    )


def unpublish(term: Term, *, by: AbstractBaseUser | None, message: str = "") -> bool:
    """Take the term off every public page at once. Return False if it was not published."""
    with transaction.atomic():
        saved = Term.objects.select_for_update().get(pk=term.pk)
        neighbours = related_ids([saved.pk])
        showing = also_read.listing([saved.pk])
        linking_here = set(PublishedMention.objects.filter(target_id=saved.pk).values_list("source_id", flat=True))
        linked_from_here = set(PublishedMention.objects.filter(source_id=saved.pk).values_list("target_id", flat=True))
        below = paths.below([saved.pk]) - {saved.pk}
        # Names it shared were left unlinked as ambiguous: the pages that mention them may link the other term now.
        live_names = PublishedTerm.objects.filter(pk=saved.pk).values_list("name", "aliases").first()
        shared = names_also_of_others(saved.pk, [live_names[0], *live_names[1]]) if live_names else []
        linking_here |= search_index().mentioning(shared) if shared else set()
        deleted, _ = PublishedTerm.objects.filter(term=saved).delete()
        if not deleted:
            return False
        refresh_mentioned_in(linked_from_here)
        paths.refresh_paths(below)
        # Its aliases are free for other terms to claim; its former addresses would lead nowhere.
        PublishedRedirect.objects.filter(term_id=saved.pk).delete()
        refresh_related(neighbours)
        also_read.refresh(neighbours | showing)
        relink(linking_here - {saved.pk})
        refresh_successors([saved.pk])
        unindex_terms([saved.pk])
        Term.objects.filter(pk=saved.pk).update(status=Term.Status.DRAFT)
        now = timezone.now()
        Revision.objects.create(
            term=saved,
            number=next_revision_number(saved.pk),
            term_name=saved.name,
            action=Revision.Action.UNPUBLISH,
            message=message,
            snapshot={},
            created_at=now,
            created_by=by,
        )
        SiteState.bump(now)
    term.status = Term.Status.DRAFT
    logger.info("Unpublished %s (%s) by %s", saved.name, saved.slug, by or "the system")
    return True


def delete_term(term: Term, *, by: AbstractBaseUser | None) -> None:
    """Delete a term from the workspace, taking it off the site first if it is published.

    Its content, parts, tags and the relations other terms had to it are kept in a
    revision, from which the admin can recover it.
    """
    with transaction.atomic():
        unpublish(term, by=by, message="Deleted")
        saved = Term.objects.select_for_update().get(pk=term.pk)
        Revision.objects.create(
            term_id=saved.pk,
            number=next_revision_number(saved.pk),
            term_name=saved.name,
            action=Revision.Action.DELETE,
            snapshot=deletion_snapshot(saved),
            edit_version=saved.edit_version,
            created_at=timezone.now(),
            created_by=by,
        )
        PublishedRedirect.objects.filter(term_id=saved.pk).delete()
        unindex_working_copies([saved.pk])
        saved.delete()
    logger.info("Deleted %s (%s) by %s", term.name, term.slug, by or "the system")


def validate_for_publishing(draft: Draft, *, with_database_checks: bool = True) -> None:
    """Raise ValidationError if the term or any of its parts breaks a rule."""
    term = draft.term
    checks = {"validate_unique": with_database_checks, "validate_constraints": with_database_checks}
    # Without database checks, foreign keys are left to the database's own constraints too:
    # checking each one is a query per key.
    term.full_clean(exclude=None if with_database_checks else {"created_by", "updated_by"}, **checks)
    if errors := deprecation_errors(term, draft.replaced_by):
        raise ValidationError(errors)
    child_exclude = None if with_database_checks else {"term", "from_term", "to_term"}
    for child in [*draft.examples, *draft.misconceptions, *draft.relations]:
        try:
            child.full_clean(exclude=child_exclude, **checks)
        except ValidationError as error:
            raise ValidationError(
                f"{type(child)._meta.verbose_name.capitalize()} “{child}”: {error.messages[0]}"
            ) from error
    if not with_database_checks:
        return
    clash = PublishedTerm.objects.filter(slug=term.slug).exclude(term=term).first()
    if clash is not None:
        raise ValidationError(
            f"The address /terms/{term.slug}/ is still used by the published term “{clash.name}”. "
            "Change this term's slug, or republish that term under its new slug first."
        )
    refuse_taken_aliases([draft])
