"""Finding published terms by what a reader types.

One small interface over two full-text indexes, chosen by the database in use:
SQLite's FTS5 (built into Python's sqlite3) and PostgreSQL's full-text search.
The index holds published terms only; `publish` and `unpublish` keep it equal
to the published layer, in their own transactions.

It also finds the pages whose text may mention a name (`mentioning`), so that
publishing a term cross-links the pages that mention it without reading them all:
a phrase of the name's words in the body text, which every exact mention matches.

The index finds candidates without scanning the glossary; the final order is
decided here, in Python, the same way on both databases:
exact name or alias, then names starting with the query, then names holding
all its words, then matches in the one-line definition, then in the body text.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

import nh3
from django.db import connections, router

from .models.published import PublishedTerm

MAX_RESULTS = 50
# Candidates read from the index, best first by its own relevance score, before ranking.
CANDIDATES = 200
MAX_QUERY_WORDS = 8
WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text`: "Café" → "cafe"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> list[str]:
    return WORD.findall(fold(text).replace("_", " "))


def compact(text: str) -> str:
    """The text with everything but letters and digits dropped: "Fine-tuning" → "finetuning"."""
    return "".join(words(text))


@dataclass(frozen=True)
class Result:
    """One search hit, as a list of terms shows it."""

    slug: str
    name: str
    short_definition: str
    letter: str
    tier: int  # 0 exact name or alias, 1 name prefix, 2 words in name or alias, 3 definition, 4 body


@dataclass(frozen=True)
class Document:
    """What the index holds of one published term."""

    term_id: int
    name: str
    aliases: str
    compact: str
    definition: str
    body: str

    @classmethod
    def of(cls, term: PublishedTerm) -> "Document":
        # The sections before cross-linking: a link's tooltip holds another term's definition.
        sections = list(term.unlinked.values())
        sections += [example["title"] for example in term.examples]
        sections += [item["claim"] for item in term.misconceptions]
        return cls(
            term_id=term.pk,
            name=term.name,
            aliases="\n".join(term.aliases),
            compact=" ".join(compact(name) for name in [term.name, *term.aliases]),
            definition=term.short_definition,
            body=plain_text("\n".join(sections)),
        )


def plain_text(markup: str) -> str:
    return html.unescape(nh3.clean(markup, tags=set()))


class SQLiteIndex:
    """An FTS5 table whose rowid is the term's id; its prefix indexes serve "backprop"."""

    table = "terms_search_fts"

    def __init__(self, connection):
        self.connection = connection

    def add(self, documents: list[Document]) -> None:
        self.remove([document.term_id for document in documents])
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} (rowid, name, aliases, compact, definition, body) VALUES (%s, %s, %s, %s, %s, %s)",
                [(d.term_id, d.name, d.aliases, d.compact, d.definition, d.body) for d in documents],
            )

    def remove(self, term_ids: list[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk in term_ids])

    def candidates(self, query_words: list[str]) -> list[int]:
        # Each word may end a longer word; the whole query squashed may begin a name ("finetun").
        # Quoting every word keeps FTS5's query syntax out of the reader's hands.
        all_words = " AND ".join(f'"{word}"*' for word in query_words)
        expression = f'({all_words}) OR compact : "{"".join(query_words)}"*'
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s"
                f" ORDER BY bm25({self.table}, 10.0, 8.0, 10.0, 3.0, 1.0) LIMIT %s",
                [expression, CANDIDATES],
            )
            return [row[0] for row in cursor.fetchall()]

    def mentioning(self, names: list[str]) -> set[int]:
        found: set[int] = set()
        for phrases in _chunks(phrases_of(names), 100):
            expression = " OR ".join(f'"{phrase}"' for phrase in phrases)
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s", [f"body : ({expression})"]
                )
                found.update(row[0] for row in cursor.fetchall())
        return found


class PostgresIndex:
    """A table of weighted tsvectors under a GIN index ('simple' configuration: no stemming, like FTS5)."""

    table = "terms_search"

    def __init__(self, connection):
        self.connection = connection

    def add(self, documents: list[Document]) -> None:
        self.remove([document.term_id for document in documents])
        vector = (
            "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'A')"
            " || setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'C')"
            " || setweight(to_tsvector('simple', %s), 'D')"
        )
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} (term_id, document) VALUES (%s, {vector})",
                [
                    (d.term_id, fold(d.name), fold(d.aliases), d.compact, fold(d.definition), fold(d.body))
                    for d in documents
                ],
            )

    def remove(self, term_ids: list[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE term_id = ANY(%s)", [list(term_ids)])

    def candidates(self, query_words: list[str]) -> list[int]:
        all_words = " & ".join(f"{word}:*" for word in query_words)
        squashed = f"{''.join(query_words)}:*"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term_id FROM {self.table},"
                " (SELECT to_tsquery('simple', %s) || to_tsquery('simple', %s) AS query) AS q"
                " WHERE document @@ q.query ORDER BY ts_rank(document, q.query) DESC, term_id LIMIT %s",
                [all_words, squashed, CANDIDATES],
            )
            return [row[0] for row in cursor.fetchall()]

    def mentioning(self, names: list[str]) -> set[int]:
        found: set[int] = set()
        for phrases in _chunks(phrases_of(names), 100):
            query = " || ".join(["phraseto_tsquery('simple', %s)"] * len(phrases))
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT term_id FROM {self.table} WHERE document @@ ({query})", phrases)
                found.update(row[0] for row in cursor.fetchall())
        return found


def phrases_of(names: list[str]) -> list[str]:
    """Each name as the phrase of its folded words, for `mentioning`; names without words drop out."""
    return [phrase for phrase in (" ".join(words(name)) for name in names) if phrase]


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def search_index(using: str | None = None):
    """The full-text index of the database that holds the published layer."""
    connection = connections[using or router.db_for_write(PublishedTerm)]
    return PostgresIndex(connection) if connection.vendor == "postgresql" else SQLiteIndex(connection)


def index_terms(terms: list[PublishedTerm]) -> None:
    """Add or refresh published terms in the index; call inside the publishing transaction."""
    if terms:
        search_index().add([Document.of(term) for term in terms])


def unindex_terms(term_ids: list[int]) -> None:
    """Take terms out of the index; call inside the unpublishing transaction."""
    if term_ids:
        search_index().remove(term_ids)


def rebuild_index(using: str | None = None, batch: int = 1000) -> int:
    """Index every published term again, from the published layer alone."""
    index = search_index(using)
    terms = PublishedTerm.objects.using(index.connection.alias).order_by("pk")
    ids = list(terms.values_list("pk", flat=True))
    index.remove(ids)
    for start in range(0, len(ids), batch):
        index.add([Document.of(term) for term in terms.filter(pk__in=ids[start : start + batch])])
    return len(ids)


def search_terms(query: str) -> list[Result]:
    """Published terms matching `query`, best first."""
    query_words = words(query)[:MAX_QUERY_WORDS]
    if not query_words:
        return []
    ids = search_index().candidates(query_words)
    if not ids:
        return []
    found = {
        row[0]: row
        for row in PublishedTerm.objects.filter(pk__in=ids).values_list(
            "pk", "slug", "name", "short_definition", "letter", "aliases", "sort_name"
        )
    }
    folded, squashed = " ".join(query_words), "".join(query_words)
    ranked = []
    for position, pk in enumerate(ids):
        if pk not in found:  # unpublished since the index was read
            continue
        _, slug, name, definition, letter, aliases, sort_name = found[pk]
        tier = rank(folded, squashed, query_words, name, aliases, definition)
        ranked.append((tier, position, sort_name, Result(slug, name, definition, letter, tier)))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked[:MAX_RESULTS]]


def rank(folded: str, squashed: str, query_words: list[str], name: str, aliases: list[str], definition: str) -> int:
    """How well a candidate matches: 0 is best (see the module's docstring)."""
    names = [words(candidate) for candidate in [name, *aliases]]
    if any(" ".join(each) == folded or "".join(each) == squashed for each in names):
        return 0
    if any(" ".join(each).startswith(folded) or "".join(each).startswith(squashed) for each in names):
        return 1
    if any(contains_words(each, query_words) for each in names):
        return 2
    if contains_words(words(definition), query_words):
        return 3
    return 4


def contains_words(text_words: list[str], query_words: list[str]) -> bool:
    """Every query word begins some word of the text."""
    return all(any(word.startswith(query_word) for word in text_words) for query_word in query_words)
