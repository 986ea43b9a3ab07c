"""Editors write in the admin, reviewers publish, readers see it: the whole way, in a real browser."""

from playwright.sync_api import expect

from .conftest import log_in

NEW_TERM = {
    "Name": "Beam search",
    "One-line definition": "A decoding method that keeps the few most likely partial answers at each step.",
    "Pronunciation": "/biːm sɜːtʃ/",
    "Tags": "Generative AI",
    "Explained in plain English": "Beam search keeps several candidate continuations alive instead of one.",
}
EXAMPLE = "A translation model keeps the four best partial sentences at every word."
MYTH = "Beam search always finds the best answer."
REALITY = "It only keeps a few candidates, so the best one can be pruned early."


def write_term(page, site) -> None:
    page.goto(site("/admin/terms/term/add/"))
    for label, value in NEW_TERM.items():
        page.get_by_label(f"{label}:", exact=True).fill(value)
    # The address follows the name as it is typed.
    expect(page.get_by_label("Slug:", exact=True)).to_have_value("beam-search")

    page.get_by_role("button", name="Add another Example").click()
    page.locator("#examples-0 textarea[name='examples-0-body']").fill(EXAMPLE)

    page.get_by_role("button", name="Add another Misconception").click()
    page.locator("[name='misconceptions-0-claim']").fill(MYTH)
    page.locator("[name='misconceptions-0-correction']").fill(REALITY)

    page.get_by_role("button", name="Add another Related term").click()
    page.locator("[name='relations-0-kind']").select_option("related")
    page.locator("#relations-0 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("LLM")
    page.locator(".select2-results__option", has_text="LLM").first.click()

    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("Beam search")


def test_an_editors_term_goes_live_once_a_reviewer_publishes_it(new_page, site):
    editor = new_page()
    log_in(editor, site, "editor")
    write_term(editor, site)

    reader = new_page()
    response = reader.goto(site("/terms/beam-search/"))
    assert response.status == 404, "a term waiting for review must not be public"

    reviewer = new_page()
    log_in(reviewer, site, "reviewer")
    reviewer.goto(site("/admin/terms/term/review/"))
    reviewer.get_by_role("link", name="Beam search").first.click()
    reviewer.get_by_role("button", name="Publish this version").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("“Beam search” is published.")

    reader.goto(site("/terms/beam-search/"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("What is beam search?")
    expect(reader.locator("#examples")).to_contain_text(EXAMPLE)
    expect(reader.locator("#misconceptions")).to_contain_text(MYTH)
    expect(reader.locator("#related")).to_contain_text("LLM")
    expect(reader.locator(".term__pronunciation .ipa")).to_have_text("/biːm sɜːtʃ/")
