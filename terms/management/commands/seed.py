"""Load the starter glossary into an empty database and publish it."""

import logging

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from terms.models.editorial import Term
from terms.publishing import publish


class Command(BaseCommand):
    help = "Seed an empty database from fixtures/ and publish every term. Does nothing if any term exists."

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default="glossary", help="Fixture name in fixtures/ (default: glossary).")

    def handle(self, *args, fixture, **options):
        existing = Term.objects.count()
        if existing:
            self.stdout.write(f"The glossary already has {existing} terms; seeding skipped, nothing changed.")
            return
        # One line for the whole seed rather than one log line per term.
        logging.getLogger("terms.publishing").setLevel(logging.WARNING)
        try:
            with transaction.atomic():
                call_command("loaddata", fixture, verbosity=0)
                terms = list(Term.objects.order_by("pk"))
                for term in terms:
                    publish(term, by=None, message=f"Seeded from fixtures/{fixture}.json")
        except ValidationError as error:
            raise CommandError(f"The fixture is invalid, nothing was loaded: {' '.join(error.messages)}") from error
        self.stdout.write(self.style.SUCCESS(f"Seeded and published {len(terms)} terms."))
