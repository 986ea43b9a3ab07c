"""What changed between two versions of a term, field by field, for reviewers and editors.

Versions are revision snapshots (see `terms.workflow.snapshot`). Each field, and
each list of parts (examples, misconceptions, relations, tags), is compared as
text, word by word; the markup is built here with every piece of text escaped.
"""

import difflib
import re
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .enums import RelationKind

FIELDS = (
    ("name", "Name"),
    ("qualifier", "Qualifier"),
    ("slug", "Address (slug)"),
    ("sentence_name", "Name in a sentence"),
    ("short_definition", "One-line definition"),
    ("pronunciation", "Pronunciation"),
    ("aliases", "Aliases"),
    ("explanation", "Explained in plain English"),
    ("analogy", "Analogy"),
    ("usage", "How it is used"),
    ("history", "History"),
    ("examples", "Examples"),
    ("misconceptions", "Misconceptions"),
    ("relations", "Related terms"),
    ("tags", "Tags"),
    ("deprecated", "Deprecated"),
    ("deprecation_reason", "Why it is deprecated"),
    ("replaced_by", "Replaced by"),
)
# Kept in snapshots for display only: they never make two versions differ.
DISPLAY_ONLY = {"to_name", "incoming"}
# Fields newer than some revisions, at the value those revisions mean: a field at its default makes no difference.
SNAPSHOT_DEFAULTS = {"qualifier": "", "deprecated": False, "deprecation_reason": "", "replaced_by": []}
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
REWRITTEN = 0.5  # below this share of words in common, a text is shown as replaced whole


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str

    @property
    def html(self) -> SafeString:
        """The new text with removed words in <del> and added words in <ins>."""
        return word_diff(self.old, self.new)


def content(value):
    """A snapshot (or part of one) without display-only keys, its text with LF line endings, for comparing versions.

    Neither what is kept for display nor line endings make two versions differ.
    """
    if isinstance(value, str):
        return plain_line_endings(value)
    if isinstance(value, list):
        return [content(item) for item in value]
    if isinstance(value, dict):
        return {
            key: content(item)
            for key, item in value.items()
            if key not in DISPLAY_ONLY and not (key in SNAPSHOT_DEFAULTS and item == SNAPSHOT_DEFAULTS[key])
        }
    return value


def plain_line_endings(text: str) -> str:
    """The text with LF line endings: browsers send CRLF, and versions saved by earlier releases may hold it."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def as_text(snapshot: dict, key: str, names: dict[int, str]) -> str:
    """One field of a snapshot as a reviewer reads it."""
    value = snapshot.get(key, "")
    if key == "examples":
        return "\n\n".join(f"{e['position']}. {e['title'] or 'Example'}\n{e['body']}" for e in value)
    if key == "misconceptions":
        return "\n\n".join(f"{m['position']}. Myth: {m['claim']}\nReality: {m['correction']}" for m in value)
    if key == "relations":
        return "\n".join(f"{RelationKind(r['kind']).label}: {related_name(r, names)}" for r in value)
    if key == "tags":
        return ", ".join(value)
    if key == "deprecated":
        return "Yes" if value else ""
    if key == "replaced_by":
        return ", ".join(related_name(successor, names) for successor in value)
    return value or ""


def related_name(relation: dict, names: dict[int, str]) -> str:
    return relation.get("to_name") or names.get(relation["to"]) or f"a deleted term (#{relation['to']})"


def compare(old: dict, new: dict, *, names: dict[int, str] | None = None) -> list[Change]:
    """The fields that differ between two snapshots, in page order. `names` names related terms by id."""
    names = names or {}
    changes = []
    for key, label in FIELDS:
        before, after = plain_line_endings(as_text(old, key, names)), plain_line_endings(as_text(new, key, names))
        if before != after:
            changes.append(Change(label, before, after))
    return changes


def related_ids(*snapshots: dict) -> set[int]:
    """The ids of the related and replacing terms the snapshots mention, to look their names up in one query."""
    return {
        other["to"] for snapshot in snapshots for key in ("relations", "replaced_by") for other in snapshot.get(key, [])
    }


def word_diff(old: str, new: str) -> SafeString:
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    if old and new and matcher.ratio() < REWRITTEN:
        # Mostly rewritten: word-by-word pieces would be harder to read than the two versions.
        return mark_safe(f"<del>{escape(old)}</del> <ins>{escape(new)}</ins>")
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed = escape("".join(old_tokens[old_start:old_end]))
        added = escape("".join(new_tokens[new_start:new_end]))
        if operation == "equal":
            parts.append(added)
            continue
        if removed:
            parts.append(f"<del>{removed}</del>")
        if added:
            parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(parts))
