"""Seeding happens once per database, ever: `SiteState.seeded_at` records that it did.

A database already in use (any term, or any revision of a term since deleted) counts as seeded,
so `seed` never brings back starter terms a team has deleted."""

from django.db import migrations, models
from django.utils import timezone


def mark_databases_in_use(apps, schema_editor):
    Term = apps.get_model("terms", "Term")
    Revision = apps.get_model("terms", "Revision")
    SiteState = apps.get_model("terms", "SiteState")
    db = schema_editor.connection.alias
    if not (Term.objects.using(db).exists() or Revision.objects.using(db).exists()):
        return
    now = timezone.now()
    if not SiteState.objects.using(db).filter(pk=1).update(seeded_at=now):
        SiteState.objects.using(db).create(pk=1, generation=0, changed_at=now, seeded_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("terms", "0010_people_also_read"),
    ]

    operations = [
        migrations.AddField(
            model_name="sitestate",
            name="seeded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_databases_in_use, migrations.RunPython.noop),
    ]
