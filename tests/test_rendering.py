"""Markdown becomes sanitised HTML in one place."""

import pytest

from terms.rendering import render_markdown


def test_markdown_becomes_html():
    assert render_markdown("Some *emphasis*.") == "<p>Some <em>emphasis</em>.</p>"


def test_blank_text_renders_as_nothing():
    assert render_markdown("  \n ") == ""


@pytest.mark.parametrize(
    ("hostile", "kept"),
    [
        ("<script>alert(1)</script>", ""),
        ('<img src="x" onerror="alert(1)">', ""),  # an image that cannot load leaves its (empty) alt text
        ('<a href="JaVaScRiPt:alert(1)">x</a>', '<p><a rel="nofollow noopener noreferrer">x</a></p>'),
        ('<iframe src="https://example.com"></iframe>', ""),
        ('<p style="background:url(x)">styled</p>', "<p>styled</p>"),
    ],
)
def test_dangerous_markup_is_removed_and_the_rest_kept(hostile, kept):
    assert render_markdown(hostile) == kept


def test_tables_are_supported():
    assert render_markdown("| a | b |\n|---|---|\n| 1 | 2 |").startswith("<table>\n<thead>\n<tr>\n<th>a</th>")


def test_links_get_nofollow_noopener():
    assert 'rel="nofollow noopener noreferrer"' in render_markdown("[site](https://example.com)")


# Headings inside a section: the page's sections are h2, so editors' headings sit below them ---------------------------


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        pytest.param("# Intro", "<h3>Intro</h3>", id="level-1"),
        pytest.param("## Intro", "<h3>Intro</h3>", id="level-2"),
        pytest.param("### Intro", "<h4>Intro</h4>", id="level-3"),
        pytest.param("###### Intro", "<h4>Intro</h4>", id="level-6"),
        pytest.param("Intro\n=====", "<h3>Intro</h3>", id="setext-level-1"),
        pytest.param("Intro\n-----", "<h3>Intro</h3>", id="setext-level-2"),
        pytest.param("<h2>Intro</h2>", "<h3>Intro</h3>", id="html-level-2"),
        pytest.param("<h5>Intro</h5>", "<h4>Intro</h4>", id="html-level-5"),
    ],
)
def test_a_heading_becomes_a_sub_heading_of_its_section(markdown, html):
    assert render_markdown(markdown) == html


def test_text_after_a_heading_stays_a_paragraph_of_its_own():
    assert render_markdown("## How it works\nIt predicts.") == "<h3>How it works</h3>\n<p>It predicts.</p>"
