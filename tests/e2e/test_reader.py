"""A reader in a real browser: searching, reading, moving around, with and without JavaScript."""

import re

from playwright.sync_api import expect

TERM = "/terms/fine-tuning/"


def heading(page):
    return page.get_by_role("heading", level=1)


def test_reader_searches_from_the_home_page_and_opens_the_term(page, site):
    page.goto(site("/"))
    page.get_by_label("Look up a term").fill("fine tuning")
    page.get_by_label("Look up a term").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=fine\+tuning"))
    page.locator(".search-results").get_by_role("link", name="Fine-tuning").click()
    expect(heading(page)).to_have_text("What is fine-tuning?")


def test_reader_follows_a_related_term(page, site):
    page.goto(site(TERM))
    related = page.locator("#related .term-item__name").first
    name = related.inner_text()
    related.click()
    expect(page.locator(".breadcrumbs [aria-current=page]")).to_have_text(name)


def test_reader_follows_a_cross_link_in_the_text(page, site):
    page.goto(site(TERM))
    link = page.locator("#explanation .xref > a").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(site(target))
    expect(heading(page)).to_contain_text("What is")


def test_a_cross_link_shows_the_linked_terms_one_liner_on_keyboard_focus(page, site):
    page.goto(site(TERM))
    link = page.locator("#explanation .xref > a").first
    link.focus()
    expect(page.locator("#explanation .xref-tip").first).to_be_visible()


def test_escape_hides_a_cross_links_one_liner(page, site):
    page.goto(site(TERM))
    page.locator("#explanation .xref > a").first.focus()
    page.keyboard.press("Escape")
    expect(page.locator("#explanation .xref-tip").first).to_be_hidden()


def test_a_hidden_one_liner_shows_again_on_the_next_focus(page, site):
    page.goto(site(TERM))
    links = page.locator("#explanation .xref > a")
    links.first.focus()
    page.keyboard.press("Escape")
    links.nth(1).focus()
    links.first.focus()
    expect(page.locator("#explanation .xref-tip").first).to_be_visible()


def test_the_a_to_z_bar_jumps_to_a_letter(page, site):
    page.goto(site("/terms/"))
    page.get_by_role("navigation", name="Terms by first letter").get_by_role("link", name="T", exact=True).click()
    expect(page.locator("#letter-T")).to_be_in_viewport()


def test_the_home_page_a_to_z_bar_leads_to_the_letter_on_the_index(page, site):
    page.goto(site("/"))
    page.get_by_role("navigation", name="Terms by first letter").get_by_role("link", name="P", exact=True).click()
    page.wait_for_url(site("/terms/#letter-P"))
    expect(page.locator("#letter-P")).to_be_in_viewport()


def test_breadcrumbs_lead_back_to_the_index(page, site):
    page.goto(site(TERM))
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Terms A–Z").click()
    expect(heading(page)).to_have_text("All terms, A–Z")


def test_next_term_leads_to_the_following_term_a_to_z(page, site):
    page.goto(site(TERM))
    page.get_by_role("link", name=re.compile("^Next term")).click()
    expect(heading(page)).to_have_text("What is a foundation model?")


def test_previous_term_leads_to_the_term_before_a_to_z(page, site):
    page.goto(site(TERM))
    page.get_by_role("link", name=re.compile("^Previous term")).click()
    expect(heading(page)).to_have_text("What is few-shot prompting?")


def test_a_section_link_goes_to_the_section(page, site):
    page.goto(site(TERM))
    page.locator("#history a.section-link").click()
    page.wait_for_url(site(TERM + "#history"))
    expect(page.locator("#history h2")).to_be_in_viewport()


def test_a_section_link_copies_the_sections_address(new_page, site):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(site(TERM))
    page.locator("#history a.section-link").click()
    expect(page.get_by_role("status").filter(has_text="copied")).to_have_text("Link to this section copied")
    assert page.evaluate("navigator.clipboard.readText()") == site(TERM + "#history")


def test_people_also_read_never_repeats_a_related_term(page, site):
    page.goto(site(TERM))
    related = set(page.locator("#related .term-item__name").all_inner_texts())
    also_read = set(page.locator("#also-read .term-item__name").all_inner_texts())
    assert also_read and not related & also_read, (related, also_read)


def test_listen_speaks_the_terms_name(new_page, site):
    page = new_page()
    # Record what would be spoken: headless Chromium has no voices to hear.
    page.add_init_script(
        "window.__spoken = [];speechSynthesis.speak = (utterance) => window.__spoken.push(utterance.text);"
    )
    page.goto(site(TERM))
    page.get_by_role("button", name="Listen to “Fine-tuning”").click()
    assert page.evaluate("window.__spoken") == ["Fine-tuning"]


def test_listen_is_absent_where_the_browser_cannot_speak(new_page, site):
    page = new_page()
    # A browser without the Web Speech API's synthesis half.
    page.add_init_script(
        "for (const owner of [window, Window.prototype]) {"
        " delete owner.speechSynthesis; delete owner.SpeechSynthesisUtterance; }"
    )
    page.goto(site(TERM))
    assert page.evaluate("'speechSynthesis' in window") is False, "the API should be gone"
    expect(page.locator("button.listen")).to_be_hidden()


def test_search_suggestions_work_with_the_keyboard_alone(page, site):
    page.goto(site("/"))
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    while page.evaluate("document.activeElement.id") != "site-search":
        page.keyboard.press("Tab")
    page.keyboard.type("embeding")
    expect(page.get_by_role("option", name=re.compile("^Embedding"))).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(site("/terms/embedding/"))
    expect(heading(page)).to_have_text("What is an embedding?")


def test_a_suggestion_found_by_another_name_says_which(page, site):
    page.goto(site("/"))
    page.locator("#site-search").fill("confabul")
    expect(page.get_by_role("option", name=re.compile("^Hallucination"))).to_contain_text(
        "matched Confabulation, synonym"
    )


def test_the_skip_link_is_first_and_moves_focus_to_the_content(page, site):
    page.goto(site(TERM))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_without_javascript_a_reader_still_reads_the_whole_term(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site(TERM))
    expect(page.locator("#misconceptions")).to_contain_text("Myth:")


def test_without_javascript_there_is_no_listen_button(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site(TERM))
    expect(page.locator("button.listen")).to_be_hidden()


def test_without_javascript_the_header_search_still_finds_terms(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site(TERM))
    page.get_by_role("searchbox", name="Search the glossary").fill("embeding")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.locator(".search-results")).to_contain_text("Embedding")


def test_a_printed_term_leaves_out_navigation(page, site):
    page.goto(site(TERM))
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()


def test_a_printed_term_shows_where_its_links_lead(page, site):
    page.goto(site(TERM))
    page.emulate_media(media="print")
    after = page.locator("#explanation .xref > a").first.evaluate("a => getComputedStyle(a, '::after').content")
    assert "/terms/" in after


def test_reader_pages_log_no_errors(page, site):
    """No Content-Security-Policy violation or script error on any page with scripts."""
    for path in ["/", "/terms/", TERM, "/tags/", "/search/?q=model"]:
        page.goto(site(path))
        page.locator("#site-search").fill("tok")
        page.wait_for_timeout(300)
    assert page.errors == []


def test_without_javascript_a_reader_opens_a_branch_of_the_hierarchy(new_page, site):
    page = new_page(java_script_enabled=False)
    page.goto(site("/terms/tree/"))
    deep_learning = page.locator(".tree").get_by_role("link", name="Deep learning", exact=True).first
    expect(deep_learning).to_be_hidden()  # the second level starts closed
    page.get_by_text(re.compile(r"^\d+ narrower terms of Machine learning$")).first.click()
    expect(deep_learning).to_be_visible()


def test_the_path_from_the_top_leads_to_a_broader_term(page, site):
    page.goto(site("/terms/lora/"))
    page.get_by_role("navigation", name="Hierarchy").get_by_role("link", name="Fine-tuning").click()
    expect(heading(page)).to_have_text("What is fine-tuning?")
