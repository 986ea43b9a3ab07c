"""Publish the terms whose scheduled time has come: run it from cron every few minutes."""

from django.core.management.base import BaseCommand, CommandError

from terms.scheduling import publish_due


class Command(BaseCommand):
    help = (
        "Publish each term a reviewer scheduled, once its time has come, if it has not been saved since it was "
        "approved (a term saved since is left for a new review). Prints what it did; exits non-zero if any failed."
    )

    def handle(self, *args, verbosity, **options):
        report = publish_due()
        if verbosity:
            for name in report.published:
                self.stdout.write(self.style.SUCCESS(f"Published “{name}”."))
            for name, reason in report.skipped:
                self.stdout.write(self.style.WARNING(f"Not published “{name}”: {reason}."))
        if verbosity > 1 and not (report.published or report.skipped or report.failed):
            self.stdout.write("Nothing was due.")
        # Failures are said even with --verbosity 0: cron mails what a command prints, and these need a person.
        for name, reason in report.failed:
            self.stderr.write(f"Failed to publish “{name}”: {reason} It stays scheduled and is tried again next run.")
        if report.failed:
            count = len(report.failed)
            raise CommandError(f"{count} scheduled publication{'s' if count != 1 else ''} failed.")
