"""The editors' interface: terms with their examples, misconceptions and relations."""

import re
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    IS_FACETS_VAR,
    IS_POPUP_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    TO_FIELD_VAR,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from taggit.forms import TagWidget
from taggit.models import Tag as TaggitTag

from . import review_views
from .diffing import plain_line_endings
from .hierarchy import refuse_broader_loop
from .identity import identity_key, is_set_aside
from .linking import Glossary, Target, link
from .models.editorial import Example, Misconception, Relation, Term, state_label
from .models.history import Revision
from .models.published import PublishedMention, PublishedRelation, PublishedTerm
from .models.tags import TAG_NAME_MAX_LENGTH, Tag
from .publishing import delete_term, publish, rendered_sections, unpublish
from .workflow import Draft, changes_between, find_conflict, record_save, require_version, submit_for_review


class MarkdownWidget(AdminMarkdownxWidget):
    """markdownx's editor, whose live preview asks for the field's section: ids and links then come out as published."""

    def get_context(self, name, value, attrs=None):
        context = super().get_context(name, value, attrs)
        # "explanation", or "examples-0-body" in an inline: the published page's "example-1".
        inline = re.fullmatch(r"(examples|misconceptions)-(\d+)-\w+", name)
        section = f"{inline.group(1)[:-1]}-{int(inline.group(2)) + 1}" if inline else name
        path = f"{context['widget']['attrs']['data-markdownx-urls-path']}?section={section}"
        context["widget"]["attrs"]["data-markdownx-urls-path"] = path
        return context


MARKDOWN_WIDGETS = {MarkdownxField: {"widget": MarkdownWidget(attrs={"rows": 6})}}
ALIAS_MAX_LENGTH = 100

# Our own Tag model replaces taggit's; hide the unused one.
admin.site.unregister(TaggitTag)


class PlainTextForm(forms.ModelForm):
    """A model form that reads its text fields with LF line endings, so text sent back unchanged is unchanged."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Before any field reads the data: cleaning and "has this field changed?" must see the same text.
        keys = {self.add_prefix(name) for name, field in self.fields.items() if isinstance(field, forms.CharField)}
        if any(key in keys and "\r" in str(value) for key, value in self.data.items()):
            data = self.data.copy()
            for key in data.keys() & keys:
                data[key] = plain_line_endings(data[key])
            self.data = data


class SetAsideWarning:
    """Form mixin: under the name, a warning when the upgrade found it to be an older term's or tag's twin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        named = self.instance
        if named.pk is None or not is_set_aside(named.name, named.name_key):
            return
        twin = type(named).objects.filter(name_key=identity_key(named.name)).first()
        if twin is None:
            return
        opts = twin._meta
        self.fields["name"].help_text = format_html(
            '<strong>This name is the same as that of <a href="{}">{}</a></strong>, ignoring letter case, width '
            "and invisible characters; both were kept when the site was upgraded. Rename this {} (or merge the two): "
            "it cannot be saved or published under this name.",
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[twin.pk]),
            twin.name,
            opts.verbose_name,
        )


class NameClashFilter(admin.SimpleListFilter):
    """The terms or tags the upgrade found to be an older one's twin (see migration 0012)."""

    title = "name clashes"
    parameter_name = "clash"

    def lookups(self, request, model_admin):
        return (("yes", "Same name as an older one: rename"),)

    def queryset(self, request, queryset):
        # Only a set-aside key holds a line break.
        return queryset.filter(name_key__contains="\n") if self.value() == "yes" else queryset


class TermAdminForm(SetAsideWarning, PlainTextForm):
    # The version of the term this form was opened on: a save from an older one is refused.
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set when a save is refused because someone saved the term in between: their changes, shown with the form.
    conflict = None
    conflict_changes = ()

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = str(self.instance.version)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.check_for_conflict(review_views.whole_number(cleaned.get("loaded_version")))
        name = cleaned.get("name", "")
        aliases = cleaned.get("aliases", "")
        if name and any(alias.casefold() == name.casefold() for alias in aliases.splitlines()):
            self.add_error("aliases", "An alias cannot be the term's own name.")
        return cleaned

    def check_for_conflict(self, loaded_version: int | None) -> None:
        """Refuse the save if someone else saved the term after this form was opened, or if it does not say when.

        The form comes back with everything typed in it, and shows what the other
        person changed; saving it again replaces their version, which the history keeps.
        """
        if loaded_version is None:
            raise ValidationError(
                "This form did not say which version of the term it was opened on, so saving it could replace "
                "someone else's changes unseen. Nothing is saved: open the term again and redo your edits.",
                code="no_version",
            )
        conflict = find_conflict(self.instance.pk, loaded_version)
        if conflict is None:
            return
        data = self.data.copy()
        data["loaded_version"] = str(conflict.version)  # a second save is a deliberate choice
        self.data = data
        self.conflict = conflict
        self.conflict_changes = changes_between(conflict.before, conflict.after)
        changed = ", ".join(change.label for change in self.conflict_changes) or "nothing visible"
        when = timezone.localtime(conflict.saved_at)
        raise ValidationError(
            "%(who)s saved this term at %(when)s, after you opened it, changing: %(changed)s. "
            "Nothing of yours is saved yet: your edits are still in the form, below their changes. "
            "Save again to replace their version with yours; the history keeps theirs.",
            code="conflict",
            params={"who": conflict.saved_by, "when": f"{when:%H:%M:%S}", "changed": changed},
        )


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


class RelationFormSet(forms.BaseInlineFormSet):
    """The term's relations, checked together with everyone else's for loops of broader terms."""

    def clean(self):
        super().clean()
        relations = [
            form.instance
            for form in self.forms
            if form.is_valid() and form.instance.to_term_id and not form.cleaned_data.get("DELETE")
        ]
        others = Relation.objects.exclude(from_term_id=self.instance.pk) if self.instance.pk else Relation.objects.all()
        refuse_broader_loop(self.instance, relations, others=others)


class RelationInline(admin.TabularInline):
    model = Relation
    formset = RelationFormSet
    fk_name = "from_term"
    extra = 0
    fields = ("position", "kind", "to_term")
    autocomplete_fields = ("to_term",)
    verbose_name = "related term"
    verbose_name_plural = "related terms (the other term's page links back automatically)"


class WholeNumberIds:
    """ModelAdmin mixin: an id, or a number in a filter, that no row can have is refused, never a server error.

    Django's admin reads ids and filters from the address as typed; "²" or a 30-digit number reaches
    the database, which cannot hold it.
    """

    def get_object(self, request, object_id, from_field=None):
        if from_field is None and review_views.whole_number(object_id) is None:
            return None  # the admin then says that no such row exists
        return super().get_object(request, object_id, from_field)

    def changelist_view(self, request, extra_context=None):
        filters = (value for name, value in request.GET.items() if name not in NOT_FILTERS)
        if any(review_views.whole_number(number) is None for number in numbers_in(filters)):
            return review_views.bad_request("A filter in this address asks for a number no row can have.")
        return super().changelist_view(request, extra_context)


# The changelist's own parameters: a search for a long number is no filter.
NOT_FILTERS = {SEARCH_VAR, ORDER_VAR, PAGE_VAR, ERROR_FLAG, IS_POPUP_VAR, TO_FIELD_VAR, IS_FACETS_VAR, ALL_VAR}


def numbers_in(values) -> list[str]:
    """The whole numbers among filter values, without their signs (a list filter's values are separated by commas)."""
    return [number for value in values for part in value.split(",") if (number := part.strip().lstrip("-")).isdigit()]


class MineFilter(admin.SimpleListFilter):
    title = "author"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return (("yes", "Created by me"),)

    def queryset(self, request, queryset):
        return queryset.filter(created_by=request.user) if self.value() == "yes" else queryset


@admin.register(Term)
class TermAdmin(WholeNumberIds, admin.ModelAdmin):
    form = TermAdminForm
    formfield_overrides = MARKDOWN_WIDGETS
    list_display = ("name", "state", "tag_list", "updated_at", "updated_by")
    list_filter = ("status", MineFilter, "tags", NameClashFilter)
    search_fields = ("name", "aliases", "short_definition")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = (
        "state", "live_page", "created_at", "created_by", "updated_at", "updated_by",
        "mentioned_by", "unlinked_mentions",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("name", "slug", "short_definition", "pronunciation", "aliases", "tags", "loaded_version")}),
        ("Page sections", {"fields": ("explanation", "analogy", "usage", "history")}),
        ("Grammar", {"classes": ("collapse",), "fields": ("sentence_name",)}),
        ("Cross-links", {"fields": ("mentioned_by", "unlinked_mentions")}),
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
        return super().get_queryset(request).for_changelist().annotate(live=live)

    def get_urls(self):
        site = self.admin_site

        def view(function, **kwargs):
            return site.admin_view(partial(function, admin_site=site), **kwargs)

        return [
            path("review/", view(review_views.review_queue), name="terms_term_review_queue"),
            path("<int:object_id>/review/", view(review_views.review), name="terms_term_review"),
            path("<int:object_id>/preview/", view(review_views.preview), name="terms_term_preview"),
            path("<int:object_id>/revisions/", view(review_views.revisions), name="terms_term_revisions"),
            path("<int:object_id>/revisions/compare/", view(review_views.compare), name="terms_term_compare"),
            path(
                "<int:object_id>/revisions/<int:revision_id>/rollback/",
                view(review_views.roll_back),
                name="terms_term_rollback",
            ),
            *super().get_urls(),
        ]

    def view_on_site(self, term):
        # Drafts have no public page to view.
        return term.get_absolute_url() if is_live(term) else None

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("terms.publish_term")

    @admin.display(description="state", ordering="status")
    def state(self, term):
        return state_label(term.status, is_live(term))

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
            .values_list("source_id", "source__name")
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
            for name in [name, *aliases.splitlines()]
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

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        obj.updated_at = timezone.now()
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_save(form.instance, by=request.user)

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
        # Warn which published pages link to the term: their "Related terms" lose it.
        term_id = review_views.whole_number(object_id)
        pointing = PublishedRelation.objects.filter(target_id=term_id).select_related("source")
        linked_from = sorted({relation.source.name for relation in pointing}, key=str.casefold)
        extra_context = {**(extra_context or {}), "linked_from": linked_from}
        return super().delete_view(request, object_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        wants_publishing = request.method == "POST" and ({"_publish", "_unpublish"} & request.POST.keys())
        if wants_publishing and not self.has_publish_permission(request):
            raise PermissionDenied("You do not have permission to publish terms.")
        term_id = review_views.whole_number(object_id)
        term = Term.objects.filter(pk=term_id).first() if term_id is not None else None
        extra_context = {
            **(extra_context or {}),
            "can_publish": self.has_publish_permission(request),
            "is_live": term is not None and term.is_live,
            "can_submit": term is None or term.status in (Term.Status.DRAFT, Term.Status.CHANGES_REQUESTED),
            "latest_comment": review_views.latest_comment(term) if term else None,
            "review_notes": term.review_notes.select_related("created_by")[:5] if term else [],
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
                publish(term, by=request.user)
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

    @admin.action(description="Publish selected terms", permissions=("publish",))
    def publish_selected(self, request, queryset):
        """Show the versions that would go live; once confirmed, publish each only if it is still that version."""
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Publish these terms?",
                "opts": self.model._meta,
                "terms": queryset.select_related("updated_by").order_by(Lower("name")),
            }
            return TemplateResponse(request, "admin/terms/term/publish_selected.html", context)
        published, failures = 0, []
        for term in queryset:
            try:
                with transaction.atomic():
                    version = review_views.whole_number(request.POST.get(f"version-{term.pk}"))
                    if version is None:
                        raise ValidationError("The confirmation did not say which version to publish.")
                    require_version(term, version)
                    publish(term, by=request.user)
                published += 1
            except ValidationError as error:
                stale = getattr(error, "code", None) == "stale"
                reason = "saved again after this page listed it; review it again" if stale else " ".join(error.messages)
                failures.append((term.name, reason))
        if published:
            self.message_user(request, f"Published {published} term{'s' if published != 1 else ''}.", messages.SUCCESS)
        if failures:
            details = format_html_join("; ", "“{}”: {}", failures)
            self.message_user(request, format_html("Not published: {}", details), messages.ERROR)

    @admin.action(description="Unpublish selected terms", permissions=("publish",))
    def unpublish_selected(self, request, queryset):
        count = sum(unpublish(term, by=request.user) for term in queryset)
        self.message_user(request, f"Unpublished {count} term{'s' if count != 1 else ''}.", messages.SUCCESS)


def is_live(term: Term) -> bool:
    """Whether readers see a version of the term; read from the changelist's annotation when there is one."""
    live = getattr(term, "live", None)
    return term.is_live if live is None else live


class TagAdminForm(SetAsideWarning, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ("name",)


@admin.register(Tag)
class TagAdmin(WholeNumberIds, admin.ModelAdmin):
    form = TagAdminForm
    list_display = ("name", "slug")
    list_filter = (NameClashFilter,)
    search_fields = ("name",)
    readonly_fields = ("slug",)
    fields = ("name", "slug")


@admin.register(Revision)
class RevisionAdmin(WholeNumberIds, admin.ModelAdmin):
    """Every save, publish, rollback, unpublish and deletion; deleted terms are recovered from here."""

    list_display = ("term_name", "action", "created_at", "created_by", "message")
    list_filter = ("action",)
    search_fields = ("term_name", "message")
    list_select_related = ("created_by",)
    readonly_fields = ("term_name", "action", "message", "version", "snapshot", "created_at", "created_by")
    fields = readonly_fields

    def get_urls(self):
        recover = self.admin_site.admin_view(partial(review_views.recover, admin_site=self.admin_site))
        return [path("<int:revision_id>/recover/", recover, name="terms_revision_recover"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision_id = review_views.whole_number(object_id)
        revision = Revision.objects.filter(pk=revision_id).first() if revision_id is not None else None
        recoverable = (
            revision is not None
            and revision.action == Revision.Action.DELETE
            and not Term.objects.filter(pk=revision.term_id).exists()
            and request.user.has_perm("terms.add_term")
        )
        extra_context = {**(extra_context or {}), "recoverable": recoverable}
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
