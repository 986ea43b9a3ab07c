"""A homonym's shared address: /terms/attention/ lists "Attention (psychology)" and "Attention (machine learning)".

Read by the term page when no published term has the address and none leads there.
"""

from django.utils.text import slugify

from .models.published import PublishedTerm
from .queries import ListedTerm


def meanings(slug: str) -> tuple[str, list[ListedTerm]]:
    """The name whose address is `slug`, and the published terms that have it, by title: one query.

    A name's address starts with its first word (as `terms.linking` stores it), so the
    first word's index finds the few candidates; names spelled outside ASCII, whose address
    drops their accents, are not found this way.
    """
    first = slug.split("-", 1)[0]
    if not first:
        return "", []
    rows = (
        PublishedTerm.objects.filter(name_rows__first_word=first)
        .order_by("sort_name", "slug")
        .values_list("slug", "title", "short_definition", "letter", "name")
        .distinct()
    )
    found = [row for row in rows if slugify(row[4]) == slug]
    return (found[0][4] if found else ""), [ListedTerm(*row[:4]) for row in found]
