"""An editor imports a CSV in the admin: a preview with one row in error, the file fixed, the import applied."""

import re

from playwright.sync_api import expect

from .conftest import log_in
from .test_accessibility import violations

HEADER = "name,short_definition,relations,tags\n"
BROKEN = HEADER + "Sparse attention,Attending to a few positions only.,related: Nowhere term,Imported\n"
FIXED = HEADER + "Sparse attention,Attending to a few positions only.,related: Attention mechanism,Imported\n"


def choose(page, text: str) -> None:
    page.get_by_label("Glossary file:", exact=True).set_input_files(
        files={"name": "terms.csv", "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Preview the import").click()


def test_an_editor_sees_a_row_in_error_fixes_the_file_and_applies_it(page, site, axe_core):
    log_in(page, site, "editor")
    page.goto(site("/admin/terms/term/"))
    page.get_by_role("link", name="Import").click()
    choose(page, BROKEN)
    error_row = page.get_by_role("row", name=re.compile("Sparse attention"))
    expect(error_row).to_contain_text("no term is called “Nowhere term”")
    expect(page.get_by_role("button", name="Apply the import")).to_have_count(0)
    assert violations(page, axe_core) == []

    choose(page, FIXED)
    expect(page.get_by_role("row", name=re.compile("Sparse attention"))).to_contain_text("Created")
    page.get_by_role("button", name="Apply the import").click()
    expect(page.locator(".messagelist")).to_contain_text("wait for review as one change set")
    assert page.errors == []
