"""Each published term's keywords: the few words of its text that tell what it is about, weighed.

"People also read" (`terms.also_read`) finds terms worded alike through them. A term's text is
what its page says in words: its title (three times the weight of a word elsewhere), other
names and one-liner (twice), explanation, usage and misconceptions (once); analogies, history
and examples, which mostly speak of other things, are left out. Words are case-folded, a
plural's s taken off ("Models" is "model"); common words and numbers are dropped.

A word's weight grows with how often the text says it, sublinearly (1 + ln of its count), so a
long text does not drown out a short one. The `KEYWORDS` words kept are those whose weight
times rarity, ln((N + 1) / n), is highest: N published terms, n of them with the word
among their own keywords (the term itself included) (counted from the index, so a publish reads no other term's text; a
rebuild counts it in every term's text). The kept weights are scaled so that their squares add
up to 1. Keywords are written whenever a term is published, and a deprecated term has none.
"""

import html
import math
import re
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count

from .bulk import insert_rows
from .models.published import LISTED, PublishedKeyword, PublishedTerm
from .phrases import CODE, STOPWORDS, TAGS, word_key

KEYWORDS = 24
MAX_KEYWORD_LENGTH = 40  # the column's length; longer "words" are addresses or hashes
TITLE_WEIGHT = 3
NAME_WEIGHT = 2  # other names, and the one-liner
TEXT_WEIGHT = 1
# The rendered sections, before cross-linking, that count as the term's text.
SECTIONS = ("explanation", "usage", "misconception-")
WORD = re.compile(r"[^\W_]+")
BATCH = 500
# Published-term columns the keywords are read from.
COLUMNS = ("pk", "title", "labels", "short_definition", "unlinked", "misconceptions")


def words(text: str) -> list[str]:
    """The text's words as keywords compare them, common words and numbers left out."""
    found = []
    for word in WORD.findall(text.casefold()):
        if len(word) > 1 and not word.isdigit() and word not in STOPWORDS and len(word) <= MAX_KEYWORD_LENGTH:
            found.append(word_key(word))
    return found


def plain(markup: str) -> str:
    """A rendered section's prose: its markup and code left out."""
    return html.unescape(TAGS.sub(" ", CODE.sub(" ", markup)))


def weights(title: str, labels: list, short_definition: str, unlinked: dict, misconceptions: list) -> dict[str, float]:
    """Each word of a published term's text, and its weight there (1 + ln of its weighted count)."""
    counts: Counter[str] = Counter()
    texts = [(title, TITLE_WEIGHT), (short_definition, NAME_WEIGHT)]
    texts += [(label["name"], NAME_WEIGHT) for label in labels]
    texts += [(plain(markup), TEXT_WEIGHT) for key, markup in unlinked.items() if key.startswith(SECTIONS)]
    texts += [(misconception.get("claim", ""), TEXT_WEIGHT) for misconception in misconceptions]
    for text, weight in texts:
        for word in words(text):
            counts[word] += weight
    return {word: 1 + math.log(count) for word, count in counts.items()}


def keep(weighed: dict[str, float], shared: Counter, total: int) -> dict[str, float]:
    """The `KEYWORDS` words that tell most, by weight times rarity; their weights scaled to squares adding up to 1.

    `shared`: how many of the `total` published terms have each word; ties go A–Z.
    """
    ranked = sorted(weighed, key=lambda word: (-weighed[word] * math.log((total + 1) / max(shared[word], 1)), word))
    kept = ranked[:KEYWORDS]
    norm = math.sqrt(sum(weighed[word] ** 2 for word in kept)) or 1.0
    return {word: round(weighed[word] / norm, 6) for word in kept}


def of_rows(rows: Iterable[tuple]) -> dict[int, dict[str, float]]:
    """The weighed words of published terms, from rows of `COLUMNS`."""
    return {pk: weights(*values) for pk, *values in rows}


def record(terms: Iterable[PublishedTerm]) -> set[int]:
    """Write the keywords of these just-published terms (none for a deprecated one); return those whose changed.

    Rarity counts the other terms' keywords in the index, and the words of these terms' own texts.
    """
    terms = list(terms)
    ids = [term.pk for term in terms]
    weighed = {
        term.pk: weights(term.title, term.labels, term.short_definition, term.unlinked, term.misconceptions)
        for term in terms
        if term.deprecated_at is None
    }
    before: dict[int, dict[str, float]] = {pk: {} for pk in ids}
    for start in range(0, len(ids), BATCH):
        rows = PublishedKeyword.objects.filter(term_id__in=ids[start : start + BATCH])
        for term_id, keyword, weight in rows.values_list("term_id", "keyword", "weight"):
            before[term_id][keyword] = weight
    shared: Counter[str] = Counter(word for words_ in weighed.values() for word in words_)
    wanted = sorted(shared)
    for start in range(0, len(wanted), BATCH):
        rows = (
            PublishedKeyword.objects.filter(keyword__in=wanted[start : start + BATCH])
            .exclude(term_id__in=ids)
            .order_by()
            .values_list("keyword")
            .annotate(Count("term"))
        )
        shared.update(dict(rows))
    total = PublishedTerm.objects.filter(LISTED).count() if weighed else 0
    kept = {pk: keep(weighed[pk], shared, total) for pk in weighed}
    changed = {pk for pk in ids if kept.get(pk, {}) != before[pk]}
    _write({pk: kept.get(pk, {}) for pk in changed})
    return changed


def rebuild_all() -> int:
    """Write every published term's keywords again, rarity counted in every term's text; return how many terms."""
    listed = PublishedTerm.objects.filter(LISTED).order_by("pk").values_list(*COLUMNS)
    weighed = of_rows(listed.iterator(chunk_size=BATCH))
    shared = Counter(word for words_ in weighed.values() for word in words_)
    PublishedKeyword.objects.all().delete()
    _write({pk: keep(words_, shared, len(weighed)) for pk, words_ in weighed.items()}, fresh=True)
    return len(weighed)


def _write(keywords: dict[int, dict[str, float]], *, fresh: bool = False) -> None:
    """Store these terms' keywords in place of the ones they had (`fresh`: they have none)."""
    ids = sorted(keywords)
    if not fresh:
        for start in range(0, len(ids), BATCH):
            PublishedKeyword.objects.filter(term_id__in=ids[start : start + BATCH]).delete()
    insert_rows(
        PublishedKeyword,
        ["term", "keyword", "weight"],
        [[pk, word, weight] for pk in ids for word, weight in keywords[pk].items()],
    )
