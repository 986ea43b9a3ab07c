"""What the admin's delete and history pages say in words: what deleting terms does, and a term as a revision kept it."""

from dataclasses import dataclass, field

from django.contrib.admin.actions import delete_selected
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst

from .enums import KIND_ORDER, RelationKind
from .models.editorial import Term
from .models.parts import Example, Misconception
from .models.published import PublishedMention, PublishedRelation, PublishedTerm
from .models.relations import Relation
from .publishing import SECTIONS, rendered_sections
from .workflow import Draft


def deleted_terms_url() -> str:
    """The history list filtered to deletions: where deleted terms are recovered from."""
    return reverse("admin:terms_revision_changelist") + "?action__exact=delete"


@dataclass
class DeletionSummary:
    """What deleting one term does, for readers and for the workspace."""

    name: str
    page_url: str = ""  # the live page readers lose; empty when the term is not on the site
    related_from: list[str] = field(default_factory=list)  # published pages listing it under "Related terms"
    mentioned_by: list[str] = field(default_factory=list)  # published pages whose text links to it
    examples: int = 0
    misconceptions: int = 0
    relations: int = 0

    @property
    def parts(self) -> str:
        """Its parts in words, e.g. "2 examples, 1 misconception and 3 relations to other terms"."""
        counts = [
            (self.examples, "example", "examples"),
            (self.misconceptions, "misconception", "misconceptions"),
            (self.relations, "relation to another term", "relations to other terms"),
        ]
        words = [f"{count} {one if count == 1 else many}" for count, one, many in counts if count]
        return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def deletion_summaries(terms: list[Term]) -> list[DeletionSummary]:
    """What deleting these terms together does, one summary each, in a fixed number of queries."""
    ids = [term.pk for term in terms]
    live = dict(PublishedTerm.objects.filter(pk__in=ids).values_list("pk", "slug"))

    def names_by_target(model) -> dict[int, list[str]]:
        # Pages deleted in the same go lose nothing worth listing.
        rows = model.objects.filter(target_id__in=ids).exclude(source_id__in=ids)
        names: dict[int, set[str]] = {}
        for target, name in rows.values_list("target_id", "source__name"):
            names.setdefault(target, set()).add(name)
        return {target: sorted(found, key=str.casefold) for target, found in names.items()}

    def counts(queryset, key: str) -> dict[int, int]:
        return dict(queryset.filter(**{f"{key}__in": ids}).values(key).annotate(n=Count("pk")).values_list(key, "n"))

    related_from, mentioned_by = names_by_target(PublishedRelation), names_by_target(PublishedMention)
    examples, misconceptions = counts(Example.objects, "term"), counts(Misconception.objects, "term")
    outgoing, incoming = counts(Relation.objects, "from_term"), counts(Relation.objects, "to_term")
    return [
        DeletionSummary(
            name=term.name,
            page_url=reverse("terms:detail", args=[live[term.pk]]) if term.pk in live else "",
            related_from=related_from.get(term.pk, []),
            mentioned_by=mentioned_by.get(term.pk, []),
            examples=examples.get(term.pk, 0),
            misconceptions=misconceptions.get(term.pk, 0),
            relations=outgoing.get(term.pk, 0) + incoming.get(term.pk, 0),
        )
        for term in terms
    ]


def delete_selected_in_words(modeladmin, request, queryset):
    """Django's "Delete selected" action, whose confirmation says what deleting does instead of listing rows."""
    response = delete_selected(modeladmin, request, queryset)
    if isinstance(response, TemplateResponse):
        terms = list(queryset.order_by("name"))
        what = f"“{terms[0].name}”" if len(terms) == 1 else f"these {len(terms)} terms"
        response.context_data.update(
            title=f"Delete {what}?",
            what=what,
            summaries=deletion_summaries(terms),
            deleted_terms_url=deleted_terms_url(),
        )
    return response


@dataclass
class KeptTerm:
    """A term as a revision kept it, ready to read: sections rendered and sanitised, relations by name."""

    name: str
    short_definition: str
    pronunciation: str
    aliases: list[str]
    sections: list[tuple[str, str]]  # (heading, sanitised HTML)
    examples: list[tuple[str, str]]  # (title, sanitised HTML)
    misconceptions: list[tuple[str, str]]  # (claim, sanitised HTML)
    tags: list[str]
    relations: list[tuple[str, list[str]]]  # (kind, names of the terms)
    incoming: list[tuple[str, str]]  # (name of the other term, how it related to this one)


def kept_term(data: dict) -> KeptTerm | None:
    """The term a revision's snapshot holds, or None for a revision without content (an unpublishing)."""
    if not data.get("name"):
        return None
    examples = sorted(data.get("examples", []), key=lambda example: example.get("position", 0))
    misconceptions = sorted(data.get("misconceptions", []), key=lambda item: item.get("position", 0))
    rendered = rendered_sections(Draft.markdown_of({**data, "examples": examples, "misconceptions": misconceptions}))
    sections = [(capfirst(Term._meta.get_field(key).verbose_name), rendered[key]) for key in SECTIONS]
    relations = sorted(data.get("relations", []), key=lambda relation: relation.get("position", 0))
    return KeptTerm(
        name=data["name"],
        short_definition=data.get("short_definition", ""),
        pronunciation=data.get("pronunciation", ""),
        aliases=[alias for alias in data.get("aliases", "").splitlines() if alias.strip()],
        sections=[(heading, html) for heading, html in sections if html],
        examples=[
            (example.get("title", ""), rendered[f"example-{number}"])
            for number, example in enumerate(examples, start=1)
        ],
        misconceptions=[
            (item.get("claim", ""), rendered[f"misconception-{number}"])
            for number, item in enumerate(misconceptions, start=1)
        ],
        tags=list(data.get("tags", [])),
        relations=[
            (kind.label, names)
            for kind in KIND_ORDER
            if (names := [r.get("to_name") or f"term #{r['to']}" for r in relations if r["kind"] == kind])
        ],
        incoming=[
            (r.get("from_name") or f"term #{r['from']}", RelationKind(r["kind"]).label.lower())
            for r in sorted(data.get("incoming", []), key=lambda r: r.get("from_name", "").casefold())
        ],
    )
