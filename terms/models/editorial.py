"""The editorial workspace: what editors edit in the admin.

Nothing here is shown to readers directly. `terms.publishing` copies a term into
the published layer (`terms.models.published`) when a reviewer publishes it.
"""

import functools
import hashlib
import operator
import re
from collections import defaultdict, deque
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from ..identity import identity_key, is_set_aside, normalise_name
from ..rendering import MAX_MARKDOWN_LENGTH
from ..tagging import KeyedTags
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


def slug_lower_case(model: str) -> models.CheckConstraint:
    """The database's guard against "Embedding" next to "embedding": slugs are lower case."""
    return models.CheckConstraint(
        condition=Q(slug=Lower("slug")),
        name=f"{model}_slug_lower_case",
        violation_error_message="The slug must be lower case, e.g. “fine-tuning”.",
    )


class NameKeyField(models.TextField):
    """The identity key of the instance's `name`, set on every save (bulk ones included), as `auto_now` sets a date."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        stored = getattr(model_instance, self.attname)
        # A twin that migration 0012 set aside keeps its own key until it is renamed; `clean()` refuses it.
        if not is_set_aside(model_instance.name, stored):
            setattr(model_instance, self.attname, identity_key(model_instance.name))
        return getattr(model_instance, self.attname)

    def deconstruct(self):
        # Migrations see a plain text column: they never import application code.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class AliasKeysField(models.TextField):
    """The identity keys of the instance's aliases, each between line breaks ("\\nllm\\n"), set on every save.

    The database finds the terms that hold an alias by it, instead of every term's aliases being read.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = keyed_lines(identity_key(alias) for alias in model_instance.alias_list)
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


def keyed_lines(keys: Iterable[str]) -> str:
    """Keys as `AliasKeysField` stores them, so that `\\n<key>\\n` finds each one."""
    return "".join(f"\n{key}" for key in keys) + "\n"


class KeyedName(models.Model):
    """A name unique by its identity key (`terms.identity`), which `name_key` stores for the database to enforce."""

    name_key = NameKeyField(
        help_text="The name compared ignoring case, width and invisible characters; set from the name."
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.name = normalise_name(self.name)
        self.name_key = identity_key(self.name)

    def validate_constraints(self, exclude=None):
        # The key is the name's: it is checked whenever the name is, and its errors are shown on the name.
        if exclude is not None and "name" not in exclude:
            exclude = set(exclude) - {"name_key"}
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = error.error_dict
            if "name_key" in errors:
                errors.setdefault("name", []).extend(errors.pop("name_key"))
            raise ValidationError(errors) from None


def normalise_name_on_save(sender, instance, raw, **kwargs):
    """Store the name normalised; loaddata's raw saves skip fields' `pre_save`, so fill in the keys for them."""
    instance.name = normalise_name(instance.name)
    if raw:
        for field in sender._meta.concrete_fields:
            if isinstance(field, NameKeyField | AliasKeysField):
                field.pre_save(instance, add=False)


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
        permissions = (("publish_term", "Can publish, unpublish and roll back terms, and request changes"),)
        constraints = (
            models.UniqueConstraint(
                fields=("name_key",),
                name="term_unique_name_key",
                violation_error_code="unique",
                violation_error_message=(
                    "A term with this name already exists. Names differing only in letter case, "
                    "character width or invisible characters are the same name."
                ),
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
        return self.name

    def get_absolute_url(self):
        return reverse("terms:detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        self.slug = self.slug.lower()

    def validate_constraints(self, exclude=None):
        errors = {}
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = error.error_dict
        if (not exclude or "name" not in exclude) and (clash := self.name_clash()):
            errors.setdefault("name", []).append(clash)
        if (not exclude or "aliases" not in exclude) and (clashes := self.alias_clashes()):
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
        rows = others.order_by("pk").values_list("pk", "name", "name_key", "aliases", "published")
        claims = {}
        for pk, name, name_key, other_aliases, live in rows:
            claims.setdefault(name_key, (pk, name, "the name"))
            for alias in Term(aliases=other_aliases).alias_list if live else ():
                claims.setdefault(identity_key(alias), (pk, name, "an alias"))
        return claims

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
        """The aliases, one per line, without blanks or repeats (compared as `identity_key`s)."""
        seen, result = set(), []
        for line in self.aliases.splitlines():
            alias = normalise_name(line)
            if alias and identity_key(alias) not in seen:
                seen.add(identity_key(alias))
                result.append(alias)
        return result

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

    def validate_constraints(self, exclude=None):
        super().validate_constraints(exclude)
        # Like the constraints, the loop check needs the term: the admin's inline leaves it out,
        # and its formset checks all the term's relations together instead.
        if not exclude or not {"from_term", "to_term", "kind"} & set(exclude):
            refuse_broader_loop(self.from_term, [self], others=Relation.objects.exclude(pk=self.pk))

    def natural_key(self):
        return (self.from_term.slug, self.to_term.slug, self.kind)

    natural_key.dependencies = ["terms.term"]


def broader_edge(from_id: int | None, to_id: int | None, kind: str) -> tuple[int | None, int | None] | None:
    """A relation as (narrower term, broader term); None for the kinds without a direction."""
    if kind == RelationKind.BROADER:
        return (from_id, to_id)
    if kind == RelationKind.NARROWER:
        return (to_id, from_id)
    return None


def broader_loop(relations: Iterable[Relation], *, others: models.QuerySet) -> list[int | None] | None:
    """A loop of broader terms through one of `relations`, given the stored `others`: term ids, the first one last too.

    An unsaved term's relations have `None` as their term's id.
    """
    new = [edge for r in relations if (edge := broader_edge(r.from_term_id, r.to_term_id, r.kind))]
    if not new:
        return None
    stored = others.filter(kind__in=(RelationKind.BROADER, RelationKind.NARROWER)).order_by("pk")
    broader = defaultdict(dict)  # a term's broader terms, in a stable order (dict keys)
    for narrower_id, broader_id in [
        *new,
        *(broader_edge(*row) for row in stored.values_list("from_term_id", "to_term_id", "kind")),
    ]:
        broader[narrower_id][broader_id] = None
    for narrower_id, broader_id in new:
        # Breadth first from the broader term back to the narrower one: the shortest loop is the one named.
        paths, seen = deque([[broader_id]]), {broader_id}
        while paths:
            path = paths.popleft()
            if path[-1] == narrower_id:
                return [narrower_id, *path]
            for upper in broader[path[-1]]:
                if upper not in seen:
                    seen.add(upper)
                    paths.append([*path, upper])
    return None


def refuse_broader_loop(term: Term, relations: Iterable[Relation], *, others: models.QuerySet) -> None:
    """Raise ValidationError naming the loop, "Fine-tuning → LoRA → Fine-tuning", if the term's relations close one.

    `relations` are some or all of the term's relations as they are to be saved; `others`, the stored
    relations they sit among (say, everyone else's). Publishing and the admin's relation forms call it.
    """
    loop = broader_loop(relations, others=others)
    if loop is None:
        return
    start = loop.index(term.pk)
    loop = [*loop[start:-1], *loop[:start], term.pk]
    names = {
        **dict(Term.objects.filter(pk__in=[pk for pk in loop if pk is not None]).values_list("pk", "name")),
        term.pk: term.name,
    }
    raise ValidationError(
        "These relations make a loop of broader terms, each arrow pointing to the broader one: %(loop)s. "
        "A term cannot be broader than itself: remove or reverse one of these relations.",
        code="broader_loop",
        params={"loop": " → ".join(names[pk] for pk in loop)},
    )


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


# Names are normalised on every save, loaddata's raw ones included: only a receiver sees those.
pre_save.connect(normalise_name_on_save, sender=Term)
pre_save.connect(normalise_name_on_save, sender=Tag)
