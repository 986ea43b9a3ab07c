"""Markdown becomes sanitised HTML in one place."""

import pytest

from terms.rendering import render_markdown


def test_markdown_becomes_html():
    assert render_markdown("Some *emphasis*.") == "<p>Some <em>emphasis</em>.</p>"


def test_blank_text_renders_as_nothing():
    assert render_markdown("  \n ") == ""


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<iframe src="https://example.com"></iframe>',
        '<p style="background:url(x)">styled</p>',
    ],
)
def test_dangerous_markup_is_removed(hostile):
    html = render_markdown(hostile).lower()
    assert not any(bad in html for bad in ("<script", "onerror", "javascript:", "<iframe", "style="))


def test_tables_are_supported():
    assert "<table>" in render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")


def test_links_get_nofollow_noopener():
    assert 'rel="nofollow noopener noreferrer"' in render_markdown("[site](https://example.com)")
