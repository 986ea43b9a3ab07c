"""The glossary's working copies as records, and the files they are written to: JSON, CSV and SKOS.

A record is one term as plain data (see docs/import-export.md); a JSON export holds every field,
so importing it and exporting again gives the same bytes, each term's status aside.
"""

import csv
import io
import json
import re
from collections import defaultdict

from django.db.models.functions import Lower

from .labels import alias_lines, parse_labels
from .models.editorial import Term
from .models.parts import Example, Misconception
from .models.relations import Relation
from .models.tags import TaggedTerm
from .records import published_records as published_layer_records
from .records import record_order as sort_key
from .records import title_of
from .skos import turtle

FORMATS = ("csv", "json", "skos")
SCOPES = {False: "working copies", True: "published"}
TEXT_FIELDS = ("name", "qualifier", "slug", "sentence_name", "short_definition", "pronunciation")
SECTIONS = ("explanation", "analogy", "usage", "history")
# The CSV's columns before the numbered example and misconception columns.
CSV_COLUMNS = (
    *TEXT_FIELDS, "aliases", *SECTIONS, "relations", "tags", "deprecated", "deprecation_reason", "replaced_by", "status",
)  # fmt: skip
# How the CSV writes that a term is deprecated; reading also takes these.
CSV_YES, CSV_NO = "yes", ""
# A cell a spreadsheet would run as a formula starts with one of these; export puts an apostrophe before it,
# also before apostrophes already there, so that import takes exactly one off and reads back what was written.
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "skos": "text/turtle; charset=utf-8"}
EXTENSIONS = {"csv": "csv", "json": "json", "skos": "ttl"}


def plain(text: str) -> str:
    """Text with LF line endings, as records carry it (browsers send CRLF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def records_by_id() -> dict[int, dict]:
    """Every term's working copy as a record, by term id: six queries, whatever the glossary's size."""
    examples, misconceptions, relations, tags, successors = (defaultdict(list) for _ in range(5))
    for term_id, title, body in Example.objects.order_by("term_id", "position", "pk").values_list(
        "term_id", "title", "body"
    ):
        examples[term_id].append({"title": title, "body": plain(body)})
    for term_id, claim, correction in Misconception.objects.order_by("term_id", "position", "pk").values_list(
        "term_id", "claim", "correction"
    ):
        misconceptions[term_id].append({"claim": claim, "correction": plain(correction)})
    for term_id, kind, name, qualifier in Relation.objects.order_by("from_term_id", "position", "pk").values_list(
        "from_term_id", "kind", "to_term__name", "to_term__qualifier"
    ):
        # The other term's title: a homonym's name alone would not say which term it is.
        relations[term_id].append({"kind": kind, "term": title_of({"name": name, "qualifier": qualifier})})
    for term_id, name in TaggedTerm.objects.values_list("content_object_id", "tag__name"):
        tags[term_id].append(name)
    replacing = Term.replaced_by.through.objects.order_by(Lower("to_term__name"), Lower("to_term__qualifier"))
    for term_id, name, qualifier in replacing.values_list("from_term_id", "to_term__name", "to_term__qualifier"):
        successors[term_id].append(title_of({"name": name, "qualifier": qualifier}))
    fields = (*TEXT_FIELDS, "aliases", *SECTIONS, "deprecated", "deprecation_reason", "status")
    records = {}
    for pk, *values in Term.objects.values_list("pk", *fields):
        row = dict(zip(fields, values, strict=True))
        records[pk] = {
            **{field: row[field] for field in TEXT_FIELDS},
            "aliases": alias_lines(parse_labels(row["aliases"])),
            **{section: plain(row[section]) for section in SECTIONS},
            "examples": examples[pk],
            "misconceptions": misconceptions[pk],
            "relations": relations[pk],
            "tags": sorted(tags[pk], key=str.casefold),
            "deprecated": row["deprecated"],
            "deprecation_reason": row["deprecation_reason"],
            "replaced_by": successors[pk],
            "status": row["status"],
        }
    return records


def working_copy_records() -> list[dict]:
    """Every term's working copy as a record, sorted by name (case-folded), then slug."""
    return sorted(records_by_id().values(), key=sort_key)


def records_for(*, published: bool) -> list[dict]:
    return published_layer_records() if published else working_copy_records()


def to_json(records: list[dict], *, published: bool = False) -> str:
    """The JSON export: complete, stable (no timestamps), so a re-export is byte-identical."""
    document = {"format": "glossary", "version": 1, "scope": SCOPES[published], "terms": records}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def neutralised(cell: str) -> str:
    """The cell as a spreadsheet shows it as text, never running it as a formula."""
    return f"'{cell}" if FORMULA_START.match(cell) else cell


def csv_header(records: list[dict]) -> list[str]:
    """The columns: the fixed ones, then as many numbered example and misconception columns as the longest term needs."""
    examples = max((len(record["examples"]) for record in records), default=0)
    misconceptions = max((len(record["misconceptions"]) for record in records), default=0)
    return [
        *CSV_COLUMNS,
        *(f"example_{n}_{part}" for n in range(1, examples + 1) for part in ("title", "body")),
        *(f"misconception_{n}_{part}" for n in range(1, misconceptions + 1) for part in ("claim", "correction")),
    ]


def csv_row(record: dict) -> dict[str, str]:
    """One term's cells, by column; lists one item per line."""
    row = {
        **{field: record[field] for field in (*TEXT_FIELDS, *SECTIONS, "deprecation_reason", "status")},
        "aliases": "\n".join(record["aliases"]),
        "relations": "\n".join(f"{relation['kind']}: {relation['term']}" for relation in record["relations"]),
        "tags": "\n".join(record["tags"]),
        "deprecated": CSV_YES if record["deprecated"] else CSV_NO,
        "replaced_by": "\n".join(record["replaced_by"]),
    }
    for n, example in enumerate(record["examples"], start=1):
        row[f"example_{n}_title"], row[f"example_{n}_body"] = example["title"], example["body"]
    for n, item in enumerate(record["misconceptions"], start=1):
        row[f"misconception_{n}_claim"], row[f"misconception_{n}_correction"] = item["claim"], item["correction"]
    return row


def to_csv(records: list[dict]) -> str:
    """The CSV export, one row per term; the caller writes it as UTF-8 with a BOM (`encoded`)."""
    header = csv_header(records)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for record in records:
        row = csv_row(record)
        writer.writerow([neutralised(row.get(column, "")) for column in header])
    return out.getvalue()


def export(file_format: str, *, published: bool = False) -> bytes:
    """The whole glossary (working copies, or what readers see) as a file's bytes, the same from command and admin."""
    records = records_for(published=published)
    if file_format == "json":
        return to_json(records, published=published).encode()
    if file_format == "csv":
        # With a byte order mark: Excel reads a CSV file as UTF-8 only when it starts with one.
        return to_csv(records).encode("utf-8-sig")
    if file_format == "skos":
        return turtle(records).encode()
    raise ValueError(f"Unknown export format {file_format!r}: choose one of {', '.join(FORMATS)}.")


def file_name(file_format: str, *, published: bool = False) -> str:
    """The download's name, e.g. "glossary-published.csv"."""
    return f"glossary-{'published' if published else 'working-copies'}.{EXTENSIONS[file_format]}"
