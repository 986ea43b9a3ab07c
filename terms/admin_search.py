"""Finding terms in the admin: the site's search engine over the editors' working copies, drafts included.

The index has tables of its own (`terms_admin_search_*`, migration 0017), read and written by the
machinery of `terms.search`, and holds each term's working copy as last saved: name, aliases,
one-line definition, and the markdown of every section, example and misconception as body text.
The verbs that change a working copy keep it so (`workflow.record_save`, `publishing.publish`,
`rollback` and `delete_term`, bulk publishing); `manage.py rebuild_published` writes it again.
Unlike the readers' index, a typo is corrected to any word of a term, body text included.
Readers never see it: the site's search reads only the published layer's index.
"""

import re

from django.db import connections, router

from .labels import parse_labels
from .models.editorial import Term
from .search import Document, EveryWord, PostgresIndex, SQLiteIndex, ranked_ids, read_query

PREFIX = "terms_admin_search"
SECTIONS = ("explanation", "analogy", "usage", "history")
# Terms an admin search lists at most, best first.
MAX_RESULTS = 200
# A markdown link's or image's address: its words are not the term's.
LINK_TARGET = re.compile(r"\]\([^)]*\)")


class SQLiteWorkingCopies(EveryWord, SQLiteIndex):
    pass


class PostgresWorkingCopies(EveryWord, PostgresIndex):
    pass


def admin_index(using: str | None = None) -> EveryWord:
    """The working copies' index of the database that holds the terms."""
    connection = connections[using or router.db_for_write(Term)]
    index = PostgresWorkingCopies if connection.vendor == "postgresql" else SQLiteWorkingCopies
    return index(connection, PREFIX)


def document_of(term_id: int, data: dict) -> Document:
    """What the index holds of a working copy, from its content as `workflow.snapshot` writes it."""
    sections = [data.get(key, "") for key in SECTIONS]
    sections += [f"{example['title']}\n{example['body']}" for example in data.get("examples", [])]
    sections += [f"{item['claim']}\n{item['correction']}" for item in data.get("misconceptions", [])]
    return Document(
        term_id=term_id,
        name=data["name"],
        aliases="\n".join(label.name for label in parse_labels(data.get("aliases", ""))),
        definition=data.get("short_definition", ""),
        body=LINK_TARGET.sub("]", "\n".join(sections)),
    )


def index_working_copies(contents: dict[int, dict]) -> None:
    """Add or refresh working copies (term id → content as `snapshot` writes it); call in the saving transaction."""
    if contents:
        admin_index().add([document_of(term_id, data) for term_id, data in contents.items()])


def unindex_working_copies(term_ids: list[int]) -> None:
    """Take deleted terms out of the index; call in the deleting transaction."""
    if term_ids:
        admin_index().remove(term_ids)


def content_of(term: Term) -> dict:
    """What `document_of` reads of a term whose examples and misconceptions are prefetched."""
    return {
        **{field: getattr(term, field) for field in ("name", "aliases", "short_definition", *SECTIONS)},
        "examples": [{"title": e.title, "body": e.body} for e in term.examples.all()],
        "misconceptions": [{"claim": m.claim, "correction": m.correction} for m in term.misconceptions.all()],
    }


def reindex(term_ids: list[int]) -> None:
    """Index these terms' working copies again as the database holds them (after a load that bypassed the verbs)."""
    terms = Term.objects.filter(pk__in=term_ids).prefetch_related("examples", "misconceptions")
    index_working_copies({term.pk: content_of(term) for term in terms})


def rebuild_admin_index(batch: int = 500) -> int:
    """Index every term's working copy again; return how many."""
    ids = list(Term.objects.order_by("pk").values_list("pk", flat=True))
    admin_index().clear()
    for start in range(0, len(ids), batch):
        reindex(ids[start : start + batch])
    return len(ids)


def search_working_copies(text: str, *, limit: int = MAX_RESULTS) -> list[int]:
    """Ids of the terms whose working copies match `text`, best first (tiers as the site's search ranks them)."""
    index = admin_index()
    return list(ranked_ids(read_query(text, index), index=index, limit=limit))
