"""Curated relations between terms: what editors link, shown on both pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from ..enums import RelationKind
from ..hierarchy import refuse_broader_loop


class RelationQuerySet(models.QuerySet):
    def get_by_natural_key(self, from_slug, to_slug, kind):
        return self.get(from_term__slug=from_slug, to_term__slug=to_slug, kind=kind)


class Relation(models.Model):
    """A curated link from one term to another, shown on both pages."""

    Kind = RelationKind

    from_term = models.ForeignKey("terms.Term", on_delete=models.CASCADE, related_name="relations")
    to_term = models.ForeignKey(
        "terms.Term",
        on_delete=models.CASCADE,
        related_name="incoming_relations",
        verbose_name="term",
        help_text="The other term. Its page shows the link back automatically.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.RELATED,
        help_text='"Broader": the other term is the wider idea (LoRA → Fine-tuning). "Related" works both ways.',
    )
    position = models.PositiveSmallIntegerField(default=1, help_text="Order in the list: 1 comes first.")

    objects = RelationQuerySet.as_manager()

    class Meta:
        ordering = ("position", "pk")
        constraints = (
            models.CheckConstraint(
                condition=~Q(from_term=F("to_term")),
                name="relation_not_self",
                violation_error_message="A term cannot be related to itself.",
            ),
            models.UniqueConstraint(
                fields=("from_term", "to_term", "kind"),
                name="relation_unique_kind",
                violation_error_message="This relation already exists.",
            ),
        )

    def __str__(self):
        return f"{self.from_term} → {self.get_kind_display().lower()} → {self.to_term}"

    def clean(self):
        # The admin's inline form leaves the parent term out of constraint checks.
        if self.from_term_id is not None and self.from_term_id == self.to_term_id:
            raise ValidationError({"to_term": "A term cannot be related to itself."})

    def validate_constraints(self, exclude=None):
        super().validate_constraints(exclude)
        # Like the constraints, the loop check needs the term: the admin's inline leaves it out,
        # and its formset checks all the term's relations together instead.
        if not exclude or not {"from_term", "to_term", "kind"} & set(exclude):
            refuse_broader_loop(self.from_term, [self], others=Relation.objects.exclude(pk=self.pk))

    def natural_key(self):
        return (self.from_term.slug, self.to_term.slug, self.kind)

    natural_key.dependencies = ["terms.term"]
