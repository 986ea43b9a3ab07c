"""How the admin's tags field reads and writes a term's tags: names separated by commas.

django-taggit splits input without a comma on spaces, so an editor who types the one tag
"Generative AI" would get two, "Generative" and "AI". Here a comma is the only separator,
as the field's help text says. Names holding a comma or a double quote are written
between double quotes, and input with double quotes is read by taggit's own parser,
which honours them.

A name finds the tag with the same identity key (`terms.identity`): "CAFÉ" is added as the
existing "Café", never as a second tag.
"""

from django.db import router
from taggit.managers import _TaggableManager
from taggit.utils import _parse_tags

from .identity import identity_key, normalise_name


def tags_from_string(text: str) -> list[str]:
    """The tag names in the field's text: sorted, each once (as taggit returns them)."""
    if '"' in text:
        return _parse_tags(text)
    return sorted({" ".join(name.split()) for name in text.split(",")} - {""})


def string_from_tags(tags) -> str:
    """The field's text for these tags, read back by `tags_from_string` as the same names."""
    names = sorted(f'"{tag.name}"' if "," in tag.name or '"' in tag.name else tag.name for tag in tags)
    return ", ".join(names)


class KeyedTags(_TaggableManager):
    """A term's tags, where a name finds the tag with the same identity key."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        """The tags for these names and tags, each once, in order; a name without a tag creates one."""
        tag_model = self.through.tag_model()
        manager = tag_model._default_manager.using(router.db_for_write(self.through, instance=self.instance))
        keys = {identity_key(tag) for tag in tags if isinstance(tag, str)} - {""}
        found = {tag.name_key: tag for tag in manager.filter(name_key__in=keys, **tag_kwargs)}
        result = []
        for tag in tags:
            if isinstance(tag, str):
                key = identity_key(tag)
                if not key:  # only invisible characters: a blank
                    continue
                if key not in found:
                    found[key], _ = manager.get_or_create(
                        name_key=key, **tag_kwargs, defaults={"name": normalise_name(tag)}
                    )
                tag = found[key]
            elif not isinstance(tag, tag_model):
                raise ValueError(f"Cannot add {tag!r}: expected a {tag_model.__name__} or a name.")
            if tag not in result:
                result.append(tag)
        return result
