"""A reviewer reads only what changed since their last review, in a real browser; the review page in both themes."""

import re

from playwright.sync_api import expect

from .conftest import ARTIFACTS, log_in
from .test_accessibility import violations

TERM = "Underfitting"


def open_term(page, site) -> str:
    """Open the term's change form from the term list, searched for its name; return its admin address."""
    # Searched for: other browser tests add terms, which can push it to a later page of the list.
    page.goto(site(f"/admin/terms/term/?q={TERM}"))
    page.get_by_role("link", name=TERM, exact=True).click()
    page.wait_for_url(re.compile(r"/admin/terms/term/\d+/change/"))
    return page.url


def change_and_submit(page, site, label: str, text: str, summary: str) -> None:
    open_term(page, site)
    page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Edit summary:", exact=True).fill(summary)
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for review")


def section_fields(page, section_id: str) -> list[str]:
    return page.locator(f"#{section_id} tbody th[scope='row']").all_inner_texts()


def send_back_and_resubmit(new_page, site):
    """Underfitting, sent back by the reviewer and resubmitted with one field changed: (editor, reviewer, review URL)."""
    editor = new_page()
    log_in(editor, site, "editor")
    change_and_submit(editor, site, "Analogy:", "Like a student who skimmed one chapter.", "New analogy.")
    review = open_term(editor, site).replace("/change/", "/review/")

    reviewer = new_page()
    log_in(reviewer, site, "reviewer")
    reviewer.goto(review)
    reviewer.get_by_label("What should the author change?").fill("Say where it is used, please.")
    reviewer.get_by_role("button", name="Send back to the author").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("went back to its author")

    change_and_submit(editor, site, "How it is used:", "Spotted when training error stays high.", "Added usage.")
    return editor, reviewer, review


def test_a_reviewer_sees_only_what_changed_since_their_last_review(new_page, site, axe_core):
    editor, reviewer, review = send_back_and_resubmit(new_page, site)
    reviewer.goto(review)
    expect(reviewer.get_by_role("heading", name=re.compile("What changed since you last reviewed it"))).to_be_visible()
    assert section_fields(reviewer, "since-last-review") == ["How it is used"]
    assert section_fields(reviewer, "against-live") == ["Analogy", "How it is used"]
    assert violations(reviewer, axe_core) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    reviewer.screenshot(path=ARTIFACTS / "admin-review-light.png", full_page=True)
    # The admin's own theme switch, as a reviewer who chose dark would have it. Loaded again rather than
    # switched in place: links fade to their new colours, and axe would catch them halfway.
    reviewer.evaluate("() => localStorage.setItem('theme', 'dark')")
    reviewer.reload()
    assert violations(reviewer, axe_core) == []
    reviewer.screenshot(path=ARTIFACTS / "admin-review-dark.png", full_page=True)

    editor.goto(review.replace("/review/", "/change/"))
    editor.locator("fieldset.edit-summary").screenshot(path=ARTIFACTS / "admin-edit-summary-light.png")

    # One history: the Versions page shows the edit summaries and the reviewer's comment.
    editor.goto(review.replace("/review/", "/revisions/"))
    expect(editor.locator("table.revisions")).to_contain_text("Added usage.")
    expect(editor.locator("table.revisions")).to_contain_text("Say where it is used, please.")

    # Publish later: the reviewer approves this version for a set time, then thinks better of it.
    reviewer.goto(review)
    reviewer.get_by_label(re.compile("Go live on")).fill("2099-01-01T09:30")
    later = reviewer.get_by_role("group", name="Publish later")
    later.get_by_label(re.compile("Public change note")).fill("Clearer wording.")
    reviewer.get_by_role("button", name="Schedule this version").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("goes live on 01 Jan 2099 at 09:30")
    reviewer.goto(review.replace("/review/", "/change/"))
    expect(reviewer.locator(".workflow-panel__scheduled")).to_contain_text("Scheduled to go live on 1 Jan 2099 09:30")
    reviewer.screenshot(path=ARTIFACTS / "admin-change-form-scheduled-dark.png")
    reviewer.get_by_role("button", name="Cancel the scheduled publication").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("scheduled publication of “Underfitting” is cancelled")
