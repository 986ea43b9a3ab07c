"""Published terms as records of the interchange format, the same data in JSON, CSV and SKOS.

A record is one term as plain data (docs/reading.md lists its keys). These are read from the
published layer alone, so they hold what readers see and nothing of a draft.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .labels import alias_lines, labels_of
from .models.published import PublishedRelation, PublishedTerm

# The markdown sections, in record order.
SECTIONS = ("explanation", "analogy", "usage", "history")
TERM_COLUMNS = (
    "pk",
    "name",
    "qualifier",
    "slug",
    "sentence_name",
    "short_definition",
    "pronunciation",
    "labels",
    "examples",
    "misconceptions",
    "markdown",
    "tags",
    "published_at",
    "first_published_at",
    "deprecated_at",
    "deprecation",
)


@dataclass(frozen=True)
class PublishedRecord:
    """A published term's record, with what feeds and SKOS say of it besides."""

    record: dict
    published_at: datetime
    first_published_at: datetime
    # The slug of each term its relations name: {title: slug}.
    targets: dict[str, str] = field(default_factory=dict)


def title_of(record: dict) -> str:
    """How a record's term is named in lists and relations: "Attention (psychology)" for a homonym, else its name."""
    qualifier = record.get("qualifier", "")
    return f"{record['name']} ({qualifier})" if qualifier else record["name"]


def record_order(record: dict) -> tuple[str, str]:
    """How records are sorted: by title casefold, then slug."""
    return (title_of(record).casefold(), record["slug"])


def published_records() -> list[dict]:
    """Every published term as a record, sorted as exports are: two queries, however many terms."""
    return [entry.record for entry in published_entries()]


def published_entries(slugs: Iterable[str] | None = None) -> list[PublishedRecord]:
    """The published terms (all, or those with these slugs) with their records, sorted as exports are."""
    terms = PublishedTerm.objects.order_by()
    relations = PublishedRelation.objects.order_by("source_id", "position", "pk")
    if slugs is not None:
        slugs = list(slugs)
        terms = terms.filter(slug__in=slugs)
        relations = relations.filter(source__slug__in=slugs)
    # The join on the target leaves out relations whose target is not published.
    links = defaultdict(list)
    for source_id, kind, target_name, target_slug in relations.values_list(
        "source_id", "kind", "target__title", "target__slug"
    ):
        links[source_id].append((kind, target_name, target_slug))
    entries = [entry_of(row, links[row[0]]) for row in terms.values_list(*TERM_COLUMNS)]
    entries.sort(key=lambda entry: record_order(entry.record))
    return entries


def entry_of(row: tuple, links: list[tuple[str, str, str]]) -> PublishedRecord:
    """A published term's row and its relations' (kind, target title, target slug) as a PublishedRecord."""
    values = dict(zip(TERM_COLUMNS, row, strict=True))
    markdown = values["markdown"]
    example_bodies = markdown.get("examples", [])
    corrections = markdown.get("misconceptions", [])
    successors = values["deprecation"].get("successors", [])
    record = {
        "name": values["name"],
        "qualifier": values["qualifier"],
        "slug": values["slug"],
        "sentence_name": values["sentence_name"],
        "short_definition": values["short_definition"],
        "pronunciation": values["pronunciation"],
        # Every label, hidden ones included, each with its kind first unless its name alone says it.
        "aliases": alias_lines(labels_of(values["labels"])),
        **{key: markdown.get(key, "") for key in SECTIONS},
        "examples": [
            {"title": example["title"], "body": body}
            for example, body in zip(values["examples"], example_bodies, strict=True)
        ],
        "misconceptions": [
            {"claim": item["claim"], "correction": correction}
            for item, correction in zip(values["misconceptions"], corrections, strict=True)
        ],
        "relations": [{"kind": kind, "term": name} for kind, name, _ in links],
        "tags": sorted((tag["name"] for tag in values["tags"]), key=str.casefold),
        "deprecated": values["deprecated_at"] is not None,
        "deprecation_reason": values["deprecation"].get("reason", ""),
        "replaced_by": [successor["name"] for successor in successors],
        "status": "published",
    }
    return PublishedRecord(
        record=record,
        published_at=values["published_at"],
        first_published_at=values["first_published_at"],
        targets={
            **{name: slug for _, name, slug in links},
            **{successor["name"]: successor["slug"] for successor in successors},
        },
    )


def published_neighbourhood(slug: str) -> tuple[PublishedRecord | None, list[dict]]:
    """A published term's record, and the terms it links to or from as partial records: three queries.

    Each neighbour is {"name" (its title), "slug", "relations"}, its relations those that point at the term.
    """
    entries = published_entries([slug])
    if not entries:
        return None, []
    entry = entries[0]
    neighbours = {name: {"name": name, "slug": target, "relations": []} for name, target in entry.targets.items()}
    incoming = (
        PublishedRelation.objects.filter(target__slug=slug, source__isnull=False)
        .order_by("source_id", "position", "pk")
        .values_list("source__title", "source__slug", "kind")
    )
    for name, source, kind in incoming:
        neighbour = neighbours.setdefault(name, {"name": name, "slug": source, "relations": []})
        neighbour["relations"].append({"kind": kind, "term": title_of(entry.record)})
    return entry, sorted(neighbours.values(), key=record_order)
