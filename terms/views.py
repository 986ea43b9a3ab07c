"""The readers' pages. They read only the published layer."""

from itertools import groupby
from operator import attrgetter

from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

from .caching import public_page
from .context_processors import site_links
from .models.published import INDEX_LETTERS, PublishedRedirect, PublishedTerm, term_url
from .search import search_terms

# Terms per page of the A–Z index and of a tag page: enough to scan, small enough to stay fast.
LIST_PAGE_SIZE = 100


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
            "recent_terms": PublishedTerm.objects.recent(),
            "tags": counts.tags,
            "term_count": counts.term_count,
        },
    )


@public_page(counts=True)
def term_index(request):
    letter = request.GET.get("letter", "").upper()
    if letter and letter not in INDEX_LETTERS:
        raise Http404("The A–Z index has no such letter.")
    counts = request.site_state.counts
    count = counts.letters.get(letter, 0) if letter else counts.term_count
    terms = PublishedTerm.objects.for_lists(letter, count=count)
    page = Paginator(terms, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "terms/term_list.html",
        {
            "page": page,
            "groups": letter_groups(page.object_list),
            "letter": letter,
            "letters": counts.letters,
            "alphabet": INDEX_LETTERS,
            "paged": bool(letter) or page.paginator.num_pages > 1,
        },
    )


def letter_groups(terms) -> list[dict]:
    """A page of the index as runs of terms under their letter, with the letter's anchor."""
    return [
        {"letter": letter, "anchor": "other" if letter == "#" else letter, "terms": list(run)}
        for letter, run in groupby(terms, key=attrgetter("letter"))
    ]


@public_page
def term_detail(request, slug):
    term = PublishedTerm.objects.for_term_page(slug)
    if term is None:
        # A former address of a renamed term, or an alias: lead the reader to the page, for good.
        target = PublishedRedirect.objects.target_slug(slug)
        if target is None:
            raise Http404("No published term has this address.")
        return HttpResponsePermanentRedirect(term_url(target))
    return render(request, "terms/term_detail.html", {"term": term, "relation_groups": term.related})


@public_page(counts=True)
def tag_list(request):
    return render(request, "terms/tag_list.html", {"tags": request.site_state.counts.tags})


@public_page(counts=True)
def tag_detail(request, slug):
    tag = request.site_state.counts.tag(slug)
    if tag is None:
        raise Http404("No published term has this tag.")
    terms = PublishedTerm.objects.tagged(slug, tag["count"])
    page = Paginator(terms, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "terms/tag_detail.html", {"tag_name": tag["name"], "tag_slug": slug, "page": page})


@public_page(cache_pages=False)
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:200]
    results = search_terms(query) if query else []
    return render(request, "terms/search.html", {"query": query, "results": results})


def server_error(request):
    """The 500 page in the site's design, rendered without anything that could fail again."""
    return HttpResponseServerError(render_to_string("500.html", {"site": site_links()}))
