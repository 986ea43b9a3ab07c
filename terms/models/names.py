"""Names and keys shared by the editorial models: identity keys the database compares, and length guards."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower
from django.urls import reverse
from django.utils.html import format_html

from ..identity import identity_key, is_set_aside, normalise_name
from ..rendering import MAX_MARKDOWN_LENGTH

# Check constraints below spell "at most N characters" as `field__length__lte`.
models.CharField.register_lookup(Length, "length")
models.TextField.register_lookup(Length, "length")


def markdown_length_constraints(model: str, *fields: str) -> tuple[models.CheckConstraint, ...]:
    """The database's own guard on markdown fields' length: an import cannot store what the form refuses."""
    return tuple(
        models.CheckConstraint(
            condition=Q(**{f"{field}__length__lte": MAX_MARKDOWN_LENGTH}),
            name=f"{model}_{field}_max_length",
            violation_error_message=f"Markdown fields hold at most {MAX_MARKDOWN_LENGTH:,} characters.",
        )
        for field in fields
    )


def slug_lower_case(model: str) -> models.CheckConstraint:
    """The database's guard against "Embedding" next to "embedding": slugs are lower case."""
    return models.CheckConstraint(
        condition=Q(slug=Lower("slug")),
        name=f"{model}_slug_lower_case",
        violation_error_message="The slug must be lower case, e.g. “fine-tuning”.",
    )


class NameKeyField(models.TextField):
    """The identity key of the instance's `name`, set on every save (bulk ones included), as `auto_now` sets a date."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        stored = getattr(model_instance, self.attname)
        # A twin that migration 0012 set aside keeps its own key until it is renamed; `clean()` refuses it.
        if not is_set_aside(model_instance.name, stored):
            setattr(model_instance, self.attname, identity_key(model_instance.name))
        return getattr(model_instance, self.attname)

    def deconstruct(self):
        # Migrations see a plain text column: they never import application code.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class AliasKeysField(models.TextField):
    """The identity keys of the instance's aliases, each between line breaks ("\\nllm\\n"), set on every save.

    The database finds the terms that hold an alias by it, instead of every term's aliases being read.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = keyed_lines(identity_key(alias) for alias in model_instance.alias_list)
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


def keyed_lines(keys: Iterable[str]) -> str:
    """Keys as `AliasKeysField` stores them, so that `\\n<key>\\n` finds each one."""
    return "".join(f"\n{key}" for key in keys) + "\n"


class KeyedName(models.Model):
    """A name unique by its identity key (`terms.identity`), which `name_key` stores for the database to enforce."""

    name_key = NameKeyField(
        help_text="The name compared ignoring case, width and invisible characters; set from the name."
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.name = normalise_name(self.name)
        self.name_key = identity_key(self.name)

    def validate_constraints(self, exclude=None):
        # The key is the name's: it is checked whenever the name is, and its errors are shown on the name.
        if exclude is not None and "name" not in exclude:
            exclude = set(exclude) - {"name_key"}
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = error.error_dict
            if "name_key" in errors:
                errors.setdefault("name", []).extend(errors.pop("name_key"))
            raise ValidationError(errors) from None


def normalise_name_on_save(sender, instance, raw, **kwargs):
    """Store the name normalised; loaddata's raw saves skip fields' `pre_save`, so fill in the keys for them."""
    instance.name = normalise_name(instance.name)
    if raw:
        for field in sender._meta.concrete_fields:
            if isinstance(field, NameKeyField | AliasKeysField):
                field.pre_save(instance, add=False)


def homonym_clash(term) -> tuple[str, str] | None:
    """Why this term cannot share its name with another: (the field to fix, the reason, linking that term).

    Two terms share a name only when each has a qualifier, and their qualifiers differ.
    """
    others = type(term).objects.exclude(pk=term.pk).filter(name_key=identity_key(term.name)).order_by("pk")
    qualifier = term.qualifier.strip().casefold()
    for pk, name, other_qualifier in others.values_list("pk", "name", "qualifier"):
        other = format_html(
            '<a href="{}">{}</a>',
            reverse("admin:terms_term_change", args=[pk]),
            f"{name} ({other_qualifier})" if other_qualifier else name,
        )
        if not other_qualifier and not qualifier:
            return "name", format_html(
                "A term with this name already exists. Two terms may share a name only when each has a "
                "qualifier: give {} one, and this term another, or choose another name.",
                other,
            )
        if not other_qualifier:
            return "name", format_html(
                "{} already has this name, without a qualifier. Two terms share a name only when each has a "
                "qualifier: give that term one first (e.g. “machine learning”), or choose another name.",
                other,
            )
        if not qualifier:
            return "qualifier", format_html(
                "{} already has this name: give this term a qualifier too, e.g. “psychology”, so that "
                "readers can tell the meanings apart.",
                other,
            )
        if other_qualifier.casefold() == qualifier:
            return "qualifier", format_html("{} already has this name and qualifier: choose another qualifier.", other)
    return None
