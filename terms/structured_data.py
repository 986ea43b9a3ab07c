"""schema.org structured data for search engines: a term page's DefinedTerm, the A–Z index's DefinedTermSet."""

from django.conf import settings
from django.urls import reverse

from .addresses import term_url
from .context_processors import SITE_DESCRIPTION, SITE_NAME

SCHEMA = "https://schema.org"


def term_set() -> dict:
    """The glossary as a DefinedTermSet, identified by its A–Z index."""
    url = settings.SITE_URL + reverse("terms:index")
    return {"@type": "DefinedTermSet", "@id": url, "name": SITE_NAME, "url": url}


def defined_term(term) -> dict:
    """A published term's page as a schema.org DefinedTerm."""
    url = settings.SITE_URL + term_url(term.slug)
    data = {
        "@context": SCHEMA,
        "@type": "DefinedTerm",
        "@id": url,
        "name": term.title,
        "description": term.short_definition,
        "url": url,
        "termCode": term.slug,
        "inDefinedTermSet": term_set(),
        "dateModified": term.published_at.isoformat(),
    }
    if term.aliases:
        data["alternateName"] = list(term.aliases)
    return data


def defined_term_set(terms) -> dict:
    """The A–Z index as a schema.org DefinedTermSet, with the terms a page of it lists."""
    return {
        "@context": SCHEMA,
        **term_set(),
        "description": SITE_DESCRIPTION,
        "hasDefinedTerm": [
            {
                "@type": "DefinedTerm",
                "@id": settings.SITE_URL + term_url(term.slug),
                "name": term.name,
                "description": term.short_definition,
                "url": settings.SITE_URL + term_url(term.slug),
            }
            for term in terms
        ],
    }
