"""Markdown to sanitised HTML: the one place where editors' text becomes markup.

Used at publish time by `terms.publishing` and by the admin's live preview, so
editors preview exactly what readers will get.

Two defences, both here:

* Injection. markdown-it passes raw HTML through (CommonMark allows it), so its
  output is cleaned by nh3 with an allow-list of tags, attributes and URL schemes.
  On top of the allow-list, `_attribute_filter` namespaces every `id` (and the
  fragment links that point at them) so that text can neither clobber the page's
  own ids nor collide with another rendered section, and lets images come only
  from where the Content-Security-Policy (img-src 'self' https:) lets them load:
  https addresses and the images the site stored (`own_image`). Any other image, in
  markdown or typed as HTML, is replaced by its alt text, a link to it when it has
  an http address. Images load lazily; the site's own get their width and height,
  read from their address, so the page does not jump as they arrive.
* Stalling. markdown-it-py is a port of markdown-it, built for untrusted input:
  its parse is linear in the text (pathological brackets, emphasis and nesting are
  in its own test suite) and it stops nesting at MAX_NESTING levels. Python-Markdown,
  used before, took 70 s on 20,000 "[" and raised RecursionError on deep lists.
  The worst input of MAX_MARKDOWN_LENGTH characters we know renders in about a
  third of a second here.
"""

import html
import re
import threading
from functools import lru_cache

import nh3
from django.conf import settings
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.footnote import footnote_plugin

MAX_MARKDOWN_LENGTH = 10_000
"""Characters of markdown one field may hold; forms and database constraints enforce it."""

MAX_NESTING = 20
"""Levels of nested blocks and inline markup markdown-it builds; deeper markup is left as text."""

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h3", "h4", "hr", "img", "li", "ol", "p", "pre", "s", "section", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "ol": {"start", "class"},
    "li": {"id", "class"},
    "sup": {"id", "class"},
    "hr": {"class"},
    "section": {"class"},
    "code": {"class"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"
DEFAULT_ID_PREFIX = "md-"

_UNSAFE_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9_:-]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_WHITESPACE_AND_CONTROLS = re.compile(r"[\x00-\x20\x7f]")
_HTTPS_IMAGE = re.compile(r"(?:https:)?//", re.IGNORECASE)
_ALLOWED_CLASSES = {
    # The footnotes plugin's markup.
    "sup": re.compile(r"footnote-ref"),
    "hr": re.compile(r"footnotes-sep"),
    "section": re.compile(r"footnotes"),
    "ol": re.compile(r"footnotes-list"),
    "li": re.compile(r"footnote-item"),
    "a": re.compile(r"footnote-backref"),
    "code": re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}"),  # fenced code's language
}
_PIXELS = re.compile(r"[0-9]{1,4}")

OWN_IMAGE_NAME = re.compile(
    r"(?P<sha256>[0-9a-f]{64})-(?P<width>[1-9][0-9]{0,3})x(?P<height>[1-9][0-9]{0,3})\.(?P<extension>png|jpg|gif|webp)"
)
"""The name of an image the site stored (terms.images): its content's hash, its size in pixels, its format."""

IMAGE_CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
"""The content type of a stored image, by the extension its format gave it."""


def render_markdown(text: str, *, prefix: str = "") -> str:
    """Return the markdown `text` as sanitised HTML whose ids all start with `prefix` (or "md-").

    Give each markdown section on a page its own prefix ("explanation-", "history-"),
    so footnotes in two sections never share an id.
    """
    if _UNSAFE_ID_CHARACTERS.search(prefix):
        raise ValueError(f"An id prefix may hold only letters, digits, '-', '_' and ':', not {prefix!r}.")
    if len(text) > MAX_MARKDOWN_LENGTH * 2:
        raise ValueError(
            f"Markdown text of {len(text):,} characters is too long to render; "
            f"the limit is {MAX_MARKDOWN_LENGTH:,} characters and validation should have refused it."
        )
    if not text or not text.strip():
        return ""
    cleaned = _cleaner(prefix or DEFAULT_ID_PREFIX).clean(_markdown().render(text))
    # Every image, from markdown or typed as HTML, is checked once, in the sanitiser's output.
    return _IMAGE_TAG.sub(_kept_image_or_stand_in, cleaned).strip()


# Sanitising ---------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _cleaner(id_prefix: str) -> nh3.Cleaner:
    """The nh3 cleaner for one id prefix; building one costs more than cleaning a short text."""
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=lambda tag, attribute, value: _attribute_filter(tag, attribute, value, id_prefix),
    )


def _attribute_filter(tag: str, attribute: str, value: str, id_prefix: str) -> str | None:
    """The attribute's value as it may appear on the page, or None to drop the attribute.

    nh3 calls this after its allow-list and URL-scheme checks and does not check the
    result again, so it only ever narrows.
    """
    if attribute == "id":
        return _namespaced(value, id_prefix)
    if attribute in ("href", "src") and _scheme_ignoring_whitespace(value) not in ALLOWED_URL_SCHEMES | {""}:
        return None
    if attribute == "href" and value.strip().startswith("#"):
        target = _namespaced(value.strip()[1:], id_prefix)
        return "#" if target is None else f"#{target}"
    if tag == "img" and attribute == "src":
        if _is_allowed_image(value):
            # "//host/x.png" would load over http on an http page, which the CSP blocks.
            return f"https:{value.strip()}" if value.strip().startswith("//") else value
        # An http image is kept only for `_kept_image_or_stand_in` to link to; it never reaches the page.
        return value if _scheme_ignoring_whitespace(value) == "http" else None
    if attribute == "class":
        allowed = _ALLOWED_CLASSES.get(tag)
        kept = [name for name in value.split() if allowed is not None and allowed.fullmatch(name)]
        return " ".join(kept) or None
    if attribute == "loading":
        return "lazy"
    if attribute in ("width", "height", "start"):
        return value if _PIXELS.fullmatch(value.strip()) else None
    return value


def _scheme_ignoring_whitespace(url: str) -> str:
    """The URL's scheme if every space and control character in it were ignored, as some browsers did.

    nh3 reads "java    script:" (a tab, once markdown has expanded it) as a harmless relative path,
    as today's browsers do; this makes sure no reading of it is a script.
    """
    scheme = _SCHEME.match(_WHITESPACE_AND_CONTROLS.sub("", url))
    return scheme.group(1).lower() if scheme else ""


def _namespaced(value: str, id_prefix: str) -> str | None:
    """`value` reduced to a safe charset behind `id_prefix`, or None if nothing is left of it."""
    reduced = _UNSAFE_ID_CHARACTERS.sub("", value)
    return f"{id_prefix}{reduced}" if reduced else None


def _is_allowed_image(src: str) -> bool:
    """Whether an image may load from `src`: https (or //host, made https) or an image the site stored."""
    return bool(_HTTPS_IMAGE.match(src.strip())) or own_image(src) is not None


def own_image(src: str) -> re.Match | None:
    """The parts of the stored image's name (OWN_IMAGE_NAME) if `src` is the site's address of one, else None.

    Nothing else the site serves under MEDIA_URL is an image it checked, so nothing else is kept.
    """
    media_url = settings.MEDIA_URL
    if not media_url.startswith("/") or not src.strip().startswith(f"{media_url}images/"):
        return None
    return OWN_IMAGE_NAME.fullmatch(src.strip().removeprefix(f"{media_url}images/"))


def own_image_names(html_text: str) -> set[str]:
    """The names of the stored images that sanitised HTML (`render_markdown`'s) shows or links to."""
    names = set()
    for match in _IMAGE_OR_LINK_TAG.finditer(html_text):
        attributes = dict(_ATTRIBUTE.findall(match["attributes"]))
        own = own_image(html.unescape(attributes.get("src" if match["tag"] == "img" else "href", "")))
        if own is not None:
            names.add(own.group(0))
    return names


def _stand_in(src: str, alt: str) -> str:
    """What stands in for an image the page may not load: its `alt` (HTML), linked to it if it is on the web."""
    if _scheme_ignoring_whitespace(src) == "http":
        # The reader can still open it, in a tab of its own, where the page's CSP does not apply.
        src = escapeHtml(src.strip())
        return f'<a href="{src}" rel="{LINK_REL}">{alt or src}</a>'
    return alt


# The sanitiser writes every attribute as name="value", with `"` escaped, and never nests links.
_IMAGE_TAG = re.compile(r'<img((?:\s+[a-z]+="[^"]*")*)\s*/?>')
_ATTRIBUTE = re.compile(r'([a-z]+)="([^"]*)"')
_LINK_START_OR_END = re.compile(r"<a[\s>]|</a>")
_IMAGE_OR_LINK_TAG = re.compile(r'<(?P<tag>img|a)(?P<attributes>(?:\s+[a-z-]+="[^"]*")*)\s*/?>')


def _kept_image_or_stand_in(match: re.Match) -> str:
    """An image in the sanitiser's output, if the page may load it; otherwise its alt text, perhaps linked to it."""
    attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(match.group(1))}
    src = attributes.get("src", "")
    if src and _is_allowed_image(src):
        return f"<img{match.group(1)}{_size_and_loading(src, attributes)}>"
    alt = escapeHtml(attributes.get("alt", ""))
    links = _LINK_START_OR_END.findall(match.string, 0, match.start())
    inside_a_link = bool(links) and links[-1] != "</a>"
    return alt if inside_a_link else _stand_in(src, alt)


def _size_and_loading(src: str, attributes: dict[str, str]) -> str:
    """The attributes a kept image gains: loading lazily, and the size of an image the site stored."""
    added = ""
    own = own_image(src)
    if own and "width" not in attributes and "height" not in attributes:
        added += f' width="{own["width"]}" height="{own["height"]}"'
    if "loading" not in attributes:
        added += ' loading="lazy"'
    return added


# Markdown -----------------------------------------------------------------------------------------

_local = threading.local()


def _markdown() -> MarkdownIt:
    """One parser per thread: CommonMark with raw HTML (nh3 cleans it), tables and footnotes, nothing that fetches."""
    md = getattr(_local, "md", None)
    if md is None:
        options = {"html": True, "linkify": False, "typographer": False, "maxNesting": MAX_NESTING}
        md = _local.md = MarkdownIt("commonmark", options).enable(["table", "strikethrough"]).use(footnote_plugin)
        md.core.ruler.push("sub_headings", _sub_headings)
    return md


def _sub_headings(state) -> None:
    """Make headings the section's sub-headings: sections are h2 on the page, so `#`/`##` are h3, deeper ones h4.

    The sanitiser allows exactly these two levels; any other heading would lose its tag and
    read as plain text. Headings typed as HTML move the same way (nh3 cleans them afterwards).
    """
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _sub_heading(token.tag[1])
        elif token.type == "html_block":
            token.content = _HTML_HEADING.sub(_html_sub_heading, token.content)
        elif token.type == "inline":
            for child in token.children or ():
                if child.type == "html_inline":
                    child.content = _HTML_HEADING.sub(_html_sub_heading, child.content)


_HTML_HEADING = re.compile(r"<(/?)[hH]([1-6])(?=[\s/>])")


def _sub_heading(level: str) -> str:
    return "h3" if level in "12" else "h4"


def _html_sub_heading(match: re.Match) -> str:
    return f"<{match.group(1)}{_sub_heading(match.group(2))}"
