from django.db import migrations, models


class Migration(migrations.Migration):
    # The counts of what is already published are derived data: `migrate` fills them in (terms.apps).
    rebuilds_published_layer = True

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
    ]
