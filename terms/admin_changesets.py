"""The admin's Imports: each import's change set, its review screen, and the reviewers' decision on it.

The change page (`admin:terms_changeset_change`) is the review screen: a diff per term of what the
import brought against what readers see now, page by page, in the same few queries however long the
import. Publishing, rejecting and taking a term out are POSTs to screens of their own.
"""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from .admin_filters import ReadOnly, WholeNumberIds
from .admin_review import require
from .changesets import publish_change_set, reject_change_set, summary, take_out_of_change_set, the_import
from .diffing import Change, compare, content, related_ids
from .forms import PublishNoteForm
from .models.changesets import ChangeSet, ChangeSetTerm
from .models.editorial import PUBLISH_PERMISSION, Term
from .models.history import Revision
from .models.published import PublishedTerm

# Terms per page of the review screen: enough to read in one sitting, few enough to load quickly.
TERMS_PER_PAGE = 50


@dataclass
class ReviewRow:
    """One term of the import as the review screen shows it."""

    entry: ChangeSetTerm
    changes: list[Change]
    # A version of the term is on the site now (the diff is against it).
    live: bool
    # Readers already see exactly what the import brought: publishing skips it.
    already_live: bool

    @property
    def edited_since(self) -> bool:
        term = self.entry.term
        return term is not None and term.edit_version != self.entry.edit_version


def review_rows(entries: list[ChangeSetTerm]) -> list[ReviewRow]:
    """The diff of each entry's imported version against the live page, read in two queries whatever their number."""
    live = Revision.objects.in_bulk([entry.live_revision_id for entry in entries if entry.live_revision_id])
    imported = {entry.pk: entry.revision.snapshot if entry.revision else {} for entry in entries}
    before = {entry.pk: live[entry.live_revision_id].snapshot if entry.live_revision_id else {} for entry in entries}
    wanted = related_ids(*imported.values(), *before.values())
    names = dict(Term.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    return [
        ReviewRow(
            entry=entry,
            changes=compare(before[entry.pk], imported[entry.pk], names=names),
            live=bool(entry.live_revision_id),
            already_live=bool(entry.live_revision_id) and content(before[entry.pk]) == content(imported[entry.pk]),
        )
        for entry in entries
    ]


def entries_for_review(change_set: ChangeSet):
    """The import's terms in file order, each with its imported revision and the id of the revision readers see."""
    # The revision readers see: the term's latest live version, while it is on the site (as `live_revision`).
    live = Revision.objects.filter(
        Exists(PublishedTerm.objects.filter(pk=OuterRef("term_id"))),
        term_id=OuterRef("term_id"),
        action__in=Revision.LIVE_ACTIONS,
    ).order_by("-created_at", "-pk")
    return (
        change_set.entries.select_related("term", "revision")
        .annotate(live_revision_id=Subquery(live.values("pk")[:1]))
        .order_by("line", "pk")
    )


def changed_since_import(change_set: ChangeSet) -> list[ChangeSetTerm]:
    """The import's terms edited or deleted after it: they stop it being published until taken out."""
    changed = Q(term__isnull=True) | ~Q(term__edit_version=F("edit_version"))
    return list(change_set.entries.filter(changed).select_related("term").order_by("line", "pk"))


class ChangeSetAdmin(ReadOnly, WholeNumberIds, admin.ModelAdmin):
    """Imports, newest first; each opens on its review screen, where reviewers publish or reject it."""

    list_display = ("file_name", "format", "by", "when", "created_count", "updated_count", "unchanged_count", "status")
    list_filter = ("status",)
    list_select_related = ("created_by",)
    actions = None

    @admin.display(description="format", ordering="file_format")
    def format(self, change_set):
        return change_set.file_format.upper()

    @admin.display(description="by", ordering="created_by__username")
    def by(self, change_set):
        return change_set.created_by or "—"

    @admin.display(description="when", ordering="created_at")
    def when(self, change_set):
        return change_set.created_at

    @admin.display(description="created", ordering="created")
    def created_count(self, change_set):
        return change_set.created

    @admin.display(description="updated", ordering="updated")
    def updated_count(self, change_set):
        return change_set.updated

    @admin.display(description="unchanged", ordering="unchanged")
    def unchanged_count(self, change_set):
        return change_set.unchanged

    def has_view_permission(self, request, obj=None):
        # Whoever may read the terms may read what an import did to them.
        return super().has_view_permission(request, obj) or request.user.has_perm("terms.view_term")

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(PUBLISH_PERMISSION)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/publish/",
                view(require_http_methods(["GET", "POST"])(self.publish_view)),
                name="terms_changeset_publish",
            ),
            path("<int:object_id>/reject/", view(require_POST(self.reject_view)), name="terms_changeset_reject"),
            path(
                "<int:object_id>/terms/<int:entry_id>/take-out/",
                view(require_POST(self.take_out_view)),
                name="terms_changeset_take_out",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Imports", **(extra_context or {})})

    def screen_context(self, request, change_set: ChangeSet, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": change_set,
            "change_set": change_set,
            "can_publish": self.has_publish_permission(request),
            **extra,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review screen: the import's summary, then each term's diff against the live page, page by page."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        change_set = self.get_object(request, unquote(object_id))
        if change_set is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        require(self.has_view_permission(request, change_set))
        page = Paginator(entries_for_review(change_set), TERMS_PER_PAGE).get_page(request.GET.get("page"))
        is_open = change_set.status == ChangeSet.Status.OPEN
        context = self.screen_context(
            request,
            change_set,
            title=f"Review {the_import(change_set)}"
            if is_open and self.has_publish_permission(request)
            else str(change_set),
            page=page,
            rows=review_rows(list(page.object_list)),
            summary=summary(change_set),
            changed=changed_since_import(change_set) if is_open else [],
            is_open=is_open,
        )
        return TemplateResponse(request, "admin/terms/changeset/review.html", context)

    def publish_view(self, request, object_id):
        """Ask first, with an optional message for the history; once confirmed, publish every term of the import."""
        require(self.has_publish_permission(request))
        change_set = get_object_or_404(ChangeSet.objects.select_related("created_by"), pk=object_id)
        # Terms readers see already need a note (or "minor"); an import of new terms only, none.
        first = not PublishedTerm.objects.filter(pk__in=change_set.entries.values("term_id")).exists()
        note = PublishNoteForm(request.POST if request.method == "POST" else None, first=first)
        if not note.is_bound or not note.is_valid():
            context = self.screen_context(
                request,
                change_set,
                title=f"Publish every term of {the_import(change_set)}?",
                count=change_set.entries.count(),
                changed=changed_since_import(change_set),
                publish_form=note,
                message=request.POST.get("message", ""),
            )
            return TemplateResponse(request, "admin/terms/changeset/publish_confirm.html", context)
        try:
            decision = publish_change_set(
                change_set, by=request.user, message=request.POST.get("message", ""), **note.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, f"Nothing changed: {' '.join(error.messages)}")
        else:
            done = f"Published {len(decision.done)} term{'s' if len(decision.done) != 1 else ''} of {the_import(change_set)}."
            if decision.skipped:
                done += f" {len(decision.skipped)} already live at the imported version stayed as they were."
            messages.success(request, done)
        return self.back_to(change_set)

    def reject_view(self, request, object_id):
        """Reject the import, with the comment its importer is told."""
        require(self.has_publish_permission(request))
        change_set = get_object_or_404(ChangeSet, pk=object_id)
        try:
            decision = reject_change_set(change_set, by=request.user, comment=request.POST.get("comment", ""))
        except ValidationError as error:
            messages.error(request, f"Nothing changed: {' '.join(error.messages)}")
        else:
            done = (
                f"Rejected {the_import(change_set)}: the terms it created are deleted (recoverable from Deleted terms), "
                "the terms it changed are as they were before it."
            )
            if decision.skipped:
                done += f" Left as they are, published on their own since: {', '.join(decision.skipped)}."
            messages.success(request, done)
        return self.back_to(change_set)

    def take_out_view(self, request, object_id, entry_id):
        """Take one term out of the import, to be reviewed on its own."""
        require(self.has_publish_permission(request))
        entry = get_object_or_404(ChangeSetTerm.objects.select_related("change_set"), pk=entry_id, change_set=object_id)
        try:
            name = take_out_of_change_set(entry, by=request.user)
        except ValidationError as error:
            messages.error(request, f"Nothing changed: {' '.join(error.messages)}")
        else:
            messages.success(request, f"“{name}” is out of {the_import(entry.change_set)}: review it on its own.")
        return self.back_to(entry.change_set)

    def back_to(self, change_set: ChangeSet) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:terms_changeset_change", args=[change_set.pk]))
