"""The editorial workspace: what editors edit in the admin.

Nothing here is shown to readers directly. `terms.publishing` copies a term into
the published layer (`terms.models.published`) when a reviewer publishes it.
"""

import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from ..rendering import MAX_MARKDOWN_LENGTH
from .published import RelationKind

SHORT_DEFINITION_MAX_LENGTH = 300
TAG_NAME_MAX_LENGTH = 50

# Characters that slugify would drop but that tell tags apart ("C++" vs "C#").
TAG_SLUG_WORDS = {"+": " plus ", "#": " sharp ", "&": " and ", "@": " at ", ".": " dot "}


# Check constraints below spell "at most N characters" as `field__length__lte`.
models.CharField.register_lookup(Length, "length")
models.TextField.register_lookup(Length, "length")


def markdown_length_constraints(model: str, *fields: str) -> tuple[models.CheckConstraint, ...]:
    """The database's own guard on markdown fields' length: an import cannot store what the form refuses."""
    return tuple(
        models.CheckConstraint(
            condition=Q(**{f"{field}__length__lte": MAX_MARKDOWN_LENGTH}),
            name=f"{model}_{field}_max_length",
            violation_error_message=f"Markdown fields hold at most {MAX_MARKDOWN_LENGTH:,} characters.",
        )
        for field in fields
    )


class Tag(TagBase):
    """A tag on terms; case-insensitive, and every tag gets a distinct, non-empty slug."""

    class Meta:
        verbose_name = "tag"
        verbose_name_plural = "tags"
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                Lower("name"),
                name="tag_unique_name_ci",
                violation_error_message="A tag with this name already exists (tags ignore case).",
            ),
            models.CheckConstraint(
                condition=Q(name__length__lte=TAG_NAME_MAX_LENGTH),
                name="tag_name_max_length",
                violation_error_message=f"A tag must be at most {TAG_NAME_MAX_LENGTH} characters.",
            ),
        )

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

    def get_absolute_url(self):
        return reverse("terms:tag-detail", args=[self.slug])


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


class TermQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def for_changelist(self):
        """Everything the admin's term list shows, without per-row queries or the long texts."""
        return (
            self.select_related("updated_by")
            .prefetch_related("tags")
            .defer("explanation", "analogy", "usage", "history", "aliases")
        )


class Term(models.Model):
    """A glossary entry as editors write it."""

    class Status(models.TextChoices):
        """Where the working copy stands; the live page, if any, is `published` (see `is_live`)."""

        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        PUBLISHED = "published", "Published"

    name = models.CharField(
        max_length=100,
        help_text='The term as readers know it, e.g. "Fine-tuning" or "LLM". Unique, ignoring case.',
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text='The address of the page, /terms/fine-tuning/ for "fine-tuning": lower case, digits and hyphens.',
    )
    sentence_name = models.CharField(
        "name in a sentence",
        max_length=120,
        blank=True,
        help_text=(
            'How the name reads mid-sentence, with its article: "an LLM", "a prompt", "BERT". '
            'Used in "What is …?" and "How is … used?". Leave blank to use the name in lower case '
            '("Fine-tuning" becomes "fine-tuning").'
        ),
    )
    short_definition = models.CharField(
        "one-line definition",
        max_length=SHORT_DEFINITION_MAX_LENGTH,
        help_text=(
            "One sentence, plain text, at most 300 characters; shown under the heading, "
            'in lists and in "Related terms".'
        ),
    )
    pronunciation = models.CharField(
        max_length=100,
        blank=True,
        help_text='IPA as typed, between slashes, e.g. "/faɪn ˈtjuːnɪŋ/". Optional.',
    )
    aliases = models.TextField(
        blank=True,
        help_text='Other names, one per line: abbreviations, synonyms, spellings, e.g. "Large language model". Optional.',
    )
    explanation = MarkdownxField(
        "explained in plain English",
        blank=True,
        max_length=MAX_MARKDOWN_LENGTH,
        help_text="Markdown. The heart of the page: what it is, in two or three short paragraphs.",
    )
    analogy = MarkdownxField(
        blank=True,
        max_length=MAX_MARKDOWN_LENGTH,
        help_text='Markdown. One everyday comparison, e.g. "like hiring an experienced chef…".',
    )
    usage = MarkdownxField(
        "how it is used",
        blank=True,
        max_length=MAX_MARKDOWN_LENGTH,
        help_text='Markdown. Shown under "How is … used?": who uses it, for what.',
    )
    history = MarkdownxField(
        blank=True,
        max_length=MAX_MARKDOWN_LENGTH,
        help_text="Markdown. Where it came from, with dates and names.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    # Counts the saves of the working copy: a save from a form opened at an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    tags = TaggableManager(
        through=TaggedTerm,
        blank=True,
        help_text='Comma-separated, e.g. "Training, Large language models". At most 50 characters each.',
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = (Lower("name"),)
        permissions = (("publish_term", "Can publish, unpublish and roll back terms, and request changes"),)
        constraints = (
            models.UniqueConstraint(
                Lower("name"),
                name="term_unique_name_ci",
                violation_error_message="A term with this name already exists.",
            ),
            models.CheckConstraint(
                condition=Q(short_definition__length__lte=SHORT_DEFINITION_MAX_LENGTH),
                name="term_short_definition_max_length",
                violation_error_message="The one-line definition must be at most 300 characters.",
            ),
            models.CheckConstraint(
                condition=~Q(short_definition=""),
                name="term_short_definition_not_empty",
                violation_error_message="Every term needs a one-line definition.",
            ),
            *markdown_length_constraints("term", "explanation", "analogy", "usage", "history"),
        )

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("terms:detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @property
    def is_live(self) -> bool:
        """Whether readers can see a version of this term (perhaps an older one than this working copy)."""
        from .published import PublishedTerm

        return PublishedTerm.objects.filter(pk=self.pk).exists() if self.pk else False

    @property
    def state_label(self) -> str:
        """The state as editors read it: "Published, with unpublished changes (in review)"."""
        return state_label(self.status, self.is_live)

    @property
    def alias_list(self) -> list[str]:
        """The aliases, one per line, without blanks or repeats."""
        seen, result = set(), []
        for line in self.aliases.splitlines():
            alias = " ".join(line.split())
            if alias and alias.casefold() not in seen:
                seen.add(alias.casefold())
                result.append(alias)
        return result

    @property
    def name_in_sentence(self) -> str:
        """The name as it reads mid-sentence: "an LLM", "fine-tuning"."""
        return self.sentence_name.strip() or lower_common_words(self.name)


def state_label(status: str, live: bool) -> str:
    """How the admin names a working copy's state, given whether a version of it is live."""
    if status == Term.Status.PUBLISHED:
        return "Published"
    label = Term.Status(status).label
    if not live:
        return label
    if status == Term.Status.DRAFT:
        return "Published, with unpublished changes"
    return f"Published, with unpublished changes ({label.lower()})"


def lower_common_words(name: str) -> str:
    """Lower-case capitalised words, keep acronyms: "Chain-of-Thought Prompting" -> "chain-of-thought prompting"."""
    return re.sub(r"\b([A-Z])([a-z]+)\b", lambda m: m.group(0).lower(), name)


class ChildQuerySet(models.QuerySet):
    """Children of a term (examples, misconceptions) are known by term and position."""

    def get_by_natural_key(self, term_slug, position):
        match = self.filter(term__slug=term_slug, position=position).order_by("pk").first()
        if match is None:
            raise self.model.DoesNotExist
        return match


class Example(models.Model):
    """A worked example on a term's page."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="examples")
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

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="misconceptions")
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


class RelationQuerySet(models.QuerySet):
    def get_by_natural_key(self, from_slug, to_slug, kind):
        return self.get(from_term__slug=from_slug, to_term__slug=to_slug, kind=kind)


class Relation(models.Model):
    """A curated link from one term to another, shown on both pages."""

    Kind = RelationKind

    from_term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="relations")
    to_term = models.ForeignKey(
        Term,
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

    def natural_key(self):
        return (self.from_term.slug, self.to_term.slug, self.kind)

    natural_key.dependencies = ["terms.term"]


class ReviewNote(models.Model):
    """A step of the review of a term: submitted, or sent back with the reviewer's comment."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        PUBLISHED = "published", "Published"

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="review_notes")
    action = models.CharField(max_length=20, choices=Action.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return f"{self.get_action_display()}: {self.term}"
