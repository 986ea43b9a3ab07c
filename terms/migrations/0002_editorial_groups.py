"""Create the Editors and Reviewers groups with the permissions their work needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED_MODELS = ("term", "example", "misconception", "relation", "tag")
EDITOR_ACTIONS = ("view", "add", "change", "delete")


def editor_codenames():
    return [f"{action}_{model}" for model in EDITED_MODELS for action in EDITOR_ACTIONS] + ["view_revision"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor_permissions = list(
        Permission.objects.filter(content_type__app_label="terms", codename__in=editor_codenames())
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*editor_permissions)
    reviewers, _ = Group.objects.get_or_create(name="Reviewers")
    reviewers.permissions.add(
        *editor_permissions, Permission.objects.get(content_type__app_label="terms", codename="publish_term")
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=("Editors", "Reviewers")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("terms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
