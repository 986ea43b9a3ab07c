"""Template context every page needs."""

import functools

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

# How feeds, SKOS and structured data name the site and describe it, as its pages do.
SITE_NAME = "AI Glossary"
SITE_DESCRIPTION = "Plain-English explanations of the words of artificial intelligence and machine learning."


@functools.cache
def site_links() -> dict[str, str]:
    # Reversed once per process: every page's header links to these.
    return {
        "home": reverse("terms:home"),
        "index": reverse("terms:index"),
        "tree": reverse("terms:tree"),
        "tags": reverse("terms:tag-list"),
        "search": reverse("terms:search"),
        "suggest": reverse("terms:suggest"),
        "feed": reverse("terms:feed"),
        "changes": reverse("terms:changes"),
        "changes_feed": reverse("terms:changes-feed"),
    }


@functools.cache
def asset_urls() -> dict[str, str]:
    """The static files pages link to, looked up once per process: the collected files and their
    manifest do not change while it runs, and three `{% static %}` tags were a noticeable share
    of an uncached page."""
    return {"css": static("css/site.css"), "suggest_js": static("js/suggest.js"), "term_js": static("js/term.js")}


def navigation(request):
    """The header's links, as `site.home`, `site.index`, `site.tree`, `site.tags`, `site.search`, `site.suggest`,
    `site.feed`, `site.changes`, `site.changes_feed`;
    the static files' addresses, as `assets.css`, `assets.suggest_js`, `assets.term_js`;
    the site's configured address, as `site_url`, which absolute links start with;
    and its name and description, as `site_name` and `site_description`."""
    return {
        "site": site_links(),
        "assets": asset_urls(),
        "site_url": settings.SITE_URL,
        "site_name": SITE_NAME,
        "site_description": SITE_DESCRIPTION,
    }
