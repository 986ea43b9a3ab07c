"""Addresses that lead to a published term's page: the slugs it had before, and its aliases'.

Written by the publishing verbs; read by the term page when no published term has the slug.
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from .models.editorial import Term
from .models.published import PublishedRedirect
from .workflow import Draft


def update_redirects(draft: Draft, *, previous_slug: str | None) -> None:
    """Keep the term's former address and its aliases leading to its page."""
    term = draft.term
    # The term's own address is its page now, whatever led there before.
    PublishedRedirect.objects.filter(slug=term.slug).delete()
    if previous_slug and previous_slug != term.slug:
        # A former address never takes over an alias of another term: names in use come first.
        PublishedRedirect.objects.filter(slug=previous_slug, kind=PublishedRedirect.Kind.MOVED).delete()
        PublishedRedirect.objects.bulk_create(
            [PublishedRedirect(slug=previous_slug, term_id=term.pk, kind=PublishedRedirect.Kind.MOVED)],
            ignore_conflicts=True,
        )
    PublishedRedirect.objects.filter(term_id=term.pk, kind=PublishedRedirect.Kind.ALIAS).delete()
    claim_aliases([draft])


def alias_addresses(term: Term) -> dict[str, str]:
    """The address ("llm") of each of the term's aliases ("LLM"), but its own address."""
    addresses: dict[str, str] = {}
    for alias in term.alias_list:
        slug = slugify(alias)
        if slug and slug != term.slug:
            addresses.setdefault(slug, alias)
    return addresses


def refuse_taken_aliases(drafts: list[Draft]) -> None:
    """Raise ValidationError if an alias's address already leads to another published term, or to two of these.

    An address leads to one term: rather than move it silently from one live term to
    another, publishing refuses until one of them drops the alias.
    """
    claims: dict[str, tuple[str, Term]] = {}
    for draft in drafts:
        for slug, alias in alias_addresses(draft.term).items():
            _, other = claims.setdefault(slug, (alias, draft.term))
            if other.pk != draft.term.pk:
                raise ValidationError(alias_taken_message(alias, other.name))
    slugs = sorted(claims)
    for start in range(0, len(slugs), 500):
        # Joining the published term leaves out aliases of terms no longer published: those are free.
        held = PublishedRedirect.objects.filter(slug__in=slugs[start : start + 500], kind=PublishedRedirect.Kind.ALIAS)
        for slug, term_id, other_name in held.values_list("slug", "term_id", "term__name"):
            if term_id != claims[slug][1].pk:
                raise ValidationError(alias_taken_message(claims[slug][0], other_name))


def alias_taken_message(alias: str, other_name: str) -> str:
    return (
        f"The alias “{alias}” would lead /terms/{slugify(alias)}/ here, but that address already leads to "
        f"“{other_name}”, which has the same alias. Remove the alias from one of the two terms."
    )


def claim_aliases(drafts: list[Draft]) -> None:
    """Lead each alias's address to its term (`refuse_taken_aliases` has checked that no published term holds it).

    An alias takes over a former address (old links then lead to the term with that name now)
    and whatever a term no longer published left behind.
    """
    redirects = [
        PublishedRedirect(slug=slug, term_id=draft.term.pk, kind=PublishedRedirect.Kind.ALIAS)
        for draft in drafts
        for slug in alias_addresses(draft.term)
    ]
    for start in range(0, len(redirects), 500):
        PublishedRedirect.objects.filter(
            slug__in=[redirect.slug for redirect in redirects[start : start + 500]]
        ).delete()
    PublishedRedirect.objects.bulk_create(redirects)
