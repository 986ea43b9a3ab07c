"""A term's tags (terms/tagging.py): a name finds the tag with the same identity key, so twins are one tag."""

from terms.models import Tag


def test_tags_differing_only_in_case_are_one_tag(make_term):
    make_term(tags=["LLM"])
    make_term(tags=["llm"])
    assert Tag.objects.count() == 1


def test_twin_tag_names_are_one_tag(make_term, twins):
    name, twin = twins
    make_term(tags=[name])
    make_term(tags=[twin])
    assert list(Tag.objects.values_list("name", flat=True)) == [name]


def test_twins_in_one_list_of_tags_are_one_tag(make_term, twins):
    name, twin = twins
    term = make_term(tags=[name, twin])
    assert term.tags.count() == 1


def test_tag_names_are_stored_composed_and_without_invisible_characters(make_term):
    make_term(tags=["Cafe\u0301\u200b"])
    assert list(Tag.objects.values_list("name", flat=True)) == ["Café"]


def test_tag_of_invisible_characters_only_is_not_added(make_term):
    term = make_term(tags=["\u200b", "Training"])
    assert [tag.name for tag in term.tags.all()] == ["Training"]
