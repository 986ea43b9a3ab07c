"""Structured data in a real browser: the JSON-LD data blocks break no rule of the strict CSP."""

import json

import pytest

COLLECT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => window.cspViolations.push(event.violatedDirective));
"""


@pytest.mark.parametrize("path", ["/terms/fine-tuning/", "/terms/"])
def test_json_ld_raises_no_csp_violation(page, site, path):
    page.add_init_script(COLLECT_VIOLATIONS)
    page.goto(site(path))
    page.wait_for_load_state("load")
    assert (page.evaluate("window.cspViolations"), page.errors) == ([], [])


def test_the_browser_reads_the_term_pages_json_ld(page, site):
    page.goto(site("/terms/fine-tuning/"))
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["name"] == "Fine-tuning"
