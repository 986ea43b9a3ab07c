"""The sitemap search engines read: the home page, the A–Z index, the hierarchy, and every published term and tag page.

Addresses start with SITE_URL, never with the request's Host. One file holds every address while
they fit in one (50,000); past that, /sitemap.xml is an index of one sitemap per section and page.
"""

import math
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse

from .addresses import tag_url, term_url
from .caching import public_page
from .models.published import PublishedTerm, PublishedTermTag


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with SITE_URL."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PageSitemap(SiteSitemap):
    """The home page, the A–Z index, the hierarchy and the recent changes: they change whenever anything is published."""

    PAGES = ("terms:home", "terms:index", "terms:tree", "terms:changes")

    def __init__(self, changed_at):
        self.changed_at = changed_at

    def items(self):
        return list(self.PAGES)

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self.changed_at


class TermSitemap(SiteSitemap):
    """Every published term's page, last modified when it was last published."""

    def items(self):
        return PublishedTerm.objects.order_by("sort_name", "slug").values_list("slug", "published_at")

    def location(self, item):
        return term_url(item[0])

    def lastmod(self, item):
        return item[1]


class TagSitemap(SiteSitemap):
    """Every tag page, last modified when one of its terms was last published."""

    def items(self):
        return (
            PublishedTermTag.objects.order_by("slug")
            .values_list("slug")
            .annotate(last_published=Max("term__published_at"))
        )

    def location(self, item):
        return tag_url(item[0])

    def lastmod(self, item):
        return item[1]


def sections(request) -> dict[str, Sitemap]:
    return {
        "pages": PageSitemap(request.site_state.changed_at),
        "terms": TermSitemap(),
        "tags": TagSitemap(),
    }


def section_sizes(request) -> dict[str, int]:
    """How many addresses each section holds, from the site's counts (no query of its own)."""
    counts = request.site_state.counts
    return {"pages": len(PageSitemap.PAGES), "terms": counts.term_count, "tags": len(counts.tags)}


@public_page(params=("p",), counts=True)
def sitemap(request):
    """The sitemap: every address, or once they are too many for one file, an index of the section sitemaps."""
    if sum(section_sizes(request).values()) <= Sitemap.limit:
        return sitemap_views.sitemap(request, sections(request))
    if "p" in request.GET:
        raise Http404("The sitemap index has one page.")
    items = []
    for section, size in section_sizes(request).items():
        address = settings.SITE_URL + reverse("terms:sitemap-section", args=[section])
        for page in range(1, max(1, math.ceil(size / Sitemap.limit)) + 1):
            items.append(
                SitemapIndexItem(address if page == 1 else f"{address}?p={page}", request.site_state.changed_at)
            )
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")


@public_page(params=("p",), counts=True)
def sitemap_section(request, section):
    """One section's sitemap, a page at a time, for the sitemap index."""
    return sitemap_views.sitemap(request, sections(request), section=section)
