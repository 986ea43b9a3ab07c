"""Importing a glossary file (CSV, JSON or SKOS Turtle): read it, plan what it would change, and apply the plan.

The plan names, for each row of the file (with its line, or entry number), whether it would create a term,
update one, leave one unchanged, or cannot be imported and why. Applying writes every created and updated
term as a working copy in review, with a revision, grouped as one change set, in one transaction; a file
with any error changes nothing. Nothing is published. The command and the admin share this one code path.

Reading the file is `reading`, the plan `planning`, writing it `applying`.
"""

from .applying import Outcome, import_file
from .planning import Action, Plan, Row, make_plan
from .reading import MAX_BYTES, MAX_ROWS, FileRefused

__all__ = ["MAX_BYTES", "MAX_ROWS", "Action", "FileRefused", "Outcome", "Plan", "Row", "import_file", "make_plan"]
