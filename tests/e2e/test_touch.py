"""A reader on a touch screen: the first tap on a cross-link shows the linked term's one-liner,
the second follows the link; mouse and keyboard follow it at once."""

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, DESKTOP

TERM = "/terms/fine-tuning/"
TOUCH_PHONE = {"viewport": {"width": 375, "height": 667}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def phone(new_page, site):
    """A touch phone, 375 px wide, on the Fine-tuning page."""
    page = new_page(**TOUCH_PHONE)
    assert page.goto(site(TERM)).status == 200
    return page


def cross_links(page):
    return page.locator("#explanation .xref > a")


def one_liner(page, index=0):
    """The one-liner a cross-link's tooltip holds (hidden until hover or focus)."""
    return page.locator("#explanation .xref-tip").nth(index).text_content()


def popover(page):
    return page.locator(".xref-popover")


def test_the_first_tap_on_a_cross_link_shows_its_one_liner(phone):
    cross_links(phone).first.tap()
    expect(popover(phone)).to_contain_text(one_liner(phone))


def test_the_first_tap_on_a_cross_link_stays_on_the_page(phone, site):
    cross_links(phone).first.tap()
    expect(popover(phone)).to_be_visible()
    assert phone.url == site(TERM)


def test_the_second_tap_on_a_cross_link_opens_its_page(phone, site):
    link = cross_links(phone).first
    target = link.get_attribute("href")
    link.tap()
    expect(popover(phone)).to_be_visible()
    link.tap()
    phone.wait_for_url(site(target))


def test_the_popovers_link_opens_the_page(phone, site):
    link = cross_links(phone).first
    target = link.get_attribute("href")
    link.tap()
    popover(phone).get_by_role("link", name=f"Open “{link.inner_text()}”").tap()
    phone.wait_for_url(site(target))


def test_a_tapped_cross_link_is_announced_as_expanded(phone):
    link = cross_links(phone).first
    link.tap()
    expect(link).to_have_attribute("aria-expanded", "true")


def test_tapping_elsewhere_closes_the_popover(phone):
    cross_links(phone).first.tap()
    expect(popover(phone)).to_be_visible()
    phone.get_by_role("heading", level=1).tap()
    expect(popover(phone)).to_have_count(0)


def test_tapping_elsewhere_leaves_no_tooltip_either(phone):
    cross_links(phone).first.tap()
    phone.get_by_role("heading", level=1).tap()
    expect(phone.locator("#explanation .xref-tip").first).to_be_hidden()


def test_a_closed_popover_no_longer_says_expanded(phone):
    link = cross_links(phone).first
    link.tap()
    phone.get_by_role("heading", level=1).tap()
    expect(link).not_to_have_attribute("aria-expanded", "true")


def test_escape_closes_the_popover(phone):
    cross_links(phone).first.tap()
    expect(popover(phone)).to_be_visible()
    phone.keyboard.press("Escape")
    expect(popover(phone)).to_have_count(0)


def test_tapping_another_cross_link_moves_the_popover_there(phone):
    cross_links(phone).first.tap()
    cross_links(phone).nth(1).tap()
    expect(popover(phone)).to_have_text(one_liner(phone, 1) + f"Open “{cross_links(phone).nth(1).inner_text()}”")


def test_only_one_popover_is_ever_open(phone):
    cross_links(phone).first.tap()
    cross_links(phone).nth(1).tap()
    expect(popover(phone)).to_have_count(1)


def test_the_popover_stays_inside_a_phones_screen(phone):
    cross_links(phone).first.tap()
    box = popover(phone).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box


def test_the_popover_stays_inside_a_tablets_screen_beside_a_link_near_its_edge(new_page, site):
    page = new_page(viewport={"width": 768, "height": 1024}, has_touch=True)
    assert page.goto(site(TERM)).status == 200
    links = page.locator(".prose .xref > a")
    # The cross-link starting furthest right: a popover starting where it starts would run past the edge.
    rightmost = max(links.all(), key=lambda link: link.evaluate("a => a.getBoundingClientRect().left"))
    rightmost.evaluate("link => link.scrollIntoView({block: 'center'})")
    rightmost.tap()
    box = popover(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 768, box


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_popover_on_a_phone_is_saved_for_people_to_look_at(new_page, site, scheme):
    page = new_page(**TOUCH_PHONE, color_scheme=scheme)
    assert page.goto(site(TERM)).status == 200
    cross_links(page).first.evaluate("link => link.scrollIntoView({block: 'center'})")
    cross_links(page).first.tap()
    expect(popover(page)).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"term-popover-phone-{scheme}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_keyboard_on_a_touch_screen_follows_a_cross_link_at_once(phone, site):
    phone.get_by_role("heading", level=1).tap()  # the last pointer pressed was a finger
    link = cross_links(phone).first
    target = link.get_attribute("href")
    link.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_url(site(target))


def test_a_mouse_pointing_at_a_cross_link_still_shows_its_one_liner(page, site):
    assert page.goto(site(TERM)).status == 200
    cross_links(page).first.hover()
    expect(page.locator("#explanation .xref-tip").first).to_be_visible()


def test_a_mouse_on_a_touch_screen_laptop_follows_a_cross_link_at_once(new_page, site):
    page = new_page(viewport=DESKTOP, has_touch=True)
    assert page.goto(site(TERM)).status == 200
    link = cross_links(page).first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(site(target))
