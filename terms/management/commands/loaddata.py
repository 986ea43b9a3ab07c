"""Django's `loaddata`, made safe for the glossary: it adds rows or restores a backup, never overwrites editorial rows."""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import loaddata

from terms.admin_search import reindex
from terms.models.editorial import Term
from terms.models.parts import Example, Misconception
from terms.models.relations import Relation
from terms.models.tags import TaggedTerm

# `seed` loads it through Django's own command, once per database, publishing each term with a revision.
STARTER_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "glossary.json"
# A term's content: loaddata writes rows raw, so overwriting one would change a term with no revision or version.
EDITORIAL_MODELS = (Term, Example, Misconception, Relation, TaggedTerm)
# How many of the rows a refusal names.
NAMED_ROWS = 10


def describe(row) -> str:
    """A row as the refusal names it: "term fine-tuning", "example fine-tuning / 2"."""
    return f"{row._meta.verbose_name} {' / '.join(str(part) for part in row.natural_key())}"


def refusal(rows: list) -> str:
    """Why nothing was loaded: how many rows of each kind would be overwritten, the first few by name."""
    rows = sorted(rows, key=lambda row: EDITORIAL_MODELS.index(type(row)))
    counts = Counter(type(row) for row in rows)
    kinds = ", ".join(
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in counts.items()
    )
    named = ", ".join(describe(row) for row in rows[:NAMED_ROWS])
    more = f" and {len(rows) - NAMED_ROWS} more" if len(rows) > NAMED_ROWS else ""
    return (
        f"Nothing was loaded: the fixture would overwrite {kinds} that editors wrote, with no revision: "
        f"{named}{more}. Change existing terms in the admin; load fixtures only to add terms, or into an empty database."
    )


class Command(loaddata.Command):
    help = (
        "Installs the named fixture(s) in the database: new rows, or a backup into an empty database. "
        "Refuses, changing nothing, a fixture that would overwrite a term, example, misconception, relation "
        "or a term's tag, and the starter glossary (use `manage.py seed`)."
    )

    def save_obj(self, obj):
        row = obj.object
        model = type(row)
        excluded = model in self.excluded_models or row._meta.app_config in self.excluded_apps
        if model in EDITORIAL_MODELS and row.pk is not None and not excluded:
            existing = model._base_manager.using(self.using).filter(pk=row.pk).first()
            if existing is not None:
                self.overwritten.append(existing)
                return False
        saved = super().save_obj(obj)
        if saved and model in (Term, Example, Misconception):
            self.loaded_terms.add(row.pk if model is Term else row.term_id)
        return saved

    def load_label(self, fixture_label):
        starter = STARTER_FIXTURE.resolve()
        if any(Path(path).resolve() == starter for path, _, _ in self.find_fixtures(fixture_label)):
            raise CommandError(
                "The starter glossary loads only through `manage.py seed`, which publishes it once per database "
                "and records a revision for each term. Nothing was loaded."
            )
        self.overwritten, self.loaded_terms = [], set()
        super().load_label(fixture_label)
        # Raised inside loaddata's transaction: the rows this or an earlier fixture added are rolled back too.
        if self.overwritten:
            raise CommandError(refusal(self.overwritten))
        # Rows are written raw, past the verbs that keep the admin's search index: index the terms here.
        reindex(sorted(self.loaded_terms))
