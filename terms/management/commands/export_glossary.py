"""Write the glossary to a file: JSON (complete), CSV (one row per term) or SKOS Turtle."""

import sys

from django.core.management.base import BaseCommand, CommandError

from terms.exporting import FORMATS, export


class Command(BaseCommand):
    help = (
        "Export every term's working copy (or, with --published, what readers see) as CSV, JSON or SKOS Turtle, "
        "to FILE or standard output. The same glossary gives the same bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="json", help="File format (default: json).")
        parser.add_argument("--published", action="store_true", help="Only what readers see, as they see it.")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here instead of standard output.")

    def handle(self, *args, format, published, output, **options):
        data = export(format, published=published)
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        try:
            with open(output, "wb") as file:
                file.write(data)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        if options["verbosity"]:
            self.stderr.write(f"Wrote {output} ({len(data):,} bytes).")
