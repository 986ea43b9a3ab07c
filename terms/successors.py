"""The successors a deprecated term's page names: written when it is published, and again when one of them changes.

A successor is shown while it is published and not deprecated itself, by its title. The published row keeps every
successor's id (`deprecation["replaced_by"]`), so that publishing, renaming, deprecating or unpublishing one of
them writes the list again (`refresh_successors`, called by `terms.publishing`).
"""

from . import bulk
from .models.editorial import Term
from .models.published import LISTED, PublishedTerm
from .workflow import Draft


def deprecation_values(draft: Draft, *, now) -> dict:
    """`deprecated_at` and `deprecation` of a term's published row (`go_live` keeps an earlier date)."""
    term = draft.term
    if not term.deprecated:
        return {"deprecated_at": None, "deprecation": {}}
    ids = [other.pk for other in draft.replaced_by]
    return {"deprecated_at": now, "deprecation": deprecation_of(term.deprecation_reason, ids)}


def deprecation_of(reason: str, successor_ids: list[int]) -> dict:
    """What a deprecated term's page says: why, and its successors that readers can be sent to.

    `replaced_by` keeps every successor's id, published or not, so that the list is written again
    when one of them is published, renamed, deprecated or unpublished.
    """
    shown = PublishedTerm.objects.filter(LISTED, pk__in=successor_ids).order_by("sort_name", "slug")
    return {
        "reason": reason,
        "successors": [
            {"slug": slug, "name": title, "short_definition": definition}
            for slug, title, definition in shown.values_list("slug", "title", "short_definition")
        ]
        if successor_ids
        else [],
        "replaced_by": successor_ids,
    }


def refresh_successors(term_ids) -> None:
    """Write again the successors shown by the deprecated pages these terms replace (they changed or went)."""
    replacing = Term.replaced_by.through.objects.filter(to_term_id__in=list(term_ids)).values("from_term_id")
    write_successors(PublishedTerm.objects.filter(pk__in=replacing).exclude(LISTED))


def write_successors(deprecated) -> None:
    """Write again the successors these deprecated published rows show, from the ids they keep."""
    changed = {}
    for pk, deprecation in deprecated.values_list("pk", "deprecation"):
        fresh = deprecation_of(deprecation.get("reason", ""), deprecation.get("replaced_by", []))
        if fresh != deprecation:
            changed[pk] = {"deprecation": fresh}
    bulk.update(PublishedTerm, ["deprecation"], changed)
