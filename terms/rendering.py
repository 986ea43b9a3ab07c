"""Markdown to sanitised HTML: the one place where editors' text becomes markup.

Used at publish time by `terms.publishing` and by the admin's live preview, so
editors preview exactly what readers will get.
"""

import threading

import markdown
import nh3

MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "footnotes", "sane_lists"]

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "li": {"id"},
    "sup": {"id"},
    "div": {"class"},
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Return the markdown `text` as sanitised HTML."""
    if not text or not text.strip():
        return ""
    html = _markdown().reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One Markdown converter per thread: building one costs more than converting a short text."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return md
