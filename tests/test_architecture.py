"""The structure holds: import-linter's contracts bite, raw SQL stays in its modules, modules stay readable."""

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
TERMS = BASE_DIR / "terms"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACT_NAMES = {
    contract["id"]: contract["name"]
    for contract in tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
}
# One import per contract that it must refuse: (module it is added to, the import, the contract).
VIOLATIONS = [
    ("terms/views.py", "from terms.models.editorial import Term", "readers"),
    ("terms/views.py", "from terms.models import Term", "readers"),
    ("terms/templatetags/glossary.py", "from terms.models.editorial import Term", "readers"),
    ("terms/api.py", "from terms.models.history import Revision", "readers"),
    ("terms/models/published.py", "from terms.publishing import publish", "models"),
    ("terms/models/editorial.py", "from terms.admin import TermAdmin", "models"),
    ("terms/migrations/0001_initial.py", "from terms.identity import identity_key", "migrations"),
    ("terms/migrations/0001_initial.py", "from glossary_site import settings", "migrations"),
    ("terms/views.py", "from tooling import words", "tooling"),
    ("glossary_site/urls.py", "import tooling.processes", "tooling"),
]
# Where raw SQL may live (paths under terms/, matched from the start): the readers module, the bulk writer,
# the search backends, the health check, migrations.
CURSOR_ALLOWED = ("queries.py", "bulk.py", "search.py", "search/", "health.py", "migrations/")
MAX_LINES = 450
# The search engine is one capability too large to split usefully; migrations are generated history.
LENGTH_EXEMPT = ("search.py", "search/", "migrations/")


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def project_copy(tmp_path):
    """The app, the project package and the contracts, copied where a test may break them."""
    for package in ("terms", "glossary_site", "tooling"):
        shutil.copytree(BASE_DIR / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(BASE_DIR / "pyproject.toml", tmp_path)
    return tmp_path


def product_modules():
    """Every Python file of the product app, as a path relative to terms/."""
    return sorted(path.relative_to(TERMS).as_posix() for path in TERMS.rglob("*.py"))


def cursor_calls(module: str) -> list[int]:
    """The lines of module where something's .cursor() is called."""
    tree = ast.parse((TERMS / module).read_text())
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "cursor"
    ]


def test_the_contracts_are_kept(project_copy):
    result = lint_imports(project_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("module", "line", "contract"), VIOLATIONS)
def test_a_contract_fails_when_broken(project_copy, module, line, contract):
    with (project_copy / module).open("a") as source:
        source.write(f"\n{line}\n")
    assert f"{CONTRACT_NAMES[contract]} BROKEN" in lint_imports(project_copy).stdout


def test_no_cursor_outside_the_modules_allowed_raw_sql():
    calls = [
        f"terms/{module}:{line}"
        for module in product_modules()
        if not module.startswith(CURSOR_ALLOWED)
        for line in cursor_calls(module)
    ]
    assert calls == []


def test_no_product_module_is_over_450_lines():
    long = [
        f"terms/{module}"
        for module in product_modules()
        if not module.startswith(LENGTH_EXEMPT) and len((TERMS / module).read_text().splitlines()) > MAX_LINES
    ]
    assert long == []
