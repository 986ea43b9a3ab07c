"""The published layer: what readers are served.

Rows here are written only by `terms.publishing`. Each `PublishedTerm` is a
snapshot taken when a reviewer published the term, with markdown already
rendered to sanitised HTML. Reader-facing code reads only these models, so a
draft has nothing here to leak. The hand-written readers of hot pages are in
`terms.queries`.
"""

import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Max
from django.urls import reverse
from django.utils.text import slugify

from ..addresses import term_changes_url, term_url
from ..enums import SHOWN_LABEL_KINDS, ChangeKind, LabelKind, RelationKind

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# A published term that lists show: not deprecated.
LISTED = models.Q(deprecated_at__isnull=True)
INDEX_LETTERS = [chr(code) for code in range(ord("A"), ord("Z") + 1)] + ["#"]
# What lists and links show of a published term (the keys of `related`, `also_read`... entries), and the
# column each comes from: the name they show is the title, "Attention (psychology)" for a homonym.
SHOWN = {"slug": "slug", "name": "title", "short_definition": "short_definition"}


class PublishedTerm(models.Model):
    """A term as readers see it: the snapshot taken at its last publish."""

    term = models.OneToOneField("terms.Term", on_delete=models.CASCADE, primary_key=True, related_name="published")
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=100)
    # Tells homonyms apart: "machine learning" in "Attention (machine learning)".
    qualifier = models.CharField(max_length=100, blank=True)
    # The name as headings and lists show it: the name, and the qualifier in brackets if it has one.
    title = models.CharField(max_length=203, default="")
    sentence_name = models.CharField(max_length=120)
    short_definition = models.CharField(max_length=300)
    pronunciation = models.CharField(max_length=100, blank=True)
    # The other names readers see and cross-links look for (hidden labels are not among them).
    aliases = models.JSONField(default=list, blank=True)
    # Every other name with its kind (`terms.enums.LabelKind`), hidden ones included, for search and machines:
    # [{"name": str, "kind": str}], in the editor's order. Never shown in HTML when hidden.
    labels = models.JSONField(default=list, blank=True)
    explanation_html = models.TextField(blank=True)
    analogy_html = models.TextField(blank=True)
    usage_html = models.TextField(blank=True)
    history_html = models.TextField(blank=True)
    # [{"title": str, "html": str}], in page order.
    examples = models.JSONField(default=list, blank=True)
    # [{"claim": str, "html": str}], in page order.
    misconceptions = models.JSONField(default=list, blank=True)
    # [{"name": str, "slug": str}], by name.
    tags = models.JSONField(default=list, blank=True)
    # [{"kind": str, "label": str, "terms": [{"slug", "name", "short_definition"}]}]: its "Related terms",
    # both directions, published ends only; kept up to date by every publish and unpublish.
    related = models.JSONField(default=list, blank=True)
    # [{"slug", "name", "short_definition"}]: its "People also read", at most six published terms
    # that are not among its related terms, chosen by `terms.also_read` when terms are published.
    also_read = models.JSONField(default=list, blank=True)
    # The markdown the sections were rendered from, for the API: {"explanation": str, "analogy": str, "usage": str,
    # "history": str, "examples": [body, ...], "misconceptions": [correction, ...]}.
    markdown = models.JSONField(default=dict, blank=True)
    # Each markdown section's sanitised HTML before cross-linking, by id prefix ("explanation",
    # "example-1"...): other terms' publishes link it again without running markdown.
    unlinked = models.JSONField(default=dict, blank=True)
    # When readers were told not to use the term any more (its page stays; lists, suggestions and links drop it).
    deprecated_at = models.DateTimeField(null=True, blank=True)
    # {"reason": str, "successors": [{"slug", "name", "short_definition"}]} while deprecated; published ends only.
    deprecation = models.JSONField(default=dict, blank=True)
    # Its path from the top of the hierarchy, first broader terms first: [{"slug", "name"}], the broader term last.
    path = models.JSONField(default=list, blank=True)
    # The published pages whose text links to it: [{"slug", "name", "short_definition"}], by name.
    mentioned_in = models.JSONField(default=list, blank=True)
    # The last change readers were told about (minor changes are not): its date and public note.
    changed_at = models.DateTimeField(null=True, blank=True)
    change_note = models.CharField(max_length=300, blank=True)
    # When a reviewer last confirmed it (a publish, or "mark as reviewed").
    reviewed_at = models.DateTimeField(null=True, blank=True)
    sort_name = models.CharField(max_length=100)
    letter = models.CharField(max_length=1)
    first_published_at = models.DateTimeField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("sort_name",)
        indexes = (
            # A–Z lists read in index order, ties on the sort name broken by the slug as the neighbour links break them.
            # Deprecated terms are not listed: the lists say `deprecated_at IS NULL`, and these indexes hold only those.
            models.Index(fields=("sort_name", "slug"), name="publishedterm_listed_a_to_z", condition=LISTED),
            models.Index(fields=("letter", "sort_name", "slug"), name="publishedterm_listed_letter", condition=LISTED),
            # "Recently published", read in index order even when a bulk import shares one time.
            models.Index(
                fields=("-published_at", "sort_name", "slug"), name="publishedterm_listed_recent", condition=LISTED
            ),
            # A homonym's shared address (/terms/attention/) finds its meanings by their name's slug.
            models.Index(fields=("name",), name="publishedterm_name"),
        )

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return term_url(self.slug)

    @property
    def changes_url(self) -> str:
        """Its public list of changes: /terms/<slug>/changes/."""
        return term_changes_url(self.slug)

    @property
    def question(self) -> str:
        """The question the page answers: "What is fine-tuning?", "What is an LLM?"."""
        return f"What is {self.sentence_name}?"

    @functools.cached_property
    def abbreviations(self) -> list[str]:
        """Its abbreviations, shown beside its name: ["LLM"]."""
        return [label["name"] for label in self.labels if label["kind"] == LabelKind.ABBREVIATION]

    @functools.cached_property
    def also_known_as(self) -> list[dict]:
        """Its other names readers see, abbreviations aside: [{"name", "note"}], the note saying its kind where that helps."""
        said = {LabelKind.SPELLING: "spelling", LabelKind.FORMER: "former name"}
        return [
            {"name": label["name"], "note": said.get(label["kind"], "")}
            for label in self.labels
            if label["kind"] in SHOWN_LABEL_KINDS and label["kind"] != LabelKind.ABBREVIATION
        ]

    @property
    def heading(self) -> str:
        """The page heading: its question; a homonym's title ("Attention (psychology)"), which tells the meanings apart.

        "What is attention (psychology)?" would read as if psychology were part of the name.
        """
        return self.title if self.qualifier else self.question

    @property
    def other_meanings_url(self) -> str:
        """A homonym's link to the address its name shares with the other meanings ("/terms/attention/"); else ""."""
        shared = slugify(self.name) if self.qualifier else ""
        return reverse("terms:detail", args=[shared]) if shared and shared != self.slug else ""

    @property
    def successors(self) -> list[dict]:
        """The published terms that replace it while it is deprecated: [{"slug", "name", "short_definition"}]."""
        return (self.deprecation or {}).get("successors", [])

    @property
    def explanation_heading(self) -> str:
        return f"{self.title} explained in plain English"

    @property
    def usage_heading(self) -> str:
        return f"How is {self.sentence_name} used?"

    @property
    def misconceptions_heading(self) -> str:
        return f"Common misconceptions about {self.sentence_name}"


class PublishedRelation(models.Model):
    """A published term's curated relation; shown only while its target is published too."""

    source = models.ForeignKey(PublishedTerm, on_delete=models.CASCADE, related_name="outgoing_relations")
    # Holds the target *term's* id, published or not: the join finds it when it is published.
    target = models.ForeignKey(PublishedTerm, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(max_length=20, choices=RelationKind.choices)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ("position", "pk")
        indexes = (models.Index(fields=("target",), name="pubrelation_target"),)

    def __str__(self):
        return f"{self.source_id} → {self.kind} → {self.target_id}"


class PublishedAlsoRead(models.Model):
    """A term shown in a page's "People also read": when it changes or goes, the page chooses again."""

    source = models.ForeignKey(PublishedTerm, on_delete=models.CASCADE, related_name="also_read_rows")
    target = models.ForeignKey(PublishedTerm, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = (models.UniqueConstraint(fields=("source", "target"), name="publishedalsoread_unique"),)
        ordering = ("source", "position")

    def __str__(self):
        return f"{self.source_id} → also read → {self.target_id}"


class PublishedKeyword(models.Model):
    """A word that tells what a published term is about, and its weight in the term's text: "People also read"
    finds terms worded alike through these rows (see `terms.keywords`)."""

    term = models.ForeignKey(PublishedTerm, on_delete=models.CASCADE, related_name="keyword_rows")
    # Case-folded, a plural's s taken off: "models" and "Model" are "model".
    keyword = models.CharField(max_length=40)
    # Its weight among the term's keywords, whose squares add up to 1.
    weight = models.FloatField()

    class Meta:
        constraints = (models.UniqueConstraint(fields=("term", "keyword"), name="publishedkeyword_unique"),)
        # Terms sharing a keyword, and how many they are, read from the index alone.
        indexes = (models.Index(fields=("keyword", "term", "weight"), name="publishedkeyword_keyword"),)

    def __str__(self):
        return f"{self.term_id}: {self.keyword} ({self.weight:.3f})"


class PublishedTermTag(models.Model):
    """One tag of a published term, for tag pages and tag counts."""

    term = models.ForeignKey(PublishedTerm, on_delete=models.CASCADE, related_name="tag_rows")
    name = models.CharField(max_length=100)
    slug = models.CharField(max_length=100)
    # The term's sort name, so a tag page is read in order straight from an index,
    # and what a list shows of it, so a tag page reads these rows alone.
    sort_name = models.CharField(max_length=100)
    term_slug = models.CharField(max_length=100, default="")
    term_name = models.CharField(max_length=100, default="")
    short_definition = models.CharField(max_length=300, default="")
    letter = models.CharField(max_length=1, default="")

    class Meta:
        constraints = (models.UniqueConstraint(fields=("term", "slug"), name="publishedtermtag_unique"),)
        indexes = (models.Index(fields=("slug", "sort_name", "term_slug"), name="publishedtermtag_a_to_z"),)

    def __str__(self):
        return self.name


class PublishedName(models.Model):
    """A name or alias of a published term, as cross-links look for it (see `terms.linking`)."""

    term = models.ForeignKey(PublishedTerm, on_delete=models.CASCADE, related_name="name_rows")
    name = models.CharField(max_length=100)
    # The first word of the name, lower-cased: linking a page reads only the names its words begin.
    first_word = models.CharField(max_length=100, db_index=True)

    def __str__(self):
        return self.name


class PublishedMention(models.Model):
    """A cross-link on a published page: when its target changes or goes, the page is linked again."""

    source = models.ForeignKey(PublishedTerm, on_delete=models.CASCADE, related_name="mentions")
    target = models.ForeignKey(PublishedTerm, on_delete=models.CASCADE, related_name="mentioned_by")

    class Meta:
        constraints = (models.UniqueConstraint(fields=("source", "target"), name="publishedmention_unique"),)

    def __str__(self):
        return f"{self.source_id} mentions {self.target_id}"


class PublishedImage(models.Model):
    """An uploaded image a published page shows: readers are served these images, and no other."""

    term = models.ForeignKey(PublishedTerm, on_delete=models.CASCADE, related_name="image_rows")
    # The stored name, "<sha256>-<width>x<height>.<extension>", as in /media/images/<name>.
    name = models.CharField(max_length=120)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("term", "name"), name="publishedimage_unique"),)
        indexes = (models.Index(fields=("name",), name="publishedimage_name"),)

    def __str__(self):
        return self.name


class PublishedChange(models.Model):
    """A change readers were told about: a term new, updated (not a minor change) or deprecated, for `/changes/`.

    Kept while the term is unpublished (the join drops it meanwhile), so its history is back when it is.
    """

    term = models.ForeignKey(PublishedTerm, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    note = models.CharField(max_length=300, blank=True)
    # The term's name and address when it changed; its list shows today's.
    title = models.CharField(max_length=203)
    slug = models.CharField(max_length=100)
    changed_at = models.DateTimeField()
    # The revision it was read from (rebuilds write the list again from the revisions).
    revision_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("-changed_at", "-pk")
        indexes = (
            models.Index(fields=("-changed_at", "-id"), name="publishedchange_recent"),
            models.Index(fields=("term", "-changed_at"), name="publishedchange_term"),
        )

    def __str__(self):
        return f"{self.title}: {self.kind} {self.changed_at:%Y-%m-%d}"


class PublishedRedirectQuerySet(models.QuerySet):
    def target_slug(self, slug: str) -> str | None:
        """The current slug of the published term that `slug` (an old slug or an alias) leads to."""
        # The join drops a redirect whose term is not published: its address is a 404 meanwhile.
        return self.filter(slug=slug).values_list("term__slug", flat=True).first()


class PublishedRedirect(models.Model):
    """An address that leads to a term's page: a slug it had before, or one of its aliases.

    Looked up only when no published term has the slug, so a real page always wins. The
    term is joined when the redirect is used: while it is unpublished, the address is a 404.
    """

    class Kind(models.TextChoices):
        MOVED = "moved", "Former address"
        ALIAS = "alias", "Alias"

    slug = models.CharField(max_length=200, unique=True)
    term = models.ForeignKey(PublishedTerm, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    objects = PublishedRedirectQuerySet.as_manager()

    def __str__(self):
        return f"{self.slug} → {self.term_id}"


class PublishedTagRedirect(models.Model):
    """A tag page's former address (a tag renamed, or merged into another) and the tag page it leads to now.

    Looked up only when no published term has a tag with the slug, so a real tag page always wins.
    """

    slug = models.CharField(max_length=100, unique=True)
    target_slug = models.CharField(max_length=100)

    def __str__(self):
        return f"{self.slug} → {self.target_slug}"


class SiteState(models.Model):
    """One row that changes whenever the published layer does.

    It holds the page cache's generation, and the counts that the home page, the
    A–Z index and the tag pages show, recomputed by every change to the published
    layer, so no reader page counts or groups rows.
    """

    generation = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()
    term_count = models.PositiveIntegerField(default=0)
    # JSON text, parsed only by the pages that show it: {"A": 12, ...}.
    letter_counts = models.TextField(default="{}")
    # JSON text: [{"slug": str, "name": str, "count": int, "topic": {"slug", "title", "short_definition"} | None}], by name.
    tag_counts = models.TextField(default="[]")
    # When `seed` loaded the starter glossary (or found the database already in use): seeding happens once, ever.
    seeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "site state"

    def __str__(self):
        return f"generation {self.generation}, changed {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @property
    def generation_key(self) -> str:
        """The generation, named uniquely even if a restored backup repeats its number: what cached pages are keyed by."""
        return f"{self.generation}.{int(self.changed_at.timestamp() * 1_000_000)}"

    @functools.cached_property
    def counts(self) -> "SiteCounts":
        """The counts the list pages show, read on first use (`terms.queries.site_state` reads them with the state)."""
        row = type(self).objects.filter(pk=self.pk).values_list("term_count", "letter_counts", "tag_counts").first()
        return SiteCounts(term_count=0, letters={}, tags=[]) if row is None else SiteCounts.from_row(*row)

    @classmethod
    def bump(cls, now) -> None:
        """Record that the published layer changed; call inside the publishing transaction."""
        values = {"changed_at": now, **published_counts()}
        if not cls.objects.filter(pk=1).update(generation=F("generation") + 1, **values):
            cls.objects.create(pk=1, generation=1, **values)


@dataclass(frozen=True)
class SiteCounts:
    term_count: int
    letters: dict[str, int]  # how many published terms each A–Z index letter has, for those that have any
    tags: list[dict]  # each tag of a published term, by name: {"slug", "name", "count", "topic"}

    def tag(self, slug: str) -> dict | None:
        return next((tag for tag in self.tags if tag["slug"] == slug), None)

    @classmethod
    def from_row(cls, term_count: int, letter_counts: str, tag_counts: str) -> "SiteCounts":
        return cls(term_count=term_count, letters=json.loads(letter_counts), tags=json.loads(tag_counts))


def published_counts() -> dict:
    """SiteState's counts, from the published layer's indexes."""
    letters = dict(PublishedTerm.objects.filter(LISTED).order_by().values_list("letter").annotate(Count("pk")))
    tags = [
        {"slug": slug, "name": name, "count": count}
        for slug, name, count in PublishedTermTag.objects.order_by()
        .values_list("slug")
        .annotate(Max("name"), Count("pk"))
    ]
    tags.sort(key=lambda tag: (tag["name"].casefold(), tag["slug"]))
    from ..topics import topic_terms

    topics = topic_terms([tag["name"] for tag in tags])
    for tag in tags:
        tag["topic"] = topics.get(tag["name"])
    return {
        "term_count": sum(letters.values()),
        "letter_counts": json.dumps({letter: letters[letter] for letter in INDEX_LETTERS if letter in letters}),
        "tag_counts": json.dumps(tags, ensure_ascii=False),
    }
