"""Every model, exported so Django finds them. Reader-facing code imports `terms.models.published` only."""

from .changesets import ChangeSet, ChangeSetTerm
from .editorial import Term
from .history import ReviewNote, Revision
from .media import Image
from .parts import Example, Misconception
from .published import (
    PublishedAlsoRead,
    PublishedChange,
    PublishedImage,
    PublishedKeyword,
    PublishedMention,
    PublishedName,
    PublishedRedirect,
    PublishedRelation,
    PublishedTagRedirect,
    PublishedTerm,
    PublishedTermTag,
    SiteState,
)
from .relations import Relation
from .tags import Tag, TaggedTerm
from .workspace import EditorPreferences, Notification, ScheduledPublication, TagChange

__all__ = [
    "ChangeSet",
    "ChangeSetTerm",
    "EditorPreferences",
    "Image",
    "Notification",
    "ScheduledPublication",
    "TagChange",
    "Example",
    "Misconception",
    "PublishedAlsoRead",
    "PublishedChange",
    "PublishedImage",
    "PublishedKeyword",
    "PublishedMention",
    "PublishedName",
    "PublishedRedirect",
    "PublishedRelation",
    "PublishedTagRedirect",
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
