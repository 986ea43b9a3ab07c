"""A published term's "Mentioned in": the published pages whose text links to it, stored on its row.

Read from the cross-link rows (`PublishedMention`) whenever they change, so the term page shows the
list without a query of its own. Publishing calls `refresh_mentioned_in` with the terms whose list may
have changed: the pages a relinked page linked to before and links to now, and those a renamed page links to.
"""

from collections.abc import Iterable

from . import bulk
from .models.published import SHOWN, PublishedMention, PublishedTerm

# A page shows at most this many of the pages that mention it, the first by title: a hub term linked from
# thousands of pages would otherwise carry them all to each of its readers.
MENTIONED_IN_LIMIT = 50
BATCH = 500


def refresh_mentioned_in(term_ids: Iterable[int]) -> int:
    """Store the "Mentioned in" of these published terms; missing ones are skipped.

    Two queries for each batch of terms: one reads the pages that link to them, one writes the lists.
    """
    term_ids = sorted(set(term_ids))
    written = 0
    for start in range(0, len(term_ids), BATCH):
        chunk = term_ids[start : start + BATCH]
        pages: dict[int, list[tuple]] = {pk: [] for pk in chunk}
        rows = PublishedMention.objects.order_by().filter(target_id__in=chunk)
        for target, *shown in rows.values_list("target_id", *(f"source__{column}" for column in SHOWN.values())):
            pages[target].append(shown)
        values = {}
        for pk, shown in pages.items():
            shown.sort(key=lambda page: (page[1].casefold(), page[0]))
            values[pk] = {"mentioned_in": [dict(zip(SHOWN, page, strict=True)) for page in shown[:MENTIONED_IN_LIMIT]]}
        written += bulk.update(PublishedTerm, ["mentioned_in"], values)
    return written


def refresh_all_mentioned_in() -> int:
    """Store every published term's "Mentioned in"."""
    return refresh_mentioned_in(PublishedTerm.objects.values_list("pk", flat=True))
