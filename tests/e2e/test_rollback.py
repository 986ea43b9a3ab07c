"""Rolling back, in a real browser: the reviewer is asked first, in words, and only the confirmation changes the page."""

import re

from playwright.sync_api import expect

from .conftest import log_in

TERM = "Overfitting"
PAGE = "/terms/overfitting/"
NEW_ANALOGY = "Like a parrot that repeats the practice answers word for word."


def publish_a_new_analogy(page, site) -> str:
    """Give the live term a new analogy and publish it from its change form; return the form's address."""
    page.goto(site(f"/admin/terms/term/?q={TERM}"))
    page.get_by_role("link", name=TERM, exact=True).click()
    page.wait_for_url(re.compile(r"/admin/terms/term/\d+/change/"))
    publish = page.get_by_role("button", name="Save and publish")
    expect(publish).to_be_hidden()  # nothing to publish until something changes
    page.get_by_label("Analogy:", exact=True).fill(NEW_ANALOGY)
    page.get_by_label("Public change note:", exact=True).fill("A new analogy.")
    publish.click()
    expect(page.locator(".messagelist")).to_contain_text("saved and published")
    return page.url


def open_rollback_of_the_first_version(page, change_url: str) -> None:
    page.goto(change_url.replace("/change/", "/revisions/"))
    page.get_by_role("link", name="Make this version live").last.click()
    page.wait_for_url(re.compile(r"/revisions/\d+/rollback/$"))


def test_rollback_asks_first_and_says_in_words_what_readers_would_see_change(new_page, site):
    page = new_page()
    log_in(page, site, "reviewer")
    change_url = publish_a_new_analogy(page, site)
    open_rollback_of_the_first_version(page, change_url)
    expect(page.get_by_role("heading", name="What readers would see change")).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text(NEW_ANALOGY)
    page.get_by_role("link", name="No, go back").click()
    page.goto(site(PAGE))
    expect(page.locator("body")).to_contain_text(NEW_ANALOGY)  # going back changed nothing
    open_rollback_of_the_first_version(page, change_url)
    page.get_by_label("Why (optional, kept in the history)").fill("The new analogy was misleading.")
    page.get_by_role("button", name="Yes, make this version live").click()
    expect(page.locator(".messagelist")).to_be_visible()
    page.goto(site(PAGE))
    expect(page.locator("body")).not_to_contain_text(NEW_ANALOGY)
