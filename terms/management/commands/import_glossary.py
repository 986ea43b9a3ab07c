"""Import a glossary file (CSV, JSON or SKOS Turtle) as working copies in review, grouped as one change set."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from terms.admin_import import change_set_url
from terms.importing import MAX_BYTES, import_file


class Command(BaseCommand):
    help = (
        "Import FILE (CSV, JSON or SKOS Turtle, told apart by content): print what each row would do; unless "
        "--dry-run, and only if no row has an error, write the created and updated terms, in review, as one "
        "change set for reviewers. Nothing is published. Exits 1 on errors, having changed nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Only print what the import would change.")

    def handle(self, *args, file, dry_run, verbosity, **options):
        path = Path(file)
        try:
            with path.open("rb") as opened:
                data = opened.read(MAX_BYTES + 1)  # one byte more than allowed is enough to refuse it
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None

        def progress(items, total, description):
            # On a terminal only (disable=None), and never with --verbosity 0.
            return tqdm(
                items, total=total, desc=description, unit="term", file=sys.stderr, disable=None if verbosity else True
            )

        outcome = import_file(data, path.name, by=None, dry_run=dry_run, progress=progress)
        plan = outcome.plan
        for row in plan.errors:
            self.stderr.write(f"Line {row.line}{f' ({row.name})' if row.name else ''}: {row.reason}")
        if plan.has_errors:
            raise CommandError(f"{plan.summary}. Nothing was imported: correct the file and import it again.")
        if verbosity:
            self.stdout.write(f"{path.name}: {plan.summary}.")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        elif outcome.change_set is None:
            self.stdout.write("Nothing to import: every term in the file is unchanged.")
        else:
            self.stdout.write(
                f"Imported as change set {outcome.change_set.pk}, in review: "
                f"{settings.SITE_URL.rstrip('/')}{change_set_url(outcome.change_set)}"
            )
