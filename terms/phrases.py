"""Phrases and acronyms that published pages use and no term names: the health check's missing entries.

Plain text in, phrases out: `terms.checkup` reads the pages and the glossary's names and asks `most_used`.
"""

import functools
import html
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

from .identity import identity_key

# Common words never begin, end or sit inside a phrase: "the model", "used in practice" are no names.
STOPWORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another any are around as at
    be became because become becomes been before being below between both but by can cannot could did do does doing
    done down during each either else enough even ever every few for from further get gets getting give given gives
    had has have having he her here hers him his how however i if in instead into is it its itself just kind least
    less like likely made make makes making many may me might more most much must my near need needs neither never
    new no nor not now of off often on once one only onto or other others our out over own per perhaps rather really
    same see seen several she should since so some something sometimes such than that the their them then there
    these they this those though through thus to too toward towards under until up upon us use used uses using very
    via was way ways we well were what when where whether which while who whom whose why will with within without
    would yet you your first second third two three four five lot lots e.g i.e etc example examples
    usually typically simply already still able based called known means mean meaning include includes
    including across along whereas et al
    """.split()  # noqa: SIM905 (a list literal of 200 strings reads worse)
)
TAGS = re.compile(r"<[^>]*>")
# Code is not prose: its identifiers are no missing entries.
CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
# A history's closing "Sources: …" paragraph cites titles and venues ("ICLR", "Few-Shot Learners"): no entries wanted.
SOURCES = re.compile(r"<p>\s*(?:<(?:em|strong)>)?Sources?:.*?</p>", re.S)
# Phrases stop at punctuation and line breaks, and at numbers and common words (see `candidates`).
CLAUSES = re.compile(r"[.!?;:,()\[\]{}\"“”‘’—–…/|\n]+|\s[-'‘’]\s")
WORDS = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'’][A-Za-z0-9]+)*|\d\S*")
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}s?\b")


@functools.lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """A word as phrases are compared: case-folded, a plural's s taken off ("models", "Model" and "model" are one)."""
    key = word.casefold()
    if key.endswith("ies") and len(key) > 4:
        return key[:-3] + "y"
    if key.endswith("s") and not key.endswith(("ss", "us", "is")) and len(key) > 3:
        return key[:-1]
    return key


def phrase_key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(word_key(word) for word in WORDS.findall(identity_key(" ".join(words))))


def prose(markup: str) -> str:
    """Rendered HTML as plain text: its markup and code left out."""
    return html.unescape(TAGS.sub(" ", CODE.sub(" ", markup)))


def page_text(unlinked: dict, examples: list, misconceptions: list) -> str:
    """A published page's prose: its sections without markup, code or sources, its examples' titles and misconceptions."""
    sections = (prose(SOURCES.sub(" ", section)) for section in unlinked.values())
    titles = (example.get("title", "") for example in examples)
    claims = (misconception.get("claim", "") for misconception in misconceptions)
    return "\n".join(chain(sections, titles, claims))


@dataclass
class Names:
    """The glossary's names and labels as word keys, found in a text's words by their first word."""

    whole: set[tuple[str, ...]] = field(default_factory=set)
    lengths: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # longest first

    def add(self, name: str) -> None:
        key = phrase_key([name])
        if key:
            self.whole.add(key)
            self.lengths[key[0]] = sorted({*self.lengths[key[0]], len(key)}, reverse=True)

    def at(self, keys: list[str], index: int) -> int:
        """The length in words of the longest name at `keys[index]`; 0 if no name starts there."""
        for size in self.lengths.get(keys[index], ()):
            if tuple(keys[index : index + size]) in self.whole:
                return size
        return 0


def candidates(text: str, names: Names) -> dict[tuple[str, ...], str]:
    """The phrases of 2–4 words and the acronyms a text uses that are no name, each as first written.

    A phrase holds no common word or number: each clause is cut into runs of other words first, the one
    loop over every word (kept short: it is most of the cost), and only runs of two words or more are read.
    """
    acronyms = (acronym.removesuffix("s") for acronym in ACRONYM.findall(text))
    found = {(word_key(acronym),): acronym for acronym in acronyms}
    for clause in CLAUSES.split(text):
        run: list[str] = []
        for word in WORDS.findall(clause):
            if word[0].isalpha() and len(word) > 1 and word.casefold() not in STOPWORDS:
                run.append(word)
                continue
            if len(run) > 1:
                phrases_of(run, names, found)
            run = []
        if len(run) > 1:
            phrases_of(run, names, found)
    for key in [key for key in found if key in names.whole]:
        del found[key]
    return found


def phrases_of(words: list[str], names: Names, found: dict) -> None:
    """Add the phrases of 2–4 words in a run of words to `found`; a name splits the run.

    "large language models" in a run offers nothing, its words being a name's.
    """
    keys = [word_key(word) for word in words]
    start = index = 0
    while index <= len(keys):
        name = names.at(keys, index) if index < len(keys) else 0
        if index < len(keys) and not name:
            index += 1
            continue
        for size in range(2, 5):
            for first in range(start, index - size + 1):
                if nounlike(keys[first], keys[first + size - 1]):
                    found.setdefault(tuple(keys[first : first + size]), " ".join(words[first : first + size]))
        index += name or 1
        start = index


def nounlike(first: str, last: str) -> bool:
    """Whether words could be a noun phrase: not begun by an adverb ("quickly"), nor ended by a participle ("trained").

    Without a part-of-speech tagger, endings are the cheap tell; "speed" and "seed" are spared.
    """
    return not first.endswith("ly") and not (last.endswith("ed") and len(last) > 4 and not last.endswith("eed"))


def most_used(pages: Iterable[tuple[int, str]], names: Names, limit: int) -> list[tuple[str, list[int]]]:
    """The `limit` phrases used on the most pages (two at least), each as first written, with those pages' ids.

    `pages` are (id, text) pairs. At equal use the longest phrase comes first, and its parts used on no
    other page are left out ("large language" of "large language model").
    """
    pages_of, written = defaultdict(list), {}
    for pk, text in pages:
        for key, phrase in candidates(text, names).items():
            pages_of[key].append(pk)
            written.setdefault(key, phrase)
    used = {key: len(pks) for key, pks in pages_of.items() if len(pks) > 1}
    shown: list[tuple[str, ...]] = []
    for key, count in sorted(used.items(), key=lambda item: (-item[1], -len(item[0]), item[0])):
        if any(len(key) < len(longer) and count == used[longer] and within(key, longer) for longer in shown):
            continue
        shown.append(key)
        if len(shown) == limit:
            break
    return [(written[key], pages_of[key]) for key in shown]


def within(part: tuple, whole: tuple) -> bool:
    """Whether the words of `part` appear together in `whole`."""
    return any(whole[start : start + len(part)] == part for start in range(len(whole) - len(part) + 1))
