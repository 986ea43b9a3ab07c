"""What changed for readers: `/changes/`, a term's own changes, and the Atom feed of both. Published layer only."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape

from .addresses import term_url
from .caching import public_page
from .context_processors import SITE_NAME
from .enums import ChangeKind
from .feeds import FEED_LENGTH, SiteFeed
from .models.published import PublishedChange, PublishedTerm
from .views import list_page

# What a change without a note says of itself.
KIND_SENTENCES = {ChangeKind.NEW: "New term", ChangeKind.UPDATED: "Updated", ChangeKind.DEPRECATED: "Deprecated"}


def told_changes():
    """Every change readers were told of, newest first, with the term's title and address today."""
    # Filtering on a column of the term joins it: changes of terms now unpublished drop out.
    return (
        PublishedChange.objects.filter(term__slug__isnull=False)
        .order_by("-changed_at", "-pk")
        .values("pk", "kind", "note", "changed_at", "term__slug", "term__title")
    )


def listed(rows) -> list[dict]:
    """Changes as the lists show them: date, kind, the term linked, the note."""
    return [
        {
            "id": row["pk"],
            "kind": row["kind"],
            "kind_label": ChangeKind(row["kind"]).label,
            "note": row["note"],
            "summary": row["note"] or KIND_SENTENCES[row["kind"]],
            "changed_at": row["changed_at"],
            "title": row["term__title"],
            "url": term_url(row["term__slug"]),
            "changes_url": reverse("terms:term-changes", args=[row["term__slug"]]),
        }
        for row in rows
    ]


@public_page(params=("kind", "page"))
def change_list(request):
    """New, updated and deprecated terms, newest first; `?kind=` keeps one kind."""
    kind = request.GET.get("kind", "")
    if kind and kind not in ChangeKind.values:
        raise Http404("There is no such kind of change.")
    rows = told_changes().filter(kind=kind) if kind else told_changes()
    page = list_page(request, rows)
    context = {
        "page": page,
        "changes": listed(page.object_list),
        "kind": kind,
        "kinds": [{"value": value, "label": label} for value, label in ChangeKind.choices],
    }
    return render(request, "terms/change_list.html", context)


@public_page(params=("page",))
def term_changes(request, slug):
    """One published term's changes, newest first."""
    term = PublishedTerm.objects.filter(slug=slug).only("slug", "title", "name").first()
    if term is None:
        raise Http404("No published term has this address.")
    page = list_page(request, told_changes().filter(term_id=term.pk))
    context = {
        "term": term,
        "page": page,
        "changes": listed(page.object_list),
        "changes_url": reverse("terms:term-changes", args=[term.slug]),
    }
    return render(request, "terms/term_changes.html", context)


class ChangesFeed(SiteFeed):
    """The 50 latest changes readers were told of: new, updated and deprecated terms, with their notes."""

    title = f"{SITE_NAME}: recent changes"
    page_url_name, feed_url_name = "terms:changes", "terms:changes-feed"

    def items(self):
        return listed(told_changes()[:FEED_LENGTH])

    def item_title(self, item):
        return f"{item['title']}: {item['kind_label'].lower()}"

    def item_description(self, item):
        # Atom says the summary is HTML: a note's "<" or "&" is text.
        return escape(item["summary"])

    def item_link(self, item):
        return settings.SITE_URL + item["url"]

    def item_guid(self, item):
        # One entry per change: a term's page has many.
        return f"{settings.SITE_URL}{item['changes_url']}#change-{item['id']}"

    item_guid_is_permalink = True

    def item_updateddate(self, item):
        return item["changed_at"]

    def item_pubdate(self, item):
        return item["changed_at"]


changes_feed = public_page(ChangesFeed())
