"""Rebuild what the published layer derives from its published rows: after a restore, or if ever in doubt."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from terms.bulk_publishing import DERIVED, rebuild_derived


class Command(BaseCommand):
    help = (
        "Render the published markdown again, and rebuild the search index, names, images, tag rows, related terms, “People also read”, cross-links and counts "
        "from the published terms, in one transaction, and drop cached pages. Safe to run again."
    )

    def handle(self, *args, verbosity, **options):
        # On a terminal only (disable=None), and never with --verbosity 0.
        bar = tqdm(
            total=len(DERIVED), unit="part", file=sys.stderr, disable=None if verbosity else True, desc="rebuild"
        )

        def progress(part: str) -> None:
            bar.set_postfix_str(part, refresh=False)
            bar.update()

        with bar:
            count = rebuild_derived(progress=progress)
        if verbosity:
            parts = ", ".join(part for part, _ in DERIVED)
            self.stdout.write(self.style.SUCCESS(f"Rebuilt for {count} published terms: {parts}."))
