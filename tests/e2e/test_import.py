"""An editor imports a CSV in the admin (a row in error, the file fixed, applied); a reviewer publishes the import."""

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


def test_an_editor_sees_a_row_in_error_fixes_the_file_and_applies_it_and_a_reviewer_publishes_it(
    page, new_page, site, axe_core
):
    log_in(page, site, "editor")
    page.goto(site("/admin/terms/term/"))
    page.get_by_role("link", name="Import", exact=True).click()
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
    review = page.url
    expect(page.locator(".changeset-waiting")).to_contain_text("Waiting for a reviewer")
    assert page.request.get(site("/terms/sparse-attention/")).status == 404

    reviewer = new_page()
    log_in(reviewer, site, "reviewer")
    reviewer.goto(site("/admin/"))
    reviewer.get_by_role("link", name=re.compile("terms.csv")).first.click()
    assert reviewer.url == review
    expect(reviewer.locator(".changeset-review")).to_contain_text("Sparse attention")
    assert violations(reviewer, axe_core) == []
    reviewer.get_by_role("link", name="Publish all 1 term…").click()
    reviewer.get_by_role("button", name="Publish all 1 term").click()
    expect(reviewer.locator(".changeset-decided")).to_contain_text("Published by reviewer")
    reviewer.goto(site("/terms/sparse-attention/"))
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("What is sparse attention?")
    assert reviewer.errors == []
