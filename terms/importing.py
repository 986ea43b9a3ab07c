"""Importing a glossary file (CSV, JSON or SKOS Turtle): read it, plan what it would change, and apply the plan.

The plan names, for each row of the file (with its line, or entry number), whether it would create a term,
update one, leave one unchanged, or cannot be imported and why. Applying writes every created and updated
term as a working copy in review, with a revision, grouped as one change set, in one transaction; a file
with any error changes nothing. Nothing is published. The command and the admin share this one code path.
"""

import codecs
import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import bulk
from .admin_search import index_working_copies
from .enums import RelationKind
from .exporting import CSV_COLUMNS, SECTIONS, TEXT_FIELDS, plain, records_by_id
from .hierarchy import broader_edge
from .identity import identity_key, normalise_name, set_aside_key
from .models.changesets import ChangeSet, ChangeSetTerm
from .models.editorial import Relation, Term
from .models.history import ReviewNote, Revision
from .models.names import keyed_lines
from .models.parts import Example, Misconception
from .models.tags import TAG_NAME_MAX_LENGTH, Tag, TaggedTerm
from .workflow import Draft, next_revision_numbers, snapshot

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
RECORD_KEYS = (
    *TEXT_FIELDS, "aliases", *SECTIONS, "examples", "misconceptions", "relations", "tags", "status",
)  # fmt: skip
STRING_KEYS = (*TEXT_FIELDS, *SECTIONS, "status")
# The lists of a record: of strings (None), or of objects with these string keys.
LIST_KEYS = {
    "aliases": None,
    "tags": None,
    "examples": ("title", "body"),
    "misconceptions": ("claim", "correction"),
    "relations": ("kind", "term"),
}
NUMBERED = re.compile(r"(example|misconception)_([1-9]\d*)_(title|body|claim|correction)")
PARTS = {"example": ("title", "body"), "misconception": ("claim", "correction")}
# What `exporting.neutralised` added: one apostrophe before a formula's first character (or before more apostrophes).
NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")
# A cell a spreadsheet would run: "=…", or "+", "-", "@" before a function call or a cell reference ("-A1+B2").
# A markdown list ("- item") is not one.
FORMULA = re.compile(r"[\t\r]*(=|[+\-@]\s*([A-Za-z_][\w.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+\b))")
TURTLE = re.compile(r"^\s*(@prefix|PREFIX)\b", re.MULTILINE)
UNCHANGED_FIELDS = ("status",)  # a term's workflow state is never imported: the import decides it


class Action:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass
class Entry:
    """One term as read from the file: the fields it gives (absent ones keep the stored value), or why it cannot be read."""

    line: int
    fields: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass(eq=False)  # rows are told apart by identity: two may read the same
class Row:
    """What importing one entry would do."""

    line: int
    name: str
    action: str
    errors: list[str] = field(default_factory=list)
    record: dict | None = None  # the term as it would be, for created and updated rows
    term_id: int | None = None  # the term it matched

    @property
    def reason(self) -> str:
        return " ".join(self.errors)


@dataclass
class Plan:
    """What a file would change, row by row."""

    file_name: str
    file_format: str
    rows: list[Row]

    @property
    def errors(self) -> list[Row]:
        return [row for row in self.rows if row.action == Action.ERROR]

    @property
    def has_errors(self) -> bool:
        return any(row.action == Action.ERROR for row in self.rows)

    def count(self, action: str) -> int:
        return sum(row.action == action for row in self.rows)

    @property
    def summary(self) -> str:
        """ "3 created, 1 updated, 25 unchanged, 0 errors"."""
        counts = [f"{self.count(action)} {action}" for action in (Action.CREATED, Action.UPDATED, Action.UNCHANGED)]
        errors = self.count(Action.ERROR)
        return ", ".join([*counts, f"{errors} error{'' if errors == 1 else 's'}"])


class FileRefused(Exception):
    """The file as a whole cannot be read: too large, not UTF-8, not a glossary file."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


Progress = Callable[[Iterable, int, str], Iterable]


def no_progress(items: Iterable, total: int, description: str) -> Iterable:
    return items


# Reading


def decode(data: bytes) -> str:
    """The file's text, from UTF-8 with or without a byte order mark; FileRefused naming where it is not UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise FileRefused(
            line,
            f"The file is not UTF-8: byte {column} of line {line} (0x{data[error.start]:02X}) cannot be read. "
            "Save the file as UTF-8 (in Excel: “CSV UTF-8”) and import it again.",
        ) from None


def read(data: bytes) -> tuple[str, list[Entry]]:
    """The file's format ("csv", "json" or "skos") and its entries; FileRefused if it cannot be read at all."""
    if len(data) > MAX_BYTES:
        raise FileRefused(
            1, f"The file is {len(data) / 2**20:.1f} MB: files of at most {MAX_BYTES // 2**20} MB can be imported."
        )
    text = decode(data)
    if not text.strip():
        raise FileRefused(1, "The file is empty: there is nothing to import.")
    if text.lstrip().startswith(("{", "[")):
        file_format, entries = "json", json_entries(text)
    elif TURTLE.search(text[:10_000]) and "skos" in text:
        file_format, entries = "skos", skos_entries(text)
    else:
        file_format, entries = "csv", csv_entries(text)
    if not entries:
        raise FileRefused(2, "The file holds no terms: there is nothing to import.")
    return file_format, entries


def too_many_rows(line: int) -> FileRefused:
    return FileRefused(line, f"The file holds more than {MAX_ROWS:,} terms: split it into smaller files.")


def json_entries(text: str) -> list[Entry]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileRefused(
            error.lineno, f"Not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    if not isinstance(document, dict) or document.get("format") != "glossary":
        raise FileRefused(1, 'This JSON is not a glossary export: it needs to be an object with "format": "glossary".')
    if document.get("version") != 1:
        raise FileRefused(1, f'This glossary file\'s "version" is {document.get("version")!r}: only version 1 is read.')
    terms = document.get("terms")
    if not isinstance(terms, list):
        raise FileRefused(1, 'A glossary file needs a "terms" list.')
    if len(terms) > MAX_ROWS:
        raise too_many_rows(MAX_ROWS + 1)
    return [json_entry(number, item) for number, item in enumerate(terms, start=1)]


def json_entry(number: int, item) -> Entry:
    """An entry of the "terms" list, its types checked; `line` is its number in the list."""
    entry = Entry(line=number)
    if not isinstance(item, dict):
        entry.errors.append("Each term is an object with a name and its fields.")
        return entry
    if unknown := [key for key in item if key not in RECORD_KEYS]:
        entry.errors.append(f"Unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.")
    for key in RECORD_KEYS:
        if key not in item:
            continue
        value = item[key]
        if key in STRING_KEYS:
            if not isinstance(value, str):
                entry.errors.append(f"{key}: must be a string.")
                continue
        elif not isinstance(value, list):
            entry.errors.append(f"{key}: must be a list.")
            continue
        elif LIST_KEYS[key] is None:
            if not all(isinstance(text, str) for text in value):
                entry.errors.append(f"{key}: must be a list of strings.")
                continue
        else:
            keys = LIST_KEYS[key]
            if not all(isinstance(part, dict) and set(part) == set(keys) for part in value) or not all(
                isinstance(part[k], str) for part in value for k in keys
            ):
                entry.errors.append(f"{key}: each must be an object with the strings {' and '.join(keys)}.")
                continue
        entry.fields[key] = value
    if "relations" in entry.fields:
        entry.errors += kind_errors(entry.fields["relations"])
    return entry


def kind_errors(relations: list[dict]) -> list[str]:
    kinds = ", ".join(RelationKind.values)
    return [
        f"relations: “{relation['kind']}” is not a kind of relation (one of {kinds})."
        for relation in relations
        if relation["kind"] not in RelationKind.values
    ]


def skos_entries(text: str) -> list[Entry]:
    """Each concept of a SKOS Turtle file (`terms.skos`), numbered in the file's order."""
    from .skos import records_from_turtle  # written by the SKOS endpoints' owner

    try:
        records = records_from_turtle(text)
    except ValueError as error:
        raise FileRefused(1, f"Not readable as SKOS Turtle: {error}") from None
    if len(records) > MAX_ROWS:
        raise too_many_rows(MAX_ROWS + 1)
    return [Entry(line=number, fields=dict(record)) for number, record in enumerate(records, start=1)]


def csv_entries(text: str) -> list[Entry]:
    """Each row of a CSV file, from its line (a cell may span lines); the header is line 1."""
    csv.field_size_limit(MAX_BYTES)
    first_line = text.split("\n", 1)[0]
    # Excel saves "CSV" with semicolons where the decimal separator is a comma.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [column.strip() for column in next(reader)]
        columns = header_columns(header)
        entries = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(entries) == MAX_ROWS:
                    raise too_many_rows(line)
                entries.append(csv_entry(line, header, columns, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileRefused(reader.line_num, f"Not readable as CSV: {error}.") from None
    return entries


def header_columns(header: list[str]) -> set[str]:
    """The header's columns, checked: FileRefused (line 1) naming unknown, missing and repeated ones."""
    unknown = [column for column in header if column not in CSV_COLUMNS and not NUMBERED.fullmatch(column)]
    missing = [column for column in ("name", "short_definition") if column not in header]
    repeated = sorted({column for column in header if header.count(column) > 1})
    problems = []
    if unknown:
        problems.append(f"unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
    if missing:
        problems.append(f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
    if repeated:
        problems.append(f"repeated: {', '.join(repeated)}")
    if problems:
        raise FileRefused(
            1,
            f"The header (line 1) is not a glossary export's: {'; '.join(problems)}. "
            f"Known columns: {', '.join(CSV_COLUMNS)}, example_1_title, example_1_body, "
            "misconception_1_claim, misconception_1_correction (and so on).",
        )
    return set(header)


def csv_entry(line: int, header: list[str], columns: set[str], cells: list[str]) -> Entry:
    entry = Entry(line=line)
    if len(cells) > len(header):
        entry.errors.append(f"The row has {len(cells)} cells, the header {len(header)} columns.")
        return entry
    row = {}
    for column, cell in zip(header, cells + [""] * (len(header) - len(cells)), strict=True):
        if NEUTRALISED.match(cell):
            cell = cell[1:]
        elif FORMULA.match(cell):
            entry.errors.append(
                f"{column}: “{cell[:40]}” looks like a spreadsheet formula. Put an apostrophe before it (') "
                "if it is text."
            )
        row[column] = cell
    entry.fields = {key: row[key] for key in (*TEXT_FIELDS, *SECTIONS) if key in columns}
    if "aliases" in columns:
        entry.fields["aliases"] = lines(row["aliases"])
    if "tags" in columns:
        entry.fields["tags"] = lines(row["tags"])
    if "relations" in columns:
        relations = []
        for text in lines(row["relations"]):
            kind, colon, target = text.partition(":")
            if not colon or not target.strip():
                entry.errors.append(
                    f"relations: “{text}” should read “kind: Target name”, e.g. “broader: Fine-tuning”."
                )
            else:
                relations.append({"kind": kind.strip().lower(), "term": target.strip()})
        entry.errors += kind_errors(relations)
        entry.fields["relations"] = relations
    for kind, (first, second) in PARTS.items():
        numbers = sorted({int(m[2]) for column in columns if (m := NUMBERED.fullmatch(column)) and m[1] == kind})
        if numbers:
            parts = [
                {first: row.get(f"{kind}_{n}_{first}", ""), second: row.get(f"{kind}_{n}_{second}", "")}
                for n in numbers
            ]
            entry.fields[f"{kind}s"] = [part for part in parts if part[first].strip() or part[second].strip()]
    return entry


def lines(cell: str) -> list[str]:
    return [line.strip() for line in plain(cell).split("\n") if line.strip()]


# Planning


EMPTY = {
    **dict.fromkeys((*TEXT_FIELDS, *SECTIONS), ""),
    "aliases": [],
    "examples": [],
    "misconceptions": [],
    "relations": [],
    "tags": [],
    "status": Term.Status.DRAFT,
}


@dataclass
class Glossary:
    """What planning needs to know of the stored terms."""

    records: dict[int, dict]
    by_slug: dict[str, int]
    by_key: dict[str, int]
    live: set[int]
    tag_names: dict[str, str]  # a tag's identity key → its stored name

    @classmethod
    def load(cls) -> "Glossary":
        rows = Term.objects.values_list("pk", "slug", "name_key", "published")
        by_slug, by_key, live = {}, {}, set()
        for pk, slug, name_key, published in rows:
            by_slug[slug] = pk
            by_key[name_key] = pk
            if published is not None:
                live.add(pk)
        return cls(
            records=records_by_id(),
            by_slug=by_slug,
            by_key=by_key,
            live=live,
            tag_names=dict(Tag.objects.values_list("name_key", "name")),
        )


def comparable(record: dict) -> dict:
    return {key: value for key, value in record.items() if key not in UNCHANGED_FIELDS}


def make_plan(data: bytes, file_name: str, *, progress: Progress = no_progress) -> Plan:
    """What importing the file would change, row by row; reads the database, writes nothing."""
    try:
        file_format, entries = read(data)
    except FileRefused as refused:
        return Plan(file_name, "", [Row(line=refused.line, name="", action=Action.ERROR, errors=[refused.message])])
    glossary = Glossary.load()
    rows = [target_row(entry, glossary) for entry in progress(entries, len(entries), "Reading")]
    check_names(rows, glossary)
    canonical = check_relations(rows, glossary)
    check_loops(rows, glossary)
    for row in progress(rows, len(rows), "Checking"):
        if row.record is not None:
            for relation in row.record["relations"]:
                relation["term"] = canonical.get(identity_key(relation["term"]), relation["term"])
            row.errors += field_errors(row.record, pk=row.term_id)
        if row.errors:
            row.action = Action.ERROR
        elif row.term_id is None:
            row.action = Action.CREATED
        else:
            before = glossary.records[row.term_id]
            row.action = Action.UNCHANGED if comparable(row.record) == comparable(before) else Action.UPDATED
    return Plan(file_name, file_format, rows)


def target_row(entry: Entry, glossary: Glossary) -> Row:
    """The entry matched to a stored term (by slug, else by name) and completed with that term's other fields."""
    fields = entry.fields
    name = normalise_name(fields.get("name", ""))
    row = Row(line=entry.line, name=name, action=Action.ERROR, errors=list(entry.errors))
    if not name:
        row.errors.insert(0, "name: every term needs a name.")
        return row
    slug = fields.get("slug", "").strip().lower()
    pk = glossary.by_slug.get(slug) if slug else None
    if pk is None:
        pk = glossary.by_key.get(identity_key(name))
    base = glossary.records[pk] if pk is not None else EMPTY
    record = {key: fields[key] if key in fields else base[key] for key in RECORD_KEYS}
    record["name"] = name
    record["slug"] = slug or base["slug"] or slugify(name)
    record["status"] = base["status"]
    record["aliases"] = Term(aliases="\n".join(record["aliases"])).alias_list
    for section in SECTIONS:
        record[section] = plain(record[section])
    record["examples"] = [{"title": e["title"], "body": plain(e["body"])} for e in record["examples"]]
    record["misconceptions"] = [
        {"claim": m["claim"], "correction": plain(m["correction"])} for m in record["misconceptions"]
    ]
    record["relations"] = [dict(relation) for relation in record["relations"]]
    tags = {}
    for tag in record["tags"]:
        key = identity_key(tag)
        if key:
            tags.setdefault(key, glossary.tag_names.get(key, normalise_name(tag)))
    record["tags"] = sorted(tags.values(), key=str.casefold)
    row.record, row.term_id = record, pk
    return row


def check_names(rows: list[Row], glossary: Glossary) -> None:
    """Names, slugs and aliases unique across the file and the terms it leaves alone."""
    matched = {row.term_id for row in rows if row.term_id is not None}
    kept = {pk: record for pk, record in glossary.records.items() if pk not in matched}
    named = [row for row in rows if row.record is not None]
    first_by = {"name": {}, "slug": {}, "term": {}}
    labels = {"name": "the same name", "slug": "the same slug", "term": "the same stored term"}
    for row in named:
        # One message per pair of rows: the same name also matches the same stored term.
        for what, key in (("name", identity_key(row.name)), ("slug", row.record["slug"]), ("term", row.term_id)):
            other = first_by[what].setdefault(key, row) if key is not None else row
            if other is not row:
                row.errors.append(f"{what}: line {other.line} has {labels[what]} (“{other.name}”).")
                other.errors.append(f"{what}: line {row.line} has {labels[what]} (“{row.name}”).")
                break
    kept_names = {identity_key(record["name"]): record for record in kept.values()}
    kept_slugs = {record["slug"]: record for record in kept.values()}
    # Only live terms hold their aliases (as `Term.claims_of_others` says).
    live_aliases = {}
    for pk, record in kept.items():
        if pk in glossary.live:
            for alias in record["aliases"]:
                live_aliases.setdefault(identity_key(alias), record)
    for row in named:
        if row.term_id in glossary.live:
            for alias in row.record["aliases"]:
                live_aliases.setdefault(identity_key(alias), row.record)
    names = {**kept_names, **{identity_key(row.name): row.record for row in named}}
    for row in named:
        key = identity_key(row.name)
        if (other := kept_names.get(key)) is not None:
            row.errors.append(f"name: the term “{other['name']}” ({other['slug']}) already has this name.")
        if (other := kept_slugs.get(row.record["slug"])) is not None:
            row.errors.append(f"slug: the term “{other['name']}” already has the slug “{row.record['slug']}”.")
        if (other := live_aliases.get(key)) is not None and other is not row.record:
            row.errors.append(f"name: “{row.name}” is an alias of “{other['name']}”: an alias leads to one term only.")
        for alias in row.record["aliases"]:
            alias_key = identity_key(alias)
            if alias_key == key:
                row.errors.append(f"aliases: “{alias}” is this term's own name, not another one.")
            elif (other := names.get(alias_key)) is not None:
                row.errors.append(f"aliases: “{alias}” is already the name of “{other['name']}”.")
            elif (other := live_aliases.get(alias_key)) is not None and other is not row.record:
                row.errors.append(f"aliases: “{alias}” is already an alias of “{other['name']}”.")


def check_relations(rows: list[Row], glossary: Glossary) -> dict[str, str]:
    """Each relation's target a term of the file or of the glossary, not the term itself, listed once.

    Returns each name's identity key → the name as it will be stored, to write targets by.
    """
    matched = {row.term_id for row in rows if row.term_id is not None}
    canonical = {
        identity_key(record["name"]): record["name"] for pk, record in glossary.records.items() if pk not in matched
    }
    canonical.update({identity_key(row.name): row.name for row in rows if row.record is not None})
    for row in rows:
        if row.record is None:
            continue
        seen = set()
        for relation in row.record["relations"]:
            key = identity_key(relation["term"])
            if key not in canonical:
                row.errors.append(f"relations: no term is called “{relation['term']}”, in the file or the glossary.")
            elif key == identity_key(row.name):
                row.errors.append("relations: a term cannot be related to itself.")
            elif (relation["kind"], key) in seen:
                row.errors.append(f"relations: “{relation['kind']}: {relation['term']}” is listed twice.")
            seen.add((relation["kind"], key))
    return canonical


def check_loops(rows: list[Row], glossary: Glossary) -> None:
    """No chain of broader terms, through the file's relations and the stored ones, leads back to where it started."""
    matched = {row.term_id for row in rows if row.term_id is not None}
    broader = defaultdict(set)  # a name's identity key → its broader terms' keys
    lines_of = defaultdict(set)  # (narrower, broader) → the lines that say so
    sources = [(None, record) for pk, record in glossary.records.items() if pk not in matched] + [
        (row, row.record) for row in rows if row.record is not None
    ]
    for row, record in sources:
        for relation in record["relations"]:
            edge = broader_edge(identity_key(record["name"]), identity_key(relation["term"]), relation["kind"])
            if edge is not None:
                broader[edge[0]].add(edge[1])
                if row is not None:
                    lines_of[edge].add(row)
    names = {identity_key(record["name"]): record["name"] for _, record in sources}
    for loop in loops(broader):
        edges = list(zip(loop, loop[1:], strict=False))
        named = " → ".join(names.get(key, key) for key in loop)
        for row in sorted({row for edge in edges for row in lines_of[edge]}, key=lambda row: row.line)[:1]:
            row.errors.append(
                f"relations: these relations make a loop of broader terms, each arrow pointing to the broader one: "
                f"{named}. A term cannot be broader than itself."
            )


def loops(broader: dict[str, set[str]]) -> list[list[str]]:
    """One loop (its first key last too) for each loop found by a depth-first walk of the broader-term graph."""
    state, found = {}, []  # key → "open" while on the walk's path, "done" after
    for start in sorted(broader):
        if start in state:
            continue
        path, stack = [], [(start, iter(sorted(broader[start])))]
        state[start] = "open"
        path.append(start)
        while stack:
            key, uppers = stack[-1]
            upper = next(uppers, None)
            if upper is None:
                state[key] = "done"
                stack.pop()
                path.pop()
            elif state.get(upper) == "open":
                found.append([*path[path.index(upper) :], upper])
            elif upper not in state:
                state[upper] = "open"
                path.append(upper)
                stack.append((upper, iter(sorted(broader.get(upper, ())))))
    return found


# Term fields validated by the model's own field rules (lengths, slug characters, required ones).
TERM_FIELDS = (*TEXT_FIELDS, "aliases", *SECTIONS)


def field_errors(record: dict, *, pk: int | None) -> list[str]:
    """The record's fields checked as the admin's form would: lengths, required fields, slug characters."""
    errors = []
    term = Term(pk=pk, **{key: record[key] for key in (*TEXT_FIELDS, *SECTIONS)}, aliases="\n".join(record["aliases"]))
    exclude = [f.name for f in Term._meta.concrete_fields if f.name not in TERM_FIELDS]
    errors += model_errors(term, exclude, "")
    for n, example in enumerate(record["examples"], start=1):
        errors += model_errors(Example(position=n, **example), ["term"], f"example {n} ")
    for n, item in enumerate(record["misconceptions"], start=1):
        errors += model_errors(Misconception(position=n, **item), ["term"], f"misconception {n} ")
    for tag in record["tags"]:
        if len(tag) > TAG_NAME_MAX_LENGTH:
            errors.append(f"tags: “{tag[:20]}…” is longer than {TAG_NAME_MAX_LENGTH} characters.")
    return errors


def model_errors(instance, exclude: list[str], prefix: str) -> list[str]:
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        return [f"{prefix}{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()]
    return []


# Applying


@dataclass
class Outcome:
    plan: Plan
    change_set: ChangeSet | None  # None when nothing changed: a dry run, errors, or every row unchanged


def import_file(
    data: bytes,
    file_name: str,
    *,
    by: AbstractBaseUser | None,
    dry_run: bool = False,
    progress: Progress = no_progress,
) -> Outcome:
    """Plan the file's import and, unless it has errors or this is a dry run, apply it: all or nothing."""
    with transaction.atomic():
        plan = make_plan(data, file_name, progress=progress)
        if dry_run or plan.has_errors or not (plan.count(Action.CREATED) or plan.count(Action.UPDATED)):
            return Outcome(plan, None)
        return Outcome(plan, apply(plan, by=by, progress=progress))


def apply(plan: Plan, *, by: AbstractBaseUser | None, progress: Progress = no_progress) -> ChangeSet:
    """Write the plan's created and updated terms as working copies in review, with a revision each, as one change set.

    Call inside a transaction, with a plan made in it and free of errors. Nothing is published.
    """
    now = timezone.now()
    message = f"Imported from {plan.file_name}"
    changed = [row for row in plan.rows if row.action in (Action.CREATED, Action.UPDATED)]
    previous = latest_revisions([row.term_id for row in changed if row.term_id is not None])
    terms = write_terms(changed, previous, by=by, now=now)
    ids = dict(Term.objects.values_list("name_key", "pk"))
    tags = tags_named({name for row in changed for name in row.record["tags"]})
    drafts = {}
    for row, term in progress(list(zip(changed, terms, strict=True)), len(changed), "Writing"):
        drafts[term.pk] = Draft(
            term=term,
            examples=[Example(term=term, position=n, **e) for n, e in enumerate(row.record["examples"], start=1)],
            misconceptions=[
                Misconception(term=term, position=n, **m) for n, m in enumerate(row.record["misconceptions"], start=1)
            ],
            relations=[
                Relation(
                    from_term=term,
                    to_term=Term(pk=ids[identity_key(r["term"])], name=r["term"]),
                    kind=r["kind"],
                    position=n,
                )
                for n, r in enumerate(row.record["relations"], start=1)
            ],
            tags=[tags[identity_key(name)] for name in row.record["tags"]],
        )
    write_parts(drafts)
    snapshots = {pk: snapshot(draft) for pk, draft in drafts.items()}
    numbers = next_revision_numbers(drafts)
    revisions = Revision.objects.bulk_create(
        Revision(
            term_id=pk,
            number=numbers[pk],
            term_name=draft.term.name,
            action=Revision.Action.SAVE,
            message=message,
            snapshot=snapshots[pk],
            edit_version=draft.term.edit_version,
            created_at=now,
            created_by=by,
        )
        for pk, draft in drafts.items()
    )
    # The submission each term's history shows; reviewers are told once, about the whole change set.
    ReviewNote.objects.bulk_create(
        ReviewNote(
            term_id=pk,
            action=ReviewNote.Action.SUBMITTED,
            comment=message,
            edit_version=draft.term.edit_version,
            created_at=now,
            created_by=by,
        )
        for pk, draft in drafts.items()
    )
    index_working_copies(snapshots)
    change_set = ChangeSet.objects.create(
        file_name=plan.file_name[:255],
        file_format=plan.file_format,
        created=plan.count(Action.CREATED),
        updated=plan.count(Action.UPDATED),
        unchanged=plan.count(Action.UNCHANGED),
        created_at=now,
        created_by=by,
    )
    ChangeSetTerm.objects.bulk_create(
        ChangeSetTerm(
            change_set=change_set,
            term=term,
            term_name=term.name,
            action=row.action,
            line=row.line,
            edit_version=term.edit_version,
            revision=revision,
            previous_revision_id=previous.get(term.pk, (None, 0))[0],
        )
        for row, term, revision in zip(changed, terms, revisions, strict=True)
    )
    return change_set


def latest_revisions(term_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Each term's latest revision (as `workflow.latest_revision` finds it): term id → (revision id, edit version)."""
    latest = {}
    for chunk in chunks(term_ids):
        revisions = (
            Revision.objects.filter(term_id__in=chunk)
            .exclude(action=Revision.Action.UNPUBLISH)
            .values_list("term_id", "pk", "edit_version")
        )
        for term_id, pk, edit_version in revisions:  # newest first: Revision's ordering
            latest.setdefault(term_id, (pk, edit_version))
    return latest


def chunks(ids: list[int], size: int = 5_000) -> Iterable[list[int]]:
    """The ids in slices a query's IN list can hold on every database."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def write_terms(rows: list[Row], previous: dict, *, by, now) -> list[Term]:
    """Create and update the rows' terms (their own fields), in review; return them in the rows' order."""
    stored = {}
    for chunk in chunks([row.term_id for row in rows if row.term_id is not None]):
        stored.update(Term.objects.in_bulk(chunk))
    review = {"status": Term.Status.IN_REVIEW, "submitted_at": now, "submitted_by": by, "updated_at": now}
    moved_from = {pk: (term.slug, term.name_key) for pk, term in stored.items()}
    terms, new = [], []
    for row in rows:
        fields = {key: row.record[key] for key in (*TEXT_FIELDS, *SECTIONS)}
        fields["aliases"] = "\n".join(row.record["aliases"])
        if row.term_id is None:
            term = Term(**fields, **review, updated_by=by, created_at=now, created_by=by)
            new.append(term)
        else:
            term = stored[row.term_id]
            # As `workflow.record_save` counts: a term with a history gets a new edit version.
            edit_version = term.edit_version + 1 if row.term_id in previous else term.edit_version
            for key, value in {**fields, **review, "updated_by": by, "edit_version": edit_version}.items():
                setattr(term, key, value)
        terms.append(term)
    new_ones = {id(term) for term in new}
    updated = [term for term in terms if id(term) not in new_ones]
    # Terms may swap names or slugs: free each one a term leaves before any term takes it.
    bulk.update(
        Term,
        ["slug", "name_key"],
        {
            term.pk: {"slug": f"~{term.pk}", "name_key": set_aside_key(identity_key(term.name), term.pk)}
            for term in updated
            if (term.slug, identity_key(term.name)) != moved_from[term.pk]
        },
    )
    names = [*fields, "status", "submitted_at", "submitted_by", "updated_at", "updated_by", "edit_version"]
    attnames = {name: Term._meta.get_field(name).attname for name in names}
    bulk.update(
        Term,
        [*names, "name_key", "alias_keys"],
        {
            term.pk: {
                **{name: getattr(term, attname) for name, attname in attnames.items()},
                "name_key": identity_key(term.name),
                "alias_keys": keyed_lines(identity_key(alias) for alias in term.alias_list),
            }
            for term in updated
        },
    )
    Term.objects.bulk_create(new)
    return terms


def tags_named(names: Iterable[str]) -> dict[str, Tag]:
    """The tags of these names by identity key (found as `KeyedTags` finds them), created where none exists yet."""
    wanted = {identity_key(name): name for name in names}
    found = {}
    for chunk in chunks(list(wanted)):
        found.update({tag.name_key: tag for tag in Tag.objects.filter(name_key__in=chunk)})
    for key, name in wanted.items():
        if key not in found:
            found[key] = Tag.objects.create(name=name)  # taggit's save gives it a unique slug
    return found


def write_parts(drafts: dict[int, Draft]) -> None:
    """Replace the terms' examples, misconceptions, relations and tags with the drafts'."""
    for chunk in chunks(list(drafts)):
        Example.objects.filter(term_id__in=chunk).delete()
        Misconception.objects.filter(term_id__in=chunk).delete()
        Relation.objects.filter(from_term_id__in=chunk).delete()
        TaggedTerm.objects.filter(content_object_id__in=chunk).delete()
    bulk.insert(example for draft in drafts.values() for example in draft.examples)
    bulk.insert(item for draft in drafts.values() for item in draft.misconceptions)
    bulk.insert(relation for draft in drafts.values() for relation in draft.relations)
    bulk.insert(TaggedTerm(content_object_id=pk, tag=tag) for pk, draft in drafts.items() for tag in draft.tags)
