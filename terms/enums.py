"""Choices both layers share: how one term relates to another, and what kind of other name an alias is."""

from django.db import models


class RelationKind(models.TextChoices):
    RELATED = "related", "Related"
    BROADER = "broader", "Broader"
    NARROWER = "narrower", "Narrower"
    CONTRAST = "contrast", "Not to be confused with"


# How a relation reads from the other end: if B is broader than A, A is narrower than B.
INVERSE_KIND = {
    RelationKind.RELATED: RelationKind.RELATED,
    RelationKind.BROADER: RelationKind.NARROWER,
    RelationKind.NARROWER: RelationKind.BROADER,
    RelationKind.CONTRAST: RelationKind.CONTRAST,
}
# The order of the groups under "Related terms".
KIND_ORDER = (RelationKind.BROADER, RelationKind.NARROWER, RelationKind.RELATED, RelationKind.CONTRAST)


class LabelKind(models.TextChoices):
    """What kind of other name an alias is. Hidden labels are never shown or linked; search finds them."""

    ABBREVIATION = "abbreviation", "Abbreviation"
    SYNONYM = "synonym", "Synonym"
    SPELLING = "spelling", "Spelling variant"
    FORMER = "former", "Former name"
    HIDDEN = "hidden", "Hidden (misspelling or search-only word)"


# The kinds readers see on a page and that cross-links look for.
SHOWN_LABEL_KINDS = (LabelKind.ABBREVIATION, LabelKind.SYNONYM, LabelKind.SPELLING, LabelKind.FORMER)


class ChangeKind(models.TextChoices):
    """What a public change note says happened to a term (`/changes/`)."""

    NEW = "new", "New"
    UPDATED = "updated", "Updated"
    DEPRECATED = "deprecated", "Deprecated"
