from django.db import migrations, models


def count_published(apps, schema_editor):
    """Fill in the new counts for a database that already has published terms."""
    from terms.models.published import published_counts

    SiteState = apps.get_model("terms", "SiteState")
    counts = published_counts(apps.get_model("terms", "PublishedTerm"), apps.get_model("terms", "PublishedTermTag"))
    SiteState.objects.using(schema_editor.connection.alias).filter(pk=1).update(**counts)


class Migration(migrations.Migration):
    dependencies = [
        ("terms", "0002_editorial_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="sitestate",
            name="letter_counts",
            field=models.TextField(default="{}"),
        ),
        migrations.AddField(
            model_name="sitestate",
            name="tag_counts",
            field=models.TextField(default="[]"),
        ),
        migrations.AddField(
            model_name="sitestate",
            name="term_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="publishedterm",
            name="published_at",
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name="publishedterm",
            index=models.Index(fields=["-published_at", "sort_name"], name="publishedterm_recent"),
        ),
        migrations.RunPython(count_published, migrations.RunPython.noop),
    ]
