"""The editors' interface: terms with their examples, misconceptions and relations."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import (
    ORDER_VAR,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.db.models.functions import Lower
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from markdownx.models import MarkdownxField
from taggit.models import Tag as TaggitTag

from . import scheduling
from .admin_changesets import ChangeSetAdmin
from .admin_deprecation import DEPRECATION_FIELDSET, DeprecationScreens
from .admin_filters import (
    AuthorFilter,
    NameClashFilter,
    ReadOnly,
    ReviewFilter,
    UnpublishedChangesFilter,
    WaitingFilter,
    WholeNumberIds,
)
from .admin_health import HealthScreen
from .admin_homonyms import ambiguous_mentions_of
from .admin_import import ImportScreens
from .admin_publishing import PublishActions, is_live
from .admin_review import RecoverScreen, ReviewScreens, latest_comment, scheduled_publication
from .admin_search import search_working_copies
from .admin_summaries import delete_selected_in_words, deleted_terms_url, deletion_summaries, kept_term
from .admin_tags import TagScreens, with_counts
from .forms import (
    MarkdownWidget,
    PlainTextForm,
    PublishNoteForm,
    RelationFormSet,
    TagAdminForm,
    TermAdminForm,
    whole_number,
)
from .linking import Glossary, Target, link
from .models.changesets import ChangeSet
from .models.editorial import Term, state_label
from .models.history import Revision
from .models.parts import Example, Misconception
from .models.published import PublishedMention, PublishedTerm
from .models.relations import Relation
from .models.tags import Tag
from .publishing import delete_term, publish, rendered_sections, unpublish
from .workflow import Draft, record_save, submit_for_review

MARKDOWN_WIDGETS = {MarkdownxField: {"widget": MarkdownWidget(attrs={"rows": 6})}}
MAIN_FIELDS = ("name", "qualifier", "slug", "short_definition", "pronunciation", "aliases", "tags", "loaded_edit_version")  # fmt: skip

# Our own Tag model replaces taggit's; hide the unused one.
admin.site.unregister(TaggitTag)


class ExampleInline(admin.StackedInline):
    model = Example
    form = PlainTextForm
    extra = 0
    fields = ("position", "title", "body")
    formfield_overrides = MARKDOWN_WIDGETS


class MisconceptionInline(admin.StackedInline):
    model = Misconception
    form = PlainTextForm
    extra = 0
    fields = ("position", "claim", "correction")
    formfield_overrides = MARKDOWN_WIDGETS


class RelationInline(admin.TabularInline):
    model = Relation
    formset = RelationFormSet
    fk_name = "from_term"
    extra = 0
    fields = ("position", "kind", "to_term")
    autocomplete_fields = ("to_term",)
    verbose_name = "related term"
    verbose_name_plural = "related terms (the other term's page links back automatically)"


@admin.register(Term)
class TermAdmin(
    DeprecationScreens, HealthScreen, ImportScreens, ReviewScreens, PublishActions, WholeNumberIds, admin.ModelAdmin
):
    form = TermAdminForm
    formfield_overrides = MARKDOWN_WIDGETS
    # Homonyms stand together, by qualifier.
    list_display = ("name", "qualifier", "state", "tag_list", "owned_by", "updated_at", "updated_by")
    ordering = (Lower("name"), Lower("qualifier"))
    list_filter = (
        "status", AuthorFilter, UnpublishedChangesFilter, WaitingFilter, ReviewFilter,
        ("owner", admin.RelatedOnlyFieldListFilter), ("owner_group", admin.RelatedOnlyFieldListFilter),
        "tags", NameClashFilter,
    )  # fmt: skip
    # Searched through the site's search engine over working copies (`get_search_results`); this shows the box.
    search_fields = ("name",)
    search_help_text = "Names, aliases, definitions and text, drafts included; forgiving of typos. Best matches first."
    prepopulated_fields = {"slug": ("name", "qualifier")}
    readonly_fields = (
        "state", "live_page", "created_at", "created_by", "updated_at", "updated_by",
        "mentioned_by", "unlinked_mentions", "ambiguous_mentions", "pages_to_reword",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": MAIN_FIELDS}),
        ("Page sections", {"fields": ("explanation", "analogy", "usage", "history")}),
        ("Grammar", {"classes": ("collapse",), "fields": ("sentence_name",)}),
        DEPRECATION_FIELDSET,
        ("Cross-links", {"fields": ("mentioned_by", "unlinked_mentions", "ambiguous_mentions")}),
        # Not content: kept out of versions and comparisons, and changed without a review.
        ("Ownership and review", {"fields": ("owner", "owner_group", "review_by")}),
        (
            "Status and history",
            {"fields": ("state", "live_page", "created_at", "created_by", "updated_at", "updated_by")},
        ),
    )
    inlines = (ExampleInline, MisconceptionInline, RelationInline)
    actions = ("submit_selected", "publish_selected", "unpublish_selected")
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        live = Exists(PublishedTerm.objects.filter(pk=OuterRef("pk")))
        return super().get_queryset(request).for_changelist().select_related("owner", "owner_group").annotate(live=live)

    def get_search_results(self, request, queryset, search_term):
        """The terms whose working copies match, through the site's search engine, best match first."""
        if not search_term.strip():
            return queryset, False
        ranked = search_working_copies(search_term)
        whens = [When(pk=pk, then=Value(n)) for n, pk in enumerate(ranked)]
        rank = Case(*whens, default=Value(len(ranked)), output_field=IntegerField())
        found = queryset.filter(pk__in=ranked).annotate(search_rank=rank)
        # Best match first, unless a column's heading was clicked (the changelist has ordered by it already).
        return (found if request.GET.get(ORDER_VAR) else found.order_by("search_rank")), False

    def view_on_site(self, term):
        # Drafts have no public page to view.
        return term.get_absolute_url() if is_live(term) else None

    @admin.display(description="state", ordering="status")
    def state(self, term):
        return state_label(term.status, is_live(term))

    @admin.display(description="owner")
    def owned_by(self, term):
        return term.owner or term.owner_group or "—"

    @admin.display(description="tags")
    def tag_list(self, term):
        return ", ".join(tag.name for tag in term.tags.all())

    @admin.display(description="live page")
    def live_page(self, term):
        if not is_live(term):
            return "Not published: readers cannot see this term."
        return format_html('<a href="{}">{}</a>', term.get_absolute_url(), term.get_absolute_url())

    @admin.display(description="mentioned by")
    def mentioned_by(self, term):
        """The published pages whose text links to this term."""
        sources = (
            PublishedMention.objects.filter(target_id=term.pk)
            .order_by("source__sort_name")
            .values_list("source_id", "source__title")
        )
        if not term.pk or not sources:
            return "No published page links here yet." if is_live(term) else "Only published terms are linked to."
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((reverse("admin:terms_term_change", args=[pk]), name) for pk, name in sources)
        )

    @admin.display(description="mentions, not linked yet")
    def unlinked_mentions(self, term):
        """Terms this one's text mentions that are not published, so their mentions are plain text for now."""
        if not term.pk:
            return "–"
        unpublished = Term.objects.exclude(pk=term.pk).exclude(Exists(PublishedTerm.objects.filter(pk=OuterRef("pk"))))
        glossary = Glossary(
            (name, Target(pk, "", ""))
            for pk, name, aliases in unpublished.values_list("pk", "name", "aliases")
            for name in [name, *Term(aliases=aliases).shown_aliases]
            if name.strip()
        )
        mentioned: set[int] = set()
        for key, html in rendered_sections(Draft.load(term)).items():
            mentioned |= link(html, glossary, own_id=term.pk, prefix=f"{key}-").targets
        if not mentioned:
            return "None: every term it mentions is linked."
        names = Term.objects.filter(pk__in=mentioned).order_by(Lower("name")).values_list("pk", "name")
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> (not published)',
            ((reverse("admin:terms_term_change", args=[pk]), name) for pk, name in names),
        )

    @admin.display(description="ambiguous mentions, not linked")
    def ambiguous_mentions(self, term):
        return ambiguous_mentions_of(term.pk) if is_live(term) else "Only published pages are linked."

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        obj.updated_at = timezone.now()
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        summary = form.cleaned_data.get("edit_summary", "")
        revision = record_save(form.instance, by=request.user, message=summary)
        if revision is None and summary:
            self.message_user(
                request,
                "Your edit summary was not recorded: nothing changed, so this save made no new version.",
                messages.WARNING,
            )
        if revision is not None and (cancelled := scheduling.cancel(form.instance, by=request.user)):
            when = timezone.localtime(cancelled.publish_at)
            self.message_user(
                request,
                f"The publication scheduled for {when:%d %b %Y %H:%M} is cancelled: it was approved for the version "
                "before this save. Submit the term for review again.",
                messages.WARNING,
            )

    def has_delete_permission(self, request, obj=None):
        # Deleting a published term takes it off the site: that is a publishing decision.
        if obj is not None and is_live(obj) and not self.has_publish_permission(request):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, term):
        delete_term(term, by=request.user)

    def delete_queryset(self, request, queryset):
        live = queryset.filter(Exists(PublishedTerm.objects.filter(pk=OuterRef("pk"))))
        if live.exists() and not self.has_publish_permission(request):
            raise PermissionDenied("Only reviewers can delete published terms; unpublish them first.")
        for term in queryset:
            delete_term(term, by=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        # Say in words what deleting does (the pages that lose it, how to recover it), not which rows go.
        term_id = whole_number(object_id)
        term = Term.objects.filter(pk=term_id).first() if term_id is not None else None
        if term is not None:
            extra_context = {
                **(extra_context or {}),
                "title": f"Delete “{term.name}”?",
                "summary": deletion_summaries([term])[0],
                "deleted_terms_url": deleted_terms_url(),
            }
        return super().delete_view(request, object_id, extra_context)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django's "doesn't exist. Perhaps it was deleted?", and where a deleted term can be found.
        response = super()._get_obj_does_not_exist_redirect(request, opts, object_id)
        where = format_html('A deleted term can be recovered from <a href="{}">Deleted terms</a>.', deleted_terms_url())
        self.message_user(request, where, messages.INFO)
        return response

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected_in_words, name, description)
        return actions

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_publish": self.has_publish_permission(request),
            "can_import": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        wants_publishing = request.method == "POST" and ({"_publish", "_unpublish"} & request.POST.keys())
        if wants_publishing and not self.has_publish_permission(request):
            raise PermissionDenied("You do not have permission to publish terms.")
        term_id = whole_number(object_id)
        term = Term.objects.filter(pk=term_id).first() if term_id is not None else None
        live = term is not None and term.is_live
        extra_context = {
            **(extra_context or {}),
            "can_publish": self.has_publish_permission(request),
            "is_live": live,
            # A published term too: its edits, once saved, are what goes to review.
            "can_submit": term is None or term.status != Term.Status.IN_REVIEW,
            "latest_comment": latest_comment(term) if term else None,
            "nothing_to_publish": live and term.status == Term.Status.PUBLISHED,
            "scheduled": scheduled_publication(term),
            "review_notes": term.review_notes.select_related("created_by")[:5] if term else [],
            "review_interval_days": settings.REVIEW_INTERVAL_DAYS,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        if {"_publish", "_unpublish", "_submit"} & request.POST.keys():
            return self.workflow_from_form(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if {"_publish", "_unpublish", "_submit"} & request.POST.keys():
            return self.workflow_from_form(request, obj)
        return super().response_change(request, obj)

    def workflow_from_form(self, request, term):
        """Handle the change form's "Submit for review", "Publish" and "Unpublish" buttons, after the save."""
        try:
            if "_submit" in request.POST:
                submit_for_review(term, by=request.user)
                done = "saved and waiting for review"
            elif "_unpublish" in request.POST:
                unpublish(term, by=request.user)
                done = "saved and no longer on the site"
            else:
                # The term's form checked the note already; read here as that check settled it.
                note = PublishNoteForm(request.POST, first=not term.is_live)
                note.is_valid()
                publish(term, by=request.user, **note.cleaned_data)
                done = "saved and published"
        except ValidationError as error:
            self.message_user(request, f"“{term}” was saved, but: {' '.join(error.messages)}", messages.ERROR)
        else:
            self.message_user(request, f"“{term}” is {done}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:terms_term_change", args=[term.pk]))

    @admin.action(description="Submit selected terms for review", permissions=("change",))
    def submit_selected(self, request, queryset):
        submitted, failures = 0, []
        for term in queryset:
            try:
                submit_for_review(term, by=request.user)
                submitted += 1
            except ValidationError as error:
                failures.append((term.name, " ".join(error.messages)))
        if submitted:
            self.message_user(request, f"Submitted {submitted} term{'s' if submitted != 1 else ''} for review.")
        if failures:
            details = format_html_join("; ", "“{}”: {}", failures)
            self.message_user(request, format_html("Not submitted: {}", details), messages.WARNING)


@admin.register(Tag)
class TagAdmin(TagScreens, WholeNumberIds, admin.ModelAdmin):
    form = TagAdminForm
    list_display = ("name", "slug", "term_count")
    ordering = (Lower("name"),)
    list_filter = (NameClashFilter,)
    search_fields = ("name",)
    readonly_fields = ("slug",)
    fields = ("name", "slug")
    actions = ("merge_selected",)

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        # A new name reaches the published pages: renaming is its own screen (`rename_view`), for reviewers.
        return ("name", "slug") if obj is not None else self.readonly_fields

    @admin.display(description="terms", ordering="term_count")
    def term_count(self, tag):
        return tag.term_count

    @admin.action(description="Merge selected tags into…", permissions=("retag",))
    def merge_selected(self, request, queryset):
        ids = "&".join(f"ids={pk}" for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('admin:terms_tag_merge')}?{ids}")


# Imports, each reviewed as one change set (terms/admin_changesets.py).
admin.site.register(ChangeSet, ChangeSetAdmin)


@admin.register(Revision)
class RevisionAdmin(RecoverScreen, ReadOnly, WholeNumberIds, admin.ModelAdmin):
    """Every save, publish, rollback, unpublish and deletion; deleted terms are recovered from here."""

    list_display = ("term_name", "action", "created_at", "created_by", "message")
    list_filter = ("action",)
    search_fields = ("term_name", "message")
    list_select_related = ("created_by",)
    readonly_fields = (
        "term_name",
        "number",
        "action",
        "message",
        "edit_version",
        "snapshot",
        "created_at",
        "created_by",
    )
    # The term itself is shown above, as it reads; the stored data only for whoever needs it.
    fieldsets = (
        (None, {"fields": ("term_name", "number", "action", "message", "edit_version", "created_at", "created_by")}),
        ("Technical details", {"classes": ("collapse",), "fields": ("snapshot",)}),
    )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision_id = whole_number(object_id)
        revision = Revision.objects.filter(pk=revision_id).first() if revision_id is not None else None
        recoverable = (
            revision is not None
            and revision.action == Revision.Action.DELETE
            and not Term.objects.filter(pk=revision.term_id).exists()
            and self.may_recover(request)
        )
        extra_context = {
            **(extra_context or {}),
            "recoverable": recoverable,
            **({"title": f"{revision.get_action_display()}: “{revision.term_name}”"} if revision is not None else {}),
            "kept": kept_term(revision.snapshot) if revision is not None else None,
            "recovered_term": (
                Term.objects.filter(pk=revision.term_id).first()
                if revision is not None and revision.action == Revision.Action.DELETE
                else None
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)
