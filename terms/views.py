"""The readers' pages. They read only the published layer."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models.published import PublishedRelation, PublishedTerm, PublishedTermTag
from .search import search_terms

ALPHABET = [chr(code) for code in range(ord("A"), ord("Z") + 1)] + ["#"]


def home(request):
    published = PublishedTerm.objects
    return render(
        request,
        "terms/home.html",
        {
            "letters": published.letters(),
            "alphabet": ALPHABET,
            "recent_terms": published.recent(),
            "tags": PublishedTermTag.objects.with_counts(),
            "term_count": published.count(),
        },
    )


def term_index(request):
    return render(
        request,
        "terms/term_list.html",
        {"terms": PublishedTerm.objects.for_lists(), "letters": PublishedTerm.objects.letters(), "alphabet": ALPHABET},
    )


def term_detail(request, slug):
    term = get_object_or_404(PublishedTerm.objects.for_term_page(), slug=slug)
    relation_groups = PublishedRelation.objects.groups_for(term)
    return render(request, "terms/term_detail.html", {"term": term, "relation_groups": relation_groups})


def tag_list(request):
    return render(request, "terms/tag_list.html", {"tags": PublishedTermTag.objects.with_counts()})


def tag_detail(request, slug):
    name = PublishedTermTag.objects.name_for(slug)
    if name is None:
        raise Http404("No published term has this tag.")
    terms = PublishedTerm.objects.tagged(slug)
    return render(request, "terms/tag_detail.html", {"tag_name": name, "tag_slug": slug, "terms": terms})


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:200]
    results = search_terms(query) if query else []
    return render(request, "terms/search.html", {"query": query, "results": results})
