"""A published term's "Related terms": its curated relations read both ways, grouped by kind.

Relations are stored once, from the term that curated them; a page shows them from both
ends (if B is broader than A, A is narrower than B). `relations_both_ways` is the one place
that reads them so. Read when terms are published and for the admin's preview, never on a page view.
"""

from collections.abc import Iterable
from typing import NamedTuple

from .enums import INVERSE_KIND, KIND_ORDER, RelationKind
from .models.published import SHOWN, PublishedRelation

BATCH = 500


class Relation(NamedTuple):
    """A published relation between two published terms, with what a page shows of each end."""

    source_id: int
    target_id: int
    kind: str
    source: dict
    target: dict


def relations_both_ways(term_ids: Iterable[int]) -> list[Relation]:
    """The published relations from or to these terms whose both ends are published, in curated order."""
    term_ids = sorted(set(term_ids))
    ends = [f"{end}__{column}" for end in ("source", "target") for column in (*SHOWN.values(), "sort_name")]
    width = len(SHOWN) + 1
    rows = {}
    for start in range(0, len(term_ids), BATCH):
        chunk = term_ids[start : start + BATCH]
        relations = PublishedRelation.objects.order_by()
        # The target key holds unpublished terms' ids too: filtering on its columns joins, dropping those.
        # Two index-served halves rather than one OR, which would scan every relation.
        for half in (
            relations.filter(source_id__in=chunk),
            relations.filter(target_id__in=chunk).exclude(source_id__in=chunk),
        ):
            rows.update(
                (row[4], row) for row in half.values_list("source_id", "target_id", "kind", "position", "pk", *ends)
            )
    # In curated order: by position, then by when the relation was written.
    rows = sorted(rows.values(), key=lambda row: (row[3], row[4]))
    named = (*SHOWN, "sort_name")
    return [
        Relation(
            source_id,
            target_id,
            kind,
            dict(zip(named, values[:width], strict=True)),
            dict(zip(named, values[width:], strict=True)),
        )
        for source_id, target_id, kind, _, _, *values in rows
    ]


def related_ids(term_ids: Iterable[int]) -> set[int]:
    """The published terms on the other end of these terms' published relations, either way."""
    term_ids = set(term_ids)
    return {
        other
        for relation in relations_both_ways(term_ids)
        for other in (relation.source_id, relation.target_id)
        if other not in term_ids
    }


def groups_by_term(term_ids: list[int]) -> dict[int, list[dict]]:
    """For each published term: its related terms, both directions, grouped by kind (what `PublishedTerm.related` holds)."""
    own: dict[int, list] = {pk: [] for pk in term_ids}
    incoming: dict[int, list] = {pk: [] for pk in term_ids}
    for relation in relations_both_ways(term_ids):
        if relation.source_id in own:
            own[relation.source_id].append((RelationKind(relation.kind), relation.target))
        if relation.target_id in incoming:
            incoming[relation.target_id].append((INVERSE_KIND[relation.kind], relation.source))
    return {pk: group_relations(own[pk], incoming[pk]) for pk in term_ids}


def groups_for(term_id: int, *, outgoing: list) -> list[dict]:
    """A page's related terms with `outgoing`, (kind, published term) pairs, as its own relations.

    For the admin's preview of a working copy; published pages read `PublishedTerm.related`.
    """
    incoming = [
        (INVERSE_KIND[relation.kind], relation.source)
        for relation in relations_both_ways([term_id])
        if relation.target_id == term_id and relation.source_id != term_id
    ]
    own = [
        (kind, {key: getattr(other, column) for key, column in {**SHOWN, "sort_name": "sort_name"}.items()})
        for kind, other in outgoing
    ]
    return group_relations(own, incoming)


def group_relations(own: list[tuple], incoming: list[tuple]) -> list[dict]:
    """Related terms by kind (broader, narrower, related, contrast): the term's own relations in
    their curated order, then those from other terms by name, each other term once per kind."""
    incoming = sorted(incoming, key=lambda pair: pair[1]["sort_name"])
    grouped: dict[str, dict] = {kind: {} for kind in KIND_ORDER}
    for kind, other in own + incoming:
        grouped[kind].setdefault(other["slug"], {key: other[key] for key in SHOWN})
    return [
        {"kind": str(kind), "label": kind.label, "terms": list(others.values())}
        for kind, others in grouped.items()
        if others
    ]
