"""The published layer's rows for one term's tags and relations, and the A–Z letter it files under."""

import unicodedata
from typing import TYPE_CHECKING

from .models.published import PublishedRelation, PublishedTermTag

if TYPE_CHECKING:
    from .workflow import Draft


def tag_rows(draft: "Draft") -> list[PublishedTermTag]:
    term = draft.term
    listed = {
        "sort_name": term.title.casefold(),
        "term_slug": term.slug,
        "term_name": term.title,
        "short_definition": term.short_definition,
        "letter": initial_letter(term.name),
    }
    return [PublishedTermTag(term_id=term.pk, name=tag.name, slug=tag.slug, **listed) for tag in draft.tags]


def relation_rows(draft: "Draft") -> list[PublishedRelation]:
    return [
        PublishedRelation(source_id=draft.term.pk, target_id=r.to_term_id, kind=r.kind, position=r.position)
        for r in draft.relations
    ]


def initial_letter(name: str) -> str:
    """The A–Z index letter a name files under; "#" for digits and other scripts."""
    first = unicodedata.normalize("NFKD", name.strip()[:1]).upper()[:1]
    return first if "A" <= first <= "Z" else "#"
