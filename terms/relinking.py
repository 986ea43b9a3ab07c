"""Cross-links on published pages: writing them again when the names they may link change.

Part of the writer of the published layer (`terms.publishing` calls it): a page's sections are kept
unlinked, so linking them again needs no markdown.
"""

import multiprocessing

from . import bulk
from .bulk import insert
from .linking import Glossary, link, published_glossary, whole_published_glossary
from .mentioned_in import refresh_mentioned_in
from .models.published import PublishedMention, PublishedTerm
from .search import search_index

# The markdown sections of a term, each a field `<section>_html` of the published row.
SECTIONS = ("explanation", "analogy", "usage", "history")


def apply_links(values: dict, glossary: Glossary) -> set[int]:
    """Fill a published row's HTML fields from its unlinked sections, cross-linked; return the ids linked to."""
    own_id = values["term_id"]
    targets: set[int] = set()

    def linked(key: str) -> str:
        result = link(values["unlinked"].get(key, ""), glossary, own_id=own_id, prefix=f"{key}-")
        targets.update(result.targets)
        return result.html

    for key in SECTIONS:
        values[f"{key}_html"] = linked(key)
    values["examples"] = [{**e, "html": linked(f"example-{n}")} for n, e in enumerate(values["examples"], 1)]
    values["misconceptions"] = [
        {**m, "html": linked(f"misconception-{n}")} for n, m in enumerate(values["misconceptions"], 1)
    ]
    return targets


def mentioning(term_ids: list[int], names: list[str]) -> set[int]:
    """Published pages that link to these terms, or whose text may mention one of the names."""
    pages = set(PublishedMention.objects.filter(target_id__in=term_ids).values_list("source_id", flat=True))
    return pages | search_index().mentioning(names)


def relink(
    term_ids, *, glossary: Glossary | None = None, batch: int = 200, pool=None, mentioned_in: bool = True
) -> int:
    """Cross-link these published pages again from their stored sections; missing ones are skipped.

    Their names are looked up batch by batch, unless `glossary` (every name) is given.
    With a `pool` of forked processes that inherited `glossary` (see `relink_all`), the
    linking runs there while this process reads the next batch and writes the last one.
    `mentioned_in=False` leaves the "Mentioned in" of the pages they link to for the caller to store.
    """
    term_ids = sorted(set(term_ids))
    fields = ["term_id", "unlinked", "examples", "misconceptions"]
    pending = None
    for start in range(0, len(term_ids), batch):
        rows = list(PublishedTerm.objects.filter(pk__in=term_ids[start : start + batch]).values(*fields))
        if pool is not None:
            linked = pool.map_async(_linked_with_shared_glossary, rows, chunksize=max(1, len(rows) // 8))
        else:
            names = (
                glossary
                if glossary is not None
                else published_glossary(text for row in rows for text in row["unlinked"].values())
            )
            linked = [(row, apply_links(row, names)) for row in rows]
        if pending is not None:
            _write_links(pending if isinstance(pending, list) else pending.get(), mentioned_in=mentioned_in)
        pending = linked
    if pending is not None:
        _write_links(pending if isinstance(pending, list) else pending.get(), mentioned_in=mentioned_in)
    return len(term_ids)


def _write_links(linked: list[tuple[dict, set[int]]], *, mentioned_in: bool = True) -> None:
    """Store linked pages' HTML and replace their mentions (and the "Mentioned in" of the pages they link to)."""
    written = [*(f"{key}_html" for key in SECTIONS), "examples", "misconceptions"]
    bulk.update(PublishedTerm, written, {row["term_id"]: row for row, _ in linked})
    before = PublishedMention.objects.filter(source_id__in=[row["term_id"] for row, _ in linked])
    targets_before = set(before.values_list("target_id", flat=True)) if mentioned_in else set()
    before.delete()
    insert(PublishedMention(source_id=row["term_id"], target_id=pk) for row, targets in linked for pk in targets)
    if mentioned_in:
        refresh_mentioned_in(targets_before.union(*(targets for _, targets in linked)))


# The whole glossary, for processes forked by `relink_all` to inherit rather than receive.
_shared_glossary: Glossary | None = None


def _linked_with_shared_glossary(row: dict) -> tuple[dict, set[int]]:
    return row, apply_links(row, _shared_glossary)


def relink_all(batch: int = 500, workers: int = 0) -> int:
    """Cross-link every published page again, with every published name read once.

    `workers` forked processes link while this one reads and writes (where fork exists).
    Each page's "Mentioned in" is left to `refresh_all_mentioned_in`, once at the end.
    """
    global _shared_glossary
    glossary = whole_published_glossary()
    ids = PublishedTerm.objects.values_list("pk", flat=True)
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        return relink(ids, glossary=glossary, batch=batch, mentioned_in=False)
    _shared_glossary = glossary
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return relink(ids, glossary=glossary, batch=batch, pool=pool, mentioned_in=False)
    finally:
        _shared_glossary = None
