from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db import connections, router
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_migrate


class TermsConfig(AppConfig):
    # The app's own configuration; GlossaryAdminConfig below is the admin's.
    default = True
    name = "terms"
    verbose_name = "Glossary"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(rebuild_after_migrating, sender=self)


def rebuild_after_migrating(sender, *, using, plan=None, verbosity=1, stdout=None, **kwargs):
    """Rebuild what the published layer derives once `migrate` has applied a migration that asks for it.

    Migrations are frozen history: one that changes what publishing derives (the search index,
    cross-links...) only says so with `rebuilds_published_layer = True`; the rebuild runs here,
    with today's code, once the database is at the latest migration of every app.
    """
    from .bulk_publishing import rebuild_derived
    from .models.editorial import Term
    from .models.published import PublishedTerm

    if not plan or using != router.db_for_write(PublishedTerm):
        return
    if not any(getattr(migration, "rebuilds_published_layer", False) for migration, backwards in plan if not backwards):
        return
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        if verbosity and stdout is not None:
            stdout.write(
                "What the published layer derives (search index, cross-links, counts...) will be rebuilt when the "
                "database is migrated to the latest migration (or run `manage.py rebuild_published` then)."
            )
        return
    if not Term.objects.using(using).exists():
        return  # no terms, nothing derived (the admin's search index holds drafts too)
    count = rebuild_derived()
    if verbosity and stdout is not None:
        stdout.write(f"Rebuilt what the published layer derives for {count} published terms.")


class GlossaryAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by the glossary's own site: the workspace dashboard and header counts."""

    default = False
    default_site = "terms.admin_site.GlossaryAdminSite"
