"""Finding published terms by what a reader types.

One small interface over two full-text indexes, chosen by the database in use:
SQLite's FTS5 (built into Python's sqlite3) and PostgreSQL's full-text search with
pg_trgm. The index holds published terms only; `publish` and `unpublish` keep it
equal to the published layer, in their own transactions. It has three parts:

- the documents: name, aliases, definition and body text of each term, full-text indexed;
  hidden labels (misspellings, search-only words) are among the aliases: found, never shown;
- every name and alias squashed ("Fine-tuning" → "finetuning") under a B-tree index,
  for exact names and names that begin with the query;
- the words of names, with how many terms use each, under a trigram index: a
  misspelt word ("embeding") is looked up among them ("embedding"). Hidden labels' words
  are not among them: a reader is never offered a misspelling as what they meant.

Results come in tiers, each read with a bounded query (never a scan of the glossary):
0 exact name or alias, 1 names starting with the query, 2 names holding all its words,
3 matches in the one-line definition, 4 matches anywhere, body text included.
Within a tier, words as typed come before typo-corrected ones, then the index's own
relevance (BM25 or ts_rank over at most `RANK_WINDOW` matches), then by name.

It also finds the pages whose text may mention a name (`mentioning`), so that
publishing a term cross-links the pages that mention it without reading them all:
a phrase of the name's words in the body text, which every exact mention matches.

The same machinery, on tables of its own (named by their prefix), indexes the editors'
working copies for the admin's search: `terms.admin_search`, on the editorial side.
"""

import html
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import nh3
from django.db import connections, router
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz.distance import OSA

from .enums import LabelKind
from .identity import identity_key
from .models.published import LISTED, PublishedTerm

# Results a search shows on a page, and at most over all its pages.
RESULTS_PER_PAGE = 20
MAX_RESULTS = 200
MAX_SUGGESTIONS = 8
MAX_QUERY_WORDS = 8
# Matches of one tier ranked by relevance at most; beyond that, the first ones found.
RANK_WINDOW = 2000
# Words shorter than this are never corrected; longer ones tolerate more typos.
MIN_CORRECTED_LENGTH = 4
TWO_TYPOS_FROM_LENGTH = 8
CORRECTIONS_PER_WORD = 3
MAX_COMPLETIONS = 10
# Typo-corrected spellings of a query tried at most (each word's alternatives combined).
MAX_VARIANTS = 8
# Longer "words" are addresses or hashes, not words anyone misspells (`EveryWord`).
MAX_WORD_LENGTH = 40
# Ends the words of a hidden label's row in the names table: tokenizers skip a line break, and the words
# that typos are corrected to leave the row out (see `Index.vocabularies`).
HIDDEN_MARK = "\n"
# Why a result matched, for a hidden label: the label itself is never shown.
MATCHED_HIDDEN = "a common misspelling or search word"
WORD = re.compile(r"\w+")

EXACT, PREFIX, NAME_WORDS, DEFINITION, ANYWHERE = range(5)
NAME_TIERS = (EXACT, PREFIX, NAME_WORDS)
ALL_TIERS = (*NAME_TIERS, DEFINITION, ANYWHERE)


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


def allowed_typos(word: str) -> int:
    if len(word) < MIN_CORRECTED_LENGTH:
        return 0
    return 2 if len(word) >= TWO_TYPOS_FROM_LENGTH else 1


@dataclass(frozen=True)
class Result:
    """One search hit, as a list of terms shows it."""

    slug: str
    name: str  # its title: "Attention (psychology)" for a homonym
    short_definition: str
    letter: str
    tier: int  # see the module's docstring
    term_id: int
    # Why it matched, when not by its name: "LLM, abbreviation" (see `match_reason`).
    matched: str = ""
    deprecated: bool = False  # found only by its exact name: readers are told it is deprecated


@dataclass(frozen=True)
class Query:
    """What a reader typed, read as words, with what each word may stand for.

    `completions`: longer words of names that a word begins ("backprop" → "backpropagation");
    `corrections`: for a word that begins no word of any name, the nearest ones ("embeding").
    """

    words: tuple[str, ...]
    completions: dict = field(default_factory=dict)
    corrections: dict = field(default_factory=dict)

    @property
    def squashed(self) -> str:
        """The query as one word, to compare with names squashed: "Fine-Tuning" → "finetuning"."""
        return "".join(self.words)

    def choices(self, word: str, *, tier: int, corrected: bool) -> list[tuple[str, bool]]:
        """What the index may match for a word: (text, is_prefix) pairs.

        Names are few and short, so a name's words match any word the reader's begins.
        Definitions and bodies are long: there a word matches itself or a word of a name
        it begins, never as an open prefix, which would read every posting of a common
        stem ("model" is in nearly every body) and make the cost grow with the glossary.
        """
        if tier == NAME_WORDS:
            found = [(word, len(word) >= 2)]
        else:
            found = [(word, False), *((c, False) for c in self.completions.get(word, []))]
        if corrected:
            found += [(c, False) for c in self.corrections.get(word, [])]
        return list(dict.fromkeys(found))

    def corrected_squashed(self) -> list[str]:
        """The query squashed with typo-corrected words in place of misspelt ones, closest first."""
        choices = [[word, *self.corrections.get(word, [])] for word in self.words]
        combos = itertools.islice(itertools.product(*choices), 1, MAX_VARIANTS + 1)  # the first is as typed
        return ["".join(combo) for combo in combos]

    def alternatives(self, *, tier: int, corrected: bool) -> list[list[tuple[str, bool]]]:
        return [self.choices(word, tier=tier, corrected=corrected) for word in self.words]


@dataclass(frozen=True)
class Document:
    """What the index holds of one published term."""

    term_id: int
    name: str
    aliases: str  # every other name, one a line, hidden ones included
    definition: str
    body: str
    hidden: str = ""  # the hidden names among the aliases, one a line

    @classmethod
    def of(cls, term: PublishedTerm) -> "Document":
        # The sections before cross-linking: a link's tooltip holds another term's definition. In a fixed
        # order, since PostgreSQL's jsonb does not keep its keys': a term read back is indexed alike.
        sections = [html for _, html in sorted(term.unlinked.items())]
        sections += [example["title"] for example in term.examples]
        sections += [item["claim"] for item in term.misconceptions]
        return cls(
            term_id=term.pk,
            name=term.name,
            aliases="\n".join(label["name"] for label in term.labels),
            # A homonym's qualifier tells readers which one they want: "attention psychology" finds it.
            definition=f"{term.short_definition} {term.qualifier}".rstrip(),
            body=plain_text("\n".join(sections)),
            hidden="\n".join(label["name"] for label in term.labels if label["kind"] == LabelKind.HIDDEN),
        )

    @property
    def names(self) -> list[str]:
        return [self.name, *(alias for alias in self.aliases.splitlines() if alias.strip())]

    @property
    def hidden_names(self) -> set[str]:
        return set(self.hidden.splitlines())


def plain_text(markup: str) -> str:
    return html.unescape(nh3.clean(markup, tags=set()))


def _placeholders(items) -> str:
    return ", ".join(["%s"] * len(items))


class Index:
    """What both databases share: the names table and the words table, in plain SQL.

    Its tables are named by `prefix`: the published layer's index by default.
    """

    def __init__(self, connection, prefix: str = "terms_search"):
        self.connection = connection
        self.names = f"{prefix}_name"
        self.vocabulary_table = f"{prefix}_word"

    def vocabulary(self, document: "Document") -> set[str]:
        """The words of a document that typos are corrected to: its names', hidden ones left out."""
        return name_words(name for name in document.names if name not in document.hidden_names)

    def vocabularies(self, term_ids: list[int]) -> dict[int, set[str]]:
        """The `vocabulary` each of these indexed terms added (a term's words are counted once)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term_id, words FROM {self.names} WHERE term_id IN ({_placeholders(term_ids)})", term_ids
            )
            by_term: dict[int, list[str]] = {}
            for term_id, spaced in cursor.fetchall():
                by_term.setdefault(term_id, []).append(spaced)
        return {
            term_id: name_words(name for name in names if not name.endswith(HIDDEN_MARK))
            for term_id, names in by_term.items()
        }

    # -- Keeping it equal to the published layer --

    def add(self, documents: list[Document]) -> None:
        self.remove([document.term_id for document in documents])
        self.add_documents(documents)
        names = [
            (d.term_id, compact(name), " ".join(words(name)) + (HIDDEN_MARK if name in d.hidden_names else ""))
            for d in documents
            for name in d.names
        ]
        uses = Counter(word for d in documents for word in self.vocabulary(d))
        with self.connection.cursor() as cursor:
            cursor.executemany(self.insert_name, [self.name_params(*row) for row in names if row[1]])
            cursor.executemany(
                f"INSERT INTO {self.vocabulary_table} (word, uses) VALUES (%s, %s)"
                f" ON CONFLICT (word) DO UPDATE SET uses = {self.vocabulary_table}.uses + excluded.uses",
                sorted(uses.items()),
            )

    def remove(self, term_ids: list[int]) -> None:
        term_ids = list(term_ids)
        for chunk in _chunks(term_ids, 500):
            uses = Counter(word for vocabulary in self.vocabularies(chunk).values() for word in vocabulary)
            with self.connection.cursor() as cursor:
                if uses:
                    cursor.executemany(
                        f"UPDATE {self.vocabulary_table} SET uses = uses - %s WHERE word = %s",
                        [(count, word) for word, count in sorted(uses.items())],
                    )
                    gone = sorted(uses)
                    cursor.execute(
                        f"DELETE FROM {self.vocabulary_table} WHERE uses <= 0 AND word IN ({_placeholders(gone)})",
                        gone,
                    )
                cursor.execute(f"DELETE FROM {self.names} WHERE term_id IN ({_placeholders(chunk)})", chunk)
        self.remove_documents(term_ids)

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            for table in [self.names, self.vocabulary_table, self.table]:
                cursor.execute(f"DELETE FROM {table}")

    # -- Reading --

    def named(self, squashed: list[str], *, tag: str, limit: int) -> list[int]:
        """Terms with one of these names or aliases, squashed."""
        squashed = sorted(set(squashed))
        sql = f"SELECT compact, term_id FROM {self.names} WHERE compact IN ({_placeholders(squashed)})"
        return _distinct_terms(self._names(sql, squashed, tag=tag, limit=limit * 2), limit)

    def named_starting(self, squashed: list[str], *, tag: str, limit: int) -> list[int]:
        """Terms with a name or alias that begins with one of these, squashed; by name."""
        rows = []
        for start in sorted(set(squashed)):  # one index range each
            sql = f"SELECT compact, term_id FROM {self.names} WHERE compact >= %s AND compact < %s"
            rows += self._names(sql, [start, start + "\U0010ffff"], tag=tag, limit=limit * 2)
        return _distinct_terms(sorted(rows), limit)

    def _names(self, sql: str, params: list, *, tag: str, limit: int) -> list[tuple[str, int]]:
        if tag:
            sql += " AND term_id IN (SELECT term_id FROM terms_publishedtermtag WHERE slug = %s)"
            params = [*params, tag]
        with self.connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY compact, term_id LIMIT %s", [*params, limit])
            return cursor.fetchall()

    def completions(self, word: str) -> list[str]:
        """Words of names that begin with `word` (itself included, if it is one); by spelling."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word FROM {self.vocabulary_table} WHERE word >= %s AND word < %s ORDER BY word LIMIT %s",
                [word, word + "\U0010ffff", MAX_COMPLETIONS],
            )
            return [row[0] for row in cursor.fetchall()]

    def corrections(self, word: str, *, typos: int | None = None) -> list[str]:
        """Words of names within `typos` edits of `word` (its allowance by length if None), closest first."""
        typos = allowed_typos(word) if typos is None else typos
        if typos < 1:
            return []
        close = []
        for candidate, uses in self.similar_words(word):
            distance = OSA.distance(word, candidate, score_cutoff=typos)
            if distance <= typos and candidate != word:
                close.append((distance, -uses, candidate))
        return [candidate for *_, candidate in sorted(close)[:CORRECTIONS_PER_WORD]]


def _distinct_terms(rows: list[tuple[str, int]], limit: int) -> list[int]:
    """The terms of (squashed name, term id) rows, each once, in order."""
    return list(dict.fromkeys(term_id for _, term_id in rows))[:limit]


def name_words(names) -> set[str]:
    """The words of these names that typos are corrected to (one use per term)."""
    return {word for name in names for word in words(name) if len(word) >= 3}


class SQLiteIndex(Index):
    """An FTS5 table whose rowid is the term's id; its prefix indexes serve "backprop"."""

    def __init__(self, connection, prefix: str = "terms_search"):
        super().__init__(connection, prefix)
        self.table = f"{prefix}_fts"
        self.name_words = f"{prefix}_name_words"
        self.trigrams = f"{prefix}_trigrams"
        self.insert_name = f"INSERT INTO {self.names} (term_id, compact, words) VALUES (%s, %s, %s)"

    def name_params(self, term_id: int, squashed: str, spaced: str) -> tuple:
        return (term_id, squashed, spaced)

    def add_documents(self, documents: list[Document]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} (rowid, name, aliases, definition, body) VALUES (%s, %s, %s, %s, %s)",
                [(d.term_id, d.name, d.aliases, d.definition, d.body) for d in documents],
            )

    def remove_documents(self, term_ids: list[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk in term_ids])

    def matching(self, tier: int, alternatives: list[list[tuple[str, bool]]], *, tag: str, limit: int) -> list[int]:
        """Terms holding every word (any of its alternatives): in one name or alias for NAME_WORDS,
        in the definition or a name for DEFINITION, anywhere for ANYWHERE; best first."""
        # Quoting every word keeps FTS5's query syntax out of the reader's hands.
        expression = " AND ".join(
            "(" + " OR ".join(f'"{word}"' + ("*" if prefix else "") for word, prefix in choices) + ")"
            for choices in alternatives
        )
        restrict, params = "", [expression]
        if tag:
            restrict = " AND {} IN (SELECT term_id FROM terms_publishedtermtag WHERE slug = %s)"
            params.append(tag)
        if tier == NAME_WORDS:
            sql = (
                f"SELECT n.term_id FROM {self.names} n JOIN (SELECT rowid, bm25({self.name_words}) AS score"
                f" FROM {self.name_words} WHERE {self.name_words} MATCH %s LIMIT {RANK_WINDOW}) m"
                f" ON m.rowid = n.id WHERE 1 = 1{restrict.format('n.term_id')} ORDER BY m.score, n.compact LIMIT %s"
            )
        else:
            if tier == DEFINITION:
                expression = f"{{name aliases definition}} : ({expression})"
            params[0] = expression
            sql = (
                f"SELECT rowid FROM (SELECT rowid, bm25({self.table}, 10.0, 8.0, 3.0, 1.0) AS score"
                f" FROM {self.table} WHERE {self.table} MATCH %s{restrict.format('rowid')} LIMIT {RANK_WINDOW})"
                " ORDER BY score, rowid LIMIT %s"
            )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit * 2])
            return list(dict.fromkeys(row[0] for row in cursor.fetchall()))[:limit]

    def similar_words(self, word: str, limit: int = 30) -> list[tuple[str, int]]:
        """Words of names sharing the most three-letter runs with `word` (with their uses)."""
        trigrams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
        if not trigrams:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT w.word, w.uses FROM {self.vocabulary_table} w JOIN (SELECT rowid FROM {self.trigrams}"
                f" WHERE {self.trigrams} MATCH %s ORDER BY rank LIMIT %s) t ON t.rowid = w.id",
                [" OR ".join(f'"{trigram}"' for trigram in trigrams), limit],
            )
            return cursor.fetchall()

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


class PostgresIndex(Index):
    """A table of weighted tsvectors under a GIN index ('simple' configuration: no stemming, like FTS5).

    Names and aliases weigh A, the definition C, the body D.
    """

    def __init__(self, connection, prefix: str = "terms_search"):
        super().__init__(connection, prefix)
        self.table = prefix
        self.insert_name = (
            f"INSERT INTO {self.names} (term_id, compact, words, document)"
            " VALUES (%s, %s, %s, to_tsvector('simple', %s))"
        )

    def name_params(self, term_id: int, squashed: str, spaced: str) -> tuple:
        return (term_id, squashed, spaced, spaced)

    # tsquery weight labels: the names' own table has none; the documents' definition tier has A and C.
    WEIGHTS = {NAME_WORDS: "", DEFINITION: "AC", ANYWHERE: ""}

    def add_documents(self, documents: list[Document]) -> None:
        vector = (
            "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'A')"
            " || setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D')"
        )
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} (term_id, document) VALUES (%s, {vector})",
                [(d.term_id, fold(d.name), fold(d.aliases), fold(d.definition), fold(d.body)) for d in documents],
            )

    def remove_documents(self, term_ids: list[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE term_id = ANY(%s)", [list(term_ids)])

    def matching(self, tier: int, alternatives: list[list[tuple[str, bool]]], *, tag: str, limit: int) -> list[int]:
        """Terms whose text holds every word (any of its alternatives), with the tier's weights; best first."""
        weights = self.WEIGHTS[tier]

        def lexeme(word: str, prefix: bool) -> str:
            label = ("*" if prefix else "") + weights
            return f"{word}:{label}" if label else word

        query = " & ".join(
            "(" + " | ".join(lexeme(word, prefix) for word, prefix in choices) + ")" for choices in alternatives
        )
        restrict, params = "", [query]
        if tag:
            restrict = " AND term_id IN (SELECT term_id FROM terms_publishedtermtag WHERE slug = %s)"
            params.append(tag)
        table, order = (self.names, "compact") if tier == NAME_WORDS else (self.table, "term_id")
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term_id FROM (SELECT term_id, {order} AS tiebreak, document, q.query FROM"
                f" (SELECT to_tsquery('simple', %s) AS query) AS q, {table}"
                f" WHERE document @@ q.query{restrict} LIMIT {RANK_WINDOW}) AS hits"
                " ORDER BY ts_rank(document, query) DESC, tiebreak LIMIT %s",
                [*params, limit * 2],
            )
            return list(dict.fromkeys(row[0] for row in cursor.fetchall()))[:limit]

    def similar_words(self, word: str, limit: int = 30) -> list[tuple[str, int]]:
        """Words of names most similar to `word` by their trigrams (with their uses)."""
        with self.connection.cursor() as cursor:
            cursor.execute("SET pg_trgm.similarity_threshold = 0.2")
            cursor.execute(
                f"SELECT word, uses FROM {self.vocabulary_table} WHERE word %% %s ORDER BY word <-> %s, word LIMIT %s",
                [word, word, limit],
            )
            return cursor.fetchall()

    def mentioning(self, names: list[str]) -> set[int]:
        found: set[int] = set()
        for phrases in _chunks(phrases_of(names), 100):
            query = " || ".join(["phraseto_tsquery('simple', %s)"] * len(phrases))
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT term_id FROM {self.table} WHERE document @@ ({query})", phrases)
                found.update(row[0] for row in cursor.fetchall())
        return found


class EveryWord:
    """Index mixin: typos are corrected to every word of a document, body text included, not only its names'.

    Each term's words are kept (table `<prefix>_vocabulary`) to take them out again when it changes.
    """

    def __init__(self, connection, prefix: str):
        super().__init__(connection, prefix)
        self.kept_words = f"{prefix}_vocabulary"

    def vocabulary(self, document: Document) -> set[str]:
        text = [*document.names, document.definition, document.body]
        return {word for word in name_words(text) if len(word) <= MAX_WORD_LENGTH}

    def vocabularies(self, term_ids: list[int]) -> dict[int, set[str]]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term_id, words FROM {self.kept_words} WHERE term_id IN ({_placeholders(term_ids)})", term_ids
            )
            return {term_id: set(spaced.split()) for term_id, spaced in cursor.fetchall()}

    def add(self, documents: list[Document]) -> None:
        super().add(documents)
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.kept_words} (term_id, words) VALUES (%s, %s)",
                [(d.term_id, " ".join(sorted(self.vocabulary(d)))) for d in documents],
            )

    def remove(self, term_ids: list[int]) -> None:
        term_ids = list(term_ids)
        super().remove(term_ids)
        with self.connection.cursor() as cursor:
            for chunk in _chunks(term_ids, 500):
                cursor.execute(f"DELETE FROM {self.kept_words} WHERE term_id IN ({_placeholders(chunk)})", chunk)

    def clear(self) -> None:
        super().clear()
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.kept_words}")


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
    index.clear()
    for start in range(0, len(ids), batch):
        index.add([Document.of(term) for term in terms.filter(pk__in=ids[start : start + batch])])
    return len(ids)


def read_query(text: str, index: Index | None = None) -> Query:
    """The query's words, and corrections for those of them that no name's word begins."""
    query_words = tuple(dict.fromkeys(words(text)))[:MAX_QUERY_WORDS]
    index = index or search_index()
    completions, corrections = {}, {}
    for word in query_words:
        if len(word) < 2:
            continue
        completions[word] = index.completions(word)
        if not completions[word] and allowed_typos(word):
            corrections[word] = index.corrections(word)
    return Query(
        query_words,
        completions={word: found for word, found in completions.items() if found},
        corrections={word: found for word, found in corrections.items() if found},
    )


def ranked_ids(query: Query, *, tiers=ALL_TIERS, tag: str = "", limit: int = MAX_RESULTS, index=None) -> dict:
    """Term ids, best first, each with its tier; at most `limit` of them."""
    index = index or search_index()
    found: dict[int, int] = {}
    if not query.words:
        return found
    corrected = query.corrected_squashed() if query.corrections else []
    for tier in tiers:
        for is_corrected in (False, True) if corrected else (False,):
            if len(found) >= limit:
                return found
            if tier == EXACT:
                ids = index.named(corrected if is_corrected else [query.squashed], tag=tag, limit=limit)
            elif tier == PREFIX:
                ids = index.named_starting(corrected if is_corrected else [query.squashed], tag=tag, limit=limit)
            else:
                alternatives = query.alternatives(tier=tier, corrected=is_corrected)
                ids = index.matching(tier, alternatives, tag=tag, limit=limit)
            for pk in ids:
                if pk not in found and len(found) < limit:
                    found[pk] = tier
    return found


def results_for(found: dict, query: Query | None = None) -> list[Result]:
    """The published terms of `found` (id → tier), in its order; unpublished ones drop out.

    Given the `query` they were found by, each says why it matched when that was not by its name.
    """
    rows = {
        row[0]: row
        for row in PublishedTerm.objects.filter(pk__in=list(found)).values_list(
            "pk", "slug", "title", "short_definition", "letter", "labels", "name", "deprecated_at"
        )
    }
    return [
        Result(
            *rows[pk][1:5],
            tier=found[pk],
            term_id=pk,
            matched=match_reason(rows[pk][6], rows[pk][5], query) if query and found[pk] in NAME_TIERS else "",
            deprecated=rows[pk][7] is not None,
        )
        for pk in found
        if pk in rows
    ]


def match_reason(name: str, labels: list[dict], query: Query) -> str:
    """Why a term found among names matched, if not by its name: "LLM, abbreviation"; "" if by its name.

    A hidden label is never echoed: the reason then says what kind of word it is, not which.
    """
    # As typed first, as search tries it: "langauge mod" matched a hidden label before "language model" the name.
    for corrected in (False, True):
        if names_match(name, query, corrected=corrected):
            return ""
        # A label readers see explains the match best: hidden ones last.
        for label in sorted(labels, key=lambda label: label["kind"] == LabelKind.HIDDEN):
            if names_match(label["name"], query, corrected=corrected):
                if label["kind"] == LabelKind.HIDDEN:
                    return MATCHED_HIDDEN
                return f"{label['name']}, {LabelKind(label['kind']).label.lower()}"
    return ""


def names_match(name: str, query: Query, *, corrected: bool) -> bool:
    """Whether the query (`corrected` for typos, or as typed) finds the name: as a whole or its beginning,
    squashed, or word by word."""
    squashed = compact(name)
    variants = query.corrected_squashed() if corrected else [query.squashed]
    if any(squashed.startswith(variant) for variant in variants if variant):
        return True
    name_words = words(name)
    return bool(query.words) and all(
        any(
            part.startswith(choice)
            for part in name_words
            for choice in [word, *(query.corrections.get(word, []) if corrected else [])]
        )
        for word in query.words
    )


def without_deprecated(found: dict, query: str = "") -> dict:
    """`found` (id → tier) less the deprecated terms, but for one whose name or other name is exactly `query`.

    A deprecated term leaves searches, except for a reader who types its very name (in any letter case or width).
    """
    if not found:
        return found
    wanted = identity_key(query) if query else None
    deprecated = (
        PublishedTerm.objects.filter(pk__in=list(found)).exclude(LISTED).values_list("pk", "name", "aliases", "labels")
    )
    dropped = {
        pk
        for pk, name, aliases, labels in deprecated
        if found[pk] != EXACT
        or wanted not in {identity_key(other) for other in [name, *aliases, *(label["name"] for label in labels)]}
    }
    return {pk: tier for pk, tier in found.items() if pk not in dropped}


def search_terms(query: str, *, tag: str = "", limit: int = RESULTS_PER_PAGE + 1) -> list[Result]:
    """Published terms matching `query`, best first (see the module's docstring).

    The first `limit` only: a page of results, and one more to tell that another page follows.
    """
    parsed = read_query(query)
    return results_for(without_deprecated(ranked_ids(parsed, tag=tag, limit=limit), query), parsed)


def suggest(query: str) -> list[Result]:
    """As-you-type: at most `MAX_SUGGESTIONS` listed terms whose names match, best first."""
    parsed = read_query(query)
    return [
        result
        for result in results_for(ranked_ids(parsed, tiers=NAME_TIERS, limit=MAX_SUGGESTIONS), parsed)
        if not result.deprecated
    ]


@dataclass(frozen=True)
class Closest:
    """For a search that found nothing: the query respelt with the nearest words of names, and terms near it."""

    respelt: str
    terms: list[Result]


def closest(query: str, limit: int = 5) -> Closest:
    """Names nearest to a query that matched nothing, looser than a search's typo allowance."""
    index = search_index()
    nearest = {}
    for word in tuple(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]:
        if len(word) >= 3 and not index.completions(word):
            nearest[word] = index.corrections(word, typos=max(2, len(word) // 3))
    respelt = " ".join(nearest[word][0] if nearest.get(word) else word for word in words(query))
    choices = [[(candidate, False)] for candidates in nearest.values() for candidate in candidates]
    found: dict[int, int] = {}
    if choices:
        # Any of the near words, not all: the query matched nothing as a whole.
        either = [[choice for group in choices for choice in group]]
        for pk in index.matching(NAME_WORDS, either, tag="", limit=limit):
            found[pk] = NAME_WORDS
    changed = respelt != " ".join(words(query))
    near = [result for result in results_for(found) if not result.deprecated]
    return Closest(respelt if changed and near else "", near)


def highlight(name: str, query: Query) -> SafeString:
    """The name, escaped, with the words the query matched in <mark>."""
    prefixes = query.words
    whole = {c for corrections in query.corrections.values() for c in corrections}
    parts, last, marked = [], 0, False
    for match in WORD.finditer(name):
        folded = fold(match.group())
        if folded in whole or any(folded.startswith(prefix) for prefix in prefixes):
            parts += [escape(name[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
            last, marked = match.end(), True
    parts.append(escape(name[last:]))
    if not marked and prefixes and compact(name).startswith("".join(prefixes)):
        return mark_safe(f"<mark>{escape(name)}</mark>")  # "finetuning" matched "Fine-tuning" as a whole
    return mark_safe("".join(parts))
