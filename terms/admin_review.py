"""The admin's review screens: the queue, a term's review, preview, history, comparison, rollback and recovery.

`ReviewScreens` adds them to the term admin's URLs and `RecoverScreen` to the revision admin's, each
view behind `admin_site.admin_view` (staff login, CSRF, no caching) and the model admin's permissions.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from . import diffing
from .enums import RelationKind
from .forms import whole_number
from .models.editorial import PUBLISH_PERMISSION, Term
from .models.history import ReviewNote, Revision
from .models.published import PublishedTerm
from .publishing import publish, published_values, rollback
from .related import groups_for
from .workflow import (
    Draft,
    changes_between,
    live_revision,
    recover_deleted,
    request_changes,
    require_edit_version,
    snapshot,
)


def bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def require(allowed: bool) -> None:
    """Refuse the request unless the model admin's permission check allowed it."""
    if not allowed:
        raise PermissionDenied("You do not have permission to do this.")


class ReviewScreens:
    """TermAdmin mixin: the review queue and each term's review, preview, history, comparison and rollback."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("review/", view(self.review_queue_view), name="terms_term_review_queue"),
            path("<int:object_id>/review/", view(self.review_view), name="terms_term_review"),
            path("<int:object_id>/preview/", view(self.preview_view), name="terms_term_preview"),
            path("<int:object_id>/revisions/", view(self.revisions_view), name="terms_term_revisions"),
            path("<int:object_id>/revisions/compare/", view(self.compare_view), name="terms_term_compare"),
            path(
                "<int:object_id>/revisions/<int:revision_id>/rollback/",
                view(require_http_methods(["GET", "POST"])(self.rollback_view)),
                name="terms_term_rollback",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        """Django's own History of a term leads to its one history, the Versions page."""
        term = self.get_object(request, unquote(object_id))
        if term is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return HttpResponseRedirect(reverse("admin:terms_term_revisions", args=[term.pk]))

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(PUBLISH_PERMISSION)

    def screen_context(self, request, term: Term | None = None, **extra) -> dict:
        """What the admin's own views give their templates, and the term the screen is about."""
        return {**self.admin_site.each_context(request), "opts": self.opts, "original": term, "term": term, **extra}

    def review_queue_view(self, request):
        """Terms waiting for review, oldest first, with who submitted them and when."""
        require(self.has_publish_permission(request))
        waiting = (
            Term.objects.filter(status=Term.Status.IN_REVIEW)
            .select_related("submitted_by", "updated_by")
            .only("name", "slug", "submitted_at", "submitted_by__username", "updated_at", "updated_by__username")
            .order_by("submitted_at", "pk")
        )
        context = self.screen_context(request, title="Review queue", waiting=waiting)
        return TemplateResponse(request, "admin/terms/term/review_queue.html", context)

    def review_view(self, request, object_id):
        """One term's review: its changes against the live page, a preview, and publish / request changes."""
        require(self.has_publish_permission(request))
        term = get_object_or_404(Term, pk=object_id)
        if request.method == "POST":
            return review_decision(request, term)
        changes, live = changes_against_live(term)
        context = self.screen_context(
            request,
            term,
            title=f"Review “{term.name}”",
            changes=changes,
            live=live,
            notes=term.review_notes.select_related("created_by")[:10],
        )
        return TemplateResponse(request, "admin/terms/term/review.html", context)

    def preview_view(self, request, object_id):
        """The working copy rendered with the public template, marked as a preview and kept out of search engines."""
        require(self.has_view_permission(request))
        term = get_object_or_404(Term, pk=object_id)
        draft = Draft.load(term)
        values, _ = published_values(draft, now=timezone.now(), by=request.user)
        page = PublishedTerm(**values)
        relation_groups = preview_relation_groups(page, draft)
        # "People also read" is chosen at publish time: the live page's picks, less the working copy's related terms.
        related = {other["slug"] for group in relation_groups for other in group["terms"]}
        live = PublishedTerm.objects.filter(pk=term.pk).values_list("also_read", flat=True).first() or []
        page.also_read = [other for other in live if other["slug"] not in related]
        context = {
            "term": page,
            "relation_groups": relation_groups,
            "preview": True,
            "change_url": reverse("admin:terms_term_change", args=[term.pk]),
        }
        response = TemplateResponse(request, "terms/term_detail.html", context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def revisions_view(self, request, object_id):
        """A term's history: every save, publish, rollback and unpublish, newest first."""
        require(self.has_view_permission(request))
        term = get_object_or_404(Term, pk=object_id)
        history = list(Revision.objects.filter(term_id=term.pk).select_related("created_by"))
        # Unpublishings hold no text: only versions can be compared, and only when there are two.
        comparable = [revision for revision in history if revision.action != Revision.Action.UNPUBLISH]
        context = self.screen_context(
            request,
            term,
            title=f"History of “{term.name}”",
            history=history,
            compare_from=comparable[1] if len(comparable) > 1 else None,
            compare_to=comparable[0] if len(comparable) > 1 else None,
            can_roll_back=self.has_publish_permission(request),
            live=live_revision(term),
        )
        return TemplateResponse(request, "admin/terms/term/revisions.html", context)

    def compare_view(self, request, object_id):
        """Two versions of a term side by side: what changed from the older to the newer."""
        require(self.has_view_permission(request))
        term = get_object_or_404(Term, pk=object_id)
        ids = {whole_number(request.GET.get("a")), whole_number(request.GET.get("b"))}
        if None in ids or len(ids) != 2:
            return bad_request("Choose two different versions of this term to compare.")
        found = Revision.objects.filter(term_id=term.pk, pk__in=ids).exclude(action=Revision.Action.UNPUBLISH)
        pair = sorted(found, key=lambda revision: (revision.created_at, revision.pk))
        if len(pair) != 2:
            raise Http404("This term has no such versions to compare (an unpublishing has no content of its own).")
        older, newer = pair
        context = self.screen_context(
            request,
            term,
            title=f"Compare versions of “{term.name}”",
            older=older,
            newer=newer,
            changes=changes_between(older.snapshot, newer.snapshot),
        )
        return TemplateResponse(request, "admin/terms/term/compare.html", context)

    def rollback_view(self, request, object_id, revision_id):
        """Ask first, showing what readers would see change; once confirmed, make that live version live again."""
        require(self.has_publish_permission(request))
        revision = get_object_or_404(Revision, pk=revision_id)
        if revision.term_id != object_id:
            raise Http404("This version belongs to another term.")
        if request.method == "GET":
            term = get_object_or_404(Term, pk=object_id)
            live = live_revision(term)
            context = self.screen_context(
                request,
                term,
                title=f"Make an earlier version of “{term.name}” live again?",
                revision=revision,
                live=live,
                changes=changes_between(live.snapshot, revision.snapshot) if live else None,
            )
            return TemplateResponse(request, "admin/terms/term/rollback_confirm.html", context)
        try:
            rollback(revision, by=request.user, message=request.POST.get("message", "").strip())
        except ValidationError as error:
            messages.error(request, f"Not rolled back: {' '.join(error.messages)}")
        else:
            messages.success(request, f"Readers now see the version of “{revision.term_name}” you chose.")
        return HttpResponseRedirect(reverse("admin:terms_term_revisions", args=[object_id]))


class RecoverScreen:
    """RevisionAdmin mixin: bring a deleted term back from the revision its deletion left."""

    def get_urls(self):
        recover = self.admin_site.admin_view(require_POST(self.recover_view))
        return [path("<int:revision_id>/recover/", recover, name="terms_revision_recover"), *super().get_urls()]

    def may_recover(self, request) -> bool:
        """Recovering makes a term anew: it takes the term admin's permission to add one."""
        return self.admin_site.get_model_admin(Term).has_add_permission(request)

    def recover_view(self, request, revision_id):
        require(self.may_recover(request))
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


def changes_against_live(term: Term) -> tuple[list[diffing.Change], Revision | None]:
    """What publishing the working copy would change for readers, field by field."""
    live = live_revision(term)
    return changes_between(live.snapshot if live else {}, snapshot(Draft.load(term))), live


def review_decision(request, term: Term):
    """Publish the version the reviewer read, or send it back to its author; refused if it was saved since."""
    edit_version = whole_number(request.POST.get("edit_version"))
    if edit_version is None:
        return bad_request(
            "This review did not say which version of the term you reviewed, so nothing was done. "
            "Open the term's review page again."
        )
    comment = request.POST.get("comment", "")
    try:
        with transaction.atomic():
            require_edit_version(term, edit_version)
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


def preview_relation_groups(page: PublishedTerm, draft: Draft) -> list[dict]:
    """Related terms as the page would show them: the working copy's relations, and published ones to it."""
    published = PublishedTerm.objects.in_bulk([relation.to_term_id for relation in draft.relations])
    outgoing = [
        (RelationKind(relation.kind), published[relation.to_term_id])
        for relation in draft.relations
        if relation.to_term_id in published
    ]
    return groups_for(page.pk, outgoing=outgoing)


def latest_comment(term: Term) -> ReviewNote | None:
    """The reviewers' latest word to the author, if the term is waiting for changes."""
    if term.status != Term.Status.CHANGES_REQUESTED:
        return None
    return term.review_notes.filter(action=ReviewNote.Action.CHANGES_REQUESTED).select_related("created_by").first()
