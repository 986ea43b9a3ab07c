"""Term and tag names are unique by an identity key; slugs are lower case.

The key compares names as editors do: "Café" typed decomposed (NFD) or composed (NFC), "CAFÉ",
fullwidth "Ｃａｆé", "Ca\u200bfé" (a zero-width space) and "Café\ufe0f" (a variation selector)
are one name. Names are stored composed, without invisible characters. The key functions are frozen copies of `terms.identity`.

Rows whose names were already twins are not changed: the oldest keeps the name's key, each later
twin a key of its own (the key, a line break and its id), and the upgrade prints both names.
The admin marks such a term or tag ("Name clashes" in the list's filters, and a warning under
its name); it cannot be saved or published under that name until someone renames it.
Upper-case slugs are lower-cased, a later clash gaining "-2", "-3"...; the published page keeps
its address until the term is published again, which then redirects the old one. Each term's aliases
get their keys too. The constraints that hold all this from now on are 0013's.
"""

import re
import unicodedata

from django.db import migrations, models

SLUG_MAX_LENGTH = 100

# Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt).
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip
_DEFAULT_IGNORABLE = re.compile("[" + "".join(rf"\U{start:08x}-\U{end:08x}" for start, end in DEFAULT_IGNORABLE) + "]")


def visible(text):
    return "".join(char for char in _DEFAULT_IGNORABLE.sub("", text) if unicodedata.category(char) != "Cf")


def normalise_name(name):
    return " ".join(unicodedata.normalize("NFC", visible(name)).split())


def identity_key(name):
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", visible(name)).casefold())
    return " ".join(folded.split())


def name_keys(model, db):
    """Every row's name and key, the oldest of twins keeping the key; names of rows without twins normalised."""
    twins = {}
    for pk, name in model.objects.using(db).order_by("pk").values_list("pk", "name"):
        twins.setdefault(identity_key(name), []).append((pk, name))
    changes = {}
    for key, group in twins.items():
        (first_pk, first_name), *later = group
        changes[first_pk] = {"name": normalise_name(first_name) if not later else first_name, "name_key": key}
        for pk, name in later:
            changes[pk] = {"name": name, "name_key": f"{key}\n{pk}"}
            print(
                f"\n  Warning: {model._meta.verbose_name} “{name}” (id {pk}) has the same name as “{first_name}” "
                f"(id {first_pk}) once case, width and invisible characters are ignored. "
                "Both are kept; rename or merge them (the admin lists them under “Name clashes”)."
            )
    return changes


def alias_keys(model, db):
    """Each term's aliases' keys, each between line breaks, as the admin's checks look them up."""
    changes = {}
    for pk, aliases in model.objects.using(db).exclude(aliases="").values_list("pk", "aliases"):
        keys = dict.fromkeys(key for line in aliases.splitlines() if (key := identity_key(line)))
        changes[pk] = {"alias_keys": "".join(f"\n{key}" for key in keys) + "\n"}
    return changes


def lower_slugs(model, db):
    """The slugs lower-cased, in id order; a slug that would clash gains "-2", "-3"..."""
    rows = list(model.objects.using(db).order_by("pk").values_list("pk", "slug"))
    taken = {slug for _, slug in rows}
    changes = {}
    for pk, slug in rows:
        if slug == slug.lower():
            continue
        taken.discard(slug)
        base = candidate = slug.lower()
        number = 2
        while candidate in taken:
            suffix = f"-{number}"
            candidate = f"{base[: SLUG_MAX_LENGTH - len(suffix)]}{suffix}"
            number += 1
        if candidate != base:
            print(f"\n  Note: the slug “{slug}” of {model._meta.verbose_name} id {pk} is now “{candidate}”.")
        taken.add(candidate)
        changes[pk] = {"slug": candidate}
    return changes


def apply_identity_rules(apps, schema_editor):
    """Write each row's new name, keys and slug in one update.

    PostgreSQL queues a constraint check for a row updated twice in one transaction, and alters no
    table while checks are queued.
    """
    db = schema_editor.connection.alias
    for name, parts in (("Term", (name_keys, lower_slugs, alias_keys)), ("Tag", (name_keys, lower_slugs))):
        model = apps.get_model("terms", name)
        changes = {}
        for part in parts:
            for pk, values in part(model, db).items():
                changes.setdefault(pk, {}).update(values)
        for fields in {tuple(sorted(values)) for values in changes.values()}:
            rows = [model(pk=pk, **values) for pk, values in changes.items() if tuple(sorted(values)) == fields]
            model.objects.using(db).bulk_update(rows, fields, batch_size=500)


class Migration(migrations.Migration):
    # Names and addresses feed the published layer's derived rows; the pages are also rendered again
    # with this release's pipeline (sub-headings, images), from the versions readers see.
    rebuilds_published_layer = True

    dependencies = [
        ("terms", "0011_seeded_marker"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="tag", name="tag_unique_name_ci"),
        migrations.RemoveConstraint(model_name="term", name="term_unique_name_ci"),
        migrations.AddField(
            model_name="tag",
            name="name_key",
            field=models.TextField(
                default="",
                editable=False,
                help_text="The name compared ignoring case, width and invisible characters; set from the name.",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="term",
            name="name_key",
            field=models.TextField(
                default="",
                editable=False,
                help_text="The name compared ignoring case, width and invisible characters; set from the name.",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="term",
            name="name",
            field=models.CharField(
                help_text=(
                    'The term as readers know it, e.g. "Fine-tuning" or "LLM". Unique, ignoring letter case, '
                    "width and invisible characters."
                ),
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="term",
            name="alias_keys",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="The aliases compared as names are; set from the aliases.",
            ),
        ),
        migrations.RunPython(apply_identity_rules, migrations.RunPython.noop),
    ]
