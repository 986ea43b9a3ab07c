"""axe-core finds nothing wrong on any page type, in either theme."""

from pathlib import Path

import pytest

from .pages import PAGE_TYPES

INSTALLER = Path(__file__).resolve().parents[2] / ".ci" / "install-axe"


def inject(page, axe_core: str) -> None:
    # Evaluated rather than added as a <script> tag: the site's CSP (script-src 'self') refuses inline script.
    page.evaluate(axe_core)


def violations(page, axe_core: str) -> list[str]:
    """What axe-core finds wrong on the page as it is now, one line per rule and element."""
    inject(page, axe_core)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def test_the_checker_is_the_pinned_axe_core(page, site, axe_core):
    assert page.goto(site("/")).status == 200
    inject(page, axe_core)
    assert f"AXE_CORE_VERSION={page.evaluate('() => axe.version')}\n" in INSTALLER.read_text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_axe_finds_no_violations(new_page, site, axe_core, name, scheme):
    path, status = PAGE_TYPES[name]
    page = new_page(color_scheme=scheme)
    assert page.goto(site(path)).status == status
    assert violations(page, axe_core) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_search_suggestions_open(new_page, site, axe_core, scheme):
    page = new_page(color_scheme=scheme)
    assert page.goto(site("/")).status == 200
    page.locator("#site-search").fill("tok")
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert violations(page, axe_core) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_a_cross_links_popover_open_on_a_touch_phone(new_page, site, axe_core, scheme):
    page = new_page(viewport={"width": 375, "height": 667}, has_touch=True, is_mobile=True, color_scheme=scheme)
    assert page.goto(site(PAGE_TYPES["term"][0])).status == 200
    page.locator("#explanation .xref > a").first.tap()
    page.locator(".xref-popover").wait_for()
    assert violations(page, axe_core) == []
