"""Names as the database compares them (terms/models/names.py): one term per name, however it is typed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from terms.models import Term


def test_term_names_are_unique_ignoring_case(make_term):
    make_term("Embedding")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_term("EMBEDDING", slug="embedding-2")


def test_duplicate_name_fails_validation_with_a_clear_message(make_term):
    make_term("Embedding")
    term = Term(name="embedding", slug="embedding-2", short_definition="Another.")
    with pytest.raises(ValidationError, match="A term with this name already exists"):
        term.full_clean()


def test_twin_name_fails_validation_with_a_clear_message(make_term, twins):
    name, twin = twins
    make_term(name, slug="first")
    term = Term(name=twin, slug="twin", short_definition="Another.")
    with pytest.raises(ValidationError, match="A term with this name already exists") as refused:
        term.full_clean()
    assert list(refused.value.message_dict) == ["name"]


def test_database_refuses_a_twin_name(make_term, twins):
    name, twin = twins
    make_term(name, slug="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_term(twin, slug="twin")


def test_names_are_stored_composed_and_without_invisible_characters(make_term):
    term = make_term("Cafe\u0301 au\u200b lait\u00ad", slug="cafe-au-lait")
    assert Term.objects.get(pk=term.pk).name == "Café au lait"


def test_name_keeps_the_letter_case_the_editor_typed(make_term):
    term = Term(name="ＬoRA", slug="lora", short_definition="Low-rank adaptation.")
    term.full_clean()
    assert term.name == "ＬoRA"
