"""The README and docs/ stand on their own: every link they make leads to a file in the repository."""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) and [text]: target; the target up to an optional "#anchor" or title.
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?[^)]*\)|^\s*\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
# A path written out in the text, linked or not, that climbs out of its folder: `../shared/x.md`.
CLIMBING_PATH = re.compile(r"(?<![\w.])((?:\.\./)+[\w./-]*)")
EXTERNAL = ("http://", "https://", "mailto:")


def ids(documents: list[Path]) -> list[str]:
    return [str(document.relative_to(ROOT)) for document in documents]


def links(document: Path) -> list[str]:
    """The document's links that point into the repository, anchors included."""
    targets = (match.group(1) or match.group(2) for match in LINK.finditer(document.read_text()))
    return [unquote(target) for target in targets if not target.startswith(EXTERNAL)]


def local_targets(document: Path) -> list[str]:
    """The files the document links to, without their anchors."""
    return [target.split("#")[0] for target in links(document) if not target.startswith("#")]


def anchors(document: Path) -> set[str]:
    """The anchors GitHub gives a markdown file's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+\s+(.+?)\s*$", document.read_text(), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def outside_the_repository(document: Path, target: str) -> bool:
    return not (document.parent / target).resolve().is_relative_to(ROOT)


def test_the_readme_links_the_docs():
    assert "docs/architecture.md" in local_targets(ROOT / "README.md")


def test_the_readme_links_backup_restore_and_upgrade():
    assert "docs/operations.md" in local_targets(ROOT / "README.md")


@pytest.mark.parametrize("document", DOCUMENTS, ids=ids(DOCUMENTS))
def test_every_link_leads_to_a_file_in_the_repository(document):
    missing = [target for target in local_targets(document) if not (document.parent / target).exists()]
    assert missing == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=ids(DOCUMENTS))
def test_every_link_to_a_section_finds_its_heading(document):
    sections = [target.split("#", 1) for target in links(document) if "#" in target]
    targets = [(document.parent / path if path else document, anchor) for path, anchor in sections]
    # A missing file is the test above's failure.
    unknown = [f"{target}#{anchor}" for target, anchor in targets if target.is_file() and anchor not in anchors(target)]
    assert unknown == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=ids(DOCUMENTS))
def test_no_link_leaves_the_repository(document):
    outside = [target for target in local_targets(document) if outside_the_repository(document, target)]
    assert outside == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=ids(DOCUMENTS))
def test_no_path_in_the_text_leaves_the_repository(document):
    paths = CLIMBING_PATH.findall(document.read_text())
    assert [path for path in paths if outside_the_repository(document, path)] == []
