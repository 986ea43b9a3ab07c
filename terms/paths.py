"""The hierarchy of published terms (broader and narrower), and each term's path from the top of it.

A broader edge comes from a published relation of kind broader (its source is the narrower term) or narrower
(its source is the broader term), both ends published. The whole hierarchy is read in two queries, whatever
its size: the tree page (`terms.tree`) draws it, and publishing stores each term's first path from the top
in `PublishedTerm.path`, so the term page shows it without a query of its own. Publishing refuses loops of
broader terms (`terms.hierarchy`); the walks here step around one anyway rather than run forever.
"""

from collections import defaultdict, deque
from collections.abc import Iterable
from typing import NamedTuple

from . import bulk
from .enums import RelationKind
from .models.published import PublishedRelation, PublishedTerm

HIERARCHY_KINDS = (RelationKind.BROADER, RelationKind.NARROWER)


class Node(NamedTuple):
    """What the hierarchy shows of a published term."""

    slug: str
    title: str
    deprecated: bool


class Hierarchy:
    """Every published term, and the broader terms and narrower terms of each, as ids."""

    def __init__(self, nodes: dict[int, Node], edges: Iterable[tuple[int, int, int]]):
        """`edges`: (narrower id, broader id, position); those with an end not among `nodes` are left out."""
        self.nodes = nodes
        ordered: dict[int, dict[int, tuple]] = defaultdict(dict)
        for narrower, broader, position in edges:
            if narrower in nodes and broader in nodes and narrower != broader:
                key = (position, nodes[broader].title.casefold(), nodes[broader].slug)
                # Stated from both ends, an edge keeps the earlier position.
                ordered[narrower][broader] = min(key, ordered[narrower].get(broader, key))
        # A term's broader terms by relation position, then title: the first is the one its path goes through.
        self.broader = {pk: sorted(uppers, key=uppers.get) for pk, uppers in ordered.items()}
        narrower: dict[int, list[int]] = defaultdict(list)
        for pk, uppers in self.broader.items():
            for upper in uppers:
                narrower[upper].append(pk)
        # A term's narrower terms by title, as the tree lists them.
        self.narrower = {pk: sorted(lowers, key=self.sort_key) for pk, lowers in narrower.items()}

    @classmethod
    def load(cls) -> "Hierarchy":
        """The published hierarchy, in two queries."""
        nodes = {
            pk: Node(slug, title, deprecated_at is not None)
            for pk, slug, title, deprecated_at in PublishedTerm.objects.order_by().values_list(
                "pk", "slug", "title", "deprecated_at"
            )
        }
        relations = PublishedRelation.objects.order_by().filter(kind__in=HIERARCHY_KINDS)
        edges = [
            (source, target, position) if kind == RelationKind.BROADER else (target, source, position)
            for source, target, kind, position in relations.values_list("source_id", "target_id", "kind", "position")
        ]
        return cls(nodes, edges)

    def sort_key(self, pk: int) -> tuple[str, str]:
        node = self.nodes[pk]
        return (node.title.casefold(), node.slug)

    def below(self, term_ids: Iterable[int]) -> set[int]:
        """These terms and every term narrower than one of them, through any chain."""
        found = set(term_ids)
        queue = deque(found)
        while queue:
            for lower in self.narrower.get(queue.popleft(), ()):
                if lower not in found:
                    found.add(lower)
                    queue.append(lower)
        return found

    def first_paths(self, term_ids: Iterable[int]) -> dict[int, list[int]]:
        """Each term's path from the top, its first broader term last: ids, top first ([] for a term at the top)."""
        paths: dict[int, list[int]] = {}
        for start in term_ids:
            # Walk up through first broader terms until a term whose path is known, or the top.
            chain, on_chain, node = [], set(), start
            while node not in paths:
                chain.append(node)
                on_chain.add(node)
                upper = next((b for b in self.broader.get(node, ()) if b not in on_chain), None)
                if upper is None:  # the top (or, were there a loop, the way back into it)
                    paths[chain.pop()] = []
                    break
                node = upper
            for lower in reversed(chain):
                paths[lower] = [*paths[node], node]
                node = lower
        return {pk: paths[pk] for pk in term_ids}


def below(term_ids: Iterable[int]) -> set[int]:
    """These published terms and all their narrower terms, as the hierarchy is now (before a change takes some away)."""
    return Hierarchy.load().below(term_ids)


def refresh_paths(term_ids: Iterable[int]) -> int:
    """Store the path from the top of these published terms and of every term below them; missing ones are skipped.

    Three queries, however many terms: two read the hierarchy, one writes the paths.
    """
    hierarchy = Hierarchy.load()
    return store_paths(hierarchy, hierarchy.below(pk for pk in term_ids if pk in hierarchy.nodes))


def refresh_all_paths() -> int:
    """Store every published term's path from the top."""
    hierarchy = Hierarchy.load()
    return store_paths(hierarchy, hierarchy.nodes)


def store_paths(hierarchy: Hierarchy, term_ids: Iterable[int]) -> int:
    paths = hierarchy.first_paths(sorted(term_ids))
    values = {
        pk: {"path": [{"slug": hierarchy.nodes[upper].slug, "name": hierarchy.nodes[upper].title} for upper in path]}
        for pk, path in paths.items()
    }
    return bulk.update(PublishedTerm, ["path"], values)
