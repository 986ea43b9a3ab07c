"""The hand-written readers of the pages read most: raw SQL that a measurement justified.

Every uncached term, index and tag page, and every request's site state, is read here.
A plain cursor and plain tuples skip the ORM's query compilation and model building, a
large share of such a page (docs/benchmarks.md). Each reader has a test that compares its
rows with the equivalent ORM query on SQLite and PostgreSQL (tests/test_queries.py).
Everything else reads through the ORM.
"""

from collections.abc import Sequence
from datetime import UTC
from typing import NamedTuple

from django.db import connections, router
from django.utils.dateparse import parse_datetime

from .addresses import term_url
from .models.published import EPOCH, PublishedTerm, PublishedTermTag, SiteCounts, SiteState


class ListedTerm(NamedTuple):
    """What a list of terms shows of each: its name linked to its page, and its one-liner."""

    slug: str
    name: str  # its title: "Attention (psychology)" for a homonym
    short_definition: str
    letter: str


LISTED_COLUMNS = "t.slug, t.title, t.short_definition, t.letter"
# The published terms lists show (`LISTED`): not deprecated.
LISTED_ONLY = "t.deprecated_at IS NULL"
# Kept for publishing, never shown: the term page does not read it.
NOT_ON_THE_PAGE = {"unlinked"}


class TermRows(Sequence):
    """A long list of published terms for the Paginator, counted and sliced in raw SQL.

    `source` is the FROM clause and `columns` the columns that give a `ListedTerm`;
    `order` must be served by an index, so a page is read without sorting the whole list; it ends with the
    slug, so terms that share a sort name keep one order from page to page, the neighbour links' order.
    """

    def __init__(
        self,
        source: str,
        where: str,
        params: Sequence,
        order: str,
        count: int | None = None,
        columns: str = LISTED_COLUMNS,
    ):
        self.db = router.db_for_read(PublishedTerm)
        self.source, self.where, self.params, self.order = source, where, list(params), order
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


def for_index(letter: str = "", *, count: int | None = None) -> TermRows:
    """Every listed published term (or those under one letter of the A–Z index), in A–Z order."""
    # Deprecated terms are not listed: the condition of the partial indexes that serve these lists.
    where, params = ("t.letter = %s AND t.deprecated_at IS NULL", [letter]) if letter else (LISTED_ONLY, [])
    return TermRows(f"{PublishedTerm._meta.db_table} t", where, params, order="t.sort_name, t.slug", count=count)


def recent(limit: int = 9) -> list[ListedTerm]:
    """The most recently published listed terms, for the home page."""
    # `count` only bounds the slice: fewer terms simply give fewer rows.
    table = PublishedTerm._meta.db_table
    return TermRows(f"{table} t", LISTED_ONLY, [], order="t.published_at DESC, t.sort_name, t.slug", count=limit)[
        :limit
    ]


def for_tag_page(tag_slug: str, count: int) -> TermRows:
    """The published terms with a tag, in A–Z order; `count` is theirs, from the site state's counts."""
    # Read from the tag rows alone, which carry what a list shows, in the order of the
    # (slug, sort_name, term_slug) index: a page of a large tag is neither sorted nor joined.
    columns = "g.term_slug, g.term_name, g.short_definition, g.letter"
    return TermRows(
        f"{PublishedTermTag._meta.db_table} g",
        "g.slug = %s",
        [tag_slug],
        "g.sort_name, g.term_slug",
        count=count,
        columns=columns,
    )


def neighbour_link(slug_and_name: str | None) -> dict | None:
    """A term before or after another A–Z, from the term page's query: {"slug", "name" (its title), "url"}."""
    if not slug_and_name:
        return None
    slug, name = slug_and_name.split(" ", 1)
    return {"slug": slug, "name": name, "url": term_url(slug)}


def for_term_page(slug: str) -> PublishedTerm | None:
    """Everything the term page shows, in one query, with the terms before and after it A–Z."""
    db = router.db_for_read(PublishedTerm)
    connection = connections[db]
    table = PublishedTerm._meta.db_table
    fields = [field for field in PublishedTerm._meta.concrete_fields if field.name not in NOT_ON_THE_PAGE]
    columns = ", ".join(f"t.{connection.ops.quote_name(field.column)}" for field in fields)
    # The listed terms before and after it A–Z, as "slug name" (a slug has no spaces): two index
    # lookups in the same query, ties on the name broken by the slug.
    neighbour = (
        "(SELECT n.slug || ' ' || n.title FROM {table} n WHERE (n.sort_name, n.slug) {op} (t.sort_name, t.slug)"
        " AND n.deprecated_at IS NULL ORDER BY n.sort_name {order}, n.slug {order} LIMIT 1)"
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
    # The fields' own converters turn the row into what the ORM would have built.
    for field, value in zip(fields, row, strict=True):
        column = field.get_col(table)
        for converter in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
            value = converter(value, column, connection)
        values.append(value)
    term = PublishedTerm.from_db(db, [field.attname for field in fields], values)
    term.previous_term, term.next_term = neighbour_link(previous_term), neighbour_link(next_term)
    return term


def site_state(*, with_counts: bool = False) -> SiteState:
    """The published layer's current generation (generation 0 before anything is published).

    Read on every reader request, cached or not. `with_counts` reads the counts in the same
    query, for a page that shows them.
    """
    columns = "generation, changed_at" + (", term_count, letter_counts, tag_counts" if with_counts else "")
    with connections[router.db_for_read(SiteState)].cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {SiteState._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        state = SiteState(pk=1, generation=0, changed_at=EPOCH)
        if with_counts:
            state.counts = SiteCounts.from_row(0, "{}", "[]")
        return state
    generation, changed_at, *counts = row
    if isinstance(changed_at, str):  # SQLite hands back text
        changed_at = parse_datetime(changed_at)
    if changed_at.tzinfo is None:
        changed_at = changed_at.replace(tzinfo=UTC)
    state = SiteState(pk=1, generation=generation, changed_at=changed_at)
    if with_counts:
        state.counts = SiteCounts.from_row(*counts)
    return state


def site_counts() -> SiteCounts:
    """The counts the list pages show, for a page whose site state was read without them (by the page cache)."""
    with connections[router.db_for_read(SiteState)].cursor() as cursor:
        cursor.execute(f"SELECT term_count, letter_counts, tag_counts FROM {SiteState._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return SiteCounts.from_row(*(row or (0, "{}", "[]")))
