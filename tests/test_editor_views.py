"""Editors' views outside the admin: the markdown live preview and the image upload it offers (tests/test_images.py)."""

import pytest

from terms.models import PublishedTerm
from terms.publishing import publish
from terms.rendering import MAX_MARKDOWN_LENGTH


def test_the_live_preview_shows_a_heading_as_a_sub_heading(editor_client):
    response = editor_client.post("/markdownx/markdownify/?section=explanation", {"content": "## How it works"})
    assert (response.status_code, response.content.decode()) == (200, "<h3>How it works</h3>")


def preview(client, content: str, *, section: str = "explanation", term=None):
    referer = f"http://testserver/admin/terms/term/{term.pk}/change/" if term else ""
    return client.post(f"/markdownx/markdownify/?section={section}", {"content": content}, HTTP_REFERER=referer)


def test_the_preview_renders_a_section_exactly_as_the_published_page(editor_client, make_term):
    publish(make_term("Widget"), by=None)
    text = "A widget[^1] in an assembly line.\n\n[^1]: A small part.\n\n<b onclick=x>bold</b>"
    term = make_term("Assembly line", explanation=text)
    publish(term, by=None)
    published = PublishedTerm.objects.get(pk=term.pk).explanation_html
    assert preview(editor_client, text, term=term).content.decode() == published


def test_the_preview_marks_the_words_that_will_become_links(editor_client, make_term, links_in):
    publish(make_term("Widget"), by=None)
    assert links_in(preview(editor_client, "Add a widget.").content.decode()) == [("widget", "/terms/widget/")]


def test_the_preview_never_links_the_term_to_itself(editor_client, make_term, links_in):
    widget = make_term("Widget")
    publish(widget, by=None)
    response = preview(editor_client, "A widget.", term=widget)
    assert (response.status_code, links_in(response.content.decode())) == (200, [])


def test_the_preview_is_sanitised(editor_client):
    response = preview(editor_client, "<script>alert(1)</script><b onclick=alert(1)>bold</b>")
    assert (response.status_code, response.content.decode()) == (200, "bold")


def test_the_preview_refuses_over_long_text_with_a_clear_message(editor_client):
    response = preview(editor_client, "x" * (MAX_MARKDOWN_LENGTH + 1))
    assert (response.status_code, response.content.decode()) == (
        400,
        f"Too long to preview: {MAX_MARKDOWN_LENGTH + 1:,} characters, and a section holds at most {MAX_MARKDOWN_LENGTH:,}.",
    )


@pytest.mark.parametrize("endpoint", ["/markdownx/markdownify/", "/markdownx/upload/"])
def test_markdownx_endpoints_refuse_anonymous_visitors(client, db, endpoint):
    assert client.post(endpoint, {"content": "x"}).status_code == 403


@pytest.mark.parametrize("endpoint", ["/markdownx/markdownify/", "/markdownx/upload/"])
def test_markdownx_endpoints_refuse_staff_who_cannot_edit_terms(client, django_user_model, endpoint):
    client.force_login(django_user_model.objects.create_user("stan", password="pw-stan-1234", is_staff=True))
    assert client.post(endpoint, {"content": "x"}).status_code == 403
