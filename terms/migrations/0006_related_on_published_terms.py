from django.db import migrations, models


def fill_related(apps, schema_editor):
    """Store the "Related terms" of every term already published, with the code that keeps them up to date."""
    from terms.models.published import PublishedTerm
    from terms.publishing import refresh_related

    ids = list(PublishedTerm.objects.using(schema_editor.connection.alias).values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        refresh_related(ids[start : start + 1000])


class Migration(migrations.Migration):
    dependencies = [
        ("terms", "0005_workflow"),
    ]

    operations = [
        migrations.AddField(
            model_name="publishedterm",
            name="related",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(fill_related, migrations.RunPython.noop),
    ]
