"""Views for editors outside the admin's own URLs: the markdown live preview."""

from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.http import require_POST

from .rendering import render_markdown


@require_POST
def markdown_preview(request):
    """Render the markdownx editor's text through the publishing pipeline, for staff editors only."""
    user = request.user
    may_edit = user.has_perm("terms.change_term") or user.has_perm("terms.add_term")
    if not (user.is_active and user.is_staff and may_edit):
        return HttpResponseForbidden("Only editors can preview markdown.")
    return HttpResponse(render_markdown(request.POST.get("content", "")))
