"""One meaning per name: the edit-conflict counter is the edit version; a revision has a number in its term's history.

Existing revisions are numbered 1, 2, 3... per term in the order they were made (time, then id). Revisions
kept from before terms kept their id on deletion (0005) belong to no term: they keep no number.
"""

from django.db import migrations, models

BATCH = 1000


def number_revisions(apps, schema_editor):
    Revision = apps.get_model("terms", "Revision")
    rows = Revision.objects.exclude(term_id=None).order_by("term_id", "created_at", "pk").only("pk", "term_id")
    numbered, term_id, number = [], None, 0
    for revision in rows.iterator(chunk_size=BATCH):
        number = number + 1 if revision.term_id == term_id else 1
        term_id = revision.term_id
        revision.number = number
        numbered.append(revision)
        if len(numbered) == BATCH:
            Revision.objects.bulk_update(numbered, ["number"])
            numbered = []
    Revision.objects.bulk_update(numbered, ["number"])


class Migration(migrations.Migration):
    dependencies = [
        ("terms", "0013_unicode_name_constraints"),
    ]

    operations = [
        migrations.RenameField(model_name="term", old_name="version", new_name="edit_version"),
        migrations.RenameField(model_name="revision", old_name="version", new_name="edit_version"),
        migrations.AlterField(
            model_name="revision",
            name="edit_version",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="revision",
            name="number",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        # Before the numbers: every row's is null then, and each one written is its term's only one.
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.UniqueConstraint(fields=("term", "number"), name="revision_unique_number"),
        ),
        migrations.RunPython(number_revisions, migrations.RunPython.noop),
    ]
