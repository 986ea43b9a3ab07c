"""The markup of /terms/tree/: the published hierarchy as nested lists, each term's narrower terms in a `<details>`.

A term appears once under each of its broader terms (with everything below it), so every published term
is there exactly once per path from the top; the terms in no hierarchy are listed on their own. Built in
Python with every value escaped, without recursion: a template include per node would cost a large
glossary seconds, and a chain of broader terms may be deeper than Python's recursion limit.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from .addresses import term_url
from .paths import Hierarchy
from .templatetags.glossary import quick_escape

# The first level's branches start open: readers see two levels at once, and open the rest as they go.
OPEN_DEPTH = 1


@dataclass(frozen=True)
class Tree:
    """The hierarchy's markup, and the terms outside it."""

    html: SafeString  # the nested <ul>, or "" when no published term has a broader or narrower one
    tops: int  # how many terms the hierarchy starts from
    others: SafeString  # the <li> of each term in no hierarchy, by title

    @property
    def empty(self) -> bool:
        return not self.html and not self.others


def build(hierarchy: Hierarchy) -> Tree:
    """The tree of the published hierarchy."""

    def link(pk: int) -> str:
        node = hierarchy.nodes[pk]
        deprecated = ' <span class="tree__deprecated">(deprecated)</span>' if node.deprecated else ""
        return f'<a href="{quick_escape(term_url(node.slug))}">{quick_escape(node.title)}</a>{deprecated}'

    in_hierarchy = hierarchy.broader.keys() | hierarchy.narrower.keys()
    tops = sorted(in_hierarchy - hierarchy.broader.keys(), key=hierarchy.sort_key)
    # Were there a loop of broader terms, nothing in it would be at the top: start from its first term A–Z.
    unreached = in_hierarchy - hierarchy.below(tops)
    while unreached:
        tops.append(min(unreached, key=hierarchy.sort_key))
        unreached -= hierarchy.below(tops[-1:])
    others = sorted(hierarchy.nodes.keys() - in_hierarchy, key=hierarchy.sort_key)
    return Tree(
        html=mark_safe(branches(hierarchy, tops, link)) if tops else mark_safe(""),
        tops=len(tops),
        others=mark_safe("\n".join(f"<li>{link(pk)}</li>" for pk in others)),
    )


def branches(hierarchy: Hierarchy, tops: list[int], link) -> str:
    """Nested lists from `tops` down, each term's narrower terms by title; a term already above is not repeated."""
    parts = ['<ul class="tree">']
    # A stack of terms still to write, (id, the ids above it, depth), and of closing tags.
    stack: list = [(pk, frozenset(), 0) for pk in reversed(tops)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        pk, above, depth = item
        lower = [other for other in hierarchy.narrower.get(pk, ()) if other not in above and other != pk]
        if not lower:
            parts.append(f'<li class="tree__term">{link(pk)}</li>')
            continue
        count = f"{len(lower)} narrower term{'' if len(lower) == 1 else 's'}"
        parts.append(
            f'<li class="tree__term">{link(pk)} <details class="tree__branch"{" open" if depth < OPEN_DEPTH else ""}>'
            f'<summary>{count}<span class="visually-hidden"> of {quick_escape(hierarchy.nodes[pk].title)}</span>'
            "</summary><ul>"
        )
        stack.append("</ul></details></li>")
        stack.extend((other, above | {pk}, depth + 1) for other in reversed(lower))
    parts.append("</ul>")
    return "\n".join(parts)


def published_tree() -> Tree:
    """The tree of the published hierarchy, read in two queries."""
    return build(Hierarchy.load())
