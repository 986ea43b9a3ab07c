"""The workspace on the admin home and the counts in its header, for an editor and a reviewer, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, PHONE, log_in
from .test_accessibility import violations

COMMENT = "Say where the name comes from, with a source."


def add_term(page, site, name: str, *, submit: bool) -> None:
    """Write a term in the admin as an editor would; save it as a draft, or submit it for review."""
    page.goto(site("/admin/terms/term/add/"))
    page.get_by_label("Name:", exact=True).fill(name)
    page.get_by_label("One-line definition:", exact=True).fill(f"What {name} means, in one line.")
    page.get_by_role("button", name="Save and submit for review" if submit else "Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(name)


def send_back(page, site, name: str) -> None:
    """As a reviewer, open the term from the review queue and send it back with COMMENT."""
    page.goto(site("/admin/terms/term/review/"))
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_label("What should the author change?").fill(COMMENT)
    page.get_by_role("button", name="Send back to the author").click()
    expect(page.locator(".messagelist")).to_be_visible()


@pytest.fixture(scope="module")
def workspace(browser, site):
    """The editor's draft, and a term of theirs sent back by the reviewer with COMMENT."""
    context = browser.new_context()
    editor, reviewer = context.new_page(), browser.new_context().new_page()
    log_in(editor, site, "editor")
    add_term(editor, site, "Dashboard draft", submit=False)
    add_term(editor, site, "Sent back term", submit=True)
    add_term(editor, site, "Queued term", submit=True)
    log_in(reviewer, site, "reviewer")
    send_back(reviewer, site, "Sent back term")
    reviewer.context.close()
    context.close()


def test_an_editor_sees_their_draft_on_the_admin_home(new_page, site, workspace):
    page = new_page()
    log_in(page, site, "editor")
    expect(page.locator("section[aria-labelledby='ws-drafts']")).to_contain_text("Dashboard draft")


def test_an_editor_sees_a_term_sent_back_with_the_reviewers_comment(new_page, site, workspace):
    page = new_page()
    log_in(page, site, "editor")
    sent_back = page.locator("section[aria-labelledby='ws-sent-back']")
    expect(sent_back.get_by_role("link", name="Sent back term")).to_be_visible()
    expect(sent_back).to_contain_text(COMMENT)


def test_the_sent_back_term_opens_its_edit_page(new_page, site, workspace):
    page = new_page()
    log_in(page, site, "editor")
    page.locator("section[aria-labelledby='ws-sent-back']").get_by_role("link", name="Sent back term").click()
    expect(page.get_by_label("Name:", exact=True)).to_have_value("Sent back term")


def test_an_editor_is_told_in_the_header_that_a_term_came_back(new_page, site, workspace):
    page = new_page()
    log_in(page, site, "editor")
    expect(page.locator("#header-notifications")).to_contain_text(re.compile(r"Notifications \(\d+ unread\)"))


def test_a_reviewer_sees_the_awaiting_count_in_the_header(new_page, site, workspace):
    page = new_page()
    log_in(page, site, "reviewer")
    page.goto(site("/admin/terms/tag/"))
    count = re.fullmatch(r"Awaiting review \((\d+)\)", page.locator("#header-awaiting").text_content().strip())
    page.locator("#header-awaiting").click()
    expect(page).to_have_url(site("/admin/terms/term/review/"))
    assert count and int(count.group(1)) == page.locator(".review-queue tbody tr").count() >= 1


def test_a_reviewer_sees_what_awaits_review_on_the_admin_home(new_page, site, workspace):
    page = new_page()
    log_in(page, site, "reviewer")
    expect(page.locator("section[aria-labelledby='ws-awaiting']")).to_contain_text("Queued term")


WORKSPACE_PAGES = {"home": "/admin/", "notifications": "/admin/notifications/", "email": "/admin/notifications/email/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("who", ["editor", "reviewer"])
@pytest.mark.parametrize("name", WORKSPACE_PAGES)
def test_workspace_pages_are_accessible(new_page, site, workspace, axe_core, name, who, scheme):
    page = new_page(color_scheme=scheme)
    log_in(page, site, who)
    assert page.goto(site(WORKSPACE_PAGES[name])).status == 200
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"workspace-{name}-{who}-{scheme}.png", full_page=True)
    assert violations(page, axe_core) == []


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_the_admin_home_fits_a_phone(new_page, site, workspace, who):
    page = new_page(viewport=PHONE)
    log_in(page, site, who)
    page.screenshot(path=ARTIFACTS / f"workspace-home-{who}-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
