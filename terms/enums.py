"""Choices both layers share: how one term relates to another."""

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
