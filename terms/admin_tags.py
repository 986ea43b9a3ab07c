"""The tag admin's own screens (suggestions for the term form's tags field, renaming, merging) and the tag changes.

`TagScreens` adds them to the tag admin's URLs, each behind `admin_site.admin_view`. Renaming and
merging change live pages at once (`terms.retagging`), so they are the reviewers'.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from .admin_filters import ReadOnly
from .admin_review import bad_request
from .forms import whole_number
from .identity import identity_key
from .models.editorial import PUBLISH_PERMISSION
from .models.tags import Tag
from .models.workspace import TagChange
from .retagging import merge_tags, rename_tag

MAX_SUGGESTIONS = 10
NOT_A_REVIEWER = "Only reviewers can rename or merge tags: it changes the published pages at once."


def with_counts(tags):
    """The tags, each with `term_count`: how many terms (working copies) use it."""
    return tags.annotate(term_count=Count("tagged_terms"))


class TagScreens:
    """TagAdmin mixin: tag suggestions as JSON, and the rename and merge screens."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("suggest/", view(require_GET(self.suggest_view)), name="terms_tag_suggest"),
            path("merge/", view(require_http_methods(["GET", "POST"])(self.merge_view)), name="terms_tag_merge"),
            path(
                "<int:object_id>/rename/",
                view(require_http_methods(["GET", "POST"])(self.rename_view)),
                name="terms_tag_rename",
            ),
            *super().get_urls(),
        ]

    def has_retag_permission(self, request) -> bool:
        return request.user.has_perm(PUBLISH_PERMISSION)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_retag": self.has_retag_permission(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def suggest_view(self, request):
        """Tags whose names begin with what was typed (ignoring case), most used first, with their counts."""
        if not self.has_view_permission(request):
            raise PermissionDenied("You do not have permission to see tags.")
        typed = " ".join(request.GET.get("q", "").split())[:100]
        key = identity_key(typed)
        found = []
        if key:
            tags = with_counts(Tag.objects.filter(name_key__startswith=key))
            found = [
                {"name": tag.name, "count": tag.term_count}
                for tag in tags.order_by("-term_count", "name")[:MAX_SUGGESTIONS]
            ]
        exists = Tag.objects.filter(name_key=key).exists() if key else False
        return JsonResponse({"query": typed, "exists": exists, "tags": found})

    def rename_view(self, request, object_id):
        """Give a tag a new name, on every term and published page."""
        if not self.has_retag_permission(request):
            raise PermissionDenied(NOT_A_REVIEWER)
        tag = get_object_or_404(with_counts(Tag.objects.all()), pk=object_id)
        error, new_name = None, request.POST.get("name", tag.name)
        if request.method == "POST":
            try:
                rename_tag(tag, new_name, by=request.user)
            except ValidationError as invalid:
                error = " ".join(invalid.messages)
            else:
                renamed = Tag.objects.get(pk=tag.pk)
                self.message_user(
                    request, f"Renamed “{tag.name}” to “{renamed.name}” on {count(tag.term_count)}.", messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:terms_tag_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Rename the tag “{tag.name}”",
            "tag": tag,
            "new_name": new_name,
            "error": error,
        }
        return TemplateResponse(request, "admin/terms/tag/rename.html", context, status=400 if error else 200)

    def merge_view(self, request):
        """Confirm which of the selected tags to keep; on confirmation, merge the others into it."""
        if not self.has_retag_permission(request):
            raise PermissionDenied(NOT_A_REVIEWER)
        ids = [whole_number(value) for value in request.GET.getlist("ids") + request.POST.getlist("ids")]
        if None in ids:
            return bad_request("The tags to merge are named by their numbers.")
        tags = list(with_counts(Tag.objects.filter(pk__in=ids)).order_by("-term_count", "name"))
        if len(tags) < 2:
            self.message_user(
                request, "Select at least two tags: the ones to merge and the one to keep.", messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:terms_tag_changelist"))
        error = None
        if request.method == "POST":
            keep = next((tag for tag in tags if str(tag.pk) == request.POST.get("keep")), None)
            if keep is None:
                error = "Choose the tag to keep."
            else:
                try:
                    change = merge_tags([tag for tag in tags if tag != keep], keep, by=request.user)
                except ValidationError as invalid:
                    error = " ".join(invalid.messages)
                else:
                    merged = ", ".join(f"“{name}”" for name in change.old_names.splitlines())
                    self.message_user(
                        request,
                        f"Merged {merged} into “{keep.name}”: {count(change.terms_changed)} now tagged “{keep.name}”.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:terms_tag_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge tags",
            "tags": tags,
            "keep": request.POST.get("keep") or str(tags[0].pk),
            "error": error,
        }
        return TemplateResponse(request, "admin/terms/tag/merge_confirm.html", context, status=400 if error else 200)


def count(terms: int) -> str:
    return f"{terms} term{'s' if terms != 1 else ''}"


@admin.register(TagChange)
class TagChangeAdmin(ReadOnly, admin.ModelAdmin):
    """The record of renamed and merged tags: read only."""

    list_display = ("created_at", "action", "old_name_list", "new_name", "terms_changed", "created_by")
    list_filter = ("action",)
    list_select_related = ("created_by",)
    search_fields = ("old_names", "new_name")
    readonly_fields = ("action", "old_names", "new_name", "terms_changed", "created_at", "created_by")
    fields = readonly_fields

    @admin.display(description="old names")
    def old_name_list(self, change):
        return ", ".join(change.old_names.splitlines())
