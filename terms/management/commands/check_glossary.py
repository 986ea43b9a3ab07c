"""Check the whole glossary for problems editors should fix; exit with status 1 if any is an error (for CI)."""

import json

from django.core.management.base import BaseCommand, CommandError

from terms.checkup import ERROR, Report, check_glossary


class Command(BaseCommand):
    help = (
        "Check the glossary: loops of broader terms, shared aliases, relations to unpublished or deprecated terms, "
        "duplicate one-liners, pronunciations, empty sections, orphans, overdue reviews, phrases with no entry. "
        "Exit status 1 if there is an error (or, with --fail-on-warnings, a warning)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print the report as JSON, for machines."
        )
        parser.add_argument(
            "--fail-on-warnings", action="store_true", help="Exit with status 1 on warnings too, not only on errors."
        )

    def handle(self, *args, as_json: bool = False, fail_on_warnings: bool = False, **options):
        report = check_glossary()
        if as_json:
            self.stdout.write(dumps(report))
        else:
            self.write_human(report)
        if report.errors or (fail_on_warnings and report.warnings):
            # CommandError's status, with the report already said: its message is one line on stderr.
            raise CommandError(summary(report), returncode=1)

    def write_human(self, report: Report) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"Glossary health: {summary(report)}") + "\n")
        for result in report.results:
            count = len(result.findings)
            if not count:
                self.stdout.write(f"  ok       {result.check.title}: none")
                continue
            style = self.style.ERROR if result.check.level == ERROR else self.style.WARNING
            self.stdout.write("\n" + style(f"  {result.check.level:<8} {result.check.title}: {count}"))
            self.stdout.write(f"           How to fix: {result.check.how_to_fix}")
            for finding in result.findings:
                about = f"{finding.term.title} ({finding.term.slug}): " if finding.term else ""
                self.stdout.write(f"           - {about}{finding.message}")
                if finding.others and finding.term is None:
                    self.stdout.write(f"             on: {', '.join(other.title for other in finding.others)}")


def summary(report: Report) -> str:
    errors, warnings = report.errors, report.warnings
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}."


def dumps(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
