"""Finding published terms by what a reader types.

A first, simple version: case-insensitive matches on names, aliases and
one-line definitions, best matches first. Only published terms are searched.
"""

from django.db.models import Q

from .models.published import LIST_FIELDS, PublishedTerm

MAX_RESULTS = 50


def search_terms(query: str) -> list[PublishedTerm]:
    """Published terms matching `query`, best first: exact name, name prefix, name, alias, definition."""
    words = query.split()
    if not words:
        return []
    matches_all_words = Q()
    for word in words:
        matches_all_words &= Q(name__icontains=word) | Q(aliases__icontains=word) | Q(short_definition__icontains=word)
    candidates = PublishedTerm.objects.only(*LIST_FIELDS, "aliases").filter(matches_all_words)[: MAX_RESULTS * 4]
    folded = query.casefold()

    def rank(term):
        name = term.name.casefold()
        aliases = [alias.casefold() for alias in term.aliases]
        if name == folded or folded in aliases:
            return 0
        if name.startswith(folded):
            return 1
        if folded in name:
            return 2
        if any(folded in alias for alias in aliases):
            return 3
        return 4

    return sorted(candidates, key=lambda term: (rank(term), term.sort_name))[:MAX_RESULTS]
