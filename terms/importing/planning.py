"""Planning an import: each entry matched to a stored term and checked as the admin checks a term, and across rows."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from ..exporting import SECTIONS, TEXT_FIELDS, plain, records_by_id, title_of
from ..hierarchy import broader_edge
from ..identity import identity_key, normalise_name
from ..labels import alias_lines, parse_labels
from ..models.editorial import Term
from ..models.parts import Example, Misconception
from ..models.tags import TAG_NAME_MAX_LENGTH, Tag
from ..workflow import deprecation_errors
from .reading import RECORD_KEYS, Entry, FileRefused, read

NOT_COMPARED = ("status",)  # a term's workflow state is never imported: the import decides it


class Action:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


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


Progress = Callable[[Iterable, int, str], Iterable]


def no_progress(items: Iterable, total: int, description: str) -> Iterable:
    return items


EMPTY = {
    **dict.fromkeys((*TEXT_FIELDS, *SECTIONS), ""),
    "aliases": [],
    "examples": [],
    "misconceptions": [],
    "relations": [],
    "tags": [],
    "deprecated": False,
    "deprecation_reason": "",
    "replaced_by": [],
    "status": Term.Status.DRAFT,
}


@dataclass
class Glossary:
    """What planning needs to know of the stored terms."""

    records: dict[int, dict]
    by_slug: dict[str, int]
    by_key: dict[str, int]  # the identity key of a term's title ("attention (psychology)")
    live: set[int]
    tag_names: dict[str, str]  # a tag's identity key → its stored name

    @classmethod
    def load(cls) -> "Glossary":
        rows = Term.objects.values_list("pk", "slug", "name", "qualifier", "published")
        by_slug, by_key, live = {}, {}, set()
        for pk, slug, name, qualifier, published in rows:
            by_slug[slug] = pk
            by_key[identity_key(title_of({"name": name, "qualifier": qualifier}))] = pk
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
    return {key: value for key, value in record.items() if key not in NOT_COMPARED}


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
            row.record["replaced_by"] = sorted(
                (canonical.get(identity_key(name), name) for name in row.record["replaced_by"]), key=str.casefold
            )
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
    """The entry matched to a stored term (by slug, else by title) and completed with that term's other fields.

    A name shared by homonyms matches none of them without its qualifier: the entry then names a new term,
    which `check_names` refuses.
    """
    fields = entry.fields
    name = normalise_name(fields.get("name", ""))
    row = Row(line=entry.line, name=name, action=Action.ERROR, errors=list(entry.errors))
    if not name:
        row.errors.insert(0, "name: every term needs a name.")
        return row
    slug = fields.get("slug", "").strip().lower()
    pk = glossary.by_slug.get(slug) if slug else None
    if pk is None:
        pk = glossary.by_key.get(identity_key(title_of({"name": name, "qualifier": fields.get("qualifier", "")})))
    base = glossary.records[pk] if pk is not None else EMPTY
    record = {key: fields[key] if key in fields else base[key] for key in RECORD_KEYS}
    record["name"] = name
    if "qualifier" not in fields and base["qualifier"] and identity_key(name) == identity_key(title_of(base)):
        # The stored term's title given as its name, as SKOS labels it: its name and qualifier, unchanged.
        record["name"] = base["name"]
    record["qualifier"] = normalise_name(record["qualifier"])
    row.name = title_of(record)
    record["slug"] = slug or base["slug"] or slugify(name)
    record["status"] = base["status"]
    record["aliases"] = alias_lines(parse_labels("\n".join(record["aliases"])))
    for section in SECTIONS:
        record[section] = plain(record[section])
    record["examples"] = [{"title": e["title"], "body": plain(e["body"])} for e in record["examples"]]
    record["misconceptions"] = [
        {"claim": m["claim"], "correction": plain(m["correction"])} for m in record["misconceptions"]
    ]
    record["relations"] = [dict(relation) for relation in record["relations"]]
    record["deprecation_reason"] = " ".join(record["deprecation_reason"].split())
    record["replaced_by"] = [normalise_name(name) for name in record["replaced_by"] if name.strip()]
    tags = {}
    for tag in record["tags"]:
        key = identity_key(tag)
        if key:
            tags.setdefault(key, glossary.tag_names.get(key, normalise_name(tag)))
    record["tags"] = sorted(tags.values(), key=str.casefold)
    row.record, row.term_id = record, pk
    return row


def alias_names(record: dict) -> list[str]:
    """The names of a record's aliases, their kinds left aside."""
    return [label.name for label in parse_labels("\n".join(record["aliases"]))]


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
            for alias in alias_names(record):
                live_aliases.setdefault(identity_key(alias), record)
    for row in named:
        if row.term_id in glossary.live:
            for alias in alias_names(row.record):
                live_aliases.setdefault(identity_key(alias), row.record)
    names = {**kept_names, **{identity_key(row.record["name"]): row.record for row in named}}
    # Terms by name, to apply the homonyms' rule: each that shares a name has a qualifier of its own.
    by_name = defaultdict(list)
    for record in [*kept.values(), *(row.record for row in named)]:
        by_name[identity_key(record["name"])].append(record)
    in_file = {id(row.record) for row in named}
    for row in named:
        key = identity_key(row.record["name"])
        for other in by_name[key]:
            if other is row.record or (
                id(other) in in_file and identity_key(title_of(other)) == identity_key(row.name)
            ):
                continue  # itself, or a row of the file with the same title, reported above
            if not distinct_homonyms(row.record, other):
                row.errors.append(
                    f"name: the term “{title_of(other)}” ({other['slug']}) already has this name. Two terms share "
                    "a name only when each has a qualifier, and the qualifiers differ."
                )
                break
        if (other := kept_slugs.get(row.record["slug"])) is not None:
            row.errors.append(f"slug: the term “{title_of(other)}” already has the slug “{row.record['slug']}”.")
        if (other := live_aliases.get(key)) is not None and other is not row.record:
            row.errors.append(f"name: “{row.name}” is an alias of “{other['name']}”: an alias leads to one term only.")
        for alias in alias_names(row.record):
            alias_key = identity_key(alias)
            if alias_key == key:
                row.errors.append(f"aliases: “{alias}” is this term's own name, not another one.")
            elif (other := names.get(alias_key)) is not None:
                row.errors.append(f"aliases: “{alias}” is already the name of “{other['name']}”.")
            elif (other := live_aliases.get(alias_key)) is not None and other is not row.record:
                row.errors.append(f"aliases: “{alias}” is already an alias of “{other['name']}”.")


def distinct_homonyms(record: dict, other: dict) -> bool:
    """Whether two terms that share a name may: each has a qualifier, and the qualifiers differ."""
    return bool(record["qualifier"] and other["qualifier"]) and (
        record["qualifier"].casefold() != other["qualifier"].casefold()
    )


def check_relations(rows: list[Row], glossary: Glossary) -> dict[str, str]:
    """Each relation's target, and each term replacing one, a term of the file or of the glossary, named by its
    title, not the term itself, listed once.

    Returns each title's identity key → the title as it will be stored, to write targets by.
    """
    matched = {row.term_id for row in rows if row.term_id is not None}
    canonical = {
        identity_key(title_of(record)): title_of(record) for pk, record in glossary.records.items() if pk not in matched
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
        successors = [identity_key(name) for name in row.record["replaced_by"]]
        for name, key in zip(row.record["replaced_by"], successors, strict=True):
            if key not in canonical:
                row.errors.append(f"replaced_by: no term is called “{name}”, in the file or the glossary.")
            elif key == identity_key(row.name):
                row.errors.append("replaced_by: a term cannot be replaced by itself.")
        if len(set(successors)) < len(successors):
            row.errors.append("replaced_by: a term is listed twice.")
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
            edge = broader_edge(identity_key(title_of(record)), identity_key(relation["term"]), relation["kind"])
            if edge is not None:
                broader[edge[0]].add(edge[1])
                if row is not None:
                    lines_of[edge].add(row)
    names = {identity_key(title_of(record)): title_of(record) for _, record in sources}
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
TERM_FIELDS = (*TEXT_FIELDS, "aliases", *SECTIONS, "deprecation_reason")


def field_errors(record: dict, *, pk: int | None) -> list[str]:
    """The record's fields checked as the admin's form would: lengths, required fields, slug characters."""
    errors = []
    term = Term(
        pk=pk,
        **{key: record[key] for key in (*TEXT_FIELDS, *SECTIONS, "deprecated", "deprecation_reason")},
        aliases="\n".join(record["aliases"]),
    )
    exclude = [f.name for f in Term._meta.concrete_fields if f.name not in TERM_FIELDS]
    errors += model_errors(term, exclude, "")
    # Whether the replacing terms exist is checked with the file's names (`check_relations`); the rules, here.
    named = [Term(name=name) for name in record["replaced_by"]]
    rules = deprecation_errors(Term(deprecated=term.deprecated, deprecation_reason=term.deprecation_reason), named)
    errors += [f"{key}: {message}" for key, messages in rules.items() for message in messages]
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
