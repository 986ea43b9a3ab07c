"""The admin's "Glossary health" page in a real browser: accessible in both themes, reached from the term list."""

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, log_in
from .test_accessibility import violations


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_health_page_is_accessible(new_page, site, axe_core, scheme):
    page = new_page(color_scheme=scheme)
    log_in(page, site, "editor")
    assert page.goto(site("/admin/terms/term/health/")).status == 200
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"admin-health-{scheme}.png", full_page=True)
    assert violations(page, axe_core) == []


def test_the_term_list_leads_to_the_health_page(new_page, site):
    page = new_page()
    log_in(page, site, "editor")
    page.goto(site("/admin/terms/term/"))
    page.get_by_role("link", name="Glossary health").click()
    expect(page.get_by_role("heading", name="Glossary health", level=1)).to_be_visible()
