"""Cross-links: the first mention of another published term links to its page, and stays right."""

from unittest import mock

import pytest
from django.urls import reverse

from terms.linking import Glossary, Target, link
from terms.models import PublishedMention, PublishedTerm
from terms.publishing import publish, relink_all, unpublish
from terms.rendering import render_markdown

LLM = Target(1, "large-language-model", "A model trained on a great deal of text.")
LM = Target(2, "language-model", "A model of which words follow which.")
FINE_TUNING = Target(3, "fine-tuning", "Training a trained model further on narrower data.")
EMBEDDING = Target(4, "embedding", "A list of numbers that stands for a piece of text.")
QA = Target(5, "q-and-a", "Questions and answers.")
CPP = Target(6, "c-plus-plus", "A programming language.")
GPT4 = Target(7, "gpt-4", "A large language model from 2023.")
ATTENTION = Target(8, "attention", "Weighing parts of the input <by relevance>.")
TRANSFORMER = Target(9, "transformer", "A neural network built on attention.")
AMP = Target(10, "amp", "A unit of electric current.")
PARAMETER = Target(11, "parameter", "A number a model learns.")
BERT = Target(12, "bert", "A language model that reads both ways.")

GLOSSARY = Glossary(
    [
        ("Large language model", LLM),
        ("LLM", LLM),
        ("Language model", LM),
        ("Fine-tuning", FINE_TUNING),
        ("Embedding", EMBEDDING),
        ("Q&A", QA),
        ("C++", CPP),
        ("GPT-4", GPT4),
        ("Attention", ATTENTION),
        ("Transformer", TRANSFORMER),
        ("Amp", AMP),
        ("Parameter", PARAMETER),
        ("BERT", BERT),
    ]
)


@pytest.fixture(scope="session")
def linked(links_in):
    """The cross-links that linking puts into some markdown's HTML, with GLOSSARY as the published terms."""

    def linked(markdown: str, own_id: int | None = None) -> list[tuple[str, str]]:
        return links_in(link(render_markdown(markdown), GLOSSARY, own_id=own_id, prefix="s-").html)

    return linked


def url(target: Target) -> str:
    return f"/terms/{target.slug}/"


LINKING_CASES = [
    pytest.param("A large language model writes.", None, [("large language model", url(LLM))], id="name"),
    pytest.param("THE LARGE LANGUAGE MODEL", None, [("LARGE LANGUAGE MODEL", url(LLM))], id="case-kept-in-text"),
    pytest.param(
        "A language model, then a large language model.",
        None,
        [("language model", url(LM)), ("large language model", url(LLM))],
        id="longest-match-wins",
    ),
    pytest.param("Ask an LLM.", None, [("LLM", url(LLM))], id="alias"),
    pytest.param("Embedding, then embedding again.", None, [("Embedding", url(EMBEDDING))], id="first-mention-only"),
    pytest.param("Embeddings are lists.", None, [], id="no-link-inside-a-longer-word"),
    pytest.param("Parameter-efficient methods.", None, [], id="not-the-first-part-of-a-compound"),
    pytest.param("A BERT-style model.", None, [], id="not-before-a-hyphen"),
    pytest.param("Re-embedding; reembedding.", None, [], id="not-the-last-part-of-a-compound"),
    pytest.param("A BERT\u2010style model.", None, [], id="not-before-a-unicode-hyphen"),
    pytest.param("A BERT\u2011style model.", None, [], id="not-before-a-non-breaking-hyphen"),
    pytest.param("Try fine-tuning today.", None, [("fine-tuning", url(FINE_TUNING))], id="a-compound-that-is-a-name"),
    pytest.param("Compare BERT\u2013GPT.", None, [("BERT", url(BERT))], id="before-an-en-dash"),
    pytest.param("We used BERT.", None, [("BERT", url(BERT))], id="at-the-end-of-a-sentence"),
    pytest.param("BERT - a model.", None, [("BERT", url(BERT))], id="before-a-spaced-hyphen"),
    pytest.param("The transformer uses attention.", 9, [("attention", url(ATTENTION))], id="never-links-to-itself"),
    pytest.param("Each large language model.", 1, [], id="own-name-hides-shorter-names-inside-it"),
    pytest.param("[A large language model](https://example.com)", None, [], id="not-inside-links"),
    pytest.param("### Embedding\n\nAn embedding.", None, [("embedding", url(EMBEDDING))], id="not-inside-headings"),
    pytest.param(
        "## Embedding\n\nAn embedding.", None, [("embedding", url(EMBEDDING))], id="not-inside-a-level-2-heading"
    ),
    pytest.param("Use `embedding` here.", None, [], id="not-inside-code"),
    pytest.param("```\nembedding\n```", None, [], id="not-inside-pre-blocks"),
    pytest.param("Q&A sessions help.", None, [("Q&A", url(QA))], id="name-with-an-entity"),
    pytest.param("Fish & chips.", None, [], id="never-inside-an-entity"),
    pytest.param("Amp it up, &amp; more.", None, [("Amp", url(AMP))], id="entity-text-left-alone"),
    pytest.param("Written in C++ today.", None, [("C++", url(CPP))], id="name-ending-in-symbols"),
    pytest.param("GPT-4o is newer than GPT-4.", None, [("GPT-4", url(GPT4))], id="no-link-inside-a-longer-name"),
    pytest.param("Try fine tuning.", None, [], id="a-different-spelling-is-not-the-name"),
    pytest.param("Fine-tuning works.", None, [("Fine-tuning", url(FINE_TUNING))], id="hyphenated-name"),
    pytest.param("It is fine-tuned.", None, [], id="no-link-inside-a-derived-word"),
    pytest.param(
        "**Large language model** and *attention*.",
        None,
        [("Large language model", url(LLM)), ("attention", url(ATTENTION))],
        id="inside-emphasis",
    ),
    pytest.param("| a |\n|---|\n| attention |", None, [("attention", url(ATTENTION))], id="in-a-table-cell"),
    pytest.param('[x](https://a.org "attention > embedding")', None, [], id="never-inside-an-attribute"),
    pytest.param("![attention](https://a.org/a.png)", None, [], id="never-inside-alt-text"),
    pytest.param("Large\nlanguage model.", None, [("Large\nlanguage model", url(LLM))], id="across-a-line-break"),
    pytest.param("Sources: Smith, *Attention for Embedding* (2017).", None, [], id="not-inside-a-paragraph-of-sources"),
    pytest.param(
        "Sources: Smith (2017).\n\nAn embedding.", None, [("embedding", url(EMBEDDING))], id="after-the-sources"
    ),
    pytest.param("Open sources: an embedding.", None, [("embedding", url(EMBEDDING))], id="sources-mentioned-midway"),
]


@pytest.mark.parametrize(("markdown", "own_id", "expected"), LINKING_CASES)
def test_linking(markdown, own_id, expected, linked):
    assert linked(markdown, own_id) == expected


@pytest.mark.parametrize(("markdown", "own_id", "expected"), LINKING_CASES)
def test_linking_changes_nothing_but_the_links(markdown, own_id, expected, without_cross_links):
    html = render_markdown(markdown)
    result = link(html, GLOSSARY, own_id=own_id, prefix="s-").html
    assert without_cross_links(result) == html


def test_the_definition_is_the_links_accessible_description():
    html = link(render_markdown("Attention."), GLOSSARY, own_id=None, prefix="history-").html
    assert 'aria-describedby="history-xref-1"' in html
    assert 'id="history-xref-1" role="tooltip">Weighing parts of the input &lt;by relevance&gt;.</span>' in html


def test_an_empty_glossary_leaves_html_exactly_as_it_was():
    html = render_markdown("Fish &amp; chips, <b>bold</b> &lt;x&gt; and a [link](https://a.org).")
    assert link(html, Glossary(), own_id=None, prefix="").html == html


# --- As the glossary changes -----------------------------------------------------------------


@pytest.fixture(scope="session")
def page_links(links_in):
    """The cross-links on a term's published page, as a reader's `client` gets it."""

    def page_links(client, term) -> list[tuple[str, str]]:
        response = client.get(reverse("terms:detail", args=[PublishedTerm.objects.get(pk=term.pk).slug]))
        assert response.status_code == 200
        return links_in(response.content.decode())

    return page_links


def test_publishing_a_term_links_the_pages_that_mention_it(client, mentioner, make_term, page_links):
    publish(make_term("Widget"), by=None)
    assert ("widget", "/terms/widget/") in page_links(client, mentioner)


def test_unpublishing_a_term_removes_the_links_to_it(client, mentioner, make_term, page_links):
    widget = make_term("Widget")
    publish(widget, by=None)
    unpublish(widget, by=None)
    assert page_links(client, mentioner) == []


def test_a_draft_is_never_linked(client, mentioner, make_term, page_links):
    make_term("Sprocket")
    assert page_links(client, mentioner) == []


def test_renaming_a_term_moves_the_links(client, mentioner, make_term, page_links):
    widget = make_term("Widget")
    publish(widget, by=None)
    widget.name, widget.slug = "Sprocket", "sprocket"
    widget.save()
    publish(widget, by=None)
    assert page_links(client, mentioner) == [("sprocket", "/terms/sprocket/")]


def test_a_new_alias_links_its_mentions(client, mentioner, make_term, page_links):
    gadget = make_term("Gadget")
    publish(gadget, by=None)
    gadget.aliases = "Widget"
    gadget.save()
    publish(gadget, by=None)
    assert page_links(client, mentioner) == [("widget", "/terms/gadget/")]


def test_a_new_one_liner_reaches_the_tooltips_that_show_it(client, mentioner, make_term):
    widget = make_term("Widget", short_definition="A small part.")
    publish(widget, by=None)
    widget.short_definition = "A small, replaceable part."
    widget.save()
    publish(widget, by=None)
    assert "A small, replaceable part." in PublishedTerm.objects.get(pk=mentioner.pk).explanation_html


def test_a_published_page_links_terms_published_before_it(client, make_term, page_links):
    publish(make_term("Widget"), by=None)
    term = make_term("Assembly line", explanation="It moves a widget along.")
    publish(term, by=None)
    assert page_links(client, term) == [("widget", "/terms/widget/")]


def test_links_are_recorded_as_mentions(mentioner, make_term):
    widget = make_term("Widget")
    publish(widget, by=None)
    assert list(PublishedMention.objects.values_list("source_id", "target_id")) == [(mentioner.pk, widget.pk)]


def test_search_does_not_find_a_page_by_the_tooltip_of_a_link_on_it(client, mentioner, make_term):
    publish(make_term("Widget", short_definition="A flux capacitor part."), by=None)
    response = client.get(reverse("terms:search"), {"q": "capacitor"})
    assert [item["result"].slug for item in response.context["results"]] == ["widget"]


def test_the_markdown_parser_can_be_made_to_fail(make_term):
    """The guard the next test relies on: with the parser patched to fail, publishing fails."""
    with (
        mock.patch("markdown_it.MarkdownIt.parse", side_effect=AssertionError("markdown ran")),
        pytest.raises(AssertionError, match="markdown ran"),
    ):
        publish(make_term("Widget"), by=None)


def test_a_term_page_request_runs_no_markdown(client, mentioner, make_term):
    publish(make_term("Widget"), by=None)
    # Every markdown parse goes through MarkdownIt.parse, whoever calls it.
    with mock.patch("markdown_it.MarkdownIt.parse", side_effect=AssertionError("markdown ran during a request")):
        response = client.get("/terms/assembly-line/")
    assert response.status_code == 200


def test_linking_everything_in_worker_processes_gives_the_same_pages(mentioner, make_term):
    publish(make_term("Widget"), by=None)
    publish(make_term("Sprocket", explanation="A sprocket turns a widget."), by=None)
    pages = lambda: list(PublishedTerm.objects.order_by("pk").values_list("explanation_html", flat=True))  # noqa: E731
    alone = pages()  # linked in this process, by each publish
    PublishedTerm.objects.update(explanation_html="")
    relink_all(workers=2)
    assert pages() == alone


def test_a_name_two_terms_share_is_not_linked():
    glossary = Glossary([("Attention", ATTENTION), ("Attention", Target(20, "attention-psychology", "Focus."))])
    assert link("<p>It uses attention.</p>", glossary, own_id=None, prefix="").html == "<p>It uses attention.</p>"


def test_a_name_two_terms_share_is_reported_as_ambiguous():
    glossary = Glossary([("Attention", ATTENTION), ("Attention", Target(20, "attention-psychology", "Focus."))])
    assert link("<p>It uses Attention.</p>", glossary, own_id=None, prefix="").ambiguous == {
        "Attention": frozenset({8, 20})
    }


def test_a_shorter_name_inside_an_ambiguous_one_is_not_linked_either():
    glossary = Glossary(
        [("Self attention", ATTENTION), ("Self attention", Target(20, "self-attention-2", "?")), ("Self", QA)]
    )
    assert "<a " not in link("<p>Self attention.</p>", glossary, own_id=None, prefix="").html


def test_a_name_spelled_differently_by_another_term_is_not_ambiguous():
    glossary = Glossary([("Q&A", QA), ("Q A", Target(20, "q-a", "?"))])
    assert link("<p>Our Q&amp;A.</p>", glossary, own_id=None, prefix="").targets == {5}
