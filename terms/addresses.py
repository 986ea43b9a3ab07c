"""Public addresses of terms and tags, for lists that link many of them."""

import functools
from urllib.parse import quote

from django.urls import reverse

SLUG_PLACEHOLDER = "slug-placeholder"


@functools.cache
def term_url_pattern() -> str:
    return reverse("terms:detail", args=[SLUG_PLACEHOLDER])


def term_url(slug: str) -> str:
    """The public page of a term: reversed once per process, then filled in, since lists link many terms."""
    return term_url_pattern().replace(SLUG_PLACEHOLDER, slug)


@functools.cache
def term_changes_url_pattern() -> str:
    return reverse("terms:term-changes", args=[SLUG_PLACEHOLDER])


def term_changes_url(slug: str) -> str:
    """The public list of a term's changes, filled in like `term_url`: every term page links it."""
    return term_changes_url_pattern().replace(SLUG_PLACEHOLDER, slug)


@functools.cache
def tag_url_pattern() -> str:
    return reverse("terms:tag-detail", args=[SLUG_PLACEHOLDER])


def tag_url(slug: str) -> str:
    """The public page of a tag; its slug may be non-Latin, so it is percent-encoded as reverse() would."""
    return tag_url_pattern().replace(SLUG_PLACEHOLDER, quote(slug, safe=""))
