"""The editor's workspace in a real browser: typing is never lost, the markdown editor, and deleting in words."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, DESKTOP, log_in

NARROW = {"width": 800, "height": 900}
WIDE = {"width": 1400, "height": 900}


def new_draft(page, site, name: str) -> str:
    """Add a draft term through the add form; return the address of its change form."""
    page.goto(site("/admin/terms/term/add/"))
    page.get_by_label("Name:", exact=True).fill(name)
    page.get_by_label("One-line definition:", exact=True).fill(f"The one-line definition of {name}.")
    page.get_by_label("Explained in plain English:", exact=True).fill(f"{name} explained.\n\nA second paragraph.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    return page.url


def editor_on_a_draft(new_page, site, name: str, **options):
    page = new_page(**options)
    log_in(page, site, "editor")
    return page, new_draft(page, site, name)


def type_into(page, label: str, text: str) -> None:
    """Type as a person does, key by key: Chromium warns before leaving only after such a gesture."""
    field = page.get_by_label(label, exact=True)
    field.click()
    field.press("End")
    field.press_sequentially(text)


def kept_in_the_browser(page) -> None:
    page.wait_for_function("() => localStorage.getItem('glossary-unsaved:' + location.pathname) !== null")


# Never lose typing ---------------------------------------------------------------------------------------------------


def test_leaving_a_changed_form_warns(new_page, site):
    page, _ = editor_on_a_draft(new_page, site, "Warned term")
    type_into(page, "Pronunciation:", "/wɔːnd/")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Versions").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_staying_after_the_warning_keeps_the_typing(new_page, site):
    page, url = editor_on_a_draft(new_page, site, "Stayed term")
    type_into(page, "Pronunciation:", "/steɪd/")
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("link", name="Versions").click()
    page.wait_for_timeout(500)
    assert (page.url, page.get_by_label("Pronunciation:", exact=True).input_value()) == (url, "/steɪd/")


def test_leaving_an_unchanged_form_does_not_warn(new_page, site):
    page, _ = editor_on_a_draft(new_page, site, "Untouched term")
    page.get_by_label("Pronunciation:", exact=True).click()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Versions").click()
    page.wait_for_url(re.compile(r"/revisions/$"))
    assert dialogs == []


def test_saving_a_changed_form_does_not_warn(new_page, site):
    page, _ = editor_on_a_draft(new_page, site, "Saved term")
    type_into(page, "Pronunciation:", "/seɪvd/")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert dialogs == []


def test_a_crashed_form_offers_its_text_back(new_page, site):
    page, url = editor_on_a_draft(new_page, site, "Crashed term")
    type_into(page, "Explained in plain English:", " Typed before the crash.")
    kept_in_the_browser(page)
    page.close()  # no beforeunload: as a crash or a closed laptop

    again = page.context.new_page()
    again.goto(url)
    banner = again.get_by_role("region", name="Unsaved changes")
    expect(banner).to_contain_text("You have unsaved changes from")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    again.screenshot(path=ARTIFACTS / "admin-unsaved-changes.png")
    banner.get_by_role("button", name="Restore them").click()
    expect(again.get_by_label("Explained in plain English:", exact=True)).to_have_value(
        "Crashed term explained.\n\nA second paragraph. Typed before the crash."
    )


def test_restored_text_shows_in_the_preview(new_page, site):
    page, url = editor_on_a_draft(new_page, site, "Previewed crash")
    type_into(page, "Explained in plain English:", " Restored *words*.")
    kept_in_the_browser(page)
    page.close()

    again = page.context.new_page()
    again.goto(url)
    again.get_by_role("button", name="Restore them").click()
    expect(again.locator(".field-explanation .markdownx-preview em")).to_have_text("words")


def test_discarding_unsaved_text_leaves_the_saved_text(new_page, site):
    page, url = editor_on_a_draft(new_page, site, "Discarded term")
    type_into(page, "Pronunciation:", "/dɪsˈkɑːdɪd/")
    kept_in_the_browser(page)
    page.close()

    again = page.context.new_page()
    again.goto(url)
    again.get_by_role("button", name="Discard").click()
    again.reload()
    assert (
        again.get_by_label("Pronunciation:", exact=True).input_value(),
        again.get_by_text("unsaved changes from").count(),
    ) == ("", 0)


def test_saving_forgets_the_text_kept_in_the_browser(new_page, site):
    page, url = editor_on_a_draft(new_page, site, "Forgotten term")
    type_into(page, "Pronunciation:", "/fəˈɡɒtn/")
    kept_in_the_browser(page)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(url)
    expect(page.get_by_label("Pronunciation:", exact=True)).to_have_value("/fəˈɡɒtn/")
    assert page.get_by_text("unsaved changes from").count() == 0


def test_logging_out_forgets_the_text_kept_in_the_browser(new_page, site):
    page, _ = editor_on_a_draft(new_page, site, "Logged out term")
    type_into(page, "Pronunciation:", "/ˈlɒɡd/")
    kept_in_the_browser(page)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Logged out")
    page.wait_for_function("() => !Object.keys(localStorage).some((key) => key.startsWith('glossary-unsaved:'))")


def test_ctrl_s_saves_and_stays_on_the_form(new_page, site):
    page, url = editor_on_a_draft(new_page, site, "Shortcut term")
    type_into(page, "Pronunciation:", "/ˈʃɔːtkʌt/")
    page.keyboard.press("Control+s")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert (page.url, page.get_by_label("Pronunciation:", exact=True).input_value()) == (url, "/ˈʃɔːtkʌt/")


def test_cmd_s_saves_too(new_page, site):
    page, _ = editor_on_a_draft(new_page, site, "Mac term")
    type_into(page, "Pronunciation:", "/mæk/")
    page.keyboard.press("Meta+s")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


# The markdown editor -------------------------------------------------------------------------------------------------


def select_in(page, label: str, text: str):
    field = page.get_by_label(label, exact=True)
    field.evaluate(
        "(area, text) => { const at = area.value.indexOf(text); area.focus(); area.setSelectionRange(at, at + text.length); }",
        text,
    )
    return field


def test_bold_wraps_the_selection_in_markdown(new_page, site):
    page, _ = editor_on_a_draft(new_page, site, "Bold term")
    field = select_in(page, "Explained in plain English:", "second")
    page.locator(".field-explanation").get_by_role("button", name="Bold").click()
    expect(field).to_have_value("Bold term explained.\n\nA **second** paragraph.")


def test_the_preview_follows_the_toolbar(new_page, site):
    page, _ = editor_on_a_draft(new_page, site, "Preview term")
    select_in(page, "Explained in plain English:", "second")
    page.locator(".field-explanation").get_by_role("button", name="Italic").click()
    expect(page.locator(".field-explanation .markdownx-preview em")).to_have_text("second")


def test_a_link_from_the_toolbar_selects_the_address_to_type(new_page, site):
    page, _ = editor_on_a_draft(new_page, site, "Link term")
    field = select_in(page, "Explained in plain English:", "second")
    page.locator(".field-explanation").get_by_role("button", name="Link").click()
    page.keyboard.type("https://example.org/")
    expect(field).to_have_value("Link term explained.\n\nA [second](https://example.org/) paragraph.")


def test_the_toolbar_works_from_the_keyboard(new_page, site):
    page, _ = editor_on_a_draft(new_page, site, "Keyboard term")
    field = select_in(page, "Explained in plain English:", "A second paragraph.")
    toolbar = page.locator(".field-explanation").get_by_role("toolbar", name="Formatting")
    toolbar.get_by_role("button", name="Bold").focus()
    page.keyboard.press("End")
    expect(toolbar.get_by_role("button", name="Heading")).to_be_focused()
    page.keyboard.press("Enter")
    expect(field).to_have_value("Keyboard term explained.\n\n### A second paragraph.")


def test_ctrl_b_in_the_text_makes_bold(new_page, site):
    page, _ = editor_on_a_draft(new_page, site, "Shortcut bold")
    field = select_in(page, "Explained in plain English:", "second")
    page.keyboard.press("Control+b")
    expect(field).to_have_value("Shortcut bold explained.\n\nA **second** paragraph.")


@pytest.mark.parametrize(("width", "viewport", "beside"), [("wide", WIDE, True), ("narrow", NARROW, False)])
def test_the_preview_sits_beside_the_text_only_on_wide_screens(new_page, site, width, viewport, beside):
    page, _ = editor_on_a_draft(new_page, site, f"Layout {width}", viewport=viewport)
    text = page.get_by_label("Explained in plain English:", exact=True).bounding_box()
    preview = page.locator(".field-explanation .markdownx-preview").bounding_box()
    assert (preview["x"] > text["x"] + text["width"]) is beside


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_markdown_editor_has_no_accessibility_faults(new_page, site, axe_core, scheme):
    page, _ = editor_on_a_draft(new_page, site, f"Accessible {scheme}", color_scheme=scheme)
    page.evaluate(axe_core)
    results = page.evaluate("() => axe.run({include: [['.markdown-editor']]}, {resultTypes: ['violations']})")
    assert [violation["id"] for violation in results["violations"]] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_preview_has_no_errors_and_is_readable(new_page, site, scheme):
    page, _ = editor_on_a_draft(new_page, site, f"Readable {scheme}", color_scheme=scheme)
    preview = page.locator(".field-explanation .markdownx-preview")
    expect(preview).to_contain_text("A second paragraph.")
    colours = preview.evaluate(
        "(element) => [getComputedStyle(element).color, getComputedStyle(element).backgroundColor]"
    )
    assert colours[0] != colours[1]
    assert page.errors == []


# Deleting asks in words; the recover page shows the term ----------------------------------------------------------


def test_delete_asks_for_confirmation_in_words_and_the_term_can_be_recovered(new_page, site):
    page, url = editor_on_a_draft(new_page, site, "Doomed term")
    page.get_by_role("link", name="Delete").click()
    summary = page.get_by_role("region", name="What deleting “Doomed term” does")
    expect(summary).to_contain_text("“Doomed term” is not on the site, so readers see no change.")
    expect(summary.get_by_role("link", name="Deleted terms")).to_be_visible()
    page.get_by_role("button", name="Yes, delete “Doomed term”").click()
    expect(page.locator(".messagelist")).to_contain_text("deleted successfully")

    page.goto(site("/admin/terms/revision/?action__exact=delete"))
    page.get_by_role("link", name="Doomed term").first.click()
    expect(page.get_by_role("heading", name="The term as it will come back")).to_be_visible()
    expect(page.locator(".kept-term")).to_contain_text("Doomed term explained.")
    page.get_by_role("button", name="Recover this term").click()
    expect(page.locator(".messagelist")).to_contain_text("“Doomed term” is back, as a draft")


def test_no_take_me_back_keeps_the_term(new_page, site):
    page, url = editor_on_a_draft(new_page, site, "Spared term")
    page.goto(url.replace("/change/", "/delete/"))
    page.get_by_role("link", name="No, take me back").click()
    page.wait_for_url(url)
    expect(page.get_by_label("Name:", exact=True)).to_have_value("Spared term")


# Screenshots, for people to look at -------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", ["wide", "narrow"])
def test_screenshot_the_change_form(new_page, site, width, scheme):
    viewport = WIDE if width == "wide" else NARROW
    page, _ = editor_on_a_draft(new_page, site, f"Screenshot {width} {scheme}", viewport=viewport, color_scheme=scheme)
    type_into(page, "Explained in plain English:", " It links to fine-tuning and **LLMs**.")
    expect(page.locator(".field-explanation .markdownx-preview .xref").first).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"admin-change-form-{width}-{scheme}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot_the_delete_and_recover_pages(new_page, site, scheme):
    page = new_page(viewport=DESKTOP, color_scheme=scheme)
    log_in(page, site, "reviewer")
    page.goto(site("/admin/terms/term/?q=Fine-tuning"))
    page.get_by_role("link", name="Fine-tuning", exact=True).click()
    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_text("will be removed from the site")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"admin-delete-{scheme}.png", full_page=True)

    url = new_draft(page, site, f"Recoverable {scheme}")
    page.goto(url.replace("/change/", "/delete/"))
    page.get_by_role("button", name=re.compile("Yes, delete")).click()
    expect(page.locator(".messagelist")).to_contain_text("deleted successfully")
    page.goto(site("/admin/terms/revision/?action__exact=delete"))
    page.get_by_role("link", name=f"Recoverable {scheme}").first.click()
    expect(page.get_by_role("button", name="Recover this term")).to_be_visible()
    page.screenshot(path=ARTIFACTS / f"admin-recover-{scheme}.png", full_page=True)


def test_an_added_examples_preview_follows_its_text(new_page, site):
    page, _ = editor_on_a_draft(new_page, site, "Example preview")
    page.get_by_role("button", name="Add another Example").click()
    page.locator("textarea[name='examples-0-body']").press_sequentially("An *added* example.")
    expect(page.locator("#examples-0 .markdownx-preview em")).to_have_text("added")


def faults_in_the_content(page, axe_core: str) -> list[str]:
    """What axe-core finds wrong in the page's content, below Django's own header and breadcrumbs."""
    page.evaluate(axe_core)
    results = page.evaluate("() => axe.run({include: [['#content']]}, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} at {node['target']}" for violation in results["violations"] for node in violation["nodes"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_delete_recover_and_not_found_pages_have_no_accessibility_faults(new_page, site, axe_core, scheme):
    page, url = editor_on_a_draft(new_page, site, f"Checked {scheme}", color_scheme=scheme)
    page.goto(url.replace("/change/", "/delete/"))
    faults = faults_in_the_content(page, axe_core)
    page.get_by_role("button", name=re.compile("Yes, delete")).click()
    expect(page.locator(".messagelist")).to_contain_text("deleted successfully")
    page.goto(site("/admin/terms/revision/?action__exact=delete"))
    page.get_by_role("link", name=f"Checked {scheme}").first.click()
    expect(page.get_by_role("button", name="Recover this term")).to_be_visible()
    faults += faults_in_the_content(page, axe_core)
    assert page.goto(site("/admin/no-such-page/")).status == 404
    faults += faults_in_the_content(page, axe_core)
    assert faults == []


def test_text_kept_while_someone_else_saved_is_offered_without_overwriting_them(new_page, site):
    page, url = editor_on_a_draft(new_page, site, "Contested term")
    type_into(page, "Explained in plain English:", " Mine.")
    kept_in_the_browser(page)
    page.close()

    reviewer = new_page()
    log_in(reviewer, site, "reviewer")
    reviewer.goto(url)
    type_into(reviewer, "Pronunciation:", "/ðeəz/")
    reviewer.get_by_role("button", name="Save and continue editing").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("was changed successfully")

    again = page.context.new_page()
    again.goto(url)
    expect(again.get_by_role("region", name="Unsaved changes")).to_contain_text("The term has been saved since.")
    again.get_by_role("button", name="Restore them").click()
    again.get_by_role("button", name="Save and continue editing").click()
    expect(again.locator(".errornote")).to_be_visible()
    expect(again.get_by_role("region", name=re.compile("What reviewer changed"))).to_contain_text("Pronunciation")
    expect(again.get_by_label("Explained in plain English:", exact=True)).to_have_value(
        "Contested term explained.\n\nA second paragraph. Mine."
    )


def test_typing_without_answering_the_offer_keeps_the_text_offered(new_page, site):
    page, url = editor_on_a_draft(new_page, site, "Unanswered term")
    type_into(page, "Pronunciation:", "/ˈfɜːst/")
    kept_in_the_browser(page)
    page.close()

    again = page.context.new_page()
    again.goto(url)
    type_into(again, "Aliases:", "Second try")
    again.wait_for_timeout(600)
    again.close()

    third = page.context.new_page()
    third.goto(url)
    third.get_by_role("button", name="Restore them").click()
    expect(third.get_by_label("Pronunciation:", exact=True)).to_have_value("/ˈfɜːst/")
