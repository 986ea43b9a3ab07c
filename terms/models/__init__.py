"""Both layers, exported so Django finds them. Reader-facing code imports `terms.models.published`."""

from .editorial import Example, Misconception, Relation, ReviewNote, Tag, TaggedTerm, Term
from .published import (
    PublishedAlsoRead,
    PublishedMention,
    PublishedName,
    PublishedRedirect,
    PublishedRelation,
    PublishedTerm,
    PublishedTermTag,
    Revision,
    SiteState,
)

__all__ = [
    "Example",
    "Misconception",
    "PublishedAlsoRead",
    "PublishedMention",
    "PublishedName",
    "PublishedRedirect",
    "PublishedRelation",
    "PublishedTerm",
    "PublishedTermTag",
    "Relation",
    "Revision",
    "ReviewNote",
    "SiteState",
    "Tag",
    "TaggedTerm",
    "Term",
]
