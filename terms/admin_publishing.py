"""The term list's actions that change what readers see: publish and unpublish the selected terms."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from .change_notes import public_note
from .forms import PublishNoteForm, whole_number
from .models.editorial import Term
from .publishing import publish, unpublish
from .workflow import require_edit_version


class PublishActions:
    """TermAdmin mixin: "Publish selected terms" (confirmed, with a public change note) and "Unpublish selected terms"."""

    @admin.action(description="Publish selected terms", permissions=("publish",))
    def publish_selected(self, request, queryset):
        """Show the versions that would go live; once confirmed, publish each only if it is still that version."""
        terms = list(queryset.select_related("updated_by").order_by(Lower("name")))
        unchanged = [term for term in terms if term.status == Term.Status.PUBLISHED and is_live(term)]
        waiting = [term for term in terms if term not in unchanged]
        # Terms readers see already need a note (or "minor"), for all of them; new terms alone, none.
        confirmed = request.POST.get("confirmed") == "yes"
        note = PublishNoteForm(request.POST if confirmed else None, first=not any(is_live(term) for term in waiting))
        if not confirmed or not note.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": "Publish these terms?",
                "opts": self.model._meta,
                "terms": waiting,
                "unchanged": unchanged,
                "publish_form": note,
            }
            return TemplateResponse(request, "admin/terms/term/publish_selected.html", context)
        published, failures = 0, []
        for term in queryset:
            try:
                with transaction.atomic():
                    edit_version = whole_number(request.POST.get(f"edit_version-{term.pk}"))
                    if edit_version is None:
                        raise ValidationError("The confirmation did not say which version to publish.")
                    require_edit_version(term, edit_version)
                    text, minor = public_note(
                        note.cleaned_data["public_note"], note.cleaned_data["minor"], first=not is_live(term)
                    )
                    publish(term, by=request.user, public_note=text, minor=minor)
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
