"""The editors' forms: a term with its conflict check, its relations, a tag; and the markdown editor."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from markdownx.widgets import AdminMarkdownxWidget
from taggit.forms import TagWidget

from .change_notes import NEW_TERM_NOTE, PUBLIC_NOTE_MAX_LENGTH, public_note
from .diffing import plain_line_endings
from .hierarchy import refuse_broader_loop
from .identity import identity_key, is_set_aside
from .labels import parse_labels
from .models.editorial import Term
from .models.relations import Relation
from .models.tags import TAG_NAME_MAX_LENGTH, Tag
from .workflow import changes_between, deprecation_errors, find_conflict

ALIAS_MAX_LENGTH = 100
# The admin shows help texts as HTML.
ALIASES_HELP = (
    "Other names, one per line, each with its kind first if need be: "
    "<code>abbreviation: LLM</code>, <code>synonym: Foundation model</code>, <code>spelling: Finetuning</code>, "
    "<code>former: Deep belief net</code>, <code>hidden: langauge model</code>. "
    "Hidden labels (common misspellings, search-only words) are never shown or linked, but search finds them. "
    "A line without a kind is an abbreviation if it looks like one (“LLM”, “GPUs”), else a synonym. Optional."
)
EDIT_SUMMARY_MAX_LENGTH = 300
# The largest whole number both databases store: a larger id or edit version names nothing.
LARGEST_NUMBER = 2**63 - 1


def whole_number(value: str | None) -> int | None:
    """A non-negative id or edit version sent by a form or an address, or None if it is missing or not one."""
    if value is None or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= LARGEST_NUMBER else None


class MarkdownWidget(AdminMarkdownxWidget):
    """markdownx's editor, whose live preview asks for the field's section: ids and links then come out as published.

    Its template (templates/markdownx/widget.html) adds a formatting toolbar and labels the preview.
    """

    class Media:
        js = ("js/markdown-editor.js",)

    def get_context(self, name, value, attrs=None):
        context = super().get_context(name, value, attrs)
        # "explanation", or "examples-0-body" in an inline: the published page's "example-1".
        inline = re.fullmatch(r"(examples|misconceptions)-(\d+)-\w+", name)
        section = f"{inline.group(1)[:-1]}-{int(inline.group(2)) + 1}" if inline else name
        path = f"{context['widget']['attrs']['data-markdownx-urls-path']}?section={section}"
        context["widget"]["attrs"]["data-markdownx-urls-path"] = path
        return context


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


class TagsWidget(TagWidget):
    """The term's tags: existing ones suggested as you type, new ones named before saving (tag_suggestions.js)."""

    class Media:
        js = ("js/tag_suggestions.js",)
        css = {"all": ("css/tag_suggestions.css",)}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-tag-suggest-url"] = reverse("admin:terms_tag_suggest")
        return context


def note_field() -> forms.CharField:
    """What readers are told changed, asked for by every screen that publishes."""
    return forms.CharField(
        label="Public change note",
        required=False,
        max_length=PUBLIC_NOTE_MAX_LENGTH,
        # A text box, not a line: Enter in a one-line field would send the form with its first button.
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80, "maxlength": PUBLIC_NOTE_MAX_LENGTH}),
        help_text=(
            "What readers are told changed, in plain text: shown as “Last updated” on the page and in Recent "
            f"changes. Example: “Clearer analogy; new example on chatbots.” A first publish says “{NEW_TERM_NOTE}”."
        ),
    )


def minor_field() -> forms.BooleanField:
    return forms.BooleanField(
        label="Minor change (readers are not told)",
        required=False,
        help_text="A typo, a link, a tag: the page changes, its “Last updated” and Recent changes do not.",
    )


class PublishNoteForm(forms.Form):
    """The public change note, or "minor", that publishing a term readers already see needs."""

    public_note = note_field()
    minor = minor_field()

    def __init__(self, *args, first: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # A first publish is news whatever is entered: "New term" unless the note says more.
        self.first = first

    def clean(self):
        cleaned = super().clean()
        clean_publish_note(self, first=self.first)
        return cleaned


def clean_publish_note(form: forms.BaseForm, *, first: bool) -> None:
    """Settle a form's note and minor flag as the publish records them, or add the error saying one is needed."""
    cleaned = form.cleaned_data
    try:
        cleaned["public_note"], cleaned["minor"] = public_note(
            cleaned.get("public_note", ""), cleaned.get("minor", False), first=first
        )
    except ValidationError as error:
        form.add_error("public_note", error)


class TermAdminForm(SetAsideWarning, PlainTextForm):
    # The edit version of the term this form was opened on: a save from an older one is refused.
    loaded_edit_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Not a field of the term: kept as the message of the revision this save makes.
    edit_summary = forms.CharField(
        label="Edit summary",
        required=False,
        max_length=EDIT_SUMMARY_MAX_LENGTH,
        strip=True,
        # A text box, not a line: Enter in a one-line field would send the form with its first button, "Save and publish".
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80, "maxlength": EDIT_SUMMARY_MAX_LENGTH}),
        help_text="Say what you changed and why; shown in the history. Example: “Shorter analogy, as the review asked.”",
    )
    # Not fields of the term: what a "Save and publish" tells readers (the revision keeps them).
    public_note = note_field()
    minor = minor_field()
    # Set when a save is refused because someone saved the term in between: their changes, shown with the form.
    conflict = None
    conflict_changes = ()

    class Meta:
        model = Term
        fields = (
            "name", "qualifier", "slug", "short_definition", "pronunciation", "aliases", "tags",
            "explanation", "analogy", "usage", "history", "sentence_name",
            "deprecated", "deprecation_reason", "replaced_by", "owner", "owner_group", "review_by",
        )  # fmt: skip
        widgets = {
            "short_definition": forms.Textarea(attrs={"rows": 2, "cols": 80, "maxlength": 300}),
            "aliases": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "deprecation_reason": forms.TextInput(attrs={"size": 80, "maxlength": 300}),
            "tags": TagsWidget(attrs={"class": "vLargeTextField"}),
        }
        # Here rather than on the model field, whose help text is frozen in the migrations.
        help_texts = {"aliases": ALIASES_HELP}

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_edit_summary(self):
        return " ".join(self.cleaned_data["edit_summary"].split())

    def clean_short_definition(self):
        definition = " ".join(self.cleaned_data["short_definition"].split())
        if not definition:
            raise ValidationError("Every term needs a one-line definition.")
        return definition

    def clean_aliases(self):
        aliases = [" ".join(line.split()) for line in self.cleaned_data["aliases"].splitlines()]
        aliases = [alias for alias in aliases if alias]
        too_long = [label.name for label in parse_labels("\n".join(aliases)) if len(label.name) > ALIAS_MAX_LENGTH]
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
            self.fields["loaded_edit_version"].initial = str(self.instance.edit_version)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.check_for_conflict(whole_number(cleaned.get("loaded_edit_version")))
        name = cleaned.get("name", "")
        aliases = cleaned.get("aliases", "")
        if name and any(alias.casefold() == name.casefold() for alias in aliases.splitlines()):
            self.add_error("aliases", "An alias cannot be the term's own name.")
        if "deprecated" in self.fields:
            self.check_deprecation(cleaned)
        if "_publish" in self.data:
            clean_publish_note(self, first=not self.instance.is_live)
        return cleaned

    def check_deprecation(self, cleaned: dict) -> None:
        """Add the deprecation rules' errors (`deprecation_errors`) to the fields they are about."""
        term = Term(
            pk=self.instance.pk,
            deprecated=cleaned.get("deprecated", False),
            deprecation_reason=cleaned.get("deprecation_reason", ""),
        )
        for field, messages in deprecation_errors(term, cleaned.get("replaced_by") or []).items():
            for message in messages:
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)

    @property
    def public_note_fields(self) -> list[forms.BoundField]:
        """The note and "minor" a "Save and publish" reads, as the change form shows them."""
        return [self["public_note"], self["minor"]]

    def check_for_conflict(self, loaded_edit_version: int | None) -> None:
        """Refuse the save if someone else saved the term after this form was opened, or if it does not say when.

        The form comes back with everything typed in it, and shows what the other
        person changed; saving it again replaces their version, which the history keeps.
        """
        if loaded_edit_version is None:
            raise ValidationError(
                "This form did not say which version of the term it was opened on, so saving it could replace "
                "someone else's changes unseen. Nothing is saved: open the term again and redo your edits.",
                code="no_edit_version",
            )
        conflict = find_conflict(self.instance.pk, loaded_edit_version)
        if conflict is None:
            return
        data = self.data.copy()
        data["loaded_edit_version"] = str(conflict.edit_version)  # a second save is a deliberate choice
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


class TagAdminForm(SetAsideWarning, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ("name",)
