"""Tags on terms: names compared as identity keys, slugs that keep "C++" and "C#" apart."""

import hashlib

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from taggit.models import TagBase, TaggedItemBase

from .names import KeyedName, slug_lower_case

TAG_NAME_MAX_LENGTH = 50

# Characters that slugify would drop but that tell tags apart ("C++" vs "C#").
TAG_SLUG_WORDS = {"+": " plus ", "#": " sharp ", "&": " and ", "@": " at ", ".": " dot "}


class Tag(TagBase, KeyedName):  # noqa: DJ008 (TagBase names it)
    """A tag on terms; names compare as `identity_key`s, and every tag gets a distinct, non-empty, lower-case slug."""

    class Meta:
        verbose_name = "tag"
        verbose_name_plural = "tags"
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                fields=("name_key",),
                name="tag_unique_name_key",
                violation_error_code="unique",
                violation_error_message=(
                    "A tag with this name already exists (tags ignore case). "
                    "Character width and invisible characters do not count either."
                ),
            ),
            slug_lower_case("tag"),
            models.CheckConstraint(
                condition=Q(name__length__lte=TAG_NAME_MAX_LENGTH),
                name="tag_name_max_length",
                violation_error_message=f"A tag must be at most {TAG_NAME_MAX_LENGTH} characters.",
            ),
        )

    def get_absolute_url(self):
        return reverse("terms:tag-detail", args=[self.slug])

    def slugify(self, tag, i=None):
        """Slug that keeps "C++" and "C#" apart and is never empty."""
        spelled = "".join(TAG_SLUG_WORDS.get(char, char) for char in tag)
        slug = slugify(spelled, allow_unicode=True)
        if not slug:
            digest = hashlib.sha1(tag.casefold().encode()).hexdigest()[:8]
            slug = f"tag-{digest}"
        if i is not None:
            slug += f"-{i}"
        return slug


class TaggedTermQuerySet(models.QuerySet):
    def get_by_natural_key(self, term_slug, tag_name):
        return self.get(content_object__slug=term_slug, tag__name=tag_name)


class TaggedTerm(TaggedItemBase):
    """The link between a term and one of its tags."""

    content_object = models.ForeignKey("Term", on_delete=models.CASCADE, related_name="tagged_items")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_terms")

    objects = TaggedTermQuerySet.as_manager()

    class Meta:
        verbose_name = "tagged term"
        constraints = (models.UniqueConstraint(fields=("content_object", "tag"), name="taggedterm_unique_tag"),)

    def natural_key(self):
        return (self.content_object.slug, self.tag.name)

    natural_key.dependencies = ["terms.term", "terms.tag"]
