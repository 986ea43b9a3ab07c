"""Every page type at phone and desktop widths, light and dark: saved for people to look at,
and checked for what a person would notice at once."""

import pytest

from .conftest import ARTIFACTS, DESKTOP, PHONE
from .pages import PAGE_TYPES

# 320 px: the narrowest phones still in use.
WIDTHS = {"narrow": {"width": 320, "height": 640}, "phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_fits_the_screen(new_page, site, name, width, scheme):
    path, status = PAGE_TYPES[name]
    page = new_page(viewport=WIDTHS[width], color_scheme=scheme)
    assert page.goto(site(path)).status == status
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{width}-{scheme}.png", full_page=True)
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
