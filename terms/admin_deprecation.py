"""The admin's deprecation screens: a reviewer deprecates a published term, or undeprecates it, in one step.

`DeprecationScreens` adds them to the term admin's URLs, each behind `admin_site.admin_view` and the publish permission.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import display
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_http_methods

from .admin_review import require
from .deprecation import UNPUBLISHED_CHANGES, deprecate, pages_to_update, undeprecate
from .forms import whole_number
from .models.editorial import Term
from .models.published import LISTED, PublishedTerm


class DeprecateForm(forms.Form):
    reason = forms.CharField(
        label="Why it is deprecated",
        max_length=Term._meta.get_field("deprecation_reason").max_length,
        required=False,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text='One sentence, shown in the banner on its page, e.g. "Superseded by a broader term."',
    )
    replaced_by = forms.ModelMultipleChoiceField(
        label="Replaced by",
        queryset=Term.objects.all(),
        required=False,
        help_text="The terms readers should use instead; only published ones are shown to readers. "
        "A reason, replacements, or both.",
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["replaced_by"]
        field.widget = AutocompleteSelectMultiple(Term._meta.get_field("replaced_by"), admin_site)
        field.widget.choices = field.choices


# The term form's fieldset: rarely used, so collapsed unless the term is deprecated (`get_fieldsets`).
DEPRECATION_FIELDSET = (
    "Deprecation",
    {"classes": ("collapse",), "fields": ("deprecated", "deprecation_reason", "replaced_by", "pages_to_reword")},
)


class DeprecationScreens:
    """TermAdmin mixin: "Deprecate…" and "Undeprecate…", each a confirmation screen that publishes at once;
    the change form's "Deprecation" fieldset, open for a deprecated term, with the pages to reword."""

    autocomplete_fields = ("replaced_by",)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.deprecated:
            return fieldsets
        return tuple(
            (name, {**options, "classes": ()}) if name == DEPRECATION_FIELDSET[0] else (name, options)
            for name, options in fieldsets
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Which button the page offers reviewers: "Deprecate…" or "Undeprecate…", by what readers see.
        term_id = whole_number(object_id)
        live_deprecated = term_id is not None and PublishedTerm.objects.filter(pk=term_id).exclude(LISTED).exists()
        extra_context = {**(extra_context or {}), "live_deprecated": live_deprecated}
        return super().changeform_view(request, object_id, form_url, extra_context)

    @display(description="pages to reword")
    def pages_to_reword(self, term):
        """For a deprecated term: the published pages that link to it or mention its names."""
        if not term.pk or not term.deprecated:
            return "Listed once the term is deprecated: the published pages that link to it or mention it."
        pages = pages_to_update(term)
        if not pages:
            return "None: no published page links to it or mentions it."
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((reverse("admin:terms_term_change", args=[pk]), title) for pk, title in pages)
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        screens = require_http_methods(["GET", "POST"])
        return [
            path("<int:object_id>/deprecate/", view(screens(self.deprecate_view)), name="terms_term_deprecate"),
            path("<int:object_id>/undeprecate/", view(screens(self.undeprecate_view)), name="terms_term_undeprecate"),
            *super().get_urls(),
        ]

    def deprecate_view(self, request, object_id):
        """Ask for a reason and the terms that replace it, list the pages to reword; once confirmed, publish."""
        require(self.has_publish_permission(request))
        term = get_object_or_404(Term, pk=object_id)
        form = DeprecateForm(request.POST or None, admin_site=self.admin_site)
        if request.method == "POST" and form.is_valid():
            try:
                deprecate(
                    term,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    replaced_by=list(form.cleaned_data["replaced_by"]),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"“{term.name}” is deprecated: readers see the banner on its page.")
                return HttpResponseRedirect(reverse("admin:terms_term_change", args=[term.pk]))
        context = self.screen_context(
            request,
            term,
            title=f"Deprecate “{term.name}”?",
            form=form,
            media=self.media + form.media,
            refusal=refusal(term, deprecating=True),
            pages=pages_to_update(term),
        )
        return TemplateResponse(request, "admin/terms/term/deprecate.html", context)

    def undeprecate_view(self, request, object_id):
        """Ask first; once confirmed, put the term back in lists, suggestions and cross-links."""
        require(self.has_publish_permission(request))
        term = get_object_or_404(Term, pk=object_id)
        if request.method == "POST":
            try:
                undeprecate(term, by=request.user)
            except ValidationError as error:
                messages.error(request, f"Nothing changed: {' '.join(error.messages)}")
            else:
                messages.success(request, f"“{term.name}” is no longer deprecated.")
            return HttpResponseRedirect(reverse("admin:terms_term_change", args=[term.pk]))
        context = self.screen_context(
            request, term, title=f"Undeprecate “{term.name}”?", refusal=refusal(term, deprecating=False)
        )
        return TemplateResponse(request, "admin/terms/term/undeprecate.html", context)


def refusal(term: Term, *, deprecating: bool) -> str:
    """Why the screen cannot do its work now, in words; empty if it can."""
    if not PublishedTerm.objects.filter(pk=term.pk).exists():
        return "This term is not on the site: only a published term can be deprecated."
    if term.deprecated == deprecating:
        return "This term is deprecated already." if deprecating else "This term is not deprecated."
    if term.status != Term.Status.PUBLISHED:
        what = "its deprecation" if deprecating else "the end of its deprecation"
        return UNPUBLISHED_CHANGES % {"name": term.name, "what": what}
    return ""


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a refusal on the form: on the field it is about, or above them."""
    fields = {"deprecation_reason": "reason", "replaced_by": "replaced_by"}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for message in errors:
                form.add_error(fields.get(field), message)
    else:
        for message in error.messages:
            form.add_error(None, message)
