"""Deprecating a term in a real browser: the reviewer's screen, then the banner readers see, checked by axe."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, log_in
from .test_accessibility import violations

TERM = "AI slop"
PAGE = "/terms/ai-slop/"
SUCCESSOR = "Hallucination"


@pytest.fixture(scope="module")
def deprecated(browser, site):
    """AI slop, deprecated by the reviewer from its admin page, replaced by Hallucination."""
    context = browser.new_context()
    page = context.new_page()
    log_in(page, site, "reviewer")
    page.goto(site(f"/admin/terms/term/?q={TERM}"))
    page.get_by_role("link", name=TERM, exact=True).click()
    page.wait_for_url(re.compile(r"/admin/terms/term/\d+/change/"))
    page.get_by_role("link", name="Deprecate…").click()
    page.get_by_label("Why it is deprecated").fill("Too vague to define.")
    page.locator(".field-replaced_by .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(SUCCESSOR)
    page.get_by_role("option", name=SUCCESSOR, exact=True).click()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "deprecate-screen.png", full_page=True)
    page.get_by_role("button", name="Deprecate and publish").click()
    expect(page.locator(".messagelist")).to_contain_text("is deprecated")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_deprecated_page_shows_its_banner_and_passes_axe(new_page, site, axe_core, deprecated, scheme):
    page = new_page(color_scheme=scheme)
    assert page.goto(site(PAGE)).status == 200
    banner = page.get_by_role("note")
    expect(banner).to_contain_text("Deprecated on")
    expect(banner.get_by_role("link", name=SUCCESSOR)).to_be_visible()
    page.screenshot(path=ARTIFACTS / f"deprecated-term-{scheme}.png")
    assert violations(page, axe_core) == []
