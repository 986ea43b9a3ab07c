"""The editorial workspace: what editors edit in the admin.

Nothing here is shown to readers directly. `terms.publishing` copies a term into
the published layer (`terms.models.published`) when a reviewer publishes it.
"""

import functools
import operator
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager

from ..identity import identity_key, normalise_name
from ..labels import Label, label_errors, parse_labels
from ..rendering import MAX_MARKDOWN_LENGTH
from ..tagging import KeyedTags
from .names import (
    AliasKeysField,
    KeyedName,
    homonym_clash,
    keyed_lines,
    markdown_length_constraints,
    normalise_name_on_save,
    slug_lower_case,
)
from .tags import Tag, TaggedTerm

# Addresses under /terms/ that are the site's own pages, not terms' (the hierarchy is /terms/tree/).
RESERVED_SLUGS = frozenset({"tree"})

SHORT_DEFINITION_MAX_LENGTH = 300
# Reviewers hold it: publish, unpublish, roll back, request changes. The codename is in Term's Meta,
# the full name is what `user.has_perm` asks for.
PUBLISH_CODENAME = "publish_term"
PUBLISH_PERMISSION = f"terms.{PUBLISH_CODENAME}"


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


class Term(KeyedName):
    """A glossary entry as editors write it."""

    class Status(models.TextChoices):
        """Where the working copy stands; the live page, if any, is `published` (see `is_live`)."""

        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        PUBLISHED = "published", "Published"

    name = models.CharField(
        max_length=100,
        help_text=(
            'The term as readers know it, e.g. "Fine-tuning" or "LLM". Unique, ignoring letter case, '
            "width and invisible characters."
        ),
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
    alias_keys = AliasKeysField(help_text="The aliases compared as names are; set from the aliases.")
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
    qualifier = models.CharField(
        max_length=100,
        blank=True,
        help_text=(
            'Tells apart terms that share a name: "machine learning" makes "Attention (machine learning)". '
            "Two terms may share a name only when each has a qualifier; the shared address then lists both."
        ),
    )
    deprecated = models.BooleanField(
        default=False,
        help_text=(
            "Readers are told not to use this term, and which terms replace it. Its page stays, out of the A–Z "
            "index, suggestions and cross-links. Takes effect when the term is published."
        ),
    )
    deprecation_reason = models.CharField(
        "why it is deprecated",
        max_length=300,
        blank=True,
        help_text='Plain text, one sentence, shown in the banner, e.g. "Superseded by a broader term."',
    )
    replaced_by = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="replaces",
        verbose_name="replaced by",
        help_text="The terms readers should use instead. Optional.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_terms",
        help_text="The person who keeps this term accurate. Optional; or choose a group.",
    )
    owner_group = models.ForeignKey(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_terms",
        verbose_name="owning group",
        help_text="The group that keeps this term accurate, when no one person does. Optional.",
    )
    review_by = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "When a reviewer should next check that the term is still accurate. Publishing sets it "
            "12 months ahead (REVIEW_INTERVAL_DAYS) unless a later date is given."
        ),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    # Counts the saves of the working copy: a save from a form opened at an older edit version is refused.
    edit_version = models.PositiveIntegerField(default=1, editable=False)
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
        manager=KeyedTags,
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
        permissions = ((PUBLISH_CODENAME, "Can publish, unpublish and roll back terms, and request changes"),)
        # The workspace's lists: the review queue oldest first, each status counted.
        indexes = (models.Index(fields=("status", "submitted_at"), name="term_status_submitted"),)
        constraints = (
            # Homonyms share a name, each with its own qualifier ("Attention (psychology)").
            models.UniqueConstraint(
                F("name_key"),
                Lower("qualifier"),
                name="term_unique_name_and_qualifier",
                violation_error_code="unique",
                violation_error_message=(
                    "A term with this name already exists. Names differing only in letter case, character width or "
                    "invisible characters are the same name; two terms share a name only with different qualifiers."
                ),
            ),
            models.CheckConstraint(
                condition=Q(deprecated=True) | Q(deprecation_reason=""),
                name="term_deprecation_reason_only_if_deprecated",
                violation_error_message="Only a deprecated term has a reason for its deprecation.",
            ),
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(owner_group__isnull=True),
                name="term_one_owner",
                violation_error_message="A term is owned by a person or by a group, not both.",
            ),
            slug_lower_case("term"),
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
        # Autocompletes, inlines and messages tell homonyms apart.
        return self.title

    def get_absolute_url(self):
        return reverse("terms:detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        self.slug = self.slug.lower()
        self.qualifier = normalise_name(self.qualifier)
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"/terms/{self.slug}/ is the address of a page of the site's own: choose another slug."}
            )

    def validate_constraints(self, exclude=None):
        errors = {}
        # A form without the qualifier shows what is wrong with it on the name.
        qualifier_field = "name" if exclude and "qualifier" in exclude else "qualifier"
        # The name is unique together with the qualifier: a form without the qualifier still checks the pair.
        if exclude is not None and "name" not in exclude:
            exclude = set(exclude) - {"qualifier"}
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = error.error_dict
            # The name-and-qualifier constraint is on expressions, so Django reports it for the whole form.
            unique = [e for e in errors.get(NON_FIELD_ERRORS, []) if e.code == "unique"]
            if unique:
                errors[NON_FIELD_ERRORS] = [e for e in errors[NON_FIELD_ERRORS] if e.code != "unique"]
                errors.setdefault("name", []).extend(unique)
                if not errors[NON_FIELD_ERRORS]:
                    del errors[NON_FIELD_ERRORS]
        if not exclude or "name" not in exclude:
            if homonym := self.homonym_clash():
                # It says which term has the name, and what to do: the constraint's general message adds nothing.
                field, message = homonym
                field = qualifier_field if field == "qualifier" else field
                errors["name"] = [e for e in errors.get("name", []) if getattr(e, "code", None) != "unique"]
                errors.setdefault(field, []).append(message)
                if not errors["name"]:
                    del errors["name"]
            if clash := self.name_clash():
                errors.setdefault("name", []).append(clash)
        if (not exclude or "aliases" not in exclude) and (clashes := label_errors(self.aliases) + self.alias_clashes()):
            errors.setdefault("aliases", []).extend(clashes)
        if errors:
            raise ValidationError(errors)

    def name_clash(self) -> str | None:
        """Why this term cannot have its name: it is another live term's alias (linked); None if it can.

        The alias's address leads to that term: a new name must not take it over silently.
        """
        key = identity_key(self.name)
        holder = self.claims_of_others([key]).get(key)
        if holder is None or holder[2] != "an alias":
            return None  # another term's name is the unique constraint's to refuse
        pk, name, _ = holder
        return format_html(
            '“{}” is an alias of <a href="{}">{}</a>: remove it there first, or choose another name.',
            self.name,
            reverse("admin:terms_term_change", args=[pk]),
            name,
        )

    def homonym_clash(self) -> tuple[str, str] | None:
        """Why this term cannot share its name with another: (the field to fix, the reason, linking that term)."""
        return homonym_clash(self)

    def alias_clashes(self) -> list[str]:
        """Why aliases cannot be this term's: one is its own name, or another term's name or alias (linked)."""
        own = identity_key(self.name)
        aliases = {identity_key(alias): alias for alias in self.alias_list}
        clashes = [f"“{aliases.pop(own)}” is this term's own name, not another one."] if own in aliases else []
        if not aliases:
            return clashes
        claims = self.claims_of_others(aliases)
        return clashes + [claimed(alias, *claims[key]) for key, alias in aliases.items() if key in claims]

    def claims_of_others(self, name_keys: Iterable[str]) -> dict[str, tuple[int, str, str]]:
        """Other terms' claims on these identity keys: as their names, or as aliases of live terms.

        Each key maps to the claiming term's id and name, and "the name" or "an alias". Only live terms
        hold their aliases: once a term is unpublished, its aliases' addresses are free for another.
        """
        name_keys = list(name_keys)
        if not name_keys:
            return {}
        # Read only the terms that hold one of the keys as a name or an alias, whatever the glossary's size.
        aliased = functools.reduce(operator.or_, (Q(alias_keys__contains=keyed_lines([key])) for key in name_keys))
        others = Term.objects.exclude(pk=self.pk).filter(
            Q(name_key__in=name_keys) | (aliased & Q(published__isnull=False))
        )
        rows = list(others.order_by("pk").values_list("pk", "name", "qualifier", "name_key", "aliases", "published"))
        claims = {}
        # An alias's claim first: homonyms may share a name, never another term's alias.
        for pk, name, qualifier, _, other_aliases, live in rows:
            for alias in Term(aliases=other_aliases).alias_list if live else ():
                claims.setdefault(identity_key(alias), (pk, Term(name=name, qualifier=qualifier).title, "an alias"))
        for pk, name, qualifier, name_key, _, _ in rows:
            claims.setdefault(name_key, (pk, Term(name=name, qualifier=qualifier).title, "the name"))
        return claims

    @property
    def is_live(self) -> bool:
        """Whether readers can see a version of this term (perhaps an older one than this working copy)."""
        return bool(self.pk) and Term.objects.filter(pk=self.pk, published__isnull=False).exists()

    @property
    def state_label(self) -> str:
        """The state as editors read it: "Published, with unpublished changes (in review)"."""
        return state_label(self.status, self.is_live)

    @property
    def labels(self) -> list[Label]:
        """The other names with their kinds, one per line of the aliases, without blanks or repeats."""
        return parse_labels(self.aliases)

    @property
    def alias_list(self) -> list[str]:
        """The other names of every kind, hidden ones included: what names must be unique against, and redirects."""
        return [label.name for label in self.labels]

    @property
    def shown_aliases(self) -> list[str]:
        """The other names readers see and cross-links look for: every kind but hidden."""
        return [label.name for label in self.labels if label.shown]

    @property
    def title(self) -> str:
        """The name as headings and lists show it: "Attention (psychology)" for a homonym, else the name."""
        return f"{self.name} ({self.qualifier})" if self.qualifier else self.name

    @property
    def name_in_sentence(self) -> str:
        """The name as it reads mid-sentence: "an LLM", "fine-tuning"."""
        return self.sentence_name.strip() or lower_common_words(self.name)


def claimed(alias: str, pk: int, name: str, role: str) -> str:
    """Say that an alias is already another term's name or alias, linking to that term in the admin."""
    return format_html(
        '“{}” is already {} of <a href="{}">{}</a>: an alias leads to one term only.',
        alias,
        role,
        reverse("admin:terms_term_change", args=[pk]),
        name,
    )


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


# Names are normalised on every save, loaddata's raw ones included: only a receiver sees those.
pre_save.connect(normalise_name_on_save, sender=Term)
pre_save.connect(normalise_name_on_save, sender=Tag)
