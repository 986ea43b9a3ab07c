"""The readers' pages. They read only the published layer."""

import itertools
import re
from itertools import groupby
from operator import attrgetter

from django.core.files.storage import default_storage
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import queries, skos, tree
from .addresses import tag_url, term_url
from .caching import public_page
from .context_processors import SITE_DESCRIPTION, SITE_NAME, asset_urls, site_links
from .disambiguation import meanings
from .models.published import INDEX_LETTERS, PublishedImage, PublishedRedirect, PublishedTagRedirect, PublishedTermTag
from .permissions import may_edit
from .records import PublishedRecord, published_entries, published_neighbourhood
from .rendering import IMAGE_CONTENT_TYPES, OWN_IMAGE_NAME
from .search import (
    MAX_RESULTS,
    RESULTS_PER_PAGE,
    closest,
    highlight,
    ranked_ids,
    read_query,
    results_for,
    without_deprecated,
)
from .search import suggest as search_suggest
from .structured_data import defined_term, defined_term_set

HTML = "text/html"
TURTLE = "text/turtle"
JSON_LD = "application/ld+json"

# Terms per page of the A–Z index and of a tag page: enough to scan, small enough to stay fast.
LIST_PAGE_SIZE = 100
MAX_QUERY_LENGTH = 200
# A page number as the site writes it: ASCII digits, no sign, no leading zero, and short enough
# to read as an int (Python refuses to convert strings of thousands of digits).
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@public_page(counts=True)
def home(request):
    counts = request.site_state.counts
    return render(
        request,
        "terms/home.html",
        {
            "letters": counts.letters,
            "alphabet": INDEX_LETTERS,
            "paged": counts.term_count > LIST_PAGE_SIZE,
            "recent_terms": queries.recent(),
            "tags": counts.tags,
            "term_count": counts.term_count,
        },
    )


@public_page(params=("letter", "page"), counts=True)
def term_index(request):
    letter = request.GET.get("letter", "")
    if letter and letter not in INDEX_LETTERS:
        # One address per letter: "?letter=g" is moved to "?letter=G". Only ASCII folds,
        # as "ı".upper() is "I" and "ſ".upper() is "S".
        if letter.isascii() and letter.upper() in INDEX_LETTERS:
            query = {"letter": letter.upper(), **({"page": request.GET["page"]} if "page" in request.GET else {})}
            return HttpResponsePermanentRedirect(f"{request.path}?{urlencode(query)}")
        raise Http404("The A–Z index has no such letter.")
    counts = request.site_state.counts
    count = counts.letters.get(letter, 0) if letter else counts.term_count
    page = list_page(request, queries.for_index(letter, count=count))
    return render(
        request,
        "terms/term_list.html",
        {
            "page": page,
            "groups": letter_groups(page.object_list),
            "letter": letter,
            # How headings and titles name the letter's terms: "starting with T".
            "letter_name": "a digit or symbol" if letter == "#" else letter,
            "letters": counts.letters,
            "alphabet": INDEX_LETTERS,
            "paged": bool(letter) or page.paginator.num_pages > 1,
            "structured_data": defined_term_set(page.object_list),
        },
    )


@public_page
def term_tree(request):
    """The published terms by hierarchy: broader terms above narrower ones, every branch collapsible."""
    return render(request, "terms/term_tree.html", {"tree": tree.published_tree()})


def page_number(request) -> int:
    """The `page` parameter (1 when absent); a 404 for anything but a page number as the site writes it."""
    number = request.GET.get("page") or "1"
    if not PAGE_NUMBER.fullmatch(number):
        raise Http404("No such page.")
    return int(number)


def list_page(request, items) -> Page:
    """The page of a list the `page` parameter asks for; a 404 past the last."""
    try:
        return Paginator(items, LIST_PAGE_SIZE).page(page_number(request))
    except InvalidPage:
        raise Http404("No such page.") from None


def letter_groups(terms) -> list[dict]:
    """A page of the index as runs of terms under their letter, with the letter's anchor."""
    return [
        {"letter": letter, "anchor": "other" if letter == "#" else letter, "terms": list(run)}
        for letter, run in groupby(terms, key=attrgetter("letter"))
    ]


@public_page(media_types=(HTML, TURTLE, JSON_LD))
def term_detail(request, slug):
    """A term's page; or, for a client that asks for Turtle or JSON-LD, its SKOS concept and links."""
    if request.page_media_type == HTML:
        term = queries.for_term_page(slug)
        if term is not None:
            return render(
                request,
                "terms/term_detail.html",
                {"term": term, "relation_groups": term.related, "structured_data": defined_term(term)},
            )
    else:
        entry, neighbours = published_neighbourhood(slug)
        if entry is not None:
            return skos_response(request, [entry], neighbours=neighbours)
    # A former address of a renamed term, or an alias: lead the reader to the page, for good.
    target = PublishedRedirect.objects.target_slug(slug)
    if target is not None:
        return HttpResponsePermanentRedirect(term_url(target))
    # The address of a name that homonyms share: list the meanings, or lead to the only one published
    # (for now: another meaning may be published, so the redirect is not for good).
    name, found = meanings(slug)
    if len(found) == 1:
        return HttpResponseRedirect(term_url(found[0].slug))
    if not found or request.page_media_type != HTML:
        raise Http404("No published term has this address.")
    return render(request, "terms/disambiguation.html", {"slug": slug, "name": name, "meanings": found})


def skos_response(request, entries: list[PublishedRecord], *, neighbours=(), filename: str = "") -> HttpResponse:
    """Published terms as SKOS, in the representation the page chose (Turtle or JSON-LD)."""
    media_type = request.page_media_type
    serialise = skos.turtle if media_type == TURTLE else skos.jsonld
    text = serialise(
        [entry.record for entry in entries],
        modified={entry.record["slug"]: entry.published_at for entry in entries},
        changed_at=request.site_state.changed_at,
        neighbours=neighbours,
    )
    response = HttpResponse(text, content_type=f"{media_type}; charset=utf-8" if media_type == TURTLE else media_type)
    if filename:
        response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@public_page(media_types=(TURTLE,))
def skos_turtle(request):
    """The whole published glossary as a SKOS concept scheme, in Turtle."""
    return skos_response(request, published_entries(), filename="glossary-skos.ttl")


@public_page(media_types=(JSON_LD,))
def skos_jsonld(request):
    """The whole published glossary as a SKOS concept scheme, in JSON-LD."""
    return skos_response(request, published_entries(), filename="glossary-skos.jsonld")


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    """What crawlers may read, and where the sitemap is."""
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


@public_page(counts=True)
def tag_list(request):
    return render(request, "terms/tag_list.html", {"tags": request.site_state.counts.tags})


@public_page(params=("page",), counts=True)
def tag_detail(request, slug):
    tag = request.site_state.counts.tag(slug)
    if tag is None:
        # A renamed or merged tag's former address: lead the reader to the tag's page now, for good.
        target = PublishedTagRedirect.objects.filter(slug=slug).values_list("target_slug", flat=True).first()
        if target is None or request.site_state.counts.tag(target) is None:
            raise Http404("No published term has this tag.")
        return HttpResponsePermanentRedirect(tag_url(target))
    page = list_page(request, queries.for_tag_page(slug, tag["count"]))
    context = {"tag_name": tag["name"], "tag_slug": slug, "page": page, "topic": tag.get("topic")}
    return render(request, "terms/tag_detail.html", context)


def search_query(request) -> str:
    return " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]


@public_page(cache_pages=False, counts=True)
def search(request):
    query = search_query(request)
    counts = request.site_state.counts
    tag = request.GET.get("tag", "")
    tag_name = (counts.tag(tag) or {}).get("name") if tag else None
    if tag and tag_name is None:
        tag = ""  # a tag no published term has: search them all rather than find nothing
    number = page_number(request)
    if number > MAX_RESULTS // RESULTS_PER_PAGE:
        raise Http404("Search shows at most its first results.")
    context = {"query": query, "tag": tag, "tag_name": tag_name, "tags": counts.tags, "number": number}
    if query:
        parsed = read_query(query)
        found = without_deprecated(ranked_ids(parsed, tag=tag, limit=number * RESULTS_PER_PAGE + 1), query)
        results = results_for(dict(itertools.islice(found.items(), (number - 1) * RESULTS_PER_PAGE, None)), parsed)
        shown = results[:RESULTS_PER_PAGE]
        tags_of: dict[int, list[dict]] = {}
        for term_id, name, slug in (
            PublishedTermTag.objects.filter(term_id__in=[r.term_id for r in shown])
            .order_by("sort_name", "name")
            .values_list("term_id", "name", "slug")
        ):
            tags_of.setdefault(term_id, []).append({"name": name, "slug": slug})
        context["results"] = [
            {
                "result": result,
                "name_html": highlight(result.name, parsed),
                "url": term_url(result.slug),
                "tags": tags_of.get(result.term_id, []),
            }
            for result in shown
        ]
        context["has_next"] = len(results) > RESULTS_PER_PAGE
        context["first"] = (number - 1) * RESULTS_PER_PAGE + 1
        context["last"] = context["first"] + len(context["results"]) - 1
        if not results and number == 1:
            context["closest"] = closest(query)
    return render(request, "terms/search.html", context)


@public_page(cache_pages=False)
def suggest(request):
    """As-you-type suggestions for the search box: JSON, at most eight published terms.

    Browsers revalidate it like every reader page (ETag of the site's state), so a term
    published a moment ago is suggested at once.
    """
    query = search_query(request)
    suggestions = (
        [
            {"name": r.name, "url": term_url(r.slug), "short_definition": r.short_definition, "matched": r.matched}
            for r in search_suggest(query)
        ]
        if query
        else []
    )
    return JsonResponse({"query": query, "suggestions": suggestions})


def server_error(request):
    """The 500 page in the site's design (JSON for the API), rendered without anything that could fail again."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side; it has been logged."}, status=500)
    context = {
        "site": site_links(),
        "assets": asset_urls(),
        "site_name": SITE_NAME,
        "site_description": SITE_DESCRIPTION,
    }
    return HttpResponseServerError(render_to_string("500.html", context))


@require_safe
def image(request, name):
    """An image editors added, streamed from storage as the type it was stored as; it never changes.

    Readers are served only the images published pages show (`PublishedImage`); editors, any
    stored image, so that previews show a draft's, in answers no cache shares with anyone.
    """
    stored = OWN_IMAGE_NAME.fullmatch(name)
    if stored is None:
        raise Http404("No such image.")
    published = PublishedImage.objects.filter(name=name).exists()
    if not published and not may_edit(request.user):
        # Exactly as for an image never stored: a reader learns nothing of what drafts hold.
        raise Http404("No such image.")
    # The name is the content's hash: a browser that has it has this very image.
    etag = f'"{stored["sha256"]}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        try:
            file = default_storage.open(f"images/{name}")
        except FileNotFoundError:
            raise Http404("No such image.") from None
        # Shown in place, never saved as something a browser would open otherwise.
        response = FileResponse(file, content_type=IMAGE_CONTENT_TYPES[stored["extension"]], filename=name)
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the image may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    if published:
        patch_cache_control(response, public=True, max_age=31_536_000, immutable=True)
    else:
        # A draft's image, for an editor: their browser alone may keep it, and asks again before each use.
        patch_cache_control(response, private=True, no_cache=True)
    return response
