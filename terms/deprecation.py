"""Deprecating a published term, and undeprecating it: each a change of the working copy published at once.

A reviewer deprecates a live term whose working copy is what readers see: its deprecation fields are
set, saved and published in one step, through `terms.publishing.publish`, as a reviewed change would be.
Editors may also set the fields in the form and submit the change for review like any other.
"""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from .models.editorial import Term
from .models.history import Revision
from .models.published import PublishedTerm
from .publishing import mentioning, publish
from .workflow import deprecation_errors, record_save

logger = logging.getLogger(__name__)
PUBLIC_NOTE_LENGTH = Revision._meta.get_field("public_note").max_length

UNPUBLISHED_CHANGES = (
    "“%(name)s” has unpublished changes: publish them or undo them first, so that this publishes nothing but %(what)s."
)


def deprecate(
    term: Term, *, by: AbstractBaseUser | None, reason: str, replaced_by: list[Term], message: str = ""
) -> PublishedTerm:
    """Tell readers not to use a live term any more, and which terms replace it; published at once.

    Raises ValidationError, changing nothing, if the term is not live, is deprecated already, has
    unpublished changes, or the reason and replacements break a rule (`deprecation_errors`).
    """
    reason = " ".join(reason.split())
    with transaction.atomic():
        saved = editable(term, what="its deprecation")
        if saved.deprecated:
            raise ValidationError(
                f"“{saved.name}” is deprecated already: change its reason or replacements in its form, then publish."
            )
        saved.deprecated, saved.deprecation_reason = True, reason
        if errors := deprecation_errors(saved, replaced_by):
            raise ValidationError(errors)
        # Checked before the save: PostgreSQL would refuse a reason too long with a database error.
        saved.clean_fields(exclude=[field.name for field in Term._meta.fields if field.name != "deprecation_reason"])
        note = Truncator(f"Deprecated: {reason}" if reason else "Deprecated.").chars(PUBLIC_NOTE_LENGTH)
        published = save_and_publish(saved, by=by, message=message or note, public_note=note, replaced_by=replaced_by)
    logger.info("Deprecated %s (%s) by %s", saved.name, saved.slug, by or "the system")
    return published


def undeprecate(term: Term, *, by: AbstractBaseUser | None, message: str = "") -> PublishedTerm:
    """Put a deprecated live term back in lists, suggestions and cross-links; published at once."""
    with transaction.atomic():
        saved = editable(term, what="the end of its deprecation")
        if not saved.deprecated:
            raise ValidationError(f"“{saved.name}” is not deprecated.")
        saved.deprecated, saved.deprecation_reason = False, ""
        note = "No longer deprecated."
        published = save_and_publish(saved, by=by, message=message or note, public_note=note, replaced_by=[])
    logger.info("Undeprecated %s (%s) by %s", saved.name, saved.slug, by or "the system")
    return published


def editable(term: Term, *, what: str) -> Term:
    """The term's row, locked; refused unless readers see it and its working copy is exactly what they see."""
    saved = Term.objects.select_for_update().get(pk=term.pk)
    if not PublishedTerm.objects.filter(pk=saved.pk).exists():
        raise ValidationError(f"“{saved.name}” is not on the site: only a published term can be deprecated.")
    if saved.status != Term.Status.PUBLISHED:
        raise ValidationError(UNPUBLISHED_CHANGES % {"name": saved.name, "what": what})
    return saved


def save_and_publish(
    term: Term, *, by: AbstractBaseUser | None, message: str, public_note: str, replaced_by: list[Term]
) -> PublishedTerm:
    term.updated_by, term.updated_at = by, timezone.now()
    term.save(update_fields=["deprecated", "deprecation_reason", "updated_by", "updated_at"])
    term.replaced_by.set(replaced_by)
    record_save(term, by=by, message=message)
    return publish(term, by=by, message=message, public_note=public_note)


def pages_to_update(term: Term) -> list[tuple[int, str]]:
    """The published pages whose text links to the term or mentions one of its names: (id, title), by title.

    Editors reword them once the term is deprecated: its links are gone, its name may still be there.
    """
    ids = mentioning([term.pk], [term.name, *term.alias_list]) - {term.pk}
    return list(PublishedTerm.objects.filter(pk__in=ids).order_by("sort_name", "slug").values_list("pk", "title"))
