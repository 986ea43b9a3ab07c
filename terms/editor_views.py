"""Views for editors outside the admin's own URLs: the markdown live preview, image upload, and the admin's 403 and 404."""

import re

from django.contrib import admin
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from . import images
from .admin_summaries import deleted_terms_url
from .linking import link, published_glossary
from .models.editorial import Term
from .permissions import may_edit
from .rendering import MAX_MARKDOWN_LENGTH, render_markdown

# The admin page a preview is asked from: its term's own names are passed over, never linked.
TERM_PAGE = re.compile(r"/terms/term/(\d+)/change/")
SECTION = re.compile(r"[a-z]+(?:-\d+)?")
# Room in an upload's request for the multipart headers, the alt text and the CSRF token around the file.
UPLOAD_ENVELOPE_BYTES = 64 * 1024


@require_POST
def markdown_preview(request):
    """The markdownx editor's text rendered exactly as publishing will: sanitised, then cross-linked.

    `section` (from the editor's URL) gives the ids the published page will use; the words that
    will become links are links here too, which the admin's stylesheet marks.
    """
    if not may_edit(request.user):
        return HttpResponseForbidden("Only editors can preview markdown.")
    content = request.POST.get("content", "")
    if len(content) > MAX_MARKDOWN_LENGTH:
        return HttpResponseBadRequest(
            f"Too long to preview: {len(content):,} characters, and a section holds at most {MAX_MARKDOWN_LENGTH:,}."
        )
    section = request.GET.get("section", "")
    prefix = f"{section}-" if SECTION.fullmatch(section) else ""
    page = TERM_PAGE.search(request.headers.get("referer", ""))
    own = Term.objects.filter(pk=page.group(1)).first() if page else None
    html = render_markdown(content, prefix=prefix)
    glossary = published_glossary([html], own=(own.pk, [own.name, *own.alias_list]) if own else None)
    return HttpResponse(link(html, glossary, own_id=own.pk if own else None, prefix=prefix).html)


@csrf_exempt  # checked by `_store_upload`, once the request is known to be small enough to read
@require_POST
def markdown_upload(request):
    """Store an editor's image (field `image`) with its alt text (`alt_text`); answer the markdown that shows it."""
    if not may_edit(request.user):
        return JsonResponse({"error": "Only editors can upload images."}, status=403)
    # Refused before the body is read: the CSRF check would otherwise read all of it first.
    length = request.META.get("CONTENT_LENGTH") or ""
    length = int(length) if length.isascii() and length.isdigit() and len(length) < 20 else 0
    if length > images.MAX_BYTES + UPLOAD_ENVELOPE_BYTES:
        return JsonResponse({"error": images.too_big(length)}, status=413)
    return _store_upload(request)


@csrf_protect
def _store_upload(request):
    try:
        stored = images.store_image(request.FILES.get("image"), alt_text=request.POST.get("alt_text"), by=request.user)
    except images.ImageRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    # `image_code` is the answer markdownx's own editor expects.
    return JsonResponse({"image_code": stored.markdown, "url": stored.url, "note": stored.note}, status=201)


def in_admin(request) -> bool:
    """Whether the request is for a page of the admin."""
    return request.path.startswith(reverse("admin:index"))


def reason(exception) -> str:
    """What the view that refused said, when it said something a person can read."""
    message = str(exception.args[0]) if exception is not None and exception.args else ""
    # Django's own "No Term matches the given query." names a model, not the page: say it better in the template.
    return "" if message.endswith("matches the given query.") else message


def permission_denied(request, exception=None):
    """403: in the admin, an admin page saying why and where to go; elsewhere the site's own page."""
    if not in_admin(request):
        return defaults.permission_denied(request, exception)
    context = {
        **admin.site.each_context(request),
        "title": "You are not allowed to do that",
        "reason": reason(exception),
    }
    return render(request, "admin/403.html", context, status=403)


def page_not_found(request, exception=None):
    """404: in the admin, an admin page saying what was not found and where to go; elsewhere the site's own page."""
    if not in_admin(request):
        return defaults.page_not_found(request, exception)
    context = {
        **admin.site.each_context(request),
        "title": "Not found",
        "reason": reason(exception),
        "request_path": request.path,
        "deleted_terms_url": deleted_terms_url(),
    }
    return render(request, "admin/404.html", context, status=404)
