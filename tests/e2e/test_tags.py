"""Tags under control, in a real browser: suggestions as you type, and a merge that leaves one tag on every page."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, log_in
from .test_accessibility import inject

TERM = "/terms/hallucination/"


def violations_in_content(page, axe_core: str) -> list[str]:
    """What axe-core finds wrong in the page's own content (the stock admin's header and breadcrumbs left out)."""
    inject(page, axe_core)
    results = page.evaluate("() => axe.run('#content', {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']} at {node['target']}" for v in results["violations"] for node in v["nodes"]]


def tag_links(page) -> list[str]:
    """The tags a term page links to, by name."""
    return page.locator("a[href^='/tags/']").all_inner_texts()


def select_row(page, name: str) -> None:
    """Tick the changelist's row of this tag."""
    page.locator("tr", has=page.get_by_role("link", name=name, exact=True)).get_by_role("checkbox").check()


def add_a_twin_tag(reviewer, site) -> None:
    """Tag the published "Hallucination" also "LLMs" too, through the form's suggestions, and publish it."""
    reviewer.goto(site("/admin/terms/term/?q=hallucination"))
    reviewer.get_by_role("link", name="Hallucination", exact=True).click()
    tags = reviewer.get_by_label("Tags:", exact=True)
    tags.press("End")
    tags.press_sequentially(", LLMs")
    tags.press("Tab")
    expect(reviewer.get_by_role("status").filter(has_text="is a new tag")).to_have_text(
        "“LLMs” is a new tag: it will be created when you save."
    )
    reviewer.get_by_label("Public change note:", exact=True).fill("Also tagged LLMs.")
    reviewer.get_by_role("button", name="Save and publish").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("saved and published")


def merge_twins(reviewer, site) -> None:
    reviewer.goto(site("/admin/terms/tag/?q=l"))
    select_row(reviewer, "LLMs")
    select_row(reviewer, "Large language models")
    reviewer.get_by_label("Action:").select_option(label="Merge selected tags into…")
    reviewer.get_by_role("button", name="Go").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Merge tags")
    reviewer.get_by_role("radio", name=re.compile("Large language models")).check()
    reviewer.get_by_role("button", name="Merge into the chosen tag").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("Merged “LLMs” into “Large language models”")


def test_a_merged_tag_leaves_one_tag_on_every_page(new_page, site):
    reviewer = new_page()
    log_in(reviewer, site, "reviewer")
    add_a_twin_tag(reviewer, site)
    reader = new_page()
    reader.goto(site(TERM))
    assert "LLMs" in tag_links(reader)

    merge_twins(reviewer, site)

    reader.goto(site(TERM))
    assert tag_links(reader).count("Large language models") == 1
    assert "LLMs" not in tag_links(reader)
    reader.goto(site("/tags/"))
    expect(reader.get_by_role("link", name="LLMs")).to_have_count(0)
    reader.goto(site("/tags/llms/"))
    assert reader.url == site("/tags/large-language-models/")
    expect(reader.get_by_role("link", name="Hallucination")).to_have_count(1)


def test_the_tags_field_suggests_existing_tags(new_page, site):
    editor = new_page()
    log_in(editor, site, "editor")
    editor.goto(site("/admin/terms/term/add/"))
    tags = editor.get_by_label("Tags:", exact=True)
    tags.press_sequentially("Gen")
    editor.get_by_role("option", name=re.compile("^Generative AI")).click()
    expect(tags).to_have_value("Generative AI, ")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tag_screens_read_well_in_both_themes(new_page, site, axe_core, scheme):
    reviewer = new_page(color_scheme=scheme)
    log_in(reviewer, site, "reviewer")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    reviewer.goto(site("/admin/terms/tag/"))
    reviewer.screenshot(path=ARTIFACTS / f"admin-tags-{scheme}.png", full_page=True)
    select_row(reviewer, "Training")
    select_row(reviewer, "Efficiency")
    reviewer.get_by_label("Action:").select_option(label="Merge selected tags into…")
    reviewer.get_by_role("button", name="Go").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Merge tags")
    reviewer.screenshot(path=ARTIFACTS / f"admin-tags-merge-{scheme}.png", full_page=True)
    assert violations_in_content(reviewer, axe_core) == []
    reviewer.goto(site("/admin/terms/tag/"))
    reviewer.get_by_role("link", name="Training", exact=True).click()
    reviewer.get_by_role("link", name="Rename").click()
    expect(reviewer.get_by_label("New name")).to_have_value("Training")
    reviewer.screenshot(path=ARTIFACTS / f"admin-tags-rename-{scheme}.png", full_page=True)
    assert violations_in_content(reviewer, axe_core) == []
    reviewer.goto(site("/admin/terms/term/add/"))
    reviewer.get_by_label("Tags:", exact=True).press_sequentially("tr")
    reviewer.get_by_role("option").first.wait_for()
    reviewer.keyboard.press("ArrowDown")
    reviewer.screenshot(path=ARTIFACTS / f"admin-tags-suggestions-{scheme}.png")
    reviewer.keyboard.press("Escape")
    reviewer.get_by_label("Tags:", exact=True).press_sequentially("ansformers, LLMs,")
    expect(reviewer.get_by_role("status").filter(has_text="are new tags")).to_be_visible()
    reviewer.screenshot(path=ARTIFACTS / f"admin-tags-new-{scheme}.png")
    assert reviewer.errors == []
