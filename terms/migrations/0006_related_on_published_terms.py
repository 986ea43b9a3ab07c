from django.db import migrations, models


class Migration(migrations.Migration):
    # The "Related terms" of what is already published are derived data: `migrate` fills them in (terms.apps).
    rebuilds_published_layer = True

    dependencies = [
        ("terms", "0005_workflow"),
    ]

    operations = [
        migrations.AddField(
            model_name="publishedterm",
            name="related",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
