"""The reader-page cache and conditional GET, keyed by the published layer's generation.

Every publish and unpublish bumps `SiteState.generation` in its own transaction,
so each cached page and each ETag handed out before it is obsolete at once, in
every app-server process, whatever cache backend is configured.

`public_page` marks a view's response as a reader page (ETag, Last-Modified, 304s);
`PageCacheMiddleware`, near the top of the stack, stores such a response once every
other middleware has added its headers, and answers later requests for it straight
from the cache, before the rest of the stack runs.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from .context_processors import site_links
from .models.published import SiteState


def public_page(view=None, *, cache_pages: bool = True, counts: bool = False):
    """Mark a reader page: ETag and Last-Modified from the site's generation, 304 on revalidation.

    `counts`: the page shows the site's counts, read with the generation when the page
    cache has not read it already.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            state = getattr(request, "site_state", None) or SiteState.current(with_counts=counts)
            # Views read the published layer's counts through it.
            request.site_state = state
            etag = quote_etag(state.version)
            last_modified = int(state.changed_at.timestamp())
            not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if not_modified is not None:
                return not_modified
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                response["ETag"] = etag
                response["Last-Modified"] = http_date(last_modified)
                # Browsers keep the page but ask again each time; the answer is usually a 304.
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
                if cache_pages:
                    response.page_cache_version = state.version
            return response

        return wrapper

    return decorator(view) if view is not None else decorator


class PageCacheMiddleware:
    """Serve reader pages from the cache, headers and all, before the rest of the middleware runs.

    Place it right after SecurityMiddleware (which must still redirect to HTTPS and
    add HSTS). Only the reader pages' paths are looked up, so the admin, static files
    and health checks never touch the cache or the database here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD") or not is_reader_path(request.path_info):
            return self.get_response(request)
        request.get_host()  # a host outside ALLOWED_HOSTS gets its 400 as before
        request.site_state = state = SiteState.current()
        key = page_key(request, state.version)
        cached = cache.get(key)
        if cached is not None:
            return from_cache(request, cached, state)
        response = self.get_response(request)
        if cacheable(response, state.version):
            cache.set(key, (response.status_code, list(response.items()), response.content), seconds)
        return response


def is_reader_path(path: str) -> bool:
    links = site_links()
    return path == links["home"] or path.startswith((links["index"], links["tags"]))


def cacheable(response, version: str) -> bool:
    """A reader page's 200 for this generation, the same for everyone: no cookies, no Vary on them."""
    return (
        getattr(response, "page_cache_version", None) == version
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
    )


def from_cache(request, cached, state: SiteState) -> HttpResponse:
    status, headers, content = cached
    response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
    for name, value in headers:
        response[name] = value
    last_modified = int(state.changed_at.timestamp())
    return get_conditional_response(
        request, etag=quote_etag(state.version), last_modified=last_modified, response=response
    )


def page_key(request, version: str) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{settings.RELEASE}:{version}:{digest}"
