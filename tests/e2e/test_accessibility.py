"""axe-core finds nothing wrong on any page type, in either theme."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .pages import PAGE_TYPES

axe = Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_axe_finds_no_violations(new_page, site, name, scheme):
    path, status = PAGE_TYPES[name]
    page = new_page(color_scheme=scheme)
    assert page.goto(site(path)).status == status
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_search_suggestions_open(new_page, site, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(site("/"))
    page.locator("#site-search").fill("tok")
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
