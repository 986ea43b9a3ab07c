"""Cross-links: the first mention of another published term in a section links to its page.

Runs on the sanitised HTML that `terms.rendering` produces, never on markdown, so it
cannot undo the sanitiser: it only wraps runs of existing text in markup it builds
itself, with every value escaped. Unmatched text and markup are copied byte for byte.

Rules: case-insensitive, on word boundaries, longest name first ("large language
model" before "language model"); a name joined to a word by a hyphen is part of a
compound ("BERT-style", "Parameter-efficient") and is not linked, unless the whole
compound is itself a name ("Fine-tuning"); a term never links to itself (its own name is
passed over as a whole, so no shorter name inside it links either); at most one link
per target in a section; nothing inside links, headings, code or pre blocks, or a paragraph of sources.
A name that two published terms share ("Attention", of "Attention (psychology)" and
"Attention (machine learning)") is ambiguous: it is passed over whole, never linked,
and `ambiguous_mentions` lists it for editors.

The glossary of names to look for comes from `PublishedName` rows: only the
names in a page's own words are read, so linking a page costs the same at
100 terms as at 100,000.
"""

import html
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

WORD = re.compile(r"\w+")
# nh3 serialises every tag with double-quoted attribute values (a `"` inside one is `&quot;`),
# and escapes every `<` in text as `&lt;`: so this finds exactly the tags.
TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^">]|"[^"]*")*>')
# The only character references nh3 writes in text; each stands for a character that is no
# part of a word, so a name never starts or ends inside one.
ENTITY = re.compile(r"&(?:amp|lt|gt|nbsp|quot|#\d+|#x[0-9a-fA-F]+);")
WHITESPACE = re.compile(r"(?:\s|&nbsp;)+")
# Hyphen-minus, hyphen and non-breaking hyphen: what joins the parts of a compound ("BERT-style").
# Dashes (en, em) set words apart, so a name next to one is linked.
HYPHENS = "-\u2010\u2011"
# Text inside these is never linked.
NO_LINKS_INSIDE = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
# Nor is a paragraph that starts so: the sources a history cites.
SOURCES = re.compile(r"\s*(?:<(?:em|strong)>)?Sources?:")
# Lengths of name lookups: names are at most 100 characters, escaped at most ~5 times longer.
MAX_KEY_LENGTH = 600


@dataclass(frozen=True)
class Target:
    """A published term that text can link to."""

    term_id: int
    slug: str
    short_definition: str

    @property
    def url(self) -> str:
        from .addresses import term_url

        return term_url(self.slug)


def lower(text: str) -> str:
    """Lower case that keeps every character where it was, so positions still match the original."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def name_key(name: str) -> str:
    """How a name is looked for: lower-cased, escaped as nh3 escapes text."""
    return lower(html.escape(name.strip(), quote=False).replace("\xa0", "&nbsp;"))


def first_word(key: str) -> str | None:
    parts = spelling(key)
    return parts[1][0] if parts else None


def _without_entities(text: str) -> str:
    """The text with each character reference blanked out, positions kept."""
    return ENTITY.sub(lambda match: " " * len(match.group()), text)


@dataclass(frozen=True)
class Name:
    """A name as text must spell it: its words, what comes between and around them, lower-cased and escaped."""

    lead: str  # before the first word: "." in ".NET"
    words: tuple[str, ...]
    separators: tuple[str, ...]  # between the words, each run of spaces as one space
    trail: str  # after the last word: "++" in "C++"
    target: Target

    @property
    def extra(self) -> int:
        return len(self.lead) + len(self.trail) + sum(map(len, self.separators))


def spelling(key: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str] | None:
    """A name key's lead, words, separators and trail; None if it has no word."""
    words = list(WORD.finditer(_without_entities(key)))
    if not words:
        return None
    separators = tuple(
        WHITESPACE.sub(" ", key[before.end() : after.start()]) for before, after in zip(words, words[1:], strict=False)
    )
    return key[: words[0].start()], tuple(word.group() for word in words), separators, key[words[-1].end() :]


class Glossary:
    """Names to link, by their first word, then by all their words.

    At each word of a text, only the names that begin with it are tried, each length of
    name once (a dictionary lookup), longest first: the cost does not grow with the glossary.
    """

    def __init__(self, names: Iterable[tuple[str, Target]] = ()):
        by_words: dict[str, dict[tuple[str, ...], list[Name]]] = defaultdict(lambda: defaultdict(list))
        for name, target in names:
            key = name_key(name)
            parts = spelling(key) if len(key) <= MAX_KEY_LENGTH else None
            if parts is not None:
                entry = Name(*parts, target=target)
                by_words[entry.words[0]][entry.words].append(entry)
        self.by_first: dict[str, tuple[list[int], dict[tuple[str, ...], list[Name]]]] = {}
        for word, named in by_words.items():
            for entries in named.values():
                entries.sort(key=lambda entry: (-entry.extra, entry.target.term_id))
            lengths = sorted({len(words) for words in named}, reverse=True)
            self.by_first[word] = (lengths, dict(named))

    def __bool__(self) -> bool:
        return bool(self.by_first)


def words_of(texts: Iterable[str]) -> set[str]:
    """The distinct lower-cased words of some HTML's text: what a glossary needs to look up."""
    found: set[str] = set()
    for text in texts:
        found.update(WORD.findall(_without_entities(lower(TAG.sub(" ", text)))))
    return found


@dataclass
class Linked:
    html: str
    targets: set[int]  # term ids linked to
    # Mentions of a name several terms share, not linked: the phrase as written, and the terms' ids.
    ambiguous: dict[str, frozenset[int]] = field(default_factory=dict)


def link(markup: str, glossary: Glossary, *, own_id: int | None, prefix: str) -> Linked:
    """Link the first mention of each other term in one section's sanitised HTML.

    `prefix` keeps the ids of this section's tooltips apart from every other section's.
    """
    if not markup or not glossary:
        return Linked(markup, set())
    out: list[str] = []
    linked: set[int] = set()
    ambiguous: dict[str, frozenset[int]] = {}
    hidden = 0  # depth inside elements whose text is never linked
    citing = False  # inside a paragraph of sources
    position = 0
    for tag in TAG.finditer(markup):
        if tag.start() > position:
            text = markup[position : tag.start()]
            out.append(text if hidden else _link_text(text, glossary, own_id, prefix, linked, ambiguous))
        out.append(tag.group())
        name = tag.group(2).lower()
        if name in NO_LINKS_INSIDE:
            hidden = max(0, hidden + (-1 if tag.group(1) else 1))
        elif name == "p" and (citing or SOURCES.match(markup, tag.end())):
            # A history's closing "Sources: …" paragraph cites titles, whose words are not mentions of terms.
            citing = not tag.group(1)
            hidden = max(0, hidden + (1 if citing else -1))
        position = tag.end()
    if position < len(markup):
        text = markup[position:]
        out.append(text if hidden else _link_text(text, glossary, own_id, prefix, linked, ambiguous))
    return Linked("".join(out), linked, ambiguous)


def _link_text(text: str, glossary: Glossary, own_id, prefix: str, linked: set[int], ambiguous: dict) -> str:
    """One run of text between tags, still escaped: links wrapped around its mentions."""
    lowered = lower(text)
    scannable = _without_entities(lowered)
    tokens = list(WORD.finditer(scannable))
    words = [token.group() for token in tokens]
    pieces: list[str] = []
    done = 0  # text[:done] is in pieces already, or passed over as a mention
    for index, token in enumerate(tokens):
        if token.start() < done or words[index] not in glossary.by_first:
            continue
        lengths, named = glossary.by_first[words[index]]
        found = _find(lowered, scannable, tokens, words, index, lengths, named, done)
        if found is None:
            continue
        start, end, targets = found
        pieces.append(text[done:start])
        mention = text[start:end]
        target = targets[0]
        if own_id in {each.term_id for each in targets}:
            pieces.append(mention)  # passed over whole: no shorter name inside it links either
        elif len(targets) > 1:
            # A name several terms share: a link would have to guess which one the text means.
            ambiguous.setdefault(html.unescape(mention), frozenset(each.term_id for each in targets))
            pieces.append(mention)
        elif target.term_id in linked:
            pieces.append(mention)
        else:
            linked.add(target.term_id)
            pieces.append(_link_markup(mention, target, f"{prefix}xref-{len(linked)}"))
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _find(lowered, scannable, tokens, words, index, lengths, named, done) -> tuple[int, int, list[Target]] | None:
    """The longest name spelled from the index-th word on: (start, end, the terms that have it), or None."""
    for length in lengths:
        last = index + length - 1
        if last >= len(tokens):
            continue
        entries = named.get(tuple(words[index : last + 1]))
        if not entries:
            continue
        separators = tuple(
            WHITESPACE.sub(" ", lowered[tokens[k].end() : tokens[k + 1].start()]) for k in range(index, last)
        )
        for entry in entries:
            start = tokens[index].start() - len(entry.lead)
            end = tokens[last].end() + len(entry.trail)
            if (
                start >= done
                and entry.separators == separators
                and lowered[start : tokens[index].start()] == entry.lead
                and lowered[tokens[last].end() : end] == entry.trail
                and _on_boundaries(scannable, start, end)
            ):
                # Every term whose name is spelled as this one is: more than one, and the mention is ambiguous.
                spelt = (entry.lead, entry.separators, entry.trail)
                return start, end, distinct_targets(e for e in entries if (e.lead, e.separators, e.trail) == spelt)
    return None


def distinct_targets(entries: Iterable[Name]) -> list[Target]:
    """The terms these entries name, each once, in the entries' order."""
    targets: dict[int, Target] = {}
    for entry in entries:
        targets.setdefault(entry.target.term_id, entry.target)
    return list(targets.values())


def _on_boundaries(scannable: str, start: int, end: int) -> bool:
    """Whether a mention stands on its own: it neither continues a word nor is joined to one by a hyphen."""
    before = scannable[max(0, start - 2) : start].rjust(2)
    after = scannable[end : end + 2].ljust(2)
    if (_is_word(scannable[start]) and _is_word(before[1])) or (_is_word(scannable[end - 1]) and _is_word(after[0])):
        return False
    # "BERT-style", "pre-BERT": one part of a compound is not the name.
    return not ((before[1] in HYPHENS and _is_word(before[0])) or (after[0] in HYPHENS and _is_word(after[1])))


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _link_markup(mention: str, target: Target, tip_id: str) -> str:
    """A plain link, with the term's one-line definition shown on hover and focus and announced as its description."""
    return (
        f'<span class="xref"><a href="{html.escape(target.url)}" aria-describedby="{tip_id}">{mention}</a>'
        f'<span class="xref-tip" id="{tip_id}" role="tooltip">{html.escape(target.short_definition)}</span></span>'
    )


# --- The published glossary ----------------------------------------------------------------------


def published_glossary(texts: Iterable[str], *, own: tuple[int, list[str]] | None = None) -> Glossary:
    """The published names that the texts' words could begin, in one query per 500 words.

    `own` is (term id, current names) of the term being linked: its names are passed
    over rather than linked, whatever the published layer still says about it.
    """
    from .models.published import PublishedName

    own_id, own_names = own if own is not None else (None, [])
    wanted = sorted(words_of(texts))
    names: list[tuple[str, Target]] = []
    for start in range(0, len(wanted), 500):
        rows = (
            PublishedName.objects.filter(first_word__in=wanted[start : start + 500])
            .exclude(term_id=own_id)
            .values_list("name", "term_id", "term__slug", "term__short_definition")
        )
        names += [(name, Target(term_id, slug, definition)) for name, term_id, slug, definition in rows]
    if own_id is not None:
        names += [(name, Target(own_id, "", "")) for name in own_names]
    return Glossary(names)


def whole_published_glossary() -> Glossary:
    """Every published name: for linking the whole glossary again at once."""
    from .models.published import PublishedName

    rows = PublishedName.objects.values_list("name", "term_id", "term__slug", "term__short_definition")
    return Glossary((name, Target(term_id, slug, definition)) for name, term_id, slug, definition in rows.iterator())


def name_rows(term_id: int, names: Iterable[str]) -> list:
    """`PublishedName` rows for a term's name and aliases (names with no word in them cannot be found)."""
    from .models.published import PublishedName

    rows, seen = [], set()
    for name in names:
        key = name_key(name)
        word = first_word(key)
        if word is None or key in seen or len(word) > 100:
            continue
        seen.add(key)
        rows.append(PublishedName(term_id=term_id, name=name, first_word=word))
    return rows


# --- Names several published terms share -------------------------------------------------------


def shared_names() -> list[str]:
    """Every published name (or shown alias) that two or more published terms have, as one of them spells it."""
    from .models.published import PublishedName

    holders: dict[str, tuple[str, set[int]]] = {}
    for name, term_id in PublishedName.objects.values_list("name", "term_id").iterator():
        holders.setdefault(name_key(name), (name, set()))[1].add(term_id)
    return sorted(name for name, ids in holders.values() if len(ids) > 1)


def names_also_of_others(term_id: int, names: Iterable[str]) -> list[str]:
    """Those of a published term's names that another published term has too."""
    from .models.published import PublishedName

    keys = {name_key(name): name for name in names}
    words = {word for word in map(first_word, keys) if word is not None}
    others = PublishedName.objects.filter(first_word__in=words).exclude(term_id=term_id).values_list("name", flat=True)
    return sorted({keys[key] for key in map(name_key, others) if key in keys})


def ambiguous_mentions(term_ids: Iterable[int] | None = None) -> list[tuple[int, str, list[int]]]:
    """Mentions in published pages of a name several published terms share, left unlinked.

    Each is (the page's term id, the phrase as first written there, the ids of the terms that have
    the name), by page then phrase. `term_ids`: only these pages; by default every page whose text
    may mention a shared name (the search index says which).
    """
    from .models.published import PublishedTerm

    if term_ids is None:
        from .search import search_index

        shared = shared_names()
        term_ids = search_index().mentioning(shared) if shared else ()
    ids = sorted(set(term_ids))
    found = []
    for start in range(0, len(ids), 200):
        rows = list(PublishedTerm.objects.filter(pk__in=ids[start : start + 200]).values_list("pk", "unlinked"))
        glossary = published_glossary(text for _, unlinked in rows for text in unlinked.values())
        for pk, unlinked in rows:
            phrases: dict[str, tuple[str, frozenset[int]]] = {}
            for key, markup in unlinked.items():
                for phrase, targets in link(markup, glossary, own_id=pk, prefix=f"{key}-").ambiguous.items():
                    phrases.setdefault(phrase.casefold(), (phrase, targets))
            found += [(pk, phrase, sorted(targets)) for phrase, targets in phrases.values()]
    return sorted(found, key=lambda mention: (mention[0], mention[1].casefold()))
