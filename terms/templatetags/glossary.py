"""Small presentation helpers for the readers' templates."""

import json
from datetime import datetime
from html import escape
from operator import attrgetter, itemgetter
from urllib.parse import quote, urlencode

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe

from terms.addresses import SLUG_PLACEHOLDER
from terms.addresses import tag_url as build_tag_url
from terms.addresses import term_url as build_term_url

register = template.Library()

LIST_COLUMNS = ("slug", "name", "short_definition")


@register.filter
def term_url(slug: str) -> str:
    """The public page of the term with this slug: `{{ term.slug|term_url }}`."""
    return build_term_url(slug)


@register.filter
def tag_url(slug: str) -> str:
    """The public page of the tag with this slug: `{{ tag.slug|tag_url }}`."""
    return build_tag_url(slug)


# The two helpers below build markup in Python, escaping every value with html.escape:
# lists run to a hundred terms a page, where a template loop (or format_html) would cost
# a reader several milliseconds.


def quick_escape(text: str) -> str:
    """html.escape, skipped for the many names and definitions that hold nothing to escape."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text)
    return text


@register.filter
def term_items(terms) -> str:
    """The <li> of each term: its name linked to its page, and its one-line definition."""
    terms = list(terms)
    if not terms:
        return ""
    get = itemgetter(*LIST_COLUMNS) if isinstance(terms[0], dict) else attrgetter(*LIST_COLUMNS)
    # An f-string in a list comprehension: about half the cost of str.format for a hundred items.
    before, after = build_term_url(SLUG_PLACEHOLDER).split(SLUG_PLACEHOLDER)
    return mark_safe(
        "\n".join(
            [
                f'<li class="term-item"><a class="term-item__name" href="{before}{quick_escape(slug)}{after}">'
                f'{quick_escape(name)}</a><p class="term-item__definition">{quick_escape(definition)}</p></li>'
                for slug, name, definition in map(get, terms)
            ]
        )
    )


@register.filter
def term_links(terms: list[dict]) -> str:
    """The <li> of each term: its name linked to its page, nothing more ("Mentioned in", the path from the top)."""
    before, after = build_term_url(SLUG_PLACEHOLDER).split(SLUG_PLACEHOLDER)
    return mark_safe(
        "".join(
            [
                f'<li><a href="{before}{quick_escape(term["slug"])}{after}">{quick_escape(term["name"])}</a></li>'
                for term in terms
            ]
        )
    )


@register.filter
def alias_items(aliases: list[dict]) -> str:
    """Other names, comma-separated, each with the note on its kind: "Finetuning (spelling)"."""
    return mark_safe(
        ", ".join(
            [
                f'<span class="alias">{quick_escape(alias["name"])}</span>'
                + (f" ({quick_escape(alias['note'])})" if alias["note"] else "")
                for alias in aliases
            ]
        )
    )


# The site is written in English (LANGUAGE_CODE "en-gb"): month names need no translation lookup.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@register.filter
def time_tag(moment: datetime) -> str:
    """`<time datetime="2026-12-06T09:00:00+00:00">6 December 2026</time>`, in the site's time zone.

    What `date:'c'` and `date:"j F Y"` write, at a tenth of their cost: the term page shows two dates.
    """
    local = timezone.localtime(moment)
    return mark_safe(f'<time datetime="{local.isoformat()}">{local.day} {MONTHS[local.month - 1]} {local.year}</time>')


TAG_ITEM = (
    '<li><a class="tag" href="{url}">{name} '
    '<span class="tag__count" aria-label="{count} term{plural}">{count}</span></a></li>'
)


@register.filter
def tag_items(tags) -> str:
    """The <li> of each tag: its name linked to its page, and how many terms have it."""
    items = (
        TAG_ITEM.format(
            url=escape(build_tag_url(tag["slug"])),
            name=escape(tag["name"]),
            count=tag["count"],
            plural="" if tag["count"] == 1 else "s",
        )
        for tag in tags
    )
    return mark_safe("\n".join(items))


@register.simple_tag
def alphabet_links(alphabet, letters, *, index_url: str, paged: bool, current: str = "") -> str:
    """The A–Z bar's items: a link for each letter that has terms, plain text for the rest.

    With everything on one page the links jump to the letter's heading; otherwise they
    open that letter's own pages of the index.
    """
    present = set(letters)
    items = []
    for letter in alphabet:
        if letter not in present:
            items.append(f'<li><span aria-disabled="true">{escape(letter)}</span></li>')
            continue
        anchor = "other" if letter == "#" else letter
        href = f"{index_url}?letter={quote(letter)}" if paged else f"{index_url}#letter-{anchor}"
        marker = ' aria-current="page"' if letter == current else ""
        items.append(f'<li><a href="{escape(href)}"{marker}>{escape(letter)}</a></li>')
    return mark_safe("".join(items))


# What json_script escapes, so that no value can end the <script> element or start markup inside it.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data) -> str:
    """Structured data as a JSON-LD data block: browsers never run it, so the CSP has nothing to allow."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag
def canonical_links(path: str, **params) -> str:
    """The page's canonical address, from SITE_URL, as its canonical link and OpenGraph URL.

    `params` are the query parameters that name the page (empty ones, and page 1, are left out),
    never the request's: a page cached for everyone must not carry one reader's made-up parameters.
    """
    query = {name: value for name, value in params.items() if value and not (name == "page" and value == 1)}
    url = escape(settings.SITE_URL + iri_to_uri(path) + (f"?{urlencode(query)}" if query else ""))
    return mark_safe(f'<link rel="canonical" href="{url}">\n  <meta property="og:url" content="{url}">')
