"""The Atom feed of new and updated terms, for feed readers."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .addresses import term_url
from .caching import public_page
from .context_processors import SITE_DESCRIPTION, SITE_NAME
from .models.published import PublishedTerm

FEED_LENGTH = 50


class SiteFeed(Feed):
    """An Atom feed of the site's: its page and its own address named by URL name."""

    feed_type = Atom1Feed
    subtitle = SITE_DESCRIPTION
    author_name = SITE_NAME
    language = "en"
    page_url_name = feed_url_name = ""

    # Every address is absolute, from SITE_URL: the syndication framework would otherwise take the request's Host.
    def link(self):
        return settings.SITE_URL + reverse(self.page_url_name)

    def feed_url(self):
        return settings.SITE_URL + reverse(self.feed_url_name)


class RecentTermsFeed(SiteFeed):
    """The 50 terms published most recently, first publishes and updates alike."""

    title = f"{SITE_NAME}: new and updated terms"
    page_url_name, feed_url_name = "terms:home", "terms:feed"

    def items(self):
        return PublishedTerm.objects.order_by("-published_at", "sort_name", "slug").only(
            "slug", "title", "short_definition", "published_at", "first_published_at", "deprecated_at"
        )[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.title} (deprecated)" if item.deprecated_at else item.title

    def item_categories(self, item):
        # Feed readers filter on categories: a deprecation is an entry readers may want to single out.
        return ["deprecated"] if item.deprecated_at else ()

    def item_description(self, item):
        # Atom says the summary is HTML: a one-liner's "<" or "&" is text.
        return escape(item.short_definition)

    def item_link(self, item):
        return settings.SITE_URL + term_url(item.slug)

    def item_updateddate(self, item):
        return item.published_at

    def item_pubdate(self, item):
        return item.first_published_at


feed = public_page(RecentTermsFeed())
