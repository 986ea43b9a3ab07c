"""The JSON serializer `dumpdata` and `loaddata` use (settings.SERIALIZATION_MODULES): Django's, made to
write a deleted term's revisions.

A revision keeps the id of a term deleted since (its foreign key has no database constraint, so the
term can be recovered with its history). With `--natural-foreign` Django's serializer looks that term
up for its natural key and fails; this one writes the id instead, which `loaddata` reads back as is.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers import json

Deserializer = json.Deserializer


class Serializer(json.Serializer):
    def handle_fk_field(self, obj, field):
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:
            self._current[field.name] = field.value_from_object(obj)
