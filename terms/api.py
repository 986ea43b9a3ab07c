"""The read API under /api/: published terms and tags as JSON, for other programs (docs/api.md).

Like the reader pages, it reads only the published layer and answers with the site's ETag and
Last-Modified (`terms.caching.public_page`), so an answer is current the moment a term is published.
Its OpenAPI schema is generated from these views and `terms.api_serializers`.
"""

import re
from datetime import UTC, datetime

from csp.decorators import csp_update
from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import path, re_path, reverse
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import APIException, NotFound
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from .api_serializers import (
    ErrorSerializer,
    ParameterErrorSerializer,
    RootSerializer,
    TagListSerializer,
    TermListItemSerializer,
    TermSerializer,
    absolute,
    absolute_links,
    term_api_url,
)
from .caching import public_page
from .models.published import PublishedRedirect, PublishedTerm
from .search import MAX_RESULTS, ranked_ids, read_query, without_deprecated

# Terms per page of /api/terms/: fixed, so every client pages alike and every page can be cached alike.
PAGE_SIZE = 100
MAX_QUERY_LENGTH = 200
# As the site writes page numbers: no sign, no leading zero, short enough to read as an int.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
SECTIONS = ("explanation", "analogy", "usage", "history")
# What a list shows of each term: the rest of a published row (its sections above all) stays unread.
LISTED_FIELDS = (
    "term", "slug", "name", "qualifier", "title", "short_definition", "first_published_at", "published_at", "tags",
    "deprecated_at", "deprecation",
)  # fmt: skip


class BadParameter(APIException):
    """A 400 naming the query parameter at fault: {"detail": ..., "parameter": ...}."""

    status_code = 400
    default_code = "bad_parameter"

    def __init__(self, parameter: str, message: str):
        super().__init__({"detail": f"{parameter}: {message}", "parameter": parameter})


def name_the_server(result, generator, request, public):
    """drf-spectacular hook: the schema names SITE_URL as the API's server, as every address in answers does."""
    result["servers"] = [{"url": settings.SITE_URL}]
    return result


HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        str,
        OpenApiParameter.HEADER,
        description="An ETag this API gave: a 304 without a body if nothing was published or unpublished since.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        str,
        OpenApiParameter.HEADER,
        description="An HTTP date: a 304 without a body if nothing was published or unpublished since.",
    ),
    OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="The published glossary's version: it changes with every publish and unpublish.",
    ),
    OpenApiParameter(
        "Last-Modified",
        str,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="When anything was last published or unpublished.",
    ),
    OpenApiParameter(
        "Retry-After",
        int,
        OpenApiParameter.HEADER,
        response=[429],
        description="Seconds to wait before this address may ask again.",
    ),
]
NOT_MODIFIED = OpenApiResponse(
    description="Not modified since the If-None-Match or If-Modified-Since the request sent."
)
# Every operation may answer these.
THROTTLED = OpenApiResponse(
    ErrorSerializer, description="Too many requests from this address: try again after Retry-After seconds."
)
NOT_ACCEPTABLE = OpenApiResponse(ErrorSerializer, description="The Accept header rules out JSON, all the API answers.")


class TermPages(PageNumberPagination):
    """Pages of `PAGE_SIZE` terms, with next and previous addresses built from SITE_URL."""

    page_size = PAGE_SIZE
    invalid_page_message = "There is no page {page_number}: it is past the last page."

    def paginate_queryset(self, queryset, request, view=None):
        # Absolute addresses from SITE_URL, never from the Host header a client chooses.
        self.address = absolute(request.get_full_path())
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator):
        number = request.query_params.get(self.page_query_param) or "1"
        if not PAGE_NUMBER.fullmatch(number):
            raise BadParameter("page", "must be a page number: 1, 2, 3...")
        return number

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "next", "previous", "results"]
        paginated["properties"]["count"]["description"] = "How many terms match, on every page."
        for link, number in (("next", 4), ("previous", 2)):
            paginated["properties"][link]["example"] = f"https://glossary.example.org/api/terms/?page={number}"
            paginated["properties"][link]["description"] = (
                f"The {link} page's address; null on the {'last' if link == 'next' else 'first'} page."
            )
        return paginated

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(self.address, self.page_query_param, self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(self.address, self.page_query_param)
        return replace_query_param(self.address, self.page_query_param, number)


def updated_since(request) -> datetime | None:
    """The `updated_since` parameter as an aware datetime (a date is its midnight, UTC unless it says otherwise)."""
    value = request.query_params.get("updated_since", "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter(
            "updated_since",
            f"{value!r} is not an ISO 8601 date or date and time, e.g. 2026-01-31 or 2026-01-31T09:30Z.",
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def search_query(request) -> str:
    query = " ".join(request.query_params.get("q", "").split())
    if len(query) > MAX_QUERY_LENGTH:
        raise BadParameter("q", f"at most {MAX_QUERY_LENGTH} characters.")
    return query


@extend_schema(
    tags=["API"],
    summary="The API's addresses",
    responses={
        200: OpenApiResponse(RootSerializer, description="The API's addresses."),
        304: NOT_MODIFIED,
        406: NOT_ACCEPTABLE,
        429: THROTTLED,
    },
    parameters=HEADERS,
)
class Root(APIView):
    """Where the API's endpoints, schema and documentation are."""

    def get(self, request):
        return Response(
            {
                "terms": absolute(reverse("api:term-list")),
                "tags": absolute(reverse("api:tag-list")),
                "schema": absolute(reverse("api:schema")),
                "docs": absolute(reverse("api:docs")),
            }
        )


def found_ids(query: str, *, tag: str, since: datetime | None) -> list[int]:
    """The ids of the published terms the site's search finds, best first."""
    ids = list(without_deprecated(ranked_ids(read_query(query), tag=tag, limit=MAX_RESULTS), query))
    if since and ids:
        recent = set(PublishedTerm.objects.filter(pk__in=ids, published_at__gte=since).values_list("pk", flat=True))
        ids = [pk for pk in ids if pk in recent]
    return ids


@extend_schema(
    tags=["Terms"],
    summary="Published terms",
    description=(
        f"Every published term, {PAGE_SIZE} a page: A–Z, or best match first with `q`. "
        "The filters combine. Drafts and terms in review never appear."
    ),
    parameters=[
        OpenApiParameter("tag", str, description="Only terms with this tag (its slug). No such tag: no terms."),
        OpenApiParameter(
            "q",
            str,
            description=(
                "Search as the site's search page does (names, aliases, definitions, text; typos forgiven), "
                f"best match first; at most its first {MAX_RESULTS} results, {MAX_QUERY_LENGTH} characters."
            ),
        ),
        OpenApiParameter(
            "updated_since",
            OpenApiTypes.STR,
            description=(
                "Only terms published at or after this ISO 8601 date or date and time "
                "(e.g. 2026-01-31, 2026-01-31T09:30:00+01:00; UTC when no offset is given)."
            ),
        ),
        *HEADERS,
    ],
    responses={
        200: OpenApiResponse(TermListItemSerializer(many=True), description="A page of published terms."),
        304: NOT_MODIFIED,
        400: OpenApiResponse(ParameterErrorSerializer, description="A parameter is malformed; `parameter` names it."),
        404: OpenApiResponse(ErrorSerializer, description="The page is past the last page."),
        406: NOT_ACCEPTABLE,
        429: THROTTLED,
    },
)
class TermList(ListAPIView):
    """Published terms, a page at a time, filtered by tag, search and date."""

    serializer_class = TermListItemSerializer
    pagination_class = TermPages

    def list(self, request, *args, **kwargs):
        tag = request.query_params.get("tag", "").strip()
        query = search_query(request)
        since = updated_since(request)
        if query:
            terms = found_ids(query, tag=tag, since=since)
        else:
            terms = PublishedTerm.objects.only(*LISTED_FIELDS).order_by("sort_name", "slug")
            if tag:
                terms = terms.filter(tag_rows__slug=tag)
            if since:
                terms = terms.filter(published_at__gte=since)
        page = self.paginate_queryset(terms)
        if query:
            rows = PublishedTerm.objects.only(*LISTED_FIELDS).in_bulk(page)
            page = [rows[pk] for pk in page if pk in rows]
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def padded(items: list[str], length: int) -> list[str]:
    return (items + [""] * length)[:length]


def for_api(term: PublishedTerm) -> PublishedTerm:
    """The term with its sections, examples and misconceptions each as HTML and markdown, for `TermSerializer`."""
    # Rows published before the published layer kept markdown have none until `rebuild_published` runs.
    markdown = term.markdown or {}
    term.sections = {
        name: {"html": absolute_links(getattr(term, f"{name}_html")), "markdown": markdown.get(name, "")}
        for name in SECTIONS
    }
    bodies = padded(markdown.get("examples", []), len(term.examples))
    term.example_items = [
        {"title": example["title"], "html": absolute_links(example["html"]), "markdown": body}
        for example, body in zip(term.examples, bodies, strict=True)
    ]
    corrections = padded(markdown.get("misconceptions", []), len(term.misconceptions))
    term.misconception_items = [
        {"claim": item["claim"], "html": absolute_links(item["html"]), "markdown": correction}
        for item, correction in zip(term.misconceptions, corrections, strict=True)
    ]
    return term


@extend_schema(
    tags=["Terms"],
    summary="A published term",
    description=(
        "Everything published about a term. A former slug or an alias answers a 301 to the term's address. "
        "A draft, a term in review and an unpublished term are a 404."
    ),
    parameters=[
        OpenApiParameter("slug", str, OpenApiParameter.PATH, description='The term\'s slug, e.g. "fine-tuning".'),
        *HEADERS,
    ],
    responses={
        200: OpenApiResponse(TermSerializer, description="The term as published."),
        301: OpenApiResponse(description="A former slug or an alias: the Location header is the term's address."),
        304: NOT_MODIFIED,
        404: OpenApiResponse(ErrorSerializer, description="No published term has this slug."),
        406: NOT_ACCEPTABLE,
        429: THROTTLED,
    },
)
class TermDetail(GenericAPIView):
    """Everything published about one term."""

    serializer_class = TermSerializer

    def get(self, request, slug):
        term = PublishedTerm.objects.defer("unlinked", "also_read").filter(slug=slug).first()
        if term is None:
            # A former address of a renamed term, or an alias, as on the term's page.
            target = PublishedRedirect.objects.target_slug(slug)
            if target is None:
                raise NotFound("No published term has this slug.")
            return HttpResponsePermanentRedirect(term_api_url(target))
        return Response(self.get_serializer(for_api(term)).data)


@extend_schema(
    tags=["Tags"],
    summary="Tags",
    description="Every tag of a published term, by name, with how many published terms have it.",
    parameters=HEADERS,
    responses={
        200: OpenApiResponse(TagListSerializer, description="The tags, by name."),
        304: NOT_MODIFIED,
        406: NOT_ACCEPTABLE,
        429: THROTTLED,
    },
)
class TagList(GenericAPIView):
    """Every tag of a published term, with counts."""

    serializer_class = TagListSerializer

    # On the method: drf-spectacular's checks refuse an operation id on a class.
    @extend_schema(operation_id="tags_list")
    def get(self, request):
        tags = request.site_state.counts.tags
        return Response(self.get_serializer({"count": len(tags), "results": tags}).data)


def unknown(request, rest=""):
    """Any other address under /api/: a JSON 404, as the API's own 404s are."""
    return JsonResponse({"detail": "No API endpoint has this address; the endpoints are listed at /api/."}, status=404)


app_name = "api"
urlpatterns = [
    path("", public_page(Root.as_view()), name="root"),
    # Searches and dates make countless addresses: answered afresh (with an ETag), never page-cached.
    path("terms/", public_page(TermList.as_view(), cache_pages=False), name="term-list"),
    path("terms/<slug:slug>/", public_page(TermDetail.as_view()), name="term-detail"),
    path("tags/", public_page(TagList.as_view(), counts=True), name="tag-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's stylesheet draws its icons as data: images: allowed on this page alone.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", title="Glossary API")
        ),
        name="docs",
    ),
    # Only addresses that end in a slash: "/api/terms" is first moved to "/api/terms/" (APPEND_SLASH).
    re_path(r"^(?P<rest>.*/)$", unknown),
]
