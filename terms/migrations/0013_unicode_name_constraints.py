"""The database's own guard on the identity rules that 0012 applied to the rows: unique name keys, lower-case slugs.

Apart from 0012 because PostgreSQL alters no table while the rows a migration has just updated still have
constraint checks pending: a data migration and the schema change after it commit separately.
"""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("terms", "0012_unicode_name_keys"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(
                fields=("name_key",),
                name="tag_unique_name_key",
                violation_error_code="unique",
                violation_error_message=(
                    "A tag with this name already exists (tags ignore case). "
                    "Character width and invisible characters do not count either."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", django.db.models.functions.text.Lower("slug"))),
                name="tag_slug_lower_case",
                violation_error_message="The slug must be lower case, e.g. “fine-tuning”.",
            ),
        ),
        migrations.AddConstraint(
            model_name="term",
            constraint=models.UniqueConstraint(
                fields=("name_key",),
                name="term_unique_name_key",
                violation_error_code="unique",
                violation_error_message=(
                    "A term with this name already exists. Names differing only in letter case, "
                    "character width or invisible characters are the same name."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="term",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", django.db.models.functions.text.Lower("slug"))),
                name="term_slug_lower_case",
                violation_error_message="The slug must be lower case, e.g. “fine-tuning”.",
            ),
        ),
    ]
