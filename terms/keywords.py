"""Each published term's keywords: the few words of its text that tell what it is about, weighed.

"People also read" (`terms.also_read`) finds terms worded alike through them. A term's text is
what its page says in words: its title (three times the weight of a word elsewhere), other
names and one-liner (twice), explanation, usage and misconceptions (once); analogies, history
and examples, which mostly speak of other things, are left out. Words are case-folded, a
plural's s taken off ("Models" is "model"); common words and numbers are dropped.

A word's weight grows with how often the text says it, sublinearly (1 + ln of its weighted
count), so a long text does not drown out a short one. The `KEYWORDS` weightiest words are kept
(of words as weighty, the longer first), their weights scaled so that their squares add up to 1.
Keywords depend on the term's own text alone: publishing one by one or in bulk, or rebuilding,
gives the same. How many other terms share a keyword, which says how much it tells, is counted
when choosing (`terms.also_read`). They are written whenever a term is published; a deprecated
term has none.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable

from .bulk import insert_rows
from .models.published import LISTED, PublishedKeyword, PublishedTerm
from .phrases import STOPWORDS, prose, word_key

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


def weights(title: str, labels: list, short_definition: str, unlinked: dict, misconceptions: list) -> dict[str, float]:
    """Each word of a published term's text, and its weight there (1 + ln of its weighted count)."""
    counts: Counter[str] = Counter()
    texts = [(title, TITLE_WEIGHT), (short_definition, NAME_WEIGHT)]
    texts += [(label["name"], NAME_WEIGHT) for label in labels]
    texts += [(prose(markup), TEXT_WEIGHT) for key, markup in unlinked.items() if key.startswith(SECTIONS)]
    texts += [(misconception.get("claim", ""), TEXT_WEIGHT) for misconception in misconceptions]
    for text, weight in texts:
        for word in words(text):
            counts[word] += weight
    return {word: 1 + math.log(count) for word, count in counts.items()}


def keep(weighed: dict[str, float]) -> dict[str, float]:
    """The `KEYWORDS` weightiest words, their weights scaled so that their squares add up to 1.

    Of words as weighty, the longer go first (long words tend to be the rarer, telling ones), then A–Z.
    """
    kept = sorted(weighed, key=lambda word: (-weighed[word], -len(word), word))[:KEYWORDS]
    norm = math.sqrt(sum(weighed[word] ** 2 for word in kept)) or 1.0
    return {word: round(weighed[word] / norm, 6) for word in kept}


def of_rows(rows: Iterable[tuple]) -> dict[int, dict[str, float]]:
    """The keywords of published terms, from rows of `COLUMNS`."""
    return {pk: keep(weights(*values)) for pk, *values in rows}


def record(terms: Iterable[PublishedTerm]) -> set[int]:
    """Write the keywords of these just-published terms (none for a deprecated one); return the ids of those
    whose keywords changed."""
    terms = list(terms)
    ids = [term.pk for term in terms]
    kept = {
        term.pk: keep(weights(term.title, term.labels, term.short_definition, term.unlinked, term.misconceptions))
        for term in terms
        if term.deprecated_at is None
    }
    before: dict[int, dict[str, float]] = {pk: {} for pk in ids}
    for start in range(0, len(ids), BATCH):
        rows = PublishedKeyword.objects.filter(term_id__in=ids[start : start + BATCH])
        for term_id, keyword, weight in rows.values_list("term_id", "keyword", "weight"):
            before[term_id][keyword] = weight
    changed = {pk for pk in ids if kept.get(pk, {}) != before[pk]}
    _write({pk: kept.get(pk, {}) for pk in changed})
    return changed


def rebuild_all() -> int:
    """Write every published term's keywords again; return how many terms have them."""
    listed = PublishedTerm.objects.filter(LISTED).order_by("pk").values_list(*COLUMNS)
    keywords = of_rows(listed.iterator(chunk_size=BATCH))
    PublishedKeyword.objects.all().delete()
    _write(keywords, fresh=True)
    return len(keywords)


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
