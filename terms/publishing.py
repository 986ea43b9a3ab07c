"""Publish and unpublish: the only writers of the published layer.

Editors change the editorial workspace as often as they like; readers see a
term only as it was when someone with the publish permission published it.
"""

import logging
import unicodedata

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models.editorial import Term
from .models.published import PublishedRelation, PublishedTerm, PublishedTermTag, Revision
from .rendering import render_markdown

logger = logging.getLogger(__name__)


def publish(term: Term, *, by: AbstractBaseUser | None, message: str = "") -> PublishedTerm:
    """Make the term's saved working copy what readers see, and record a revision.

    Raises ValidationError, changing nothing, if the saved term is not valid.
    """
    with transaction.atomic():
        saved = Term.objects.select_for_update().get(pk=term.pk)
        examples = list(saved.examples.all())
        misconceptions = list(saved.misconceptions.all())
        relations = list(saved.relations.select_related("to_term"))
        tags = sorted(saved.tags.all(), key=lambda tag: tag.name.casefold())
        validate_for_publishing(saved, [*examples, *misconceptions, *relations])

        now = timezone.now()
        values = {
            "slug": saved.slug,
            "name": saved.name,
            "sentence_name": saved.name_in_sentence,
            "short_definition": saved.short_definition,
            "pronunciation": saved.pronunciation,
            "aliases": saved.alias_list,
            "explanation_html": render_markdown(saved.explanation),
            "analogy_html": render_markdown(saved.analogy),
            "usage_html": render_markdown(saved.usage),
            "history_html": render_markdown(saved.history),
            "examples": [{"title": e.title, "html": render_markdown(e.body)} for e in examples],
            "misconceptions": [{"claim": m.claim, "html": render_markdown(m.correction)} for m in misconceptions],
            "tags": [{"name": tag.name, "slug": tag.slug} for tag in tags],
            "sort_name": saved.name.casefold(),
            "letter": initial_letter(saved.name),
            "published_at": now,
            "published_by": by,
        }
        published, _ = PublishedTerm.objects.update_or_create(
            term=saved, defaults=values, create_defaults={**values, "first_published_at": now}
        )
        published.tag_rows.all().delete()
        PublishedTermTag.objects.bulk_create(
            PublishedTermTag(term=published, name=tag.name, slug=tag.slug) for tag in tags
        )
        published.outgoing_relations.all().delete()
        PublishedRelation.objects.bulk_create(
            PublishedRelation(source=published, target_id=r.to_term_id, kind=r.kind, position=r.position)
            for r in relations
        )
        Term.objects.filter(pk=saved.pk).update(status=Term.Status.PUBLISHED)
        Revision.objects.create(
            term=saved,
            term_name=saved.name,
            action=Revision.Action.PUBLISH,
            message=message,
            snapshot=snapshot(saved, examples, misconceptions, relations, tags),
            created_at=now,
            created_by=by,
        )
    term.status = Term.Status.PUBLISHED
    logger.info("Published %s (%s) by %s", saved.name, saved.slug, by or "the system")
    return published


def unpublish(term: Term, *, by: AbstractBaseUser | None, message: str = "") -> bool:
    """Take the term off every public page at once. Return False if it was not published."""
    with transaction.atomic():
        saved = Term.objects.select_for_update().get(pk=term.pk)
        deleted, _ = PublishedTerm.objects.filter(term=saved).delete()
        if not deleted:
            return False
        Term.objects.filter(pk=saved.pk).update(status=Term.Status.DRAFT)
        Revision.objects.create(
            term=saved,
            term_name=saved.name,
            action=Revision.Action.UNPUBLISH,
            message=message,
            snapshot={},
            created_at=timezone.now(),
            created_by=by,
        )
    term.status = Term.Status.DRAFT
    logger.info("Unpublished %s (%s) by %s", saved.name, saved.slug, by or "the system")
    return True


def validate_for_publishing(term: Term, children: list) -> None:
    """Raise ValidationError if the term or any of its parts breaks a rule."""
    term.full_clean()
    for child in children:
        try:
            child.full_clean()
        except ValidationError as error:
            raise ValidationError(
                f"{type(child)._meta.verbose_name.capitalize()} “{child}”: {error.messages[0]}"
            ) from error
    clash = PublishedTerm.objects.filter(slug=term.slug).exclude(term=term).first()
    if clash is not None:
        raise ValidationError(
            f"The address /terms/{term.slug}/ is still used by the published term “{clash.name}”. "
            "Change this term's slug, or republish that term under its new slug first."
        )


def snapshot(term: Term, examples, misconceptions, relations, tags) -> dict:
    """The term's editorial content as plain data, kept with each revision."""
    fields = ("name", "slug", "sentence_name", "short_definition", "pronunciation", "aliases")
    fields += ("explanation", "analogy", "usage", "history")
    return {
        **{field: getattr(term, field) for field in fields},
        "examples": [{"position": e.position, "title": e.title, "body": e.body} for e in examples],
        "misconceptions": [
            {"position": m.position, "claim": m.claim, "correction": m.correction} for m in misconceptions
        ],
        "relations": [{"to": r.to_term.slug, "kind": r.kind, "position": r.position} for r in relations],
        "tags": [tag.name for tag in tags],
    }


def initial_letter(name: str) -> str:
    """The A–Z index letter a name files under; "#" for digits and other scripts."""
    first = unicodedata.normalize("NFKD", name.strip()[:1]).upper()[:1]
    return first if "A" <= first <= "Z" else "#"
