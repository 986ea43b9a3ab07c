"""Reading an import file: its format told from its content, its encoding and size checked, its entries with their lines."""

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field

from ..enums import RelationKind
from ..exporting import CSV_COLUMNS, CSV_NO, CSV_YES, SECTIONS, TEXT_FIELDS, plain
from ..skos import records_from_turtle

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
RECORD_KEYS = (
    *TEXT_FIELDS, "aliases", *SECTIONS, "examples", "misconceptions", "relations", "tags",
    "deprecated", "deprecation_reason", "replaced_by", "status",
)  # fmt: skip
STRING_KEYS = (*TEXT_FIELDS, *SECTIONS, "deprecation_reason", "status")
BOOLEAN_KEYS = ("deprecated",)
# What a CSV cell may say for yes and no.
CSV_BOOLEANS = {CSV_YES: True, "true": True, "1": True, CSV_NO: False, "no": False, "false": False, "0": False}
# The lists of a record: of strings (None), or of objects with these string keys.
LIST_KEYS = {
    "aliases": None,
    "tags": None,
    "replaced_by": None,
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


@dataclass
class Entry:
    """One term as read from the file: the fields it gives (absent ones keep the stored value), or why it cannot be read."""

    line: int
    fields: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class FileRefused(Exception):
    """The file as a whole cannot be read: too large, not UTF-8, not a glossary file."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


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
        if key in BOOLEAN_KEYS:
            if not isinstance(value, bool):
                entry.errors.append(f"{key}: must be true or false.")
                continue
        elif key in STRING_KEYS:
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
    entry.fields = {key: row[key] for key in (*TEXT_FIELDS, *SECTIONS, "deprecation_reason") if key in columns}
    for key in ("aliases", "tags", "replaced_by"):
        if key in columns:
            entry.fields[key] = lines(row[key])
    if "deprecated" in columns:
        flag = CSV_BOOLEANS.get(row["deprecated"].strip().lower())
        if flag is None:
            entry.errors.append(f"deprecated: “{row['deprecated'][:20]}” should be “{CSV_YES}” or empty.")
        else:
            entry.fields["deprecated"] = flag
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
