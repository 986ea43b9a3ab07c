"""Markdown becomes sanitised HTML in one place: editors' markdown can neither inject script into a page nor stall the server."""

import html
import re
import time
from html.parser import HTMLParser

import pytest
from csp.constants import SELF
from django.conf import settings

from terms.rendering import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    MAX_MARKDOWN_LENGTH,
    MAX_NESTING,
    own_image_names,
    render_markdown,
)

STORED_NAME = f"{'0' * 64}-640x480.png"
"""The name of an image the site stored (terms/images.py): its content's hash, its size, its format."""
OTHER_NAME = f"{'1' * 64}-10x20.gif"


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


SAFE_SCHEMES = {"http", "https", "mailto"}
CONTROL_AND_SPACE = re.compile(r"[\x00-\x20\x7f]")
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


class _Elements(HTMLParser):
    """Every start tag of an HTML fragment with its attributes, and anything that is not text or a tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.other.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.other.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.other.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.other.append(f"<![{data}]>")


def elements(fragment: str) -> _Elements:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser


def scheme(url: str) -> str:
    """The scheme a browser could see in `url`: entities decoded, whitespace and controls dropped."""
    found = SCHEME.match(CONTROL_AND_SPACE.sub("", html.unescape(url)).lower())
    return found.group(1) if found else ""


def is_allowed_image(src: str) -> bool:
    """Whether the page's CSP (img-src 'self' https:) lets an image load from `src`."""
    return scheme(src) == "https" or src.startswith(f"{settings.MEDIA_URL}images/")


def executable_parts(fragment: str) -> list[str]:
    """The pieces of `fragment` that could run script, load something or escape the allow-list."""
    found = elements(fragment)
    offending = list(found.other)
    for tag, attrs in found.tags:
        if tag not in ALLOWED_TAGS:
            offending.append(f"<{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name not in allowed:
                offending.append(f"<{tag} {name}>")
            if name in ("href", "src") and scheme(value) not in SAFE_SCHEMES | {""}:
                offending.append(f"<{tag} {name}={value!r}>")
            elif tag == "img" and name == "src" and not is_allowed_image(value):
                offending.append(f"<img src={value!r}>")
    return offending


def ids(fragment: str) -> list[str]:
    return [value for _, attrs in elements(fragment).tags for name, value in attrs if name == "id"]


def attribute(fragment: str, tag: str, name: str) -> list[str]:
    return [value for found, attrs in elements(fragment).tags if found == tag for key, value in attrs if key == name]


HOSTILE = [
    # <script>, however it is spelled
    pytest.param("<script>alert(1)</script>", id="script"),
    pytest.param("<ScRiPt>alert(1)</sCrIpT>", id="script-mixed-case"),
    pytest.param("<scr<script>ipt>alert(1)</script>", id="script-nested-in-its-name"),
    pytest.param('<script src="https://evil.example/x.js" async defer></script>', id="script-with-attributes"),
    pytest.param("<script>alert(1)", id="script-unclosed"),
    pytest.param("<<script>script>alert(1)<</script>/script>", id="script-doubled-brackets"),
    pytest.param("`<script>alert(1)</script>`", id="script-in-code-span"),
    pytest.param("```\n<script>alert(1)</script>\n```", id="script-in-fenced-code"),
    pytest.param("    <script>alert(1)</script>", id="script-in-indented-code"),
    pytest.param("<div>\n<script>alert(1)</script>\n</div>", id="script-in-html-block"),
    # event handlers
    pytest.param('<img src="x" onerror="alert(1)">', id="onerror"),
    pytest.param("<img/src=x/onerror=alert(1)>", id="onerror-slashes"),
    pytest.param('<img src=x onerror\n=\n"alert(1)">', id="onerror-newlines"),
    pytest.param("<img src=x onerror=alert(1)//", id="onerror-unclosed-tag"),
    pytest.param('<body onload="alert(1)">', id="onload"),
    pytest.param('<a href="https://example.com" onmouseover="alert(1)">x</a>', id="onmouseover"),
    pytest.param('<p OnClick="alert(1)">x</p>', id="onclick-mixed-case"),
    pytest.param('<details open ontoggle="alert(1)">x</details>', id="ontoggle"),
    pytest.param("[x](https://example.com){onclick=alert(1)}", id="attribute-list-syntax"),
    # styles
    pytest.param('<p style="background:url(javascript:alert(1))">x</p>', id="style-attribute"),
    pytest.param('<div style="width: expression(alert(1))">x</div>', id="css-expression"),
    pytest.param("<style>body { background: url(javascript:alert(1)) }</style>", id="style-tag"),
    # embedding and forms
    pytest.param('<iframe src="https://evil.example"></iframe>', id="iframe"),
    pytest.param('<iframe srcdoc="<script>alert(1)</script>"></iframe>', id="iframe-srcdoc"),
    pytest.param('<object data="javascript:alert(1)"></object>', id="object"),
    pytest.param('<embed src="javascript:alert(1)">', id="embed"),
    pytest.param('<form action="https://evil.example"><input name="password"></form>', id="form-input"),
    pytest.param('<button formaction="javascript:alert(1)">go</button>', id="button-formaction"),
    pytest.param('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', id="meta-refresh"),
    pytest.param('<base href="https://evil.example/">', id="base-href"),
    pytest.param('<link rel="stylesheet" href="https://evil.example/x.css">', id="link-stylesheet"),
    # SVG and MathML
    pytest.param("<svg><script>alert(1)</script></svg>", id="svg-script"),
    pytest.param('<svg onload="alert(1)"><circle r="1"/></svg>', id="svg-onload"),
    pytest.param(
        "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>", id="svg-foreignobject"
    ),
    pytest.param('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', id="svg-xlink-href"),
    pytest.param(
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
        id="math-mglyph-style",
    ),
    pytest.param('<math href="javascript:alert(1)">x</math>', id="math-href"),
    # javascript:, vbscript: and data: in markdown links
    pytest.param("[x](javascript:alert(1))", id="link-javascript"),
    pytest.param("[x](JaVaScRiPt:alert(1))", id="link-javascript-mixed-case"),
    pytest.param("[x]( javascript:alert(1))", id="link-javascript-leading-space"),
    pytest.param("[x](java\tscript:alert(1))", id="link-javascript-tab"),
    pytest.param("[x](<java\nscript:alert(1)>)", id="link-javascript-newline"),
    pytest.param("[x](&#106;avascript:alert(1))", id="link-javascript-decimal-entity"),
    pytest.param("[x](&#x6A;avascript:alert(1))", id="link-javascript-hex-entity"),
    pytest.param("[x](javascript&colon;alert(1))", id="link-javascript-colon-entity"),
    pytest.param("[x](jav&#x09;ascript:alert(1))", id="link-javascript-tab-entity"),
    pytest.param("[x](%6Aavascript:alert(1))", id="link-javascript-percent-encoded"),
    pytest.param("[x](\x01javascript:alert(1))", id="link-javascript-control-character"),
    pytest.param("[x](vbscript:msgbox(1))", id="link-vbscript"),
    pytest.param("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", id="link-data-html"),
    pytest.param('[x](javascript:alert(1) "title")', id="link-javascript-with-title"),
    pytest.param("[x][r]\n\n[r]: javascript:alert(1)", id="reference-link-javascript"),
    pytest.param("[r]\n\n[r]: JAVASCRIPT:alert(1)", id="short-reference-link-javascript"),
    pytest.param("<javascript:alert(1)>", id="autolink-javascript"),
    pytest.param("<data:text/html,<script>alert(1)</script>>", id="autolink-data"),
    # ...in images
    pytest.param("![x](javascript:alert(1))", id="image-javascript"),
    pytest.param("![x](data:text/html;base64,PHNjcmlwdD4=)", id="image-data-html"),
    pytest.param("![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", id="image-data-svg"),
    pytest.param("![x](DaTa:image/png;base64,AAAA)", id="image-data-mixed-case"),
    pytest.param("![x][r]\n\n[r]: data:image/svg+xml,<svg/onload=alert(1)>", id="image-reference-data"),
    pytest.param('<img src="javascript:alert(1)">', id="img-javascript"),
    pytest.param('<img src="x.png" srcset="javascript:alert(1) 1x">', id="img-srcset"),
    # ...and in raw HTML
    pytest.param('<a href="javascript:alert(1)">x</a>', id="a-javascript"),
    pytest.param('<a href=" &#14;  javascript:alert(1)">x</a>', id="a-javascript-leading-controls"),
    pytest.param('<a href="jav&#x0A;ascript:alert(1)">x</a>', id="a-javascript-newline-entity"),
    pytest.param(
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
        id="a-javascript-padded-entities",
    ),
    pytest.param('<a href="vbscript:msgbox(1)">x</a>', id="a-vbscript"),
    pytest.param('<a href="data:text/html,<script>alert(1)</script>">x</a>', id="a-data"),
    pytest.param('<a href="javascript:alert(1)"', id="a-unclosed"),
    # entities, comments and parser confusion
    pytest.param("&lt;script&gt;alert(1)&lt;/script&gt;", id="escaped-script-stays-text"),
    pytest.param("<!-- <script>alert(1)</script> -->", id="comment"),
    pytest.param("<!--[if IE]><script>alert(1)</script><![endif]-->", id="conditional-comment"),
    pytest.param("<![CDATA[<script>alert(1)</script>]]>", id="cdata"),
    pytest.param("<template><script>alert(1)</script></template>", id="template"),
    pytest.param('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', id="noscript-title"),
    pytest.param("<textarea><img src=x onerror=alert(1)></textarea>", id="textarea"),
    pytest.param('<a href="https://example.com" title="x" id="x" name="forms">x</a>', id="name-clobbering"),
    pytest.param('<img name="getElementById" src="https://example.com/x.png">', id="img-name-clobbering"),
    pytest.param("<x onclick=alert(1)>x</x>", id="unknown-element"),
    pytest.param("<a/href=javascript:alert(1)>x</a>", id="a-slash-separated"),
    pytest.param("Text[^__proto__]\n\n[^__proto__]: <a id='location' href='#body'>x</a>", id="footnote-id-clobbering"),
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markdown_renders_without_executable_parts(hostile):
    assert executable_parts(render_markdown(hostile)) == []


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markdown_renders_only_namespaced_ids(hostile):
    assert [value for value in ids(render_markdown(hostile)) if not value.startswith("md-")] == []


def test_the_checker_finds_what_it_looks_for():
    found = executable_parts('<img src="data:x" onerror="y"><a href="java&#9;script:z" style="s">a</a><!--c-->')
    assert found == ["<!--c-->", "<img src='data:x'>", "<img onerror>", "<a href='java\\tscript:z'>", "<a style>"]


def test_escaped_script_stays_visible_text():
    assert render_markdown("&lt;script&gt;alert(1)&lt;/script&gt;") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_script_in_code_span_is_shown_as_text():
    assert render_markdown("`<script>alert(1)</script>`") == "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>"


def test_text_around_a_removed_tag_survives():
    assert render_markdown('Hello <iframe src="https://evil.example"></iframe>world') == "<p>Hello world</p>"


def test_a_javascript_link_stays_plain_text():
    assert render_markdown("[click me](javascript:alert(1))") == "<p>[click me](javascript:alert(1))</p>"


# ids and fragment links


FOOTNOTED = "A claim.[^1]\n\n[^1]: The source."


def test_two_footnoted_sections_share_no_id():
    explanation = ids(render_markdown(FOOTNOTED, prefix="explanation-"))
    history = ids(render_markdown(FOOTNOTED, prefix="history-"))
    assert set(explanation) & set(history) == set()


def test_footnote_ids_carry_the_section_prefix():
    assert ids(render_markdown(FOOTNOTED, prefix="history-")) == ["history-fnref1", "history-fn1"]


def test_footnote_links_point_at_the_prefixed_ids():
    rendered = render_markdown(FOOTNOTED, prefix="history-")
    assert attribute(rendered, "a", "href") == ["#history-fn1", "#history-fnref1"]


def test_user_id_is_prefixed_so_it_cannot_clobber_a_page_id():
    assert ids(render_markdown('<a id="main">x</a>')) == ["md-main"]


def test_user_id_takes_the_section_prefix():
    assert ids(render_markdown('<a id="main">x</a>', prefix="explanation-")) == ["explanation-main"]


def test_user_fragment_link_follows_the_prefix():
    assert attribute(render_markdown("[up](#main)", prefix="explanation-"), "a", "href") == ["#explanation-main"]


def test_id_keeps_only_letters_digits_and_separators():
    assert ids(render_markdown('<a id="a b&quot;c&lt;d&gt;é-_:9">x</a>')) == ["md-abcd-_:9"]


def test_fragment_link_keeps_only_letters_digits_and_separators():
    assert attribute(render_markdown('<a href="#a b&quot;(c)">x</a>'), "a", "href") == ["#md-abc"]


def test_fragment_link_with_surrounding_spaces_follows_the_prefix():
    assert attribute(render_markdown('<a href=" #main ">x</a>'), "a", "href") == ["#md-main"]


def test_unsafe_prefix_is_refused():
    with pytest.raises(ValueError, match="id prefix"):
        render_markdown("x", prefix='" onclick="')


def test_id_with_nothing_safe_in_it_is_dropped():
    assert ids(render_markdown('<a id="&lt;&gt;">x</a>')) == []


def test_name_attribute_is_dropped():
    assert attribute(render_markdown('<a name="forms" href="https://example.com">x</a>'), "a", "name") == []


# images


def test_https_image_is_kept():
    assert attribute(render_markdown("![x](https://example.com/x.png)"), "img", "src") == ["https://example.com/x.png"]


def test_protocol_relative_image_loads_over_https():
    assert attribute(render_markdown("![x](//example.com/x.png)"), "img", "src") == ["https://example.com/x.png"]


def test_http_image_is_not_shown():
    assert attribute(render_markdown("![a diagram](http://example.com/x.png)"), "img", "src") == []


def test_http_image_becomes_a_link_to_it_named_by_its_alt_text():
    assert render_markdown("![a diagram](http://example.com/x.png)") == (
        '<p><a href="http://example.com/x.png" rel="nofollow noopener noreferrer">a diagram</a></p>'
    )


def test_http_image_without_alt_text_becomes_a_link_named_by_its_address():
    assert render_markdown("![](http://example.com/x.png)") == (
        '<p><a href="http://example.com/x.png" rel="nofollow noopener noreferrer">http://example.com/x.png</a></p>'
    )


def test_http_image_typed_as_html_loses_its_source():
    assert attribute(render_markdown('<img src="http://example.com/x.png" alt="a">'), "img", "src") == []


def test_http_image_typed_as_html_becomes_a_link_to_it_named_by_its_alt_text():
    assert render_markdown('<img src="http://example.com/raw.png" alt="raw">') == (
        '<a href="http://example.com/raw.png" rel="nofollow noopener noreferrer">raw</a>'
    )


def test_http_image_typed_as_html_in_a_sentence_becomes_a_link_in_it():
    assert render_markdown('See <img src="http://example.com/raw.png" alt="raw"> here.') == (
        '<p>See <a href="http://example.com/raw.png" rel="nofollow noopener noreferrer">raw</a> here.</p>'
    )


def test_http_image_typed_as_html_keeps_its_address_and_alt_text_escaped():
    rendered = render_markdown('<img src="http://example.com/x.png?a=1&amp;b=2" alt="a &lt;b&gt; &quot;c&quot;">')
    assert rendered == (
        '<a href="http://example.com/x.png?a=1&amp;b=2" rel="nofollow noopener noreferrer">a &lt;b&gt; &quot;c&quot;</a>'
    )


def test_http_image_typed_as_html_without_alt_text_becomes_a_link_named_by_its_address():
    assert render_markdown('<img src="http://example.com/raw.png">') == (
        '<a href="http://example.com/raw.png" rel="nofollow noopener noreferrer">http://example.com/raw.png</a>'
    )


def test_http_image_typed_as_html_inside_a_link_becomes_its_alt_text():
    assert render_markdown('<a href="https://example.com/">Go <img src="http://example.com/x.png" alt="home"></a>') == (
        '<p><a href="https://example.com/" rel="nofollow noopener noreferrer">Go home</a></p>'
    )


def test_http_image_inside_a_markdown_link_becomes_the_links_name():
    assert render_markdown("[![home](http://example.com/x.png)](https://example.com/)") == (
        '<p><a href="https://example.com/" rel="nofollow noopener noreferrer">home</a></p>'
    )


def test_image_typed_as_html_that_cannot_load_becomes_its_alt_text():
    assert render_markdown('Look: <img src="diagram.png" alt="a diagram">') == "<p>Look: a diagram</p>"


def test_https_image_typed_as_html_is_kept():
    rendered = render_markdown('<img src="https://example.com/x.png" alt="x">')
    assert attribute(rendered, "img", "src") == ["https://example.com/x.png"]


@pytest.mark.parametrize(
    "markdown",
    [
        '<img src="http://example.com/x.png" alt="a">',
        'Text <img src="http://example.com/x.png" alt="a"> text',
        '<img src="javascript:alert(1)" alt="a">',
        '<img src="data:image/png;base64,AAAA" alt="a">',
        '<img src="diagram.png" alt="a">',
        '<img alt="a">',
        "<img src=x onerror=alert(1)>",
        '<img src="http://example.com/x.png" alt="a > b" title="t" width="10">',
    ],
)
def test_no_image_is_left_without_a_source(markdown):
    rendered = render_markdown(markdown)
    assert [attrs for tag, attrs in elements(rendered).tags if tag == "img" and not dict(attrs).get("src")] == []


@pytest.mark.parametrize(
    ("markdown", "sources"),
    [
        ("![x](https://example.com/x.png)", ["https://example.com/x.png"]),
        ("![x](//example.com/x.png)", ["https://example.com/x.png"]),
        ("![x](http://example.com/x.png)", []),
        ("![x](HTTP://example.com/x.png)", []),
        ('<img src="http://example.com/x.png">', []),
        ('<img src=" //example.com/x.png">', ["https://example.com/x.png"]),
        (f"![x]({settings.MEDIA_URL}images/{STORED_NAME})", [f"{settings.MEDIA_URL}images/{STORED_NAME}"]),
        (f"![x]({settings.MEDIA_URL}terms/x.png)", []),
        ("![x](diagram.png)", []),
    ],
)
def test_images_are_kept_only_from_where_the_content_security_policy_lets_them_load(markdown, sources):
    kept = attribute(render_markdown(markdown), "img", "src")
    assert (kept, all(map(is_allowed_image, kept))) == (sources, True)


def test_the_content_security_policy_lets_images_load_from_https_and_the_site_itself():
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] == [SELF, "https:"]


def test_data_image_is_dropped():
    assert attribute(render_markdown("![x](data:image/png;base64,iVBORw0KGgo=)"), "img", "src") == []


def test_relative_image_is_dropped():
    assert attribute(render_markdown("![x](diagram.png)"), "img", "src") == []


def test_site_path_outside_media_is_dropped():
    assert attribute(render_markdown("![x](/admin/logout/)"), "img", "src") == []


def test_an_image_the_site_stored_is_kept():
    src = f"{settings.MEDIA_URL}images/{STORED_NAME}"
    assert attribute(render_markdown(f"![x]({src})"), "img", "src") == [src]


def test_an_image_the_site_stored_keeps_its_alt_text():
    assert attribute(render_markdown(f"![A red square]({settings.MEDIA_URL}images/{STORED_NAME})"), "img", "alt") == [
        "A red square"
    ]


def test_an_image_the_site_stored_gets_its_size_from_its_name():
    rendered = render_markdown(f"![x]({settings.MEDIA_URL}images/{STORED_NAME})")
    assert (attribute(rendered, "img", "width"), attribute(rendered, "img", "height")) == (["640"], ["480"])


def test_an_image_typed_as_html_with_its_own_size_keeps_it():
    rendered = render_markdown(f'<img src="{settings.MEDIA_URL}images/{STORED_NAME}" alt="x" width="64">')
    assert (attribute(rendered, "img", "width"), attribute(rendered, "img", "height")) == (["64"], [])


@pytest.mark.parametrize(
    "src",
    [f"{settings.MEDIA_URL}images/{STORED_NAME}", "https://example.com/x.png"],
    ids=["stored", "https"],
)
def test_kept_images_load_lazily(src):
    assert attribute(render_markdown(f"![x]({src})"), "img", "loading") == ["lazy"]


def test_an_image_cannot_ask_to_load_eagerly():
    assert attribute(render_markdown('<img src="https://example.com/x.png" loading="eager">'), "img", "loading") == [
        "lazy"
    ]


@pytest.mark.parametrize(
    "name",
    [
        "terms/diagram.png",  # under MEDIA_URL, not an image the site stored
        f"images/{'0' * 64}-640x480.svg",
        f"images/{'0' * 64}-640x480.png?x=1",
        f"images/{'0' * 63}-640x480.png",
        f"images/../images/{STORED_NAME}",
        f"images/{'0' * 64}-64000x480.png",
    ],
)
def test_other_addresses_under_media_are_not_shown_as_images(name):
    assert render_markdown(f"![a diagram]({settings.MEDIA_URL}{name})") == "<p>a diagram</p>"


def test_an_image_on_another_site_over_http_is_still_not_shown():
    assert attribute(render_markdown("![x](http://example.com/images/x.png)"), "img", "src") == []


def test_image_alt_text_stands_in_for_an_image_that_cannot_load():
    assert render_markdown("![a diagram](data:image/png;base64,AAAA)") == "<p>a diagram</p>"


# headings


def test_the_sanitiser_allows_exactly_the_two_sub_heading_levels():
    assert {tag for tag in ALLOWED_TAGS if re.fullmatch(r"h[1-6]", tag)} == {"h3", "h4"}


# links


def test_external_link_gets_nofollow_noopener_noreferrer():
    assert attribute(render_markdown("[x](https://example.com)"), "a", "rel") == ["nofollow noopener noreferrer"]


def test_protocol_relative_link_gets_nofollow_noopener_noreferrer():
    assert attribute(render_markdown('<a href="//example.com">x</a>'), "a", "rel") == ["nofollow noopener noreferrer"]


@pytest.mark.parametrize(
    "href", ["https://example.com/a?b=c", "http://example.com", "mailto:editors@example.com", "/terms/llm/", "#notes"]
)
def test_safe_link_targets_are_kept(href):
    rendered = attribute(render_markdown(f"[x]({href})", prefix="s-"), "a", "href")
    assert rendered == [href.replace("#", "#s-")]


def test_fenced_code_keeps_its_language_class():
    assert attribute(render_markdown("```python\nx = 1\n```"), "code", "class") == ["language-python"]


def test_other_classes_are_dropped():
    assert attribute(render_markdown('<div class="admin-only overlay">x</div>'), "div", "class") == []


# length and hostile input


def test_over_long_text_is_refused_naming_the_limit():
    with pytest.raises(ValueError, match="10,000"):
        render_markdown("x" * (MAX_MARKDOWN_LENGTH * 2 + 1))


def test_text_at_twice_the_limit_still_renders():
    assert render_markdown("x" * (MAX_MARKDOWN_LENGTH * 2)).startswith("<p>x")


def _filled(unit: str) -> str:
    return (unit * (MAX_MARKDOWN_LENGTH // len(unit) + 1))[:MAX_MARKDOWN_LENGTH]


def _lines_upto_limit(lines) -> str:
    text = ""
    for line in lines:
        if len(text) + len(line) + 1 > MAX_MARKDOWN_LENGTH:
            return text
        text += line + "\n"
    return text


PATHOLOGICAL = [
    pytest.param("[" * MAX_MARKDOWN_LENGTH, id="open-brackets"),
    pytest.param(_filled("![a]["), id="open-image-references"),
    pytest.param(_filled("[]("), id="open-link-targets"),
    pytest.param(_filled('[a]("'), id="open-link-titles"),
    pytest.param(_filled("[^"), id="open-footnote-markers"),
    pytest.param(_filled("*["), id="emphasis-and-brackets"),
    pytest.param(_filled("<a "), id="open-html-tags"),
    pytest.param(_filled("1. "), id="ordered-list-markers-on-one-line"),
    pytest.param(_filled("> "), id="block-quote-markers-on-one-line"),
    pytest.param(_filled("- > "), id="list-and-quote-markers-on-one-line"),
    pytest.param(_lines_upto_limit("    " * depth + "- x" for depth in range(200)), id="indented-lists"),
    pytest.param(_filled("***\n"), id="rules"),
    pytest.param(_filled("a\n=\n"), id="setext-headings"),
    pytest.param(_filled("[^1] ")[:-10] + "\n\n[^1]: x", id="repeated-footnote-references"),
    pytest.param(_filled("[*_`<>!](^|&#"), id="mixed-punctuation"),
]


@pytest.mark.parametrize("text", PATHOLOGICAL)
def test_pathological_input_renders_in_under_a_second(text):
    started = time.perf_counter()
    rendered = render_markdown(text)
    assert isinstance(rendered, str)
    assert time.perf_counter() - started < 1.0


def test_block_quotes_nest_only_to_the_limit():
    rendered = render_markdown("> " * (MAX_NESTING + 5) + "deep")
    assert rendered.count("<blockquote>") <= MAX_NESTING


def test_fenced_code_keeps_deep_markers_as_typed():
    deep = "> " * (MAX_NESTING + 5)
    assert render_markdown(f"```\n{deep}\n```") == f"<pre><code>{deep.replace('>', '&gt;')}\n</code></pre>"


# The stored images a page shows --------------------------------------------------------------------------------------


def test_the_stored_images_html_shows_are_named():
    html = render_markdown(f"![A plot](/media/images/{STORED_NAME}) and <img src='/media/images/{OTHER_NAME}' alt=b>")
    assert own_image_names(html) == {STORED_NAME, OTHER_NAME}


def test_a_stored_image_html_links_to_is_named():
    assert own_image_names(render_markdown(f"[The plot](/media/images/{STORED_NAME})")) == {STORED_NAME}


@pytest.mark.parametrize(
    "markdown",
    [
        f"`/media/images/{STORED_NAME}`",
        f'<code>src="/media/images/{STORED_NAME}"</code>',
        f"![A plot](https://example.com/media/images/{STORED_NAME})",
        f"![A plot](/media/other/{STORED_NAME})",
        "![A plot](/media/images/picture.png)",
    ],
)
def test_nothing_but_a_stored_images_address_in_an_image_or_link_is_named(markdown):
    assert own_image_names(render_markdown(markdown)) == set()
