"""Small presentation helpers for the readers' templates."""

from django import template

from terms.models.published import tag_url as build_tag_url
from terms.models.published import term_url as build_term_url

register = template.Library()


@register.filter
def term_url(slug: str) -> str:
    """The public page of the term with this slug: `{{ term.slug|term_url }}`."""
    return build_term_url(slug)


@register.filter
def tag_url(slug: str) -> str:
    """The public page of the tag with this slug: `{{ tag.slug|tag_url }}`."""
    return build_tag_url(slug)
