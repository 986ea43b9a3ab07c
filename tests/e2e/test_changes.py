"""A reviewer publishes a change with its public note; readers see it on the page and in Recent changes."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, log_in

TERM = "Underfitting"
NOTE = "Clearer analogy, with a new example."


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_change_published_with_its_note_is_shown_to_readers(new_page, site, scheme):
    reviewer = new_page(color_scheme=scheme)
    log_in(reviewer, site, "reviewer")
    reviewer.goto(site(f"/admin/terms/term/?q={TERM}"))
    reviewer.get_by_role("link", name=TERM, exact=True).click()
    reviewer.wait_for_url(re.compile(r"/admin/terms/term/\d+/change/"))
    reviewer.get_by_label("Analogy:", exact=True).fill(f"Like a student who skimmed the book ({scheme}).")
    reviewer.get_by_role("button", name="Save and publish").click()
    # Without a note, or "minor", nothing is saved: the form says what is missing.
    expect(reviewer.locator(".field-public_note .errorlist")).to_contain_text("Write a public change note")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    reviewer.locator(".publish-note").screenshot(path=ARTIFACTS / f"admin-change-note-{scheme}.png")
    reviewer.get_by_label("Public change note:", exact=True).fill(NOTE)
    reviewer.get_by_role("button", name="Save and publish").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("saved and published")

    reader = new_page(color_scheme=scheme)
    reader.goto(site("/terms/underfitting/"))
    expect(reader.locator(".term__footer")).to_contain_text(NOTE)
    reader.get_by_role("link", name="All changes to this term").click()
    expect(reader.locator(".change-list")).to_contain_text(NOTE)
    reader.goto(site("/changes/?kind=updated"))
    expect(reader.locator(".change-list li").first).to_contain_text(TERM)
