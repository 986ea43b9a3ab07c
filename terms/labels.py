"""A term's other names with their kinds, as editors type them: one label a line, its kind first if need be.

"abbreviation: LLM", "synonym: …", "spelling: …" (or "spelling variant: …"), "former: …" (or "former name: …"),
"hidden: langauge model". A line without one of these kinds reads as an abbreviation when it looks like one
("LLM", "GPUs"), else as a synonym: text written before labels had kinds keeps its meaning.
"""

import re
from typing import NamedTuple

from .enums import SHOWN_LABEL_KINDS, LabelKind
from .identity import identity_key, normalise_name

# Migration 0019 holds a frozen copy: it gave the labels already published their kinds.
ABBREVIATION = re.compile(r"[A-Z][A-Z0-9&-]{1,9}s?")
# The words a line may start with, before a colon, to say its kind (any letter case).
KIND_WORDS = {
    "abbreviation": LabelKind.ABBREVIATION,
    "synonym": LabelKind.SYNONYM,
    "spelling": LabelKind.SPELLING,
    "spelling variant": LabelKind.SPELLING,
    "former": LabelKind.FORMER,
    "former name": LabelKind.FORMER,
    "hidden": LabelKind.HIDDEN,
}
PREFIX = re.compile(r"(?P<kind>" + "|".join(sorted(KIND_WORDS, key=len, reverse=True)) + r") ?:(?P<name>.*)", re.I)


class Label(NamedTuple):
    """One other name of a term, and what kind of name it is (`LabelKind`)."""

    name: str
    kind: str

    @property
    def shown(self) -> bool:
        """Whether readers may see it: every kind but hidden."""
        return self.kind in SHOWN_LABEL_KINDS

    def as_dict(self) -> dict:
        return {"name": self.name, "kind": str(self.kind)}


def default_kind(name: str) -> str:
    """The kind of a label written without one: an abbreviation if it looks like one, else a synonym."""
    return LabelKind.ABBREVIATION if ABBREVIATION.fullmatch(name) else LabelKind.SYNONYM


def read_line(line: str) -> tuple[str | None, str]:
    """A line's kind word ("hidden"), or None if it names none, and the label's name, normalised."""
    line = normalise_name(line)
    match = PREFIX.fullmatch(line)
    if match is None:
        return None, line
    return match["kind"], normalise_name(match["name"])


def parse_label(line: str) -> Label | None:
    """The label a line holds, or None for a blank line or a kind with no name after it."""
    kind_word, name = read_line(line)
    if not name:
        return None
    return Label(name, KIND_WORDS[kind_word.lower()] if kind_word else default_kind(name))


def parse_labels(text: str) -> list[Label]:
    """The labels of a term's aliases text, in order, without blanks or repeats (names compared as `identity_key`s)."""
    seen, labels = set(), []
    for line in text.splitlines():
        label = parse_label(line)
        if label is not None and identity_key(label.name) not in seen:
            seen.add(identity_key(label.name))
            labels.append(label)
    return labels


def label_errors(text: str) -> list[str]:
    """What is wrong with an aliases text: a kind with no name after it."""
    errors = []
    for line in text.splitlines():
        kind_word, name = read_line(line)
        if kind_word and not name:
            errors.append(
                f"“{kind_word}:” is followed by no name: write the label after the colon, or delete the line."
            )
    return errors


def label_line(label: Label) -> str:
    """The line that reads back as this label: its name alone when that is read as its kind, else "kind: name"."""
    if parse_label(label.name) == label:
        return label.name
    return f"{label.kind}: {label.name}"


def alias_lines(labels) -> list[str]:
    """The lines that read back as these labels: how records (exports, imports) list a term's aliases."""
    return [label_line(label) for label in labels]


def format_labels(labels) -> str:
    """The aliases text that reads back as these labels, one a line."""
    return "\n".join(alias_lines(labels))


def labels_of(rows: list[dict]) -> list[Label]:
    """The labels of a published row's `labels` ([{"name", "kind"}])."""
    return [Label(row["name"], row["kind"]) for row in rows]
