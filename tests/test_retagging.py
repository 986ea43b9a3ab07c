"""Renaming and merging tags (terms/retagging.py): working copies, published pages, records and addresses."""

import pytest
from django.core.exceptions import ValidationError

from terms import queries
from terms.models import PublishedTerm, PublishedTermTag, Revision, Tag, TagChange, Term
from terms.publishing import publish, rollback
from terms.retagging import merge_tags, rename_tag


@pytest.fixture
def twin_tags(make_term):
    """Two published terms, one tagged "LLM" and one "Large language models", and a draft tagged "LLM"."""
    first = make_term("GPT", tags=["LLM", "Training"])
    second = make_term("Claude", tags=["Large language models"])
    publish(first, by=None)
    publish(second, by=None)
    make_term("Draft model", tags=["LLM"])
    return Tag.objects.get(name="LLM"), Tag.objects.get(name="Large language models")


def published_tag_names(name: str) -> list[str]:
    return [tag["name"] for tag in PublishedTerm.objects.get(name=name).tags]


def test_merge_moves_every_working_copy_to_the_kept_tag(twin_tags):
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    assert sorted(Term.objects.filter(tags__name="Large language models").values_list("name", flat=True)) == [
        "Claude",
        "Draft model",
        "GPT",
    ]


def test_merge_deletes_the_merged_tag(twin_tags):
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    assert not Tag.objects.filter(name="LLM").exists()


def test_merge_changes_the_published_page_without_publishing_it(twin_tags):
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    assert published_tag_names("GPT") == ["Large language models", "Training"]


def test_merge_leaves_one_tag_row_per_published_term(twin_tags):
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    assert PublishedTermTag.objects.filter(slug="large-language-models").count() == 2


def test_merge_keeps_the_counts_right(twin_tags):
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    assert [(tag["name"], tag["count"]) for tag in queries.site_state(with_counts=True).counts.tags] == [
        ("Large language models", 2),
        ("Training", 1),
    ]


def test_merge_of_a_term_with_both_tags_leaves_it_one(make_term):
    term = make_term("GPT", tags=["LLM", "Large language models"])
    publish(term, by=None)
    merge_tags([Tag.objects.get(name="LLM")], Tag.objects.get(name="Large language models"), by=None)
    assert published_tag_names("GPT") == ["Large language models"]


def test_merge_is_recorded(twin_tags, reviewer):
    merge_tags([twin_tags[0]], twin_tags[1], by=reviewer)
    change = TagChange.objects.get()
    assert (change.action, change.old_names, change.new_name, change.terms_changed, change.created_by) == (
        "merge",
        "LLM",
        "Large language models",
        2,
        reviewer,
    )


def test_merge_is_in_each_moved_terms_history(twin_tags):
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    revision = Revision.objects.filter(term__name="GPT").order_by("-number").first()
    assert revision.message == "Tag “LLM” merged into “Large language models”."


def test_merge_moves_the_edit_version_on(twin_tags):
    before = Term.objects.get(name="Draft model").edit_version
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    assert Term.objects.get(name="Draft model").edit_version == before + 1


def test_merge_moves_the_page_cache_on(twin_tags):
    before = queries.site_state().generation
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    assert queries.site_state().generation == before + 1


def test_merge_into_itself_is_refused_and_changes_nothing(twin_tags):
    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        merge_tags([twin_tags[0], twin_tags[1]], twin_tags[1], by=None)
    assert Tag.objects.filter(name="LLM").exists()


def test_merging_nothing_is_refused(twin_tags):
    with pytest.raises(ValidationError, match="Select the tags to merge"):
        merge_tags([], twin_tags[1], by=None)


def test_merged_tags_address_leads_to_the_kept_tags_page(client, twin_tags):
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    response = client.get("/tags/llm/")
    assert (response.status_code, response["Location"]) == (301, "/tags/large-language-models/")


def test_rename_changes_the_name_and_slug(twin_tags):
    rename_tag(twin_tags[0], "Large LMs", by=None)
    assert Tag.objects.filter(name="Large LMs", slug="large-lms").exists()


def test_rename_changes_the_published_pages(twin_tags):
    rename_tag(twin_tags[0], "Large LMs", by=None)
    assert published_tag_names("GPT") == ["Large LMs", "Training"]


def test_renamed_tags_page_is_at_its_new_address(client, twin_tags):
    rename_tag(twin_tags[0], "Large LMs", by=None)
    response = client.get("/tags/large-lms/")
    assert response.status_code == 200
    assert "GPT" in response.content.decode()


def test_renamed_tags_old_address_redirects(client, twin_tags):
    rename_tag(twin_tags[0], "Large LMs", by=None)
    response = client.get("/tags/llm/")
    assert (response.status_code, response["Location"]) == (301, "/tags/large-lms/")


def test_an_address_renamed_twice_leads_to_the_latest_name(client, twin_tags):
    rename_tag(twin_tags[0], "Large LMs", by=None)
    rename_tag(Tag.objects.get(name="Large LMs"), "Big models", by=None)
    assert client.get("/tags/llm/")["Location"] == "/tags/big-models/"


def test_rename_is_recorded(twin_tags):
    rename_tag(twin_tags[0], "Large LMs", by=None)
    change = TagChange.objects.get()
    assert (change.action, change.old_names, change.new_name, change.terms_changed) == ("rename", "LLM", "Large LMs", 2)


def test_rename_to_another_tags_name_is_refused_and_changes_nothing(twin_tags):
    with pytest.raises(ValidationError, match="There is already a tag"):
        rename_tag(twin_tags[0], "large language MODELS", by=None)
    assert published_tag_names("GPT") == ["LLM", "Training"]


def test_rename_to_an_empty_name_is_refused(twin_tags):
    with pytest.raises(ValidationError, match="new name"):
        rename_tag(twin_tags[0], "   ", by=None)


def test_rename_changing_only_letter_case_is_allowed(twin_tags):
    rename_tag(twin_tags[0], "llm", by=None)
    assert published_tag_names("GPT") == ["llm", "Training"]


def test_after_a_merge_a_live_term_has_nothing_to_publish(twin_tags, reviewer):
    merge_tags([twin_tags[0]], twin_tags[1], by=reviewer)
    with pytest.raises(ValidationError, match="Nothing to publish"):
        publish(Term.objects.get(name="GPT"), by=reviewer)


def test_after_a_merge_the_live_version_on_record_has_the_tags_readers_see(twin_tags):
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    live = Revision.objects.filter(term__name="GPT", action__in=Revision.LIVE_ACTIONS).order_by("-number").first()
    assert live.snapshot["tags"] == published_tag_names("GPT")


def test_after_a_merge_a_term_with_unpublished_changes_keeps_them_unpublished(twin_tags, edit):
    gpt = Term.objects.get(name="GPT")
    edit(gpt, analogy="A new analogy, not yet live.")
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    assert Term.objects.get(name="GPT").status != Term.Status.PUBLISHED


def test_after_a_merge_the_live_version_of_a_changed_term_keeps_its_live_text(twin_tags, edit):
    gpt = Term.objects.get(name="GPT")
    live_analogy = gpt.analogy
    edit(gpt, analogy="A new analogy, not yet live.")
    merge_tags([twin_tags[0]], twin_tags[1], by=None)
    live = Revision.objects.filter(term__name="GPT", action__in=Revision.LIVE_ACTIONS).order_by("-number").first()
    assert (live.snapshot["analogy"], live.snapshot["tags"]) == (live_analogy, ["Large language models", "Training"])


def test_after_a_rename_rolling_back_keeps_the_new_name(twin_tags, reviewer):
    rename_tag(twin_tags[0], "Large models", by=reviewer)
    live = Revision.objects.filter(term__name="GPT", action__in=Revision.LIVE_ACTIONS).order_by("-number").first()
    rollback(live, by=reviewer)
    assert published_tag_names("GPT") == ["Large models", "Training"]
