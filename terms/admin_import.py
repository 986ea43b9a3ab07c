"""The admin's import and export screens: upload → preview per row → apply as one change set; and downloads.

The import engine is `terms.importing`, the one the `import_glossary` command runs. Between the preview
and the apply, the upload waits in django-import-export's temporary storage (`MediaStorage`: the site's
file storage, so any app server can read it back); the apply reads it again, plans anew in its
transaction and writes only if the plan still has no errors.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from import_export.tmp_storages import MediaStorage

from .admin_review import require
from .exporting import CONTENT_TYPES, FORMATS, export, file_name
from .importing import MAX_BYTES, MAX_ROWS, Action, import_file, make_plan
from .models.changesets import ChangeSet

SALT = "terms.import"
UPLOAD_FOLDER = "imports"
# An upload not applied within a day must be uploaded again.
UPLOAD_MAX_AGE = 24 * 60 * 60
FORMAT_LABELS = {"csv": "CSV (spreadsheets)", "json": "JSON (complete)", "skos": "SKOS Turtle"}


def change_set_url(change_set: ChangeSet) -> str:
    """The admin address of a change set's page: its review."""
    return reverse("admin:terms_changeset_change", args=[change_set.pk])


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Glossary file",
        help_text=(
            f"CSV, JSON or SKOS Turtle, as the export writes them; UTF-8; at most {MAX_BYTES // 2**20} MB "
            f"and {MAX_ROWS:,} terms. Nothing changes until you apply the import."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 2**20:.1f} MB: files of at most {MAX_BYTES // 2**20} MB can be imported."
            )
        return upload


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=FORMAT_LABELS.items(), initial="csv", widget=forms.RadioSelect)
    scope = forms.ChoiceField(
        label="Terms",
        choices=(("working", "Working copies, drafts included"), ("published", "Only what readers see")),
        initial="working",
        widget=forms.RadioSelect,
    )


def storage(name: str | None = None) -> MediaStorage:
    return MediaStorage(name=name, MEDIA_FOLDER=UPLOAD_FOLDER)


def forget_expired_uploads() -> int:
    """Delete the kept uploads nobody can apply any more (their token has expired); return how many."""
    files = default_storage.listdir(UPLOAD_FOLDER)[1] if default_storage.exists(UPLOAD_FOLDER) else []
    cutoff = timezone.now() - timedelta(seconds=UPLOAD_MAX_AGE)
    expired = [name for name in files if default_storage.get_modified_time(f"{UPLOAD_FOLDER}/{name}") < cutoff]
    for name in expired:
        storage(name).remove()
    return len(expired)


class ImportScreens:
    """TermAdmin mixin: import (upload, preview, apply) and export (a download) on the term list."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="terms_term_import"),
            path("import/apply/", view(require_POST(self.import_apply_view)), name="terms_term_import_apply"),
            path("export/", view(self.export_view), name="terms_term_export"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        """Importing creates and changes terms: editors and reviewers may."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_view(self, request):
        """Upload a file and see what importing it would do, row by row; nothing changes yet."""
        require(self.has_import_permission(request))
        form = UploadForm(request.POST or None, request.FILES or None)
        context = {"form": form}
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = b"".join(upload.chunks())
            plan = make_plan(data, upload.name)
            context["plan"] = plan
            if not plan.has_errors and (plan.count(Action.CREATED) or plan.count(Action.UPDATED)):
                # Previews never applied would otherwise pile up: each new one clears those expired.
                forget_expired_uploads()
                kept = storage()
                kept.save(data)
                context["token"] = signing.dumps(
                    {"name": kept.name, "file": upload.name, "user": request.user.pk}, salt=SALT
                )
        return self.import_page(request, context)

    def import_apply_view(self, request):
        """Apply an import previewed without errors: all of it, as one change set, or nothing."""
        require(self.has_import_permission(request))
        try:
            upload = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=UPLOAD_MAX_AGE)
        except signing.BadSignature:
            upload = None
        if upload is None or upload["user"] != request.user.pk:
            messages.error(request, "This import has expired or is not yours: upload the file again.")
            return HttpResponseRedirect(reverse("admin:terms_term_import"))
        kept = storage(upload["name"])
        try:
            data = kept.read()
        except OSError:
            messages.error(request, "This import has already been applied or has expired: upload the file again.")
            return HttpResponseRedirect(reverse("admin:terms_term_import"))
        outcome = import_file(data, upload["file"], by=request.user)
        if outcome.change_set is None:
            # The glossary changed since the preview: show what the file would do now.
            messages.error(request, "Nothing was imported: the glossary changed since the preview. See below.")
            return self.import_page(request, {"form": UploadForm(), "plan": outcome.plan})
        kept.remove()
        change_set = outcome.change_set
        messages.success(
            request,
            f"Imported {upload['file']}: {change_set.created} created, {change_set.updated} updated, "
            f"{change_set.unchanged} unchanged. The terms wait for review as one change set (no. {change_set.pk}); "
            "nothing is published.",
        )
        return HttpResponseRedirect(change_set_url(change_set))

    def import_page(self, request, context: dict) -> TemplateResponse:
        plan = context.get("plan")
        context = self.screen_context(
            request,
            title="Import terms",
            formats=FORMAT_LABELS,
            max_megabytes=MAX_BYTES // 2**20,
            max_rows=MAX_ROWS,
            counts={action: plan.count(action) for action in ("created", "updated", "unchanged", "error")}
            if plan
            else None,
            **context,
        )
        return TemplateResponse(request, "admin/terms/term/import.html", context)

    def export_view(self, request):
        """The export form, or with ?format= the download: the same bytes as `export_glossary`."""
        require(self.has_view_permission(request))
        form = ExportForm(request.GET or None)
        if form.is_valid():
            file_format, published = form.cleaned_data["format"], form.cleaned_data["scope"] == "published"
            response = HttpResponse(export(file_format, published=published), content_type=CONTENT_TYPES[file_format])
            response["Content-Disposition"] = f'attachment; filename="{file_name(file_format, published=published)}"'
            return response
        context = self.screen_context(request, title="Export terms", form=form, formats=FORMATS)
        return TemplateResponse(request, "admin/terms/term/export.html", context)
