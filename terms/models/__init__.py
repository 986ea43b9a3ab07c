"""Every model, exported so Django finds them. Reader-facing code imports `terms.models.published` only."""

from .editorial import Relation, Term
from .history import ReviewNote, Revision
from .parts import Example, Misconception
from .published import (
    PublishedAlsoRead,
    PublishedMention,
    PublishedName,
    PublishedRedirect,
    PublishedRelation,
    PublishedTerm,
    PublishedTermTag,
    SiteState,
)
from .tags import Tag, TaggedTerm

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
