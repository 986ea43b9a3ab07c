"""The reader-page cache and conditional GET, keyed by the published layer's generation.

Every publish and unpublish bumps `SiteState.generation` in its own transaction,
so each cached page and each ETag handed out before it is obsolete at once, in
every app-server process, whatever cache backend is configured.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from .models.published import SiteState


def public_page(view=None, *, cache_pages: bool = True):
    """Serve a reader page from the cache when possible, answering revalidations with 304."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            # Views read the published layer's counts through it.
            request.site_state = state = SiteState.current()
            etag = quote_etag(state.version)
            last_modified = int(state.changed_at.timestamp())
            not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if not_modified is not None:
                return not_modified
            seconds = settings.PAGE_CACHE_SECONDS if cache_pages else 0
            key = page_key(request, state.version)
            cached = cache.get(key) if seconds else None
            if cached is not None:
                content_type, content = cached
                response = HttpResponse(content, content_type=content_type)
            else:
                response = view(request, *args, **kwargs)
                if seconds and response.status_code == 200:
                    cache.set(key, (response["Content-Type"], response.content), seconds)
            if response.status_code == 200:
                response["ETag"] = etag
                response["Last-Modified"] = http_date(last_modified)
                # Browsers keep the page but ask again each time; the answer is usually a 304.
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            return response

        return wrapper

    return decorator(view) if view is not None else decorator


def page_key(request, version: str) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{settings.RELEASE}:{version}:{digest}"
