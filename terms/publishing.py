"""Publish and unpublish: the only writers of the published layer.

Editors change the editorial workspace as often as they like; readers see a
term only as it was when someone with the publish permission published it.
"""

import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models.editorial import Example, Misconception, Relation, Tag, Term
from .models.published import PublishedRelation, PublishedTerm, PublishedTermTag, Revision, SiteState
from .rendering import render_markdown
from .search import index_terms, unindex_terms

logger = logging.getLogger(__name__)


@dataclass
class Draft:
    """A term's saved working copy with all its parts: what a publish snapshots."""

    term: Term
    examples: list[Example]
    misconceptions: list[Misconception]
    relations: list[Relation]
    tags: list[Tag]

    @classmethod
    def load(cls, term: Term) -> "Draft":
        return cls(
            term=term,
            examples=list(term.examples.all()),
            misconceptions=list(term.misconceptions.all()),
            relations=list(term.relations.all()),
            tags=sorted(term.tags.all(), key=lambda tag: tag.name.casefold()),
        )


def publish(term: Term, *, by: AbstractBaseUser | None, message: str = "") -> PublishedTerm:
    """Make the term's saved working copy what readers see, and record a revision.

    Raises ValidationError, changing nothing, if the saved term is not valid.
    """
    with transaction.atomic():
        draft = Draft.load(Term.objects.select_for_update().get(pk=term.pk))
        validate_for_publishing(draft)
        now = timezone.now()
        values = published_values(draft, now=now, by=by)
        published, _ = PublishedTerm.objects.update_or_create(
            term=draft.term, defaults=values, create_defaults={**values, "first_published_at": now}
        )
        published.tag_rows.all().delete()
        PublishedTermTag.objects.bulk_create(tag_rows(draft))
        published.outgoing_relations.all().delete()
        PublishedRelation.objects.bulk_create(relation_rows(draft))
        index_terms([published])
        Term.objects.filter(pk=draft.term.pk).update(status=Term.Status.PUBLISHED)
        revision(draft, now=now, by=by, message=message).save()
        SiteState.bump(now)
    term.status = Term.Status.PUBLISHED
    logger.info("Published %s (%s) by %s", draft.term.name, draft.term.slug, by or "the system")
    return published


def publish_new_in_bulk(
    drafts: list[Draft],
    *,
    by: AbstractBaseUser | None,
    message: str = "",
    render: Callable[[str], str] = render_markdown,
) -> int:
    """Publish many never-published terms at once, with rows identical to `publish`'s.

    For imports and generated data. Each term and part is validated field by field;
    uniqueness is left to the database's constraints, which refuse the whole batch.
    `render` may serve markdown rendered ahead of time (in other processes, say),
    as long as it returns exactly what `render_markdown` would.
    """
    with transaction.atomic():
        now = timezone.now()
        for draft in drafts:
            validate_for_publishing(draft, with_database_checks=False)
        published = PublishedTerm.objects.bulk_create(
            PublishedTerm(**published_values(draft, now=now, by=by, render=render), first_published_at=now)
            for draft in drafts
        )
        index_terms(published)
        PublishedTermTag.objects.bulk_create(row for draft in drafts for row in tag_rows(draft))
        PublishedRelation.objects.bulk_create(row for draft in drafts for row in relation_rows(draft))
        Term.objects.filter(pk__in=[draft.term.pk for draft in drafts]).update(status=Term.Status.PUBLISHED)
        Revision.objects.bulk_create(revision(draft, now=now, by=by, message=message) for draft in drafts)
        SiteState.bump(now)
    for draft in drafts:
        draft.term.status = Term.Status.PUBLISHED
    return len(drafts)


def published_values(draft: Draft, *, now, by, render: Callable[[str], str] = render_markdown) -> dict:
    """The published layer's row for a term: its fields with markdown rendered once."""
    term = draft.term
    return {
        "term_id": term.pk,
        "slug": term.slug,
        "name": term.name,
        "sentence_name": term.name_in_sentence,
        "short_definition": term.short_definition,
        "pronunciation": term.pronunciation,
        "aliases": term.alias_list,
        "explanation_html": render(term.explanation),
        "analogy_html": render(term.analogy),
        "usage_html": render(term.usage),
        "history_html": render(term.history),
        "examples": [{"title": e.title, "html": render(e.body)} for e in draft.examples],
        "misconceptions": [{"claim": m.claim, "html": render(m.correction)} for m in draft.misconceptions],
        "tags": [{"name": tag.name, "slug": tag.slug} for tag in draft.tags],
        "sort_name": term.name.casefold(),
        "letter": initial_letter(term.name),
        "published_at": now,
        "published_by": by,
    }


def tag_rows(draft: Draft) -> list[PublishedTermTag]:
    sort_name = draft.term.name.casefold()
    return [
        PublishedTermTag(term_id=draft.term.pk, name=tag.name, slug=tag.slug, sort_name=sort_name) for tag in draft.tags
    ]


def relation_rows(draft: Draft) -> list[PublishedRelation]:
    return [
        PublishedRelation(source_id=draft.term.pk, target_id=r.to_term_id, kind=r.kind, position=r.position)
        for r in draft.relations
    ]


def revision(draft: Draft, *, now, by, message: str) -> Revision:
    return Revision(
        term=draft.term,
        term_name=draft.term.name,
        action=Revision.Action.PUBLISH,
        message=message,
        snapshot=snapshot(draft),
        created_at=now,
        created_by=by,
    )


def unpublish(term: Term, *, by: AbstractBaseUser | None, message: str = "") -> bool:
    """Take the term off every public page at once. Return False if it was not published."""
    with transaction.atomic():
        saved = Term.objects.select_for_update().get(pk=term.pk)
        deleted, _ = PublishedTerm.objects.filter(term=saved).delete()
        if not deleted:
            return False
        unindex_terms([saved.pk])
        Term.objects.filter(pk=saved.pk).update(status=Term.Status.DRAFT)
        now = timezone.now()
        Revision.objects.create(
            term=saved,
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
    """Delete a term from the workspace, taking it off the site first if it is published."""
    with transaction.atomic():
        unpublish(term, by=by, message="Deleted")
        term.delete()
    logger.info("Deleted %s (%s) by %s", term.name, term.slug, by or "the system")


def validate_for_publishing(draft: Draft, *, with_database_checks: bool = True) -> None:
    """Raise ValidationError if the term or any of its parts breaks a rule."""
    term = draft.term
    checks = {"validate_unique": with_database_checks, "validate_constraints": with_database_checks}
    # Without database checks, foreign keys are left to the database's own constraints too:
    # checking each one is a query per key.
    term.full_clean(exclude=None if with_database_checks else {"created_by", "updated_by"}, **checks)
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


def snapshot(draft: Draft) -> dict:
    """The term's editorial content as plain data, kept with each revision."""
    term = draft.term
    fields = ("name", "slug", "sentence_name", "short_definition", "pronunciation", "aliases")
    fields += ("explanation", "analogy", "usage", "history")
    return {
        **{field: getattr(term, field) for field in fields},
        "examples": [{"position": e.position, "title": e.title, "body": e.body} for e in draft.examples],
        "misconceptions": [
            {"position": m.position, "claim": m.claim, "correction": m.correction} for m in draft.misconceptions
        ],
        "relations": [{"to": r.to_term_id, "kind": r.kind, "position": r.position} for r in draft.relations],
        "tags": [tag.name for tag in draft.tags],
    }


def initial_letter(name: str) -> str:
    """The A–Z index letter a name files under; "#" for digits and other scripts."""
    first = unicodedata.normalize("NFKD", name.strip()[:1]).upper()[:1]
    return first if "A" <= first <= "Z" else "#"
