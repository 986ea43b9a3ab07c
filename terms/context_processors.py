"""Template context every page needs."""

import functools

from django.urls import reverse


@functools.cache
def site_links() -> dict[str, str]:
    # Reversed once per process: every page's header links to these.
    return {
        "home": reverse("terms:home"),
        "index": reverse("terms:index"),
        "tags": reverse("terms:tag-list"),
        "search": reverse("terms:search"),
        "suggest": reverse("terms:suggest"),
    }


def navigation(request):
    """The header's links, as `site.home`, `site.index`, `site.tags`, `site.search`, `site.suggest`."""
    return {"site": site_links()}
