"""Views for editors outside the admin's own URLs: the markdown live preview and image upload."""

import re

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.views.decorators.http import require_POST

from .linking import link, published_glossary
from .models.editorial import Term
from .rendering import MAX_MARKDOWN_LENGTH, render_markdown

# The admin page a preview is asked from: its term's own names are passed over, never linked.
TERM_PAGE = re.compile(r"/terms/term/(\d+)/change/")
SECTION = re.compile(r"[a-z]+(?:-\d+)?")


def may_edit(user) -> bool:
    return user.is_active and user.is_staff and (user.has_perm("terms.change_term") or user.has_perm("terms.add_term"))


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


@require_POST
def markdown_upload(request):
    """Image upload is not offered: editors link to images by their https address."""
    if not may_edit(request.user):
        return HttpResponseForbidden("Only editors can upload images.")
    return JsonResponse(
        {"error": "Image upload is turned off on this site. Link to an image by its https:// address instead."},
        status=400,
    )
