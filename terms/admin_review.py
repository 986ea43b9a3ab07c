"""The admin's review screens: the queue, a term's review, preview, history, comparison, rollback and recovery.

`ReviewScreens` adds them to the term admin's URLs and `RecoverScreen` to the revision admin's, each
view behind `admin_site.admin_view` (staff login, CSRF, no caching) and the model admin's permissions.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from . import scheduling
from .change_notes import mark_reviewed
from .dashboard import in_open_import, open_imports
from .diffing import content
from .enums import RelationKind
from .forms import PublishNoteForm, whole_number
from .models.changesets import ChangeSet
from .models.editorial import PUBLISH_PERMISSION, Term
from .models.history import ReviewNote, Revision
from .models.published import PublishedTerm
from .models.workspace import ScheduledPublication
from .publishing import publish, published_values, refuse_nothing_to_publish, rollback
from .related import groups_for
from .workflow import (
    Draft,
    changes_between,
    last_review,
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
            path(
                "<int:object_id>/schedule/cancel/",
                view(require_POST(self.cancel_schedule_view)),
                name="terms_term_cancel_schedule",
            ),
            path("<int:object_id>/revisions/compare/", view(self.compare_view), name="terms_term_compare"),
            path(
                "<int:object_id>/mark-reviewed/",
                view(require_POST(self.mark_reviewed_view)),
                name="terms_term_mark_reviewed",
            ),
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
        """Terms waiting for review, oldest first, with who submitted them and when; each open import as one row."""
        require(self.has_publish_permission(request))
        waiting = (
            Term.objects.filter(status=Term.Status.IN_REVIEW)
            .exclude(in_open_import())
            .select_related("submitted_by", "updated_by", "scheduled_publication")
            .only(
                "name",
                "slug",
                "submitted_at",
                "submitted_by__username",
                "updated_at",
                "updated_by__username",
                "scheduled_publication__publish_at",
            )
            .order_by("submitted_at", "pk")
        )
        context = self.screen_context(request, title="Review queue", waiting=waiting, imports=open_imports())
        return TemplateResponse(request, "admin/terms/term/review_queue.html", context)

    def review_view(self, request, object_id):
        """One term's review: what changed since this reviewer's last review and against the live page; the decision."""
        require(self.has_publish_permission(request))
        term = get_object_or_404(Term.objects.select_related("submitted_by"), pk=object_id)
        publishing = request.method == "POST" and "_publish" in request.POST
        scheduling_it = request.method == "POST" and "_schedule" in request.POST
        first = not term.is_live
        note = PublishNoteForm(request.POST if publishing else None, first=first)
        # "Publish later" asks for its own note, told to readers when it goes live.
        schedule_note = PublishNoteForm(request.POST if scheduling_it else None, first=first, prefix="schedule")
        if request.method == "POST":
            decided = review_decision(request, term, note=schedule_note if scheduling_it else note)
            if decided is not None:
                return decided
        current = snapshot(Draft.load(term))
        live = live_revision(term)
        reviewed = last_review(term, request.user)
        context = self.screen_context(
            request,
            term,
            title=f"Review “{term.name}”",
            changes=changes_between(live.snapshot if live else {}, current),
            live=live,
            reviewed=reviewed,
            changes_since=changes_between(reviewed.revision.snapshot, current)
            if reviewed and reviewed.revision
            else None,
            nothing_to_publish=live is not None and content(live.snapshot) == content(current),
            scheduled=scheduled_publication(term),
            now=timezone.localtime(),
            notes=term.review_notes.select_related("created_by")[:10],
            change_set=open_import_of(term),
            publish_form=note,
            schedule_form=schedule_note,
            comment=request.POST.get("comment", "") if publishing else "",
        )
        return TemplateResponse(request, "admin/terms/term/review.html", context)

    def cancel_schedule_view(self, request, object_id):
        """Withdraw a term's scheduled publication, then go back to the page the button was on."""
        require(self.has_publish_permission(request))
        term = get_object_or_404(Term, pk=object_id)
        if scheduling.cancel(term, by=request.user):
            messages.success(request, f"The scheduled publication of “{term.name}” is cancelled: nothing goes live.")
        else:
            messages.info(request, f"“{term.name}” had no scheduled publication to cancel.")
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("admin:terms_term_change", args=[term.pk])
        return HttpResponseRedirect(back)

    def mark_reviewed_view(self, request, object_id):
        """Record that the published term is still accurate: its "Last reviewed" is today, its review date moves on."""
        require(self.has_publish_permission(request))
        term = get_object_or_404(Term, pk=object_id)
        try:
            review_by = mark_reviewed(term, by=request.user)
        except ValidationError as error:
            messages.error(request, f"Nothing changed: {' '.join(error.messages)}")
        else:
            messages.success(
                request, f"“{term.name}” is marked as reviewed today; its next review is due by {review_by:%d %b %Y}."
            )
        return HttpResponseRedirect(reverse("admin:terms_term_change", args=[term.pk]))

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
        # Its path from the top and "Mentioned in" are the live page's: the hierarchy and other pages decide them.
        live = PublishedTerm.objects.filter(pk=term.pk).values_list("also_read", "path", "mentioned_in").first()
        also_read, page.path, page.mentioned_in = live or ([], [], [])
        page.also_read = [other for other in also_read if other["slug"] not in related]
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
        """A term's one history: every save, publish, rollback and unpublish, and each review step, newest first."""
        require(self.has_view_permission(request))
        term = get_object_or_404(Term, pk=object_id)
        history = list(Revision.objects.filter(term_id=term.pk).select_related("created_by"))
        notes = list(term.review_notes.select_related("created_by"))
        # Unpublishings hold no text: only versions can be compared, and only when there are two.
        comparable = [revision for revision in history if revision.action != Revision.Action.UNPUBLISH]
        entries = [*(HistoryEntry(revision=revision) for revision in history), *(HistoryEntry(note=n) for n in notes)]
        context = self.screen_context(
            request,
            term,
            title=f"History of “{term.name}”",
            history=sorted(entries, key=lambda entry: entry.created_at, reverse=True),
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


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a term's history: a revision of its content, or a step of its review."""

    revision: Revision | None = None
    note: ReviewNote | None = None

    @property
    def created_at(self):
        return (self.revision or self.note).created_at


def scheduled_publication(term: Term | None) -> ScheduledPublication | None:
    """The term's approval to go live later, if it has one."""
    if term is None:
        return None
    return ScheduledPublication.objects.filter(term_id=term.pk).select_related("scheduled_by").first()


def review_decision(request, term: Term, *, note: PublishNoteForm) -> HttpResponse | None:
    """Publish the version the reviewer read, or send it back to its author; refused if it was saved since.

    None when a publish lacks its public note (or "minor"): the review page shows the note's error, nothing changed.
    """
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
                if not note.is_valid():
                    # Readers seeing this version already is the better reason to give.
                    refuse_nothing_to_publish(Draft.load(term))
                    return None
                publish(term, by=request.user, message=comment.strip(), **note.cleaned_data)
                messages.success(request, f"“{term.name}” is published.")
                return HttpResponseRedirect(reverse("admin:terms_term_review_queue"))
            if "_request_changes" in request.POST:
                request_changes(term, by=request.user, comment=comment)
                messages.success(request, f"“{term.name}” went back to its author with your comment.")
                return HttpResponseRedirect(reverse("admin:terms_term_review_queue"))
            if "_schedule" in request.POST:
                at = scheduled_time(request.POST.get("publish_at", ""))
                if not note.is_valid():
                    return None
                scheduled = scheduling.schedule(
                    term,
                    edit_version=edit_version,
                    at=at,
                    by=request.user,
                    message=comment.strip(),
                    **note.cleaned_data,
                )
                when = timezone.localtime(scheduled.publish_at)
                messages.success(
                    request,
                    f"“{term.name}” (version {edit_version}) goes live on {when:%d %b %Y at %H:%M} ({when:%Z}), "
                    "unless it is saved again before then.",
                )
                return HttpResponseRedirect(reverse("admin:terms_term_review_queue"))
    except ValidationError as error:
        messages.error(request, f"Nothing changed: {' '.join(error.messages)}")
    return HttpResponseRedirect(reverse("admin:terms_term_review", args=[term.pk]))


def scheduled_time(value: str) -> datetime:
    """A datetime-local field's value ("2026-12-24T09:30", seconds optional), read in the site's time zone."""
    for layout in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return timezone.make_aware(datetime.strptime(value.strip(), layout), timezone.get_default_timezone())
        except ValueError:
            continue
    raise ValidationError(
        "Choose the date and time the version should go live, such as 24 Dec 2026 09:30.", code="invalid_time"
    )


def preview_relation_groups(page: PublishedTerm, draft: Draft) -> list[dict]:
    """Related terms as the page would show them: the working copy's relations, and published ones to it."""
    published = PublishedTerm.objects.in_bulk([relation.to_term_id for relation in draft.relations])
    outgoing = [
        (RelationKind(relation.kind), published[relation.to_term_id])
        for relation in draft.relations
        if relation.to_term_id in published
    ]
    return groups_for(page.pk, outgoing=outgoing)


def open_import_of(term: Term) -> ChangeSet | None:
    """The import awaiting review the term is part of, if any."""
    return ChangeSet.objects.filter(status=ChangeSet.Status.OPEN, entries__term=term).first()


def latest_comment(term: Term) -> ReviewNote | None:
    """The reviewers' latest word to the author, if the term is waiting for changes."""
    if term.status != Term.Status.CHANGES_REQUESTED:
        return None
    return term.review_notes.filter(action=ReviewNote.Action.CHANGES_REQUESTED).select_related("created_by").first()
