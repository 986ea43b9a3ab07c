"""The API's documentation page in a real browser: Swagger UI from the site's own files, within its CSP."""

import pytest
from playwright.sync_api import expect

DOCS = "/api/docs/"


@pytest.fixture
def docs(page, site):
    """The docs page, loaded, with every address the browser asked for in `page.requested`."""
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(site(DOCS))
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    return page


def test_the_api_docs_list_every_endpoint(docs):
    expect(docs.locator(".opblock-summary-path")).to_have_text(
        ["/api/", "/api/tags/", "/api/terms/", "/api/terms/{slug}/"]
    )


def test_the_api_docs_break_no_rule_of_the_content_security_policy(docs):
    assert docs.errors == []


def test_the_api_docs_load_nothing_from_outside_the_site(docs, site):
    assert [url for url in docs.requested if not url.startswith(site.url + "/")] == []


def test_a_reader_tries_the_term_list_from_the_api_docs(docs):
    operation = docs.locator("#operations-Terms-terms_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status")).to_have_text("200")
