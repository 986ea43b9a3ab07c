"""Identity keys (terms/identity.py), and the admin applying them: one term per name, one per alias, no loops of broader terms."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from terms.identity import identity_key, set_aside_key
from terms.models import Relation, Revision, Term
from terms.publishing import delete_term, publish, unpublish
from terms.workflow import recover_deleted

from .admin_forms import change_url, term_form

ADD_URL = reverse("admin:terms_term_add")


def test_admin_add_form_refuses_a_twin_name_with_a_clear_message(editor_client, make_term, twins):
    name, twin = twins
    make_term(name, slug="first")
    response = editor_client.post(ADD_URL, term_form(name=twin))
    assert response.status_code == 200
    assert "A term with this name already exists." in response.content.decode()


def test_admin_refused_twin_name_changes_nothing(editor_client, make_term):
    make_term("Café", slug="cafe")
    editor_client.post(ADD_URL, term_form(name="CAFÉ"))
    assert Term.objects.count() == 1


def test_admin_refuses_a_slug_differing_only_in_case(editor_client, make_term):
    make_term("Fine tuning", slug="fine-tuning")
    response = editor_client.post(ADD_URL, term_form(name="Fine-tuning (again)", slug="Fine-Tuning"))
    assert "Term with this Slug already exists." in response.content.decode()


def test_admin_saves_an_upper_case_slug_in_lower_case(editor_client, db):
    response = editor_client.post(ADD_URL, term_form(slug="Fine-Tuning"))
    assert response.status_code == 302
    assert Term.objects.get().slug == "fine-tuning"


def test_admin_twin_tags_become_one_tag(editor_client, make_term, twins):
    name, twin = twins
    make_term(tags=[name])
    editor_client.post(ADD_URL, term_form(tags=twin))
    assert list(Term.objects.get(slug="fine-tuning").tags.values_list("name", flat=True)) == [name]


@pytest.fixture
def large_language_model(make_term):
    term = make_term("Large language model", slug="large-language-model", aliases="Foundation model")
    publish(term, by=None)
    return term


def test_admin_refuses_an_alias_that_is_another_terms_name(editor_client, large_language_model):
    response = editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="LARGE LANGUAGE MODEL"))
    assert "“LARGE LANGUAGE MODEL” is already the name of" in response.content.decode()


def test_admin_refuses_an_alias_that_is_another_terms_alias(editor_client, large_language_model):
    response = editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="FOUNDATION\u200b model"))
    assert "is already an alias of" in response.content.decode()


def test_refused_alias_links_to_the_other_terms_change_page(editor_client, large_language_model):
    response = editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="Foundation model"))
    link = f'<a href="{change_url(large_language_model)}">Large language model</a>'
    assert link in response.content.decode()


def test_admin_refused_alias_changes_nothing(editor_client, large_language_model):
    editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="Foundation model"))
    assert not Term.objects.filter(slug="llm").exists()


def test_admin_refuses_an_alias_that_is_the_terms_own_name_in_another_form(editor_client, db):
    response = editor_client.post(ADD_URL, term_form(name="Café", slug="cafe", aliases="Cafe\u0301"))
    assert "is this term&#x27;s own name" in response.content.decode()


def test_admin_refuses_a_name_that_is_a_live_terms_alias(editor_client, large_language_model):
    response = editor_client.post(ADD_URL, term_form(name="Foundation model", slug="foundation-model"))
    assert response.status_code == 200
    assert "“Foundation model” is an alias of" in response.content.decode()


def test_refused_name_links_to_the_change_page_of_the_term_whose_alias_it_is(editor_client, large_language_model):
    response = editor_client.post(ADD_URL, term_form(name="Foundation model", slug="foundation-model"))
    link = f'<a href="{change_url(large_language_model)}">Large language model</a>: remove it there first'
    assert link in response.content.decode()


def test_admin_refused_name_changes_nothing(editor_client, large_language_model):
    editor_client.post(ADD_URL, term_form(name="Foundation model", slug="foundation-model"))
    assert not Term.objects.filter(slug="foundation-model").exists()


def test_admin_lets_a_term_take_the_alias_of_an_unpublished_term(editor_client, large_language_model):
    unpublish(large_language_model, by=None)
    response = editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="Foundation model"))
    assert response.status_code == 302


def test_a_saved_terms_aliases_are_kept_as_their_keys(large_language_model):
    large_language_model.aliases = "Foundation\u200b model\nＧＰＴ\ngpt"
    large_language_model.save()
    assert Term.objects.get(pk=large_language_model.pk).alias_keys == "\nfoundation model\ngpt\n"


def test_admin_refuses_an_alias_that_is_a_live_terms_alias_in_another_form(editor_client, large_language_model):
    response = editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="ＦＯＵＮＤＡＴＩＯＮ model"))
    assert "is already an alias of" in response.content.decode()


def test_admin_keeps_an_alias_no_other_term_has(editor_client, large_language_model):
    response = editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="LLMs"))
    assert response.status_code == 302
    assert Term.objects.get(slug="llm").aliases == "LLMs"


@pytest.fixture
def lora(make_term, relate):
    """LoRA, whose broader term is "Fine-tuning" (which the admin form below saves)."""
    fine_tuning, lora = make_term("Fine-tuning", slug="fine-tuning"), make_term("LoRA", slug="lora")
    relate(lora, fine_tuning, Relation.Kind.BROADER)
    return lora


def broader(term, kind="broader"):
    return {"position": "1", "kind": kind, "to_term": str(term.pk)}


def test_admin_inline_refuses_broader_both_ways_naming_the_loop(editor_client, lora):
    fine_tuning = Term.objects.get(slug="fine-tuning")
    response = editor_client.post(
        change_url(fine_tuning), term_form(relations=[broader(lora)], loaded_edit_version=str(fine_tuning.edit_version))
    )
    assert response.status_code == 200
    assert "Fine-tuning → LoRA → Fine-tuning" in response.content.decode()


def test_admin_inline_refused_loop_saves_nothing(editor_client, lora):
    fine_tuning = Term.objects.get(slug="fine-tuning")
    editor_client.post(
        change_url(fine_tuning), term_form(relations=[broader(lora)], loaded_edit_version=str(fine_tuning.edit_version))
    )
    assert not fine_tuning.relations.exists()


def test_admin_inline_refuses_a_longer_loop(editor_client, lora, make_term, relate):
    adapter = make_term("Adapter", slug="adapter")
    relate(adapter, lora, Relation.Kind.BROADER)
    fine_tuning = Term.objects.get(slug="fine-tuning")
    response = editor_client.post(
        change_url(fine_tuning),
        term_form(relations=[broader(adapter, "broader")], loaded_edit_version=str(fine_tuning.edit_version)),
    )
    assert "Fine-tuning → Adapter → LoRA → Fine-tuning" in response.content.decode()


def test_admin_inline_refuses_two_new_rows_that_contradict_each_other(editor_client, make_term):
    llm = make_term("LLM", slug="llm")
    response = editor_client.post(ADD_URL, term_form(relations=[broader(llm), broader(llm, "narrower")]))
    assert "Fine-tuning → LLM → Fine-tuning" in response.content.decode()


def test_admin_inline_accepts_reversing_a_relation_in_one_save(editor_client, make_term, relate):
    fine_tuning, lora = make_term("Fine-tuning", slug="fine-tuning"), make_term("LoRA", slug="lora")
    old = relate(fine_tuning, lora, Relation.Kind.BROADER)
    rows = [
        {**broader(lora), "id": str(old.pk), "from_term": str(fine_tuning.pk), "DELETE": "on"},
        broader(lora, "narrower"),
    ]
    data = {
        **term_form(relations=rows, loaded_edit_version=str(fine_tuning.edit_version)),
        "relations-INITIAL_FORMS": "1",
    }
    response = editor_client.post(change_url(fine_tuning), data)
    assert response.status_code == 302
    assert list(fine_tuning.relations.values_list("kind", flat=True)) == ["narrower"]


@pytest.fixture
def set_aside_twin(make_term):
    """A term the upgrade found to be the twin of an older "Café" (as migration 0012 leaves it)."""
    make_term("Café", slug="cafe")
    twin = make_term("Coffee", slug="cafe-2")
    Term.objects.filter(pk=twin.pk).update(name="CAFÉ", name_key=set_aside_key("café", twin.pk))
    return Term.objects.get(pk=twin.pk)


def test_admin_warns_under_a_set_aside_twins_name(editor_client, set_aside_twin):
    response = editor_client.get(change_url(set_aside_twin))
    older = Term.objects.get(slug="cafe")
    assert response.status_code == 200
    assert f'This name is the same as that of <a href="{change_url(older)}">Café</a>' in response.content.decode()


def test_admin_lists_set_aside_twins_under_name_clashes(editor_client, set_aside_twin):
    response = editor_client.get(reverse("admin:terms_term_changelist"), {"clash": "yes"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_admin_refuses_to_save_a_set_aside_twin_unrenamed(editor_client, set_aside_twin):
    response = editor_client.post(
        change_url(set_aside_twin),
        term_form(name="CAFÉ", slug="cafe-2", loaded_edit_version=str(set_aside_twin.edit_version)),
    )
    assert "A term with this name already exists." in response.content.decode()


def test_admin_saves_a_renamed_set_aside_twin(editor_client, set_aside_twin):
    editor_client.post(
        change_url(set_aside_twin),
        term_form(name="Café (the drink)", slug="cafe-2", loaded_edit_version=str(set_aside_twin.edit_version)),
    )
    assert Term.objects.get(pk=set_aside_twin.pk).name_key == "café (the drink)"


def test_set_aside_twin_saved_outside_the_admin_keeps_its_own_key(set_aside_twin):
    set_aside_twin.save()
    assert Term.objects.get(pk=set_aside_twin.pk).name_key == set_aside_key("café", set_aside_twin.pk)


def test_recovering_a_deleted_term_whose_name_a_twin_took_is_refused(make_term):
    delete_term(make_term("Embedding", slug="embedding"), by=None)
    make_term("Ｅｍｂｅｄｄｉｎｇ", slug="embedding-2")
    with pytest.raises(ValidationError, match="cannot be recovered"):
        recover_deleted(Revision.objects.get(action=Revision.Action.DELETE), by=None)


def test_identity_key_of_a_name_never_holds_a_line_break():
    assert identity_key("Fine\n\u2028tuning") == "fine tuning"
