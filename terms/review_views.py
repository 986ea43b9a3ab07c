"""The admin's review screens: the queue, a term's review, preview, history, comparison and rollback.

Wired into the admin by `TermAdmin.get_urls` and `RevisionAdmin.get_urls`, so every
view here runs behind the admin's login; each checks its own permission too.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import diffing
from .enums import RelationKind
from .models.editorial import Term
from .models.history import ReviewNote, Revision
from .models.published import PublishedTerm
from .publishing import publish, published_values, rollback
from .related import groups_for
from .workflow import Draft, changes_between, live_revision, recover_deleted, request_changes, require_version, snapshot

PUBLISH_PERMISSION = "terms.publish_term"
# The largest whole number both databases store: a larger id or version names nothing.
LARGEST_NUMBER = 2**63 - 1


def whole_number(value: str | None) -> int | None:
    """A non-negative id or version sent by a form or an address, or None if it is missing or not one."""
    if value is None or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= LARGEST_NUMBER else None


def bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")


def context(admin_site, request, term: Term | None = None, **extra) -> dict:
    opts = Term._meta
    return {**admin_site.each_context(request), "opts": opts, "original": term, "term": term, **extra}


def review_queue(request, *, admin_site):
    """Terms waiting for review, oldest first, with who submitted them and when."""
    require(request, PUBLISH_PERMISSION)
    waiting = (
        Term.objects.filter(status=Term.Status.IN_REVIEW)
        .select_related("submitted_by", "updated_by")
        .only("name", "slug", "submitted_at", "submitted_by__username", "updated_at", "updated_by__username")
        .order_by("submitted_at", "pk")
    )
    return TemplateResponse(
        request,
        "admin/terms/term/review_queue.html",
        context(admin_site, request, title="Review queue", waiting=waiting),
    )


def changes_against_live(term: Term) -> tuple[list[diffing.Change], Revision | None]:
    """What publishing the working copy would change for readers, field by field."""
    live = live_revision(term)
    return changes_between(live.snapshot if live else {}, snapshot(Draft.load(term))), live


def review(request, object_id, *, admin_site):
    """One term's review: its changes against the live page, a preview, and publish / request changes."""
    require(request, PUBLISH_PERMISSION)
    term = get_object_or_404(Term, pk=object_id)
    if request.method == "POST":
        return review_decision(request, term)
    changes, live = changes_against_live(term)
    return TemplateResponse(
        request,
        "admin/terms/term/review.html",
        context(
            admin_site,
            request,
            term,
            title=f"Review “{term.name}”",
            changes=changes,
            live=live,
            notes=term.review_notes.select_related("created_by")[:10],
        ),
    )


def review_decision(request, term: Term):
    """Publish the version the reviewer read, or send it back to its author; refused if it was saved since."""
    version = whole_number(request.POST.get("version"))
    if version is None:
        return bad_request(
            "This review did not say which version of the term you reviewed, so nothing was done. "
            "Open the term's review page again."
        )
    comment = request.POST.get("comment", "")
    try:
        with transaction.atomic():
            require_version(term, version)
            if "_publish" in request.POST:
                publish(term, by=request.user, message=comment.strip())
                messages.success(request, f"“{term.name}” is published.")
                return HttpResponseRedirect(reverse("admin:terms_term_review_queue"))
            if "_request_changes" in request.POST:
                request_changes(term, by=request.user, comment=comment)
                messages.success(request, f"“{term.name}” went back to its author with your comment.")
                return HttpResponseRedirect(reverse("admin:terms_term_review_queue"))
    except ValidationError as error:
        messages.error(request, f"Nothing changed: {' '.join(error.messages)}")
    return HttpResponseRedirect(reverse("admin:terms_term_review", args=[term.pk]))


def preview(request, object_id, *, admin_site):
    """The working copy rendered with the public template, marked as a preview and kept out of search engines."""
    require(request, "terms.view_term")
    term = get_object_or_404(Term, pk=object_id)
    draft = Draft.load(term)
    values, _ = published_values(draft, now=timezone.now(), by=request.user)
    page = PublishedTerm(**values)
    relation_groups = preview_relation_groups(page, draft)
    # "People also read" is chosen at publish time: the live page's picks, less the working copy's related terms.
    related = {other["slug"] for group in relation_groups for other in group["terms"]}
    live = PublishedTerm.objects.filter(pk=term.pk).values_list("also_read", flat=True).first() or []
    page.also_read = [other for other in live if other["slug"] not in related]
    response = TemplateResponse(
        request,
        "terms/term_detail.html",
        {
            "term": page,
            "relation_groups": relation_groups,
            "preview": True,
            "change_url": reverse("admin:terms_term_change", args=[term.pk]),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def preview_relation_groups(page: PublishedTerm, draft: Draft) -> list[dict]:
    """Related terms as the page would show them: the working copy's relations, and published ones to it."""
    published = PublishedTerm.objects.in_bulk([relation.to_term_id for relation in draft.relations])
    outgoing = [
        (RelationKind(relation.kind), published[relation.to_term_id])
        for relation in draft.relations
        if relation.to_term_id in published
    ]
    return groups_for(page.pk, outgoing=outgoing)


def revisions(request, object_id, *, admin_site):
    """A term's history: every save, publish, rollback and unpublish, newest first."""
    require(request, "terms.view_term")
    term = get_object_or_404(Term, pk=object_id)
    history = list(Revision.objects.filter(term_id=term.pk).select_related("created_by"))
    # Unpublishings hold no text: only versions can be compared, and only when there are two.
    versions = [revision for revision in history if revision.action != Revision.Action.UNPUBLISH]
    return TemplateResponse(
        request,
        "admin/terms/term/revisions.html",
        context(
            admin_site,
            request,
            term,
            title=f"History of “{term.name}”",
            history=history,
            compare_from=versions[1] if len(versions) > 1 else None,
            compare_to=versions[0] if len(versions) > 1 else None,
            can_roll_back=request.user.has_perm(PUBLISH_PERMISSION),
            live=live_revision(term),
        ),
    )


def compare(request, object_id, *, admin_site):
    """Two versions of a term side by side: what changed from the older to the newer."""
    require(request, "terms.view_term")
    term = get_object_or_404(Term, pk=object_id)
    ids = {whole_number(request.GET.get("a")), whole_number(request.GET.get("b"))}
    if None in ids or len(ids) != 2:
        return bad_request("Choose two different versions of this term to compare.")
    found = Revision.objects.filter(term_id=term.pk, pk__in=ids).exclude(action=Revision.Action.UNPUBLISH)
    versions = sorted(found, key=lambda revision: (revision.created_at, revision.pk))
    if len(versions) != 2:
        raise Http404("This term has no such versions to compare (an unpublishing has no content of its own).")
    older, newer = versions
    return TemplateResponse(
        request,
        "admin/terms/term/compare.html",
        context(
            admin_site,
            request,
            term,
            title=f"Compare versions of “{term.name}”",
            older=older,
            newer=newer,
            changes=changes_between(older.snapshot, newer.snapshot),
        ),
    )


@require_POST
def roll_back(request, object_id, revision_id, *, admin_site):
    require(request, PUBLISH_PERMISSION)
    revision = get_object_or_404(Revision, pk=revision_id)
    if revision.term_id != object_id:
        raise Http404("This version belongs to another term.")
    try:
        rollback(revision, by=request.user, message=request.POST.get("message", "").strip())
    except ValidationError as error:
        messages.error(request, f"Not rolled back: {' '.join(error.messages)}")
    else:
        messages.success(request, f"Readers now see the version of “{revision.term_name}” you chose.")
    return HttpResponseRedirect(reverse("admin:terms_term_revisions", args=[object_id]))


@require_POST
def recover(request, revision_id, *, admin_site):
    require(request, "terms.add_term")
    revision = get_object_or_404(Revision, pk=revision_id)
    try:
        term = recover_deleted(revision, by=request.user)
    except ValidationError as error:
        messages.error(request, f"Not recovered: {' '.join(error.messages)}")
        return HttpResponseRedirect(reverse("admin:terms_revision_change", args=[revision.pk]))
    messages.success(
        request, f"“{term.name}” is back, as a draft, with its examples, misconceptions, relations and tags."
    )
    return HttpResponseRedirect(reverse("admin:terms_term_change", args=[term.pk]))


def latest_comment(term: Term) -> ReviewNote | None:
    """The reviewers' latest word to the author, if the term is waiting for changes."""
    if term.status != Term.Status.CHANGES_REQUESTED:
        return None
    return term.review_notes.filter(action=ReviewNote.Action.CHANGES_REQUESTED).select_related("created_by").first()
