"""The editors' interface: terms with their examples, misconceptions and relations."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from taggit.forms import TagWidget
from taggit.models import Tag as TaggitTag

from .models.editorial import TAG_NAME_MAX_LENGTH, Example, Misconception, Relation, Tag, Term
from .models.published import Revision
from .publishing import delete_term, publish, unpublish

MARKDOWN_WIDGETS = {MarkdownxField: {"widget": AdminMarkdownxWidget(attrs={"rows": 6})}}
ALIAS_MAX_LENGTH = 100

# Our own Tag model replaces taggit's; hide the unused one.
admin.site.unregister(TaggitTag)


class TermAdminForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = (
            "name", "slug", "short_definition", "pronunciation", "aliases", "tags",
            "explanation", "analogy", "usage", "history", "sentence_name",
        )  # fmt: skip
        widgets = {
            "short_definition": forms.Textarea(attrs={"rows": 2, "cols": 80, "maxlength": 300}),
            "aliases": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "tags": TagWidget(attrs={"class": "vLargeTextField"}),
        }

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_short_definition(self):
        definition = " ".join(self.cleaned_data["short_definition"].split())
        if not definition:
            raise ValidationError("Every term needs a one-line definition.")
        return definition

    def clean_aliases(self):
        aliases = [" ".join(line.split()) for line in self.cleaned_data["aliases"].splitlines()]
        aliases = [alias for alias in aliases if alias]
        too_long = [alias for alias in aliases if len(alias) > ALIAS_MAX_LENGTH]
        if too_long:
            raise ValidationError(f"Each alias must be at most {ALIAS_MAX_LENGTH} characters: “{too_long[0][:40]}…”.")
        return "\n".join(aliases)

    def clean_tags(self):
        tags = [" ".join(tag.split()) for tag in self.cleaned_data["tags"]]
        too_long = [tag for tag in tags if len(tag) > TAG_NAME_MAX_LENGTH]
        if too_long:
            raise ValidationError(
                f"Each tag must be at most {TAG_NAME_MAX_LENGTH} characters; “{too_long[0][:30]}…” is {len(too_long[0])}."
            )
        return [tag for tag in tags if tag]

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name", "")
        aliases = cleaned.get("aliases", "")
        if name and any(alias.casefold() == name.casefold() for alias in aliases.splitlines()):
            self.add_error("aliases", "An alias cannot be the term's own name.")
        return cleaned


class ExampleInline(admin.StackedInline):
    model = Example
    extra = 0
    fields = ("position", "title", "body")
    formfield_overrides = MARKDOWN_WIDGETS


class MisconceptionInline(admin.StackedInline):
    model = Misconception
    extra = 0
    fields = ("position", "claim", "correction")
    formfield_overrides = MARKDOWN_WIDGETS


class RelationInline(admin.TabularInline):
    model = Relation
    fk_name = "from_term"
    extra = 0
    fields = ("position", "kind", "to_term")
    autocomplete_fields = ("to_term",)
    verbose_name = "related term"
    verbose_name_plural = "related terms (the other term's page links back automatically)"


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    form = TermAdminForm
    formfield_overrides = MARKDOWN_WIDGETS
    list_display = ("name", "status_label", "tag_list", "updated_at", "updated_by")
    list_filter = ("status", "tags")
    search_fields = ("name", "aliases", "short_definition")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("status", "live_page", "created_at", "created_by", "updated_at", "updated_by")
    fieldsets = (
        (None, {"fields": ("name", "slug", "short_definition", "pronunciation", "aliases", "tags")}),
        ("Page sections", {"fields": ("explanation", "analogy", "usage", "history")}),
        ("Grammar", {"classes": ("collapse",), "fields": ("sentence_name",)}),
        (
            "Status and history",
            {"fields": ("status", "live_page", "created_at", "created_by", "updated_at", "updated_by")},
        ),
    )
    inlines = (ExampleInline, MisconceptionInline, RelationInline)
    actions = ("publish_selected", "unpublish_selected")
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).for_changelist()

    def view_on_site(self, term):
        # Drafts have no public page to view.
        return term.get_absolute_url() if term.status == Term.Status.PUBLISHED else None

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("terms.publish_term")

    @admin.display(description="status", ordering="status")
    def status_label(self, term):
        return term.get_status_display()

    @admin.display(description="tags")
    def tag_list(self, term):
        return ", ".join(tag.name for tag in term.tags.all())

    @admin.display(description="live page")
    def live_page(self, term):
        if term.status != Term.Status.PUBLISHED:
            return "Not published: readers cannot see this term."
        return format_html('<a href="{}">{}</a>', term.get_absolute_url(), term.get_absolute_url())

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        obj.updated_at = timezone.now()
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # Deleting a published term takes it off the site: that is a publishing decision.
        if obj is not None and obj.status == Term.Status.PUBLISHED and not self.has_publish_permission(request):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, term):
        delete_term(term, by=request.user)

    def delete_queryset(self, request, queryset):
        published = queryset.filter(status=Term.Status.PUBLISHED)
        if published.exists() and not self.has_publish_permission(request):
            raise PermissionDenied("Only reviewers can delete published terms; unpublish them first.")
        for term in queryset:
            delete_term(term, by=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        wants_publishing = request.method == "POST" and ({"_publish", "_unpublish"} & request.POST.keys())
        if wants_publishing and not self.has_publish_permission(request):
            raise PermissionDenied("You do not have permission to publish terms.")
        extra_context = {**(extra_context or {}), "can_publish": self.has_publish_permission(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        if {"_publish", "_unpublish"} & request.POST.keys():
            return self.publish_from_form(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if {"_publish", "_unpublish"} & request.POST.keys():
            return self.publish_from_form(request, obj)
        return super().response_change(request, obj)

    def publish_from_form(self, request, term):
        """Handle the change form's "Save and publish" and "Unpublish" buttons."""
        if "_unpublish" in request.POST:
            unpublish(term, by=request.user)
            self.message_user(request, f"“{term}” is saved and no longer on the site.", messages.SUCCESS)
        else:
            try:
                publish(term, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"“{term}” was saved but not published: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, f"“{term}” is saved and published.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:terms_term_change", args=[term.pk]))

    @admin.action(description="Publish selected terms", permissions=("publish",))
    def publish_selected(self, request, queryset):
        published, failures = 0, []
        for term in queryset:
            try:
                publish(term, by=request.user)
                published += 1
            except ValidationError as error:
                failures.append((term.name, " ".join(error.messages)))
        if published:
            self.message_user(request, f"Published {published} term{'s' if published != 1 else ''}.", messages.SUCCESS)
        if failures:
            details = format_html_join("; ", "“{}”: {}", failures)
            self.message_user(request, format_html("Not published: {}", details), messages.ERROR)

    @admin.action(description="Unpublish selected terms", permissions=("publish",))
    def unpublish_selected(self, request, queryset):
        count = sum(unpublish(term, by=request.user) for term in queryset)
        self.message_user(request, f"Unpublished {count} term{'s' if count != 1 else ''}.", messages.SUCCESS)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    readonly_fields = ("slug",)
    fields = ("name", "slug")


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ("term_name", "action", "created_at", "created_by", "message")
    list_filter = ("action",)
    search_fields = ("term_name", "message")
    list_select_related = ("created_by",)
    readonly_fields = ("term", "term_name", "action", "message", "snapshot", "created_at", "created_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
