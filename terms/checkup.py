"""The glossary's health check: problems editors should fix, found across the whole glossary at once.

`check_glossary()` runs every check in `CHECKS` and returns a `Report`; `manage.py check_glossary` prints it
(exit status 1 on an error, for CI) and the admin's "Glossary health" page lists it. Each check is a small
function registered with `@check(...)`: its name, title, level and how to fix what it finds. Each runs a
fixed number of queries, so the report costs the same number of queries at any size of glossary.
"""

import functools
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from .enums import RelationKind
from .hierarchy import broader_edge, loops
from .identity import identity_key
from .labels import parse_labels
from .linking import ambiguous_mentions
from .models.editorial import Term
from .models.published import PublishedMention, PublishedRelation, PublishedTerm
from .models.relations import Relation
from .phrases import Names, most_used, page_text

ERROR, WARNING = "error", "warning"
PRONUNCIATION = re.compile(r"^(?:/[^/]+/|\[[^\[\]]+\])$")
# How many phrases the missing entries list, and how many of each phrase's pages it names.
MISSING_SHOWN = 20
PAGES_SHOWN = 20


@dataclass(frozen=True)
class TermRef:
    """A term as a finding names it: its id, address and title."""

    pk: int
    slug: str
    title: str

    @property
    def admin_url(self) -> str:
        return reverse("admin:terms_term_change", args=[self.pk])

    def as_dict(self) -> dict:
        return {"slug": self.slug, "title": self.title, "admin_url": self.admin_url}


def term_ref(pk: int, slug: str, name: str, qualifier: str = "") -> TermRef:
    """A working copy's reference, titled as lists title it ("Attention (psychology)")."""
    return TermRef(pk, slug, f"{name} ({qualifier})" if qualifier else name)


@dataclass(frozen=True)
class Finding:
    """One problem: the term it is about (None for a phrase), what is wrong, the other terms involved."""

    check: str
    level: str
    term: TermRef | None
    message: str
    others: tuple[TermRef, ...] = ()
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "term": self.term.as_dict() if self.term else None,
            "message": self.message,
            "others": [other.as_dict() for other in self.others],
            "details": self.details,
        }


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    level: str
    how_to_fix: str
    run: Callable[[], Iterable[tuple]]


@dataclass
class Result:
    """A check and what it found."""

    check: Check
    findings: list[Finding]

    def as_dict(self) -> dict:
        return {
            "check": self.check.name,
            "title": self.check.title,
            "level": self.check.level,
            "how_to_fix": self.check.how_to_fix,
            "count": len(self.findings),
            "findings": [finding.as_dict() for finding in self.findings],
        }


@dataclass
class Report:
    """Every check's findings, in the order of `CHECKS`."""

    results: list[Result]

    def count(self, level: str) -> int:
        return sum(len(result.findings) for result in self.results if result.check.level == level)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)

    def as_dict(self) -> dict:
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "checks": [result.as_dict() for result in self.results],
        }


CHECKS: list[Check] = []


def check(name: str, *, title: str, level: str, how_to_fix: str):
    """Register a check: a function yielding (term or None, message, other terms, details), the last two optional."""

    def register(function):
        CHECKS.append(Check(name, title, level, how_to_fix, function))
        return function

    return register


def check_glossary() -> Report:
    """Run every check over the whole glossary."""
    results = []
    for registered in CHECKS:
        findings = [
            Finding(registered.name, registered.level, term, message, *rest)
            for term, message, *rest in registered.run()
        ]
        results.append(Result(registered, findings))
    return Report(results)


def label_names(aliases: str) -> list[str]:
    """A term's other names, from its aliases field, whatever their kind."""
    return [label.name for label in parse_labels(aliases)]


def is_live() -> Exists:
    return Exists(PublishedTerm.objects.filter(pk=OuterRef("pk")))


def is_deprecated(prefix: str = "") -> Q:
    """Whether a term is deprecated, in its working copy or on its published page."""
    return Q(**{f"{prefix}deprecated": True}) | Q(**{f"{prefix}published__deprecated_at__isnull": False})


# Broader and narrower terms


def loop_findings(edges, refs: dict[int, TermRef], where: str) -> Iterator[tuple]:
    for loop in loops(edges):
        terms = [refs[pk] for pk in loop]
        yield (
            terms[0],
            f"Broader terms loop back to it in the {where}: {' → '.join(term.title for term in terms)}.",
            tuple(dict.fromkeys(terms[1:-1])),
            {"loop": [term.slug for term in terms]},
        )


@check(
    "cycles",
    title="Loops of broader terms",
    level=ERROR,
    how_to_fix="Remove or reverse one relation of each loop (a term cannot be broader than itself), then publish.",
)
def broader_cycles():
    hierarchy = (RelationKind.BROADER, RelationKind.NARROWER)
    working = Relation.objects.filter(kind__in=hierarchy).values_list("from_term_id", "to_term_id", "kind")
    refs = {pk: term_ref(pk, *rest) for pk, *rest in Term.objects.values_list("pk", "slug", "name", "qualifier")}
    yield from loop_findings((broader_edge(*row) for row in working), refs, "working copies")
    published = PublishedRelation.objects.filter(kind__in=hierarchy, target_id__in=PublishedTerm.objects.values("pk"))
    pages = {
        pk: TermRef(pk, slug, title) for pk, slug, title in PublishedTerm.objects.values_list("pk", "slug", "title")
    }
    edges = (broader_edge(*row) for row in published.values_list("source_id", "target_id", "kind"))
    yield from loop_findings(edges, pages, "published pages")


# Names and aliases


@check(
    "alias_collisions",
    title="Aliases shared with another term",
    level=ERROR,
    how_to_fix="Keep each alias on one term only: remove it from this term, or from the other one.",
)
def alias_collisions():
    terms = list(Term.objects.order_by("pk").values_list("pk", "slug", "name", "qualifier", "aliases"))
    claims = defaultdict(list)  # identity key -> [(term, "the name" | "an alias")]
    refs = {}
    for pk, slug, name, qualifier, aliases in terms:
        refs[pk] = term_ref(pk, slug, name, qualifier)
        claims[identity_key(name)].append((pk, "the name"))
        for alias in label_names(aliases):
            if identity_key(alias) != identity_key(name):
                claims[identity_key(alias)].append((pk, "an alias"))
    for pk, _, name, _, aliases in terms:
        for alias in label_names(aliases):
            others = [(other, role) for other, role in claims[identity_key(alias)] if other != pk]
            if others and identity_key(alias) != identity_key(name):
                said = "; ".join(f"{role} of {refs[other].title}" for other, role in others)
                yield (
                    refs[pk],
                    f"Its alias “{alias}” is also {said}.",
                    tuple(refs[other] for other, _ in others),
                    {"alias": alias},
                )


@check(
    "duplicate_definitions",
    title="Duplicate one-line definitions",
    level=WARNING,
    how_to_fix="Say what sets each term apart in its one-liner, or merge the terms if they are one idea.",
)
def duplicate_definitions():
    groups = defaultdict(list)
    for pk, slug, name, qualifier, definition in Term.objects.order_by("pk").values_list(
        "pk", "slug", "name", "qualifier", "short_definition"
    ):
        groups[" ".join(definition.casefold().split())].append(term_ref(pk, slug, name, qualifier))
    for group in groups.values():
        for term in group if len(group) > 1 else ():
            others = tuple(other for other in group if other != term)
            yield term, f"Same one-line definition as {', '.join(other.title for other in others)}.", others


@check(
    "pronunciation",
    title="Pronunciations not between /slashes/ or [brackets]",
    level=WARNING,
    how_to_fix='Write the IPA between slashes, "/faɪn ˈtjuːnɪŋ/", or brackets for a narrow transcription.',
)
def pronunciation():
    terms = Term.objects.exclude(pronunciation="").order_by("pk")
    for pk, slug, name, qualifier, said in terms.values_list("pk", "slug", "name", "qualifier", "pronunciation"):
        if not PRONUNCIATION.match(said.strip()):
            yield (
                term_ref(pk, slug, name, qualifier),
                f"Its pronunciation “{said}” is not between /slashes/ or [brackets].",
            )


# Relations


def relation_findings(relations, why: str) -> Iterator[tuple]:
    rows = relations.order_by("from_term_id", "position", "pk").values_list(
        "from_term_id", "from_term__slug", "from_term__name", "from_term__qualifier",
        "to_term_id", "to_term__slug", "to_term__name", "to_term__qualifier", "kind",
    )  # fmt: skip
    for *source, target_id, target_slug, target_name, target_qualifier, kind in rows:
        target = term_ref(target_id, target_slug, target_name, target_qualifier)
        kind = RelationKind(kind).label.lower()
        yield term_ref(*source), f"Its relation “{kind}” leads to {target.title}, which {why}.", (target,)


@check(
    "relations_to_unpublished",
    title="Relations to unpublished terms",
    level=WARNING,
    how_to_fix="Publish the other term, or remove the relation: readers see neither it nor the link back.",
)
def relations_to_unpublished():
    live = Exists(PublishedTerm.objects.filter(pk=OuterRef("from_term_id")))
    target_live = Exists(PublishedTerm.objects.filter(pk=OuterRef("to_term_id")))
    yield from relation_findings(Relation.objects.filter(live).exclude(target_live), "is not published")


@check(
    "relations_to_deprecated",
    title="Relations to deprecated terms",
    level=WARNING,
    how_to_fix="Point the relation at the term that replaces the deprecated one.",
)
def relations_to_deprecated():
    relations = Relation.objects.filter(is_deprecated("to_term__")).exclude(is_deprecated("from_term__"))
    yield from relation_findings(relations, "is deprecated")


# Published pages


SECTION_LABELS = {
    "explanation_html": "explanation",
    "analogy_html": "analogy",
    "usage_html": "how it is used",
    "history_html": "history",
    "examples": "examples",
    "misconceptions": "misconceptions",
}


@check(
    "empty_sections",
    title="Published pages with empty sections",
    level=WARNING,
    how_to_fix="Write the missing sections, then publish: readers see a page without them.",
)
def empty_sections():
    empty = {
        "explanation_html": Q(explanation_html=""),
        "analogy_html": Q(analogy_html=""),
        "usage_html": Q(usage_html=""),
        "history_html": Q(history_html=""),
        "examples": Q(examples=[]),
        "misconceptions": Q(misconceptions=[]),
    }
    pages = PublishedTerm.objects.filter(functools.reduce(operator.or_, empty.values()), deprecated_at__isnull=True)
    flags = {f"no_{key}": ExpressionWrapper(condition, output_field=BooleanField()) for key, condition in empty.items()}
    rows = pages.annotate(**flags).order_by("sort_name", "pk")
    for row in rows.values("pk", "slug", "title", *(f"no_{key}" for key in empty)):
        missing = [SECTION_LABELS[key] for key in empty if row[f"no_{key}"]]
        yield (
            TermRef(row["pk"], row["slug"], row["title"]),
            f"Its page has no {', no '.join(missing)}.",
            (),
            {"empty": missing},
        )


@check(
    "orphans",
    title="Orphan terms",
    level=WARNING,
    how_to_fix="Relate it to the terms it belongs with, or mention it in their text, so readers can find it.",
)
def orphans():
    published = PublishedTerm.objects.values("pk")
    linked_to = Exists(PublishedMention.objects.filter(target_id=OuterRef("pk")).exclude(source_id=OuterRef("pk")))
    related_from = Exists(PublishedRelation.objects.filter(target_id=OuterRef("pk")))
    related_to = Exists(PublishedRelation.objects.filter(source_id=OuterRef("pk"), target_id__in=published))
    pages = PublishedTerm.objects.filter(deprecated_at__isnull=True).exclude(linked_to | related_from | related_to)
    for pk, slug, title in pages.order_by("sort_name", "pk").values_list("pk", "slug", "title"):
        yield TermRef(pk, slug, title), "No published page links to it or relates to it."


@check(
    "review_overdue",
    title="Terms past their review date",
    level=WARNING,
    how_to_fix="Check that the term is still accurate, then publish it again (or set a later review date).",
)
def review_overdue():
    today = timezone.localdate()
    terms = Term.objects.filter(is_live(), review_by__lt=today).order_by("review_by", "pk")
    for pk, slug, name, qualifier, due in terms.values_list("pk", "slug", "name", "qualifier", "review_by"):
        days = (today - due).days
        yield (
            term_ref(pk, slug, name, qualifier),
            f"Its review was due on {due:%-d %B %Y}, {days} day{'s' if days != 1 else ''} ago.",
            (),
            {"review_by": due.isoformat()},
        )


@check(
    "ambiguous_mentions",
    title="Mentions of a name several terms share, not linked",
    level=WARNING,
    how_to_fix="Say which meaning the page means (write its title, or link it by hand), or rename one of the terms.",
)
def ambiguous_mentions_found():
    mentions = ambiguous_mentions()
    ids = {pk for page, _, candidates in mentions for pk in [page, *candidates]}
    rows = PublishedTerm.objects.filter(pk__in=ids).values_list("pk", "slug", "name", "qualifier")
    refs = {pk: term_ref(pk, slug, name, qualifier) for pk, slug, name, qualifier in rows}
    for page, phrase, candidates in mentions:
        meanings = [refs[pk] for pk in candidates if pk in refs]
        titles = " or ".join(meaning.title for meaning in meanings)
        yield refs[page], f"“{phrase}” could mean {titles}: it is not linked.", tuple(meanings), {"phrase": phrase}


@check(
    "missing_entries",
    title="Phrases used often that have no entry",
    level=WARNING,
    how_to_fix="Write a term for the phrase (or add it as an alias of the term it means), so pages link to it.",
)
def missing_entries():
    names = Names()
    for name, aliases in Term.objects.values_list("name", "aliases"):
        for each in [name, *label_names(aliases)]:
            names.add(each)
    refs = {}

    def texts():
        rows = PublishedTerm.objects.order_by("sort_name", "pk").values_list(
            "pk", "slug", "title", "unlinked", "examples", "misconceptions"
        )
        for pk, slug, title, unlinked, examples, misconceptions in rows.iterator(chunk_size=500):
            refs[pk] = TermRef(pk, slug, title)
            yield pk, page_text(unlinked, examples, misconceptions)

    for phrase, pks in most_used(texts(), names, MISSING_SHOWN):
        yield (
            None,
            f"“{phrase}” is used on {len(pks)} published pages, and no term has this name or alias.",
            tuple(refs[pk] for pk in pks[:PAGES_SHOWN]),
            {"phrase": phrase, "pages": len(pks)},
        )
