"""How the admin's tags field reads and writes a term's tags: names separated by commas.

django-taggit splits input without a comma on spaces, so an editor who types the one tag
"Generative AI" would get two, "Generative" and "AI". Here a comma is the only separator,
as the field's help text says. Names holding a comma or a double quote are written
between double quotes, and input with double quotes is read by taggit's own parser,
which honours them.
"""

from taggit.utils import _parse_tags


def tags_from_string(text: str) -> list[str]:
    """The tag names in the field's text: sorted, each once (as taggit returns them)."""
    if '"' in text:
        return _parse_tags(text)
    return sorted({" ".join(name.split()) for name in text.split(",")} - {""})


def string_from_tags(tags) -> str:
    """The field's text for these tags, read back by `tags_from_string` as the same names."""
    names = sorted(f'"{tag.name}"' if "," in tag.name or '"' in tag.name else tag.name for tag in tags)
    return ", ".join(names)
