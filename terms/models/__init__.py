"""Both layers, exported so Django finds them. Reader-facing code imports `terms.models.published`."""

from .editorial import Example, Misconception, Relation, Tag, TaggedTerm, Term
from .published import PublishedRelation, PublishedTerm, PublishedTermTag, Revision, SiteState

__all__ = [
    "Example",
    "Misconception",
    "PublishedRelation",
    "PublishedTerm",
    "PublishedTermTag",
    "Relation",
    "Revision",
    "SiteState",
    "Tag",
    "TaggedTerm",
    "Term",
]
