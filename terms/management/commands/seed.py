"""Load the starter glossary into a new database and publish it, once per database, ever."""

import logging

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands import loaddata
from django.db import transaction
from django.utils import timezone

from terms.models.editorial import Term
from terms.models.history import Revision
from terms.models.published import SiteState
from terms.publishing import publish


class Command(BaseCommand):
    help = (
        "Seed a new database from fixtures/ and publish every term. Runs once per database: "
        "a database seeded before, or already in use, is left unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default="glossary", help="Fixture name in fixtures/ (default: glossary).")

    def handle(self, *args, fixture, **options):
        # One line for the whole seed rather than one log line per term.
        logging.getLogger("terms.publishing").setLevel(logging.WARNING)
        now = timezone.now()
        try:
            with transaction.atomic():
                # Locked, so two seeds started at once cannot both load.
                state, _ = SiteState.objects.select_for_update().get_or_create(pk=1, defaults={"changed_at": now})
                if state.seeded_at is not None:
                    self.stdout.write(
                        f"This database was seeded on {timezone.localtime(state.seeded_at):%Y-%m-%d %H:%M %Z}; "
                        "seeding runs once per database. Nothing changed."
                    )
                    return
                SiteState.objects.filter(pk=1).update(seeded_at=now)
                if Term.objects.exists() or Revision.objects.exists():
                    self.stdout.write(
                        self.style.WARNING(
                            "This database already holds terms or their history, so it is not seeded; "
                            "it is now marked as seeded. Nothing else changed."
                        )
                    )
                    return
                # Django's own loaddata: the project's refuses the starter glossary, which loads only here.
                call_command(loaddata.Command(), fixture, verbosity=0)
                terms = list(Term.objects.order_by("pk"))
                for term in terms:
                    publish(term, by=None, message=f"Seeded from fixtures/{fixture}.json")
        except ValidationError as error:
            raise CommandError(f"The fixture is invalid, nothing was loaded: {' '.join(error.messages)}") from error
        self.stdout.write(self.style.SUCCESS(f"Seeded and published {len(terms)} terms."))
