"""Identity keys (terms/identity.py): one term per name, one per alias (the admin applying them is tested in test_forms.py)."""

from terms.identity import identity_key, set_aside_key
from terms.models import Term


def test_a_saved_terms_aliases_are_kept_as_their_keys(large_language_model):
    large_language_model.aliases = "Foundation\u200b model\nＧＰＴ\ngpt"
    large_language_model.save()
    assert Term.objects.get(pk=large_language_model.pk).alias_keys == "\nfoundation model\ngpt\n"


def test_set_aside_twin_saved_outside_the_admin_keeps_its_own_key(set_aside_twin):
    set_aside_twin.save()
    assert Term.objects.get(pk=set_aside_twin.pk).name_key == set_aside_key("café", set_aside_twin.pk)


def test_identity_key_of_a_name_never_holds_a_line_break():
    assert identity_key("Fine\n\u2028tuning") == "fine tuning"
