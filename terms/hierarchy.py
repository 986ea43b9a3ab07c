"""Broader and narrower terms: a term cannot be broader than itself, through any chain of relations."""

from collections import defaultdict, deque
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models

from .enums import RelationKind

if TYPE_CHECKING:
    from .models.editorial import Term
    from .models.relations import Relation


def broader_edge(from_id: int | None, to_id: int | None, kind: str) -> tuple[int | None, int | None] | None:
    """A relation as (narrower term, broader term); None for the kinds without a direction."""
    if kind == RelationKind.BROADER:
        return (from_id, to_id)
    if kind == RelationKind.NARROWER:
        return (to_id, from_id)
    return None


def broader_loop(relations: Iterable["Relation"], *, others: models.QuerySet) -> list[int | None] | None:
    """A loop of broader terms through one of `relations`, given the stored `others`: term ids, the first one last too.

    An unsaved term's relations have `None` as their term's id.
    """
    new = [edge for r in relations if (edge := broader_edge(r.from_term_id, r.to_term_id, r.kind))]
    if not new:
        return None
    stored = others.filter(kind__in=(RelationKind.BROADER, RelationKind.NARROWER)).order_by("pk")
    broader = defaultdict(dict)  # a term's broader terms, in a stable order (dict keys)
    for narrower_id, broader_id in [
        *new,
        *(broader_edge(*row) for row in stored.values_list("from_term_id", "to_term_id", "kind")),
    ]:
        broader[narrower_id][broader_id] = None
    for narrower_id, broader_id in new:
        # Breadth first from the broader term back to the narrower one: the shortest loop is the one named.
        paths, seen = deque([[broader_id]]), {broader_id}
        while paths:
            path = paths.popleft()
            if path[-1] == narrower_id:
                return [narrower_id, *path]
            for upper in broader[path[-1]]:
                if upper not in seen:
                    seen.add(upper)
                    paths.append([*path, upper])
    return None


def refuse_broader_loop(term: "Term", relations: Iterable["Relation"], *, others: models.QuerySet) -> None:
    """Raise ValidationError naming the loop, "Fine-tuning → LoRA → Fine-tuning", if the term's relations close one.

    `relations` are some or all of the term's relations as they are to be saved; `others`, the stored
    relations they sit among (say, everyone else's). Publishing and the admin's relation forms call it.
    """
    loop = broader_loop(relations, others=others)
    if loop is None:
        return
    start = loop.index(term.pk)
    loop = [*loop[start:-1], *loop[:start], term.pk]
    names = {
        **dict(type(term).objects.filter(pk__in=[pk for pk in loop if pk is not None]).values_list("pk", "name")),
        term.pk: term.name,
    }
    raise ValidationError(
        "These relations make a loop of broader terms, each arrow pointing to the broader one: %(loop)s. "
        "A term cannot be broader than itself: remove or reverse one of these relations.",
        code="broader_loop",
        params={"loop": " → ".join(names[pk] for pk in loop)},
    )


def loops(edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Loops of broader terms among (narrower, broader) edges, each the shortest through its first term, first last too."""
    broader, narrower = defaultdict(set), defaultdict(set)
    for lower, upper in edges:
        broader[lower].add(upper)
        narrower[upper].add(lower)
    # Peel off the terms at the top or bottom of a chain, again and again: the rest are on or between loops.
    left = set(broader) | set(narrower)
    ends = deque(pk for pk in left if not broader[pk] or not narrower[pk])
    while ends:
        pk = ends.popleft()
        if pk not in left:
            continue
        left.discard(pk)
        for other in broader[pk] | narrower[pk]:
            if other in left and (not broader[other] & left or not narrower[other] & left):
                ends.append(other)
    found, named = [], set()
    for start in sorted(left):
        if start in named:
            continue
        # Breadth first from the term up to itself, as `hierarchy.broader_loop` names a loop: the shortest.
        paths, seen = deque([[start]]), {start}
        while paths:
            path = paths.popleft()
            if start in broader[path[-1]]:
                found.append([*path, start])
                named.update(path)
                break
            for upper in sorted(broader[path[-1]] & left - seen):
                seen.add(upper)
                paths.append([*path, upper])
    return found
