"""What the admin shows editors of homonyms: the mentions of a shared name that a page leaves unlinked."""

from django.urls import reverse
from django.utils.html import format_html_join

from .linking import ambiguous_mentions
from .models.published import PublishedTerm


def ambiguous_mentions_of(term_id: int) -> str:
    """A published page's mentions of names several published terms share, each with its meanings linked."""
    mentions = ambiguous_mentions([term_id])
    if not mentions:
        return "None."
    ids = {pk for _, _, candidates in mentions for pk in candidates}
    titles = dict(PublishedTerm.objects.filter(pk__in=ids).values_list("pk", "title"))
    return format_html_join(
        "; ",
        "“{}” could mean {}",
        ((phrase, meanings(candidates, titles)) for _, phrase, candidates in mentions),
    )


def meanings(candidates: list[int], titles: dict[int, str]) -> str:
    """The terms a mention could mean, each linked to its change page: "A or B"."""
    return format_html_join(
        " or ",
        '<a href="{}">{}</a>',
        ((reverse("admin:terms_term_change", args=[pk]), titles[pk]) for pk in candidates if pk in titles),
    )
