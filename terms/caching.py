"""The reader-page cache and conditional GET, keyed by the published layer's generation.

Every publish and unpublish bumps `SiteState.generation` in its own transaction,
so each cached page and each ETag handed out before it is obsolete at once, in
every app-server process, whatever cache backend is configured.

`public_page` marks a view's response as a reader page (ETag, Last-Modified, 304s);
`PageCacheMiddleware`, near the top of the stack, stores such a response once every
other middleware has added its headers, and answers later requests for it straight
from the cache, before the rest of the stack runs. A page is cached under its path and
the query parameters its view declares, whatever else the address carries; and nothing
in a page comes from the request's Host header (absolute links start with SITE_URL), so
no request can plant another host in the page every reader is served.
"""

import functools
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag, urlencode

from . import queries
from .models.published import SiteState


def public_page(
    view=None,
    *,
    params: tuple[str, ...] = (),
    cache_pages: bool = True,
    counts: bool = False,
    media_types: tuple[str, ...] = (),
):
    """Mark a reader page: ETag from the site's generation and release, Last-Modified, 304 on revalidation.

    `params`: the query parameters the view reads; the page cache keys its pages on them
    alone, so `?r=<anything>` cannot fill the cache with copies of one page.
    `counts`: the page shows the site's counts, read with the generation when the page
    cache has not read it already.
    `media_types`: the page's representations, the default first, when it answers the Accept
    header; the view finds the chosen one in `request.page_media_type`. Each is cached and
    tagged apart, and when there are several, every answer says `Vary: Accept`.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            state = getattr(request, "site_state", None) or queries.site_state(with_counts=counts)
            if counts and "counts" not in vars(state):
                # The page cache read the state without them, and missed: read them as hot pages read.
                state.counts = queries.site_counts()
            # Views read the published layer's counts through it.
            request.site_state = state
            request.page_media_type = negotiated(request, media_types)
            response = view(request, *args, **kwargs)
            if len(media_types) > 1:
                patch_vary_headers(response, ["Accept"])
            # Only a page that exists may be "not modified": a 404 or a redirect answers as itself.
            if response.status_code != 200:
                return response
            etag = page_etag(state.generation_key, variant(request.page_media_type, media_types))
            last_modified = int(state.changed_at.timestamp())
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            # Browsers keep the page but ask again each time; the answer is usually a 304.
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            if cache_pages:
                response.page_cache_generation = state.generation_key
            return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)

        if cache_pages:
            wrapper.page_params = params
            wrapper.page_media_types = media_types
        return wrapper

    return decorator(view) if view is not None else decorator


class PageCacheMiddleware:
    """Serve reader pages from the cache, headers and all, before the rest of the middleware runs.

    Place it right after SecurityMiddleware (which must still redirect to HTTPS and
    add HSTS). Only paths whose view is a cached reader page are looked up, so the admin,
    static files and health checks never touch the cache or the database here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        rules = page_rules(request.path_info) if seconds and request.method in ("GET", "HEAD") else None
        if rules is None:
            return self.get_response(request)
        params, media_types = rules
        request.get_host()  # a host outside ALLOWED_HOSTS gets its 400 as before
        request.site_state = state = queries.site_state()
        # A page that answers the Accept header is cached once per representation: Turtle never reaches a browser.
        representation = variant(negotiated(request, media_types), media_types)
        key = page_key(request, params, state.generation_key, representation)
        cached = cache.get(key)
        if cached is not None:
            return from_cache(request, cached, state, representation)
        response = self.get_response(request)
        if cacheable(response, state.generation_key) and canonical_host(request):
            cache.set(key, (response.status_code, list(response.items()), response.content), seconds)
        return response


def canonical_host(request) -> bool:
    """Whether the request names the site as SITE_URL does: only such a request's page is stored for everyone.

    Pages take nothing from the Host header; this keeps it so should a template ever start to.
    """
    return request.get_host() == urlsplit(settings.SITE_URL).netloc


# Resolving a path takes about 50 µs, a noticeable share of serving a cached page; the URLconf
# does not change while the process runs, and the bound keeps made-up paths from growing it.
@functools.lru_cache(maxsize=4096)
def page_rules(path: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The query parameters and media types the page cache keys this path's page on; None if it is not a cached page."""
    try:
        view = resolve(path).func
    except Resolver404:
        return None
    params = getattr(view, "page_params", None)
    return None if params is None else (params, view.page_media_types)


def negotiated(request, media_types: tuple[str, ...]) -> str:
    """The representation of a page the request's Accept header prefers; the first when it names none of them."""
    if not media_types:
        return ""
    return request.get_preferred_type(media_types) or media_types[0]


def variant(media_type: str, media_types: tuple[str, ...]) -> str:
    """How ETags and cache keys tell a representation apart: "" for a page's default one."""
    return "" if not media_types or media_type == media_types[0] else media_type


def cacheable(response, generation: str) -> bool:
    """A reader page's 200 for this generation, the same for everyone: no cookies, no Vary on them."""
    return (
        getattr(response, "page_cache_generation", None) == generation
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
    )


def from_cache(request, cached, state: SiteState, representation: str = "") -> HttpResponse:
    status, headers, content = cached
    response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
    for name, value in headers:
        response[name] = value
    last_modified = int(state.changed_at.timestamp())
    return get_conditional_response(
        request,
        etag=page_etag(state.generation_key, representation),
        last_modified=last_modified,
        response=response,
    )


def page_etag(generation: str, representation: str = "") -> str:
    """The ETag of every reader page under this generation of the published layer and this release.

    A page's other representations (its Turtle, say) get ETags of their own, so a validator
    of one is never taken for the other.
    """
    # A deploy changes templates and hashed asset names without publishing anything: a browser
    # holding the last release's page must not be told it is still current.
    release = hashlib.sha256(settings.RELEASE.encode()).hexdigest()[:12]
    suffix = f"-{hashlib.sha256(representation.encode()).hexdigest()[:8]}" if representation else ""
    return quote_etag(f"{generation}-{release}{suffix}")


def page_key(request, params: tuple[str, ...], generation: str, representation: str = "") -> str:
    """The cache key of a page: its path, the parameters its view reads, as the view reads them, and its representation."""
    read = sorted((name, request.GET[name]) for name in params if name in request.GET)
    digest = hashlib.sha256(f"{request.path}?{urlencode(read)} {representation}".encode()).hexdigest()[:32]
    return f"page:{settings.RELEASE}:{generation}:{digest}"
