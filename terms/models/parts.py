"""The parts of a term's page that editors add one by one: worked examples and misconceptions."""

from django.db import models
from markdownx.models import MarkdownxField

from ..rendering import MAX_MARKDOWN_LENGTH
from .names import markdown_length_constraints


class ChildQuerySet(models.QuerySet):
    """Children of a term (examples, misconceptions) are known by term and position."""

    def get_by_natural_key(self, term_slug, position):
        match = self.filter(term__slug=term_slug, position=position).order_by("pk").first()
        if match is None:
            raise self.model.DoesNotExist
        return match


class Example(models.Model):
    """A worked example on a term's page."""

    term = models.ForeignKey("terms.Term", on_delete=models.CASCADE, related_name="examples")
    position = models.PositiveSmallIntegerField(default=1, help_text="Order on the page: 1 comes first.")
    title = models.CharField(max_length=200, blank=True, help_text='Optional, e.g. "A medical assistant".')
    body = MarkdownxField(max_length=MAX_MARKDOWN_LENGTH, help_text="Markdown. A concrete, realistic scenario.")

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ("position", "pk")
        constraints = markdown_length_constraints("example", "body")

    def __str__(self):
        return self.title or f"Example {self.position}"

    def natural_key(self):
        return (self.term.slug, self.position)

    natural_key.dependencies = ["terms.term"]


class Misconception(models.Model):
    """A common wrong belief about a term, with its correction."""

    term = models.ForeignKey("terms.Term", on_delete=models.CASCADE, related_name="misconceptions")
    position = models.PositiveSmallIntegerField(default=1, help_text="Order on the page: 1 comes first.")
    claim = models.CharField(
        max_length=300,
        help_text='The wrong belief as people put it, plain text, e.g. "Fine-tuning teaches a model new facts reliably."',
    )
    correction = MarkdownxField(max_length=MAX_MARKDOWN_LENGTH, help_text="Markdown. What is actually true, and why.")

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ("position", "pk")
        constraints = markdown_length_constraints("misconception", "correction")

    def __str__(self):
        return self.claim

    def natural_key(self):
        return (self.term.slug, self.position)

    natural_key.dependencies = ["terms.term"]
