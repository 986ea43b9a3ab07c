"""The published layer: what readers are served.

Rows here are written only by `terms.publishing`. Each `PublishedTerm` is a
snapshot taken when a reviewer published the term, with markdown already
rendered to sanitised HTML. Reader-facing code reads only these models, so a
draft has nothing here to leak.
"""

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import quote

from django.conf import settings
from django.db import connections, models, router
from django.db.models import Count, F, Max
from django.urls import reverse
from django.utils.dateparse import parse_datetime


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
KIND_ORDER = (RelationKind.BROADER, RelationKind.NARROWER, RelationKind.RELATED, RelationKind.CONTRAST)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
INDEX_LETTERS = [chr(code) for code in range(ord("A"), ord("Z") + 1)] + ["#"]
SLUG_PLACEHOLDER = "slug-placeholder"


@functools.cache
def term_url_pattern() -> str:
    return reverse("terms:detail", args=[SLUG_PLACEHOLDER])


def term_url(slug: str) -> str:
    """The public page of a term: reversed once per process, then filled in, since lists link many terms."""
    return term_url_pattern().replace(SLUG_PLACEHOLDER, slug)


@functools.cache
def tag_url_pattern() -> str:
    return reverse("terms:tag-detail", args=[SLUG_PLACEHOLDER])


def tag_url(slug: str) -> str:
    """The public page of a tag; its slug may be non-Latin, so it is percent-encoded as reverse() would."""
    return tag_url_pattern().replace(SLUG_PLACEHOLDER, quote(slug, safe=""))


class ListedTerm(NamedTuple):
    """What a list of terms shows of each: its name linked to its page, and its one-liner."""

    slug: str
    name: str
    short_definition: str
    letter: str


LISTED_COLUMNS = ", ".join(f"t.{column}" for column in ListedTerm._fields)


class TermRows(Sequence):
    """A long list of published terms for the Paginator, counted and sliced in raw SQL.

    Reader lists are read on every uncached index and tag page; raw SQL and plain tuples
    skip the ORM's query compilation and model building, a large share of such a page.
    `source` is the FROM clause and `columns` the columns that give a `ListedTerm`;
    `order` must be served by an index, so a page is read without sorting the whole list.
    """

    def __init__(
        self,
        db: str,
        source: str,
        where: str,
        params: Sequence,
        order: str,
        count: int | None = None,
        columns: str = LISTED_COLUMNS,
    ):
        self.db, self.source, self.where, self.params, self.order = db, source, where, list(params), order
        self.columns = columns
        self._count = count

    def _fetch(self, sql: str, params: Sequence) -> list[tuple]:
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self) -> int:
        if self._count is None:
            self._count = self._fetch(f"SELECT count(*) FROM {self.source} WHERE {self.where}", self.params)[0][0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("TermRows can only be sliced, in steps of one.")
        start, stop, _ = index.indices(self.count())
        if stop <= start:
            return []
        sql = f"SELECT {self.columns} FROM {self.source} WHERE {self.where} ORDER BY {self.order} LIMIT %s OFFSET %s"
        return [ListedTerm._make(row) for row in self._fetch(sql, [*self.params, stop - start, start])]


def neighbour_link(slug_and_name: str | None) -> dict | None:
    """A term before or after another A–Z, from the term page's query: {"slug", "name", "url"}."""
    if not slug_and_name:
        return None
    slug, name = slug_and_name.split(" ", 1)
    return {"slug": slug, "name": name, "url": term_url(slug)}


# Kept for publishing, never shown: the term page does not read it.
NOT_ON_THE_PAGE = {"unlinked"}


class PublishedTermQuerySet(models.QuerySet):
    def for_lists(self, letter: str = "", *, count: int | None = None) -> TermRows:
        """Every published term (or those under one letter of the index), in A–Z order."""
        table = self.model._meta.db_table
        where, params = ("t.letter = %s", [letter]) if letter else ("1 = 1", [])
        return TermRows(self.db, f"{table} t", where, params, order="t.sort_name", count=count)

    def for_term_page(self, slug: str) -> "PublishedTerm | None":
        """Everything the term page shows, in one query; its relations come from `groups_for`."""
        # Read on every uncached term page: a plain cursor skips the ORM's query compilation,
        # and the fields' own converters turn the row into what the ORM would have built.
        connection = connections[self.db]
        table = self.model._meta.db_table
        fields = [field for field in self.model._meta.concrete_fields if field.name not in NOT_ON_THE_PAGE]
        columns = ", ".join(f"t.{connection.ops.quote_name(field.column)}" for field in fields)
        # The terms before and after it A–Z, as "slug name" (a slug has no spaces): two index
        # lookups in the same query, ties on the name broken by the slug.
        neighbour = (
            "(SELECT n.slug || ' ' || n.name FROM {table} n WHERE (n.sort_name, n.slug) {op} (t.sort_name, t.slug)"
            " ORDER BY n.sort_name {order}, n.slug {order} LIMIT 1)"
        )
        previous = neighbour.format(table=table, op="<", order="DESC")
        following = neighbour.format(table=table, op=">", order="ASC")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns}, {previous}, {following} FROM {table} t WHERE t.slug = %s", [slug])
            row = cursor.fetchone()
        if row is None:
            return None
        *row, previous_term, next_term = row
        values = []
        for field, value in zip(fields, row, strict=True):
            column = field.get_col(table)
            for converter in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
                value = converter(value, column, connection)
            values.append(value)
        term = self.model.from_db(self.db, [field.attname for field in fields], values)
        term.previous_term, term.next_term = neighbour_link(previous_term), neighbour_link(next_term)
        return term

    def recent(self, limit: int = 9) -> list[ListedTerm]:
        """The most recently published terms."""
        table = self.model._meta.db_table
        # `count` only bounds the slice: fewer terms simply give fewer rows.
        rows = TermRows(self.db, f"{table} t", "1 = 1", [], order="t.published_at DESC, t.sort_name", count=limit)
        return rows[:limit]

    def tagged(self, tag_slug: str, count: int) -> TermRows:
        """The published terms with a tag, in A–Z order; `count` is theirs, from `SiteState.tags`."""
        # Read from the tag rows alone, which carry what a list shows, in the order of the
        # (slug, sort_name) index: a page of a large tag is neither sorted nor joined.
        columns = "g.term_slug, g.term_name, g.short_definition, g.letter"
        tags = PublishedTermTag._meta.db_table
        return TermRows(
            self.db, f"{tags} g", "g.slug = %s", [tag_slug], order="g.sort_name", count=count, columns=columns
        )


class PublishedTerm(models.Model):
    """A term as readers see it: the snapshot taken at its last publish."""

    term = models.OneToOneField("terms.Term", on_delete=models.CASCADE, primary_key=True, related_name="published")
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=100)
    sentence_name = models.CharField(max_length=120)
    short_definition = models.CharField(max_length=300)
    pronunciation = models.CharField(max_length=100, blank=True)
    aliases = models.JSONField(default=list, blank=True)
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
    # Each markdown section's sanitised HTML before cross-linking, by id prefix ("explanation",
    # "example-1"...): other terms' publishes link it again without running markdown.
    unlinked = models.JSONField(default=dict, blank=True)
    sort_name = models.CharField(max_length=100, db_index=True)
    letter = models.CharField(max_length=1)
    first_published_at = models.DateTimeField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PublishedTermQuerySet.as_manager()

    class Meta:
        ordering = ("sort_name",)
        indexes = (
            models.Index(fields=("letter", "sort_name"), name="publishedterm_letter_page"),
            # "Recently published", read in index order even when a bulk import shares one time.
            models.Index(fields=("-published_at", "sort_name"), name="publishedterm_recent"),
        )

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return term_url(self.slug)

    @property
    def question(self) -> str:
        """The page heading: "What is fine-tuning?", "What is an LLM?"."""
        return f"What is {self.sentence_name}?"

    @property
    def explanation_heading(self) -> str:
        return f"{self.name} explained in plain English"

    @property
    def usage_heading(self) -> str:
        return f"How is {self.sentence_name} used?"

    @property
    def misconceptions_heading(self) -> str:
        return f"Common misconceptions about {self.sentence_name}"


RELATED_COLUMNS = ("slug", "name", "short_definition", "sort_name")


class PublishedRelationQuerySet(models.QuerySet):
    def groups_by_term(self, term_ids: list[int]) -> dict[int, list[dict]]:
        """For each published term: its related terms, both directions, grouped by kind.

        What `PublishedTerm.related` holds. A relation whose other end is not published
        has no row to join and drops out. One query per 500 terms.
        """
        found: dict[int, tuple[list, list]] = {pk: ([], []) for pk in term_ids}
        width = len(RELATED_COLUMNS)
        for start in range(0, len(term_ids), 500):
            chunk = term_ids[start : start + 500]
            for source_id, target_id, kind, *values in self._rows(chunk, chunk):
                if source_id in found:
                    found[source_id][0].append(
                        (RelationKind(kind), dict(zip(RELATED_COLUMNS, values[width:], strict=True)))
                    )
                if target_id in found:
                    found[target_id][1].append(
                        (INVERSE_KIND[kind], dict(zip(RELATED_COLUMNS, values[:width], strict=True)))
                    )
        return {pk: group_relations(own, incoming) for pk, (own, incoming) in found.items()}

    def groups_for(self, term: PublishedTerm, *, outgoing: list) -> list[dict]:
        """A page's related terms with `outgoing`, (kind, published term) pairs, as its own relations.

        For the admin's preview of a working copy; published pages read `PublishedTerm.related`.
        """
        incoming = [
            (INVERSE_KIND[kind], dict(zip(RELATED_COLUMNS, values[: len(RELATED_COLUMNS)], strict=True)))
            for source_id, _, kind, *values in self._rows([], [term.pk])
            if source_id != term.pk
        ]
        own = [(kind, {column: getattr(other, column) for column in RELATED_COLUMNS}) for kind, other in outgoing]
        return group_relations(own, incoming)

    def _rows(self, sources: list[int], targets: list[int]) -> list[tuple]:
        """Relations from `sources` or to `targets` whose both ends are published, in curated order."""
        relations, terms = self.model._meta.db_table, PublishedTerm._meta.db_table
        columns = ", ".join([*(f"s.{c}" for c in RELATED_COLUMNS), *(f"t.{c}" for c in RELATED_COLUMNS)])
        select = (
            f"SELECT r.source_id, r.target_id, r.kind, {columns}, r.position, r.id FROM {relations} r"
            f" JOIN {terms} s ON s.term_id = r.source_id JOIN {terms} t ON t.term_id = r.target_id"
        )
        # Two index-served halves rather than one OR, which would scan every relation.
        parts, params = [], []
        if sources:
            parts.append(f"{select} WHERE r.source_id IN ({', '.join(['%s'] * len(sources))})")
            params += sources
        if targets:
            exclude = f" AND r.source_id NOT IN ({', '.join(['%s'] * len(sources))})" if sources else ""
            parts.append(f"{select} WHERE r.target_id IN ({', '.join(['%s'] * len(targets))}){exclude}")
            params += [*targets, *sources]
        with connections[self.db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        # In curated order: by position, then by when the relation was written.
        rows.sort(key=lambda row: (row[-2], row[-1]))
        return [row[:-2] for row in rows]


def group_relations(own: list[tuple], incoming: list[tuple]) -> list[dict]:
    """Related terms by kind (broader, narrower, related, contrast): the term's own relations in
    their curated order, then those from other terms by name, each other term once per kind."""
    incoming = sorted(incoming, key=lambda pair: pair[1]["sort_name"])
    grouped: dict[str, dict] = {kind: {} for kind in KIND_ORDER}
    for kind, other in own + incoming:
        grouped[kind].setdefault(other["slug"], {key: other[key] for key in ("slug", "name", "short_definition")})
    return [
        {"kind": str(kind), "label": kind.label, "terms": list(others.values())}
        for kind, others in grouped.items()
        if others
    ]


class PublishedRelation(models.Model):
    """A published term's curated relation; shown only while its target is published too."""

    source = models.ForeignKey(PublishedTerm, on_delete=models.CASCADE, related_name="outgoing_relations")
    # Holds the target *term's* id, published or not: the join finds it when it is published.
    target = models.ForeignKey(PublishedTerm, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(max_length=20, choices=RelationKind.choices)
    position = models.PositiveSmallIntegerField(default=1)

    objects = PublishedRelationQuerySet.as_manager()

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
        indexes = (models.Index(fields=("slug", "sort_name"), name="publishedtermtag_page"),)

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


class Revision(models.Model):
    """An immutable record of one publish or unpublish: who, when, what, why."""

    class Action(models.TextChoices):
        SAVE = "save", "Saved"
        PUBLISH = "publish", "Published"
        ROLLBACK = "rollback", "Rolled back"
        UNPUBLISH = "unpublish", "Unpublished"
        DELETE = "delete", "Deleted"

    # What readers saw after these: the live versions of the term, which can be compared and rolled back to.
    LIVE_ACTIONS = (Action.PUBLISH, Action.ROLLBACK)

    # Keeps the term's id when the term is deleted: recovering it under the same id brings its history back.
    term = models.ForeignKey(
        "terms.Term",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="revisions",
    )
    term_name = models.CharField(max_length=100)
    action = models.CharField(max_length=20, choices=Action.choices)
    message = models.TextField(blank=True)
    # The editorial content as it was: fields, examples, misconceptions, relations, tags.
    snapshot = models.JSONField(default=dict)
    # The working copy's version this snapshot is of (saves and deletions).
    version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=("term", "action", "-created_at"), name="revision_term_action"),)

    def __str__(self):
        return f"{self.term_name}: {self.get_action_display().lower()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_live_version(self) -> bool:
        return self.action in self.LIVE_ACTIONS


class PublishedRedirectQuerySet(models.QuerySet):
    def target_slug(self, slug: str) -> str | None:
        """The current slug of the published term that `slug` (an old slug or an alias) leads to."""
        redirects, terms = self.model._meta.db_table, PublishedTerm._meta.db_table
        sql = f"SELECT t.slug FROM {redirects} r JOIN {terms} t ON t.term_id = r.term_id WHERE r.slug = %s"
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [slug])
            row = cursor.fetchone()
        return row[0] if row else None


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
    # JSON text: [{"slug": str, "name": str, "count": int}], by name.
    tag_counts = models.TextField(default="[]")
    # When `seed` loaded the starter glossary (or found the database already in use): seeding happens once, ever.
    seeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "site state"

    def __str__(self):
        return f"generation {self.generation}, changed {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @property
    def version(self) -> str:
        """Names this state uniquely, even if a restored backup repeats a generation number."""
        return f"{self.generation}.{int(self.changed_at.timestamp() * 1_000_000)}"

    @functools.cached_property
    def counts(self) -> "SiteCounts":
        """The counts the list pages show, read on first use: a cached page never needs them."""
        with connections[router.db_for_read(type(self))].cursor() as cursor:
            cursor.execute(f"SELECT term_count, letter_counts, tag_counts FROM {self._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        return SiteCounts(term_count=0, letters={}, tags=[]) if row is None else SiteCounts.from_row(*row)

    @classmethod
    def current(cls, *, with_counts: bool = False) -> "SiteState":
        """The published layer's current generation (generation 0 before anything is published).

        `with_counts` reads the counts in the same query, for a page that shows them.
        """
        # Read on every reader request, cached or not: raw SQL skips the ORM's query compilation.
        columns = "generation, changed_at" + (", term_count, letter_counts, tag_counts" if with_counts else "")
        with connections[router.db_for_read(cls)].cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        if row is None:
            state = cls(pk=1, generation=0, changed_at=EPOCH)
            if with_counts:
                state.counts = SiteCounts(term_count=0, letters={}, tags=[])
            return state
        generation, changed_at, *counts = row
        if isinstance(changed_at, str):  # SQLite hands back text
            changed_at = parse_datetime(changed_at)
        if changed_at.tzinfo is None:
            changed_at = changed_at.replace(tzinfo=UTC)
        state = cls(pk=1, generation=generation, changed_at=changed_at)
        if with_counts:
            state.counts = SiteCounts.from_row(*counts)
        return state

    @classmethod
    def bump(cls, now) -> None:
        """Record that the published layer changed; call inside the publishing transaction."""
        values = {"changed_at": now, **published_counts(PublishedTerm, PublishedTermTag)}
        if not cls.objects.filter(pk=1).update(generation=F("generation") + 1, **values):
            cls.objects.create(pk=1, generation=1, **values)


@dataclass(frozen=True)
class SiteCounts:
    term_count: int
    letters: dict[str, int]  # how many published terms each A–Z index letter has, for those that have any
    tags: list[dict]  # each tag of a published term, by name: {"slug", "name", "count"}

    def tag(self, slug: str) -> dict | None:
        return next((tag for tag in self.tags if tag["slug"] == slug), None)

    @classmethod
    def from_row(cls, term_count: int, letter_counts: str, tag_counts: str) -> "SiteCounts":
        return cls(term_count=term_count, letters=json.loads(letter_counts), tags=json.loads(tag_counts))


def published_counts(term_model, tag_model) -> dict:
    """SiteState's counts, from the published layer's indexes (the models are passed for migrations)."""
    letters = dict(term_model.objects.order_by().values_list("letter").annotate(Count("pk")))
    tags = [
        {"slug": slug, "name": name, "count": count}
        for slug, name, count in tag_model.objects.order_by().values_list("slug").annotate(Max("name"), Count("pk"))
    ]
    tags.sort(key=lambda tag: (tag["name"].casefold(), tag["slug"]))
    return {
        "term_count": sum(letters.values()),
        "letter_counts": json.dumps({letter: letters[letter] for letter in INDEX_LETTERS if letter in letters}),
        "tag_counts": json.dumps(tags, ensure_ascii=False),
    }
