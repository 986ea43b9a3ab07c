"""The tag admin (terms/admin_tags.py): counts, suggestions, renaming and merging, and who may."""

import re

import pytest
from django.urls import reverse

from terms.models import PublishedTerm, Tag, TagChange
from terms.publishing import publish
from terms.retagging import merge_tags

CHANGELIST = reverse("admin:terms_tag_changelist")
MERGE = reverse("admin:terms_tag_merge")


@pytest.fixture
def tags(make_term):
    """ "LLM" on two terms (one published), "Large language models" on one, "Training" on three."""
    publish(make_term("GPT", tags=["LLM", "Training"]), by=None)
    make_term("Draft model", tags=["LLM", "Training"])
    make_term("Claude", tags=["Large language models", "Training"])
    return {tag.name: tag for tag in Tag.objects.all()}


def counts_listed(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<th class="field-name"><a href="[^"]+">([^<]+)</a></th><td class="field-slug">[^<]*</td>'
                      r'<td class="field-term_count">(\d+)</td>', html)  # fmt: skip


def test_tag_list_shows_how_many_terms_use_each_tag(editor_client, tags, html_of):
    assert counts_listed(html_of(editor_client, CHANGELIST)) == [
        ("Large language models", "1"),
        ("LLM", "2"),
        ("Training", "3"),
    ]


def test_tag_list_sorts_by_how_many_terms_use_each_tag(editor_client, tags, html_of):
    listed = counts_listed(html_of(editor_client, CHANGELIST + "?o=-3"))
    assert [name for name, _ in listed] == ["Training", "LLM", "Large language models"]


@pytest.mark.parametrize("rows", [3, 30])
def test_tag_list_runs_a_fixed_number_of_queries(editor_client, make_term, django_assert_num_queries, rows):
    for number in range(rows):
        make_term(f"Row {number}", tags=[f"Tag {number}", "Shared"])
    with django_assert_num_queries(8):
        assert editor_client.get(CHANGELIST).status_code == 200


def test_suggestions_list_tags_beginning_with_what_was_typed_most_used_first(editor_client, tags):
    response = editor_client.get(reverse("admin:terms_tag_suggest"), {"q": "l"})
    assert response.status_code == 200
    assert response.json()["tags"] == [{"name": "LLM", "count": 2}, {"name": "Large language models", "count": 1}]


def test_suggestions_say_whether_the_typed_name_is_a_tag(editor_client, tags):
    response = editor_client.get(reverse("admin:terms_tag_suggest"), {"q": "llm"})
    assert response.json()["exists"] is True


def test_suggestions_say_when_a_name_would_be_a_new_tag(editor_client, tags):
    response = editor_client.get(reverse("admin:terms_tag_suggest"), {"q": "LLMs"})
    assert response.json()["exists"] is False


def test_suggestions_are_for_staff_only(client, tags):
    response = client.get(reverse("admin:terms_tag_suggest"), {"q": "l"})
    assert response.status_code == 302


def test_merge_action_opens_the_confirmation(reviewer_client, tags):
    data = {"action": "merge_selected", "_selected_action": [tags["LLM"].pk, tags["Large language models"].pk]}
    response = reviewer_client.post(CHANGELIST, data)
    assert response.status_code == 302
    assert response["Location"].startswith(MERGE)


def test_merge_confirmation_lists_the_selected_tags_with_counts(reviewer_client, tags, html_of):
    html = html_of(reviewer_client, f"{MERGE}?ids={tags['LLM'].pk}&ids={tags['Large language models'].pk}")
    assert "<strong>LLM</strong> (2 terms)" in html
    assert "<strong>Large language models</strong> (1 term)" in html


def test_merge_confirmed_moves_the_terms_and_says_so(reviewer_client, tags, html_of):
    ids = [tags["LLM"].pk, tags["Large language models"].pk]
    response = reviewer_client.post(MERGE, {"ids": ids, "keep": tags["Large language models"].pk}, follow=True)
    assert response.status_code == 200
    assert "Merged “LLM” into “Large language models”: 2 terms now tagged" in response.content.decode()
    assert PublishedTerm.objects.get(name="GPT").tags[0]["name"] == "Large language models"


def test_merge_without_a_tag_to_keep_changes_nothing(reviewer_client, tags):
    ids = [tags["LLM"].pk, tags["Large language models"].pk]
    response = reviewer_client.post(MERGE, {"ids": ids})
    assert response.status_code == 400
    assert "Choose the tag to keep." in response.content.decode()
    assert Tag.objects.count() == 3


def test_merge_of_one_tag_is_refused_with_a_message(reviewer_client, tags):
    response = reviewer_client.get(f"{MERGE}?ids={tags['LLM'].pk}", follow=True)
    assert "Select at least two tags" in response.content.decode()


def test_editor_cannot_merge_tags(editor_client, tags):
    ids = [tags["LLM"].pk, tags["Large language models"].pk]
    response = editor_client.post(MERGE, {"ids": ids, "keep": ids[1]})
    assert response.status_code == 403
    assert Tag.objects.count() == 3


def test_editor_is_told_why_merging_is_refused(editor_client, tags):
    response = editor_client.get(f"{MERGE}?ids={tags['LLM'].pk}&ids={tags['Training'].pk}")
    assert "Only reviewers can rename or merge tags" in response.content.decode()


def test_editor_is_not_offered_the_merge_action(editor_client, tags, html_of):
    assert "merge_selected" not in html_of(editor_client, CHANGELIST)


def test_reviewer_renames_a_tag(reviewer_client, tags):
    url = reverse("admin:terms_tag_rename", args=[tags["LLM"].pk])
    response = reviewer_client.post(url, {"name": "Large LMs"})
    assert response.status_code == 302
    assert PublishedTerm.objects.get(name="GPT").tags[0]["name"] == "Large LMs"


def test_renaming_to_an_existing_tags_name_says_why_and_changes_nothing(reviewer_client, tags):
    url = reverse("admin:terms_tag_rename", args=[tags["LLM"].pk])
    response = reviewer_client.post(url, {"name": "training"})
    assert response.status_code == 400
    assert "There is already a tag “Training”" in response.content.decode()
    assert Tag.objects.filter(name="LLM").exists()


def test_editor_cannot_rename_a_tag(editor_client, tags):
    response = editor_client.post(reverse("admin:terms_tag_rename", args=[tags["LLM"].pk]), {"name": "Large LMs"})
    assert response.status_code == 403
    assert Tag.objects.filter(name="LLM").exists()


def test_the_tag_form_offers_rename_to_reviewers(reviewer_client, tags, html_of):
    html = html_of(reviewer_client, reverse("admin:terms_tag_change", args=[tags["LLM"].pk]))
    assert reverse("admin:terms_tag_rename", args=[tags["LLM"].pk]) in html


def test_an_existing_tags_name_is_not_edited_in_its_form(reviewer_client, tags, html_of):
    html = html_of(reviewer_client, reverse("admin:terms_tag_change", args=[tags["LLM"].pk]))
    assert 'name="name"' not in html


def test_editors_read_the_record_of_tag_changes(editor_client, tags, reviewer, html_of):
    merge_tags([tags["LLM"]], tags["Large language models"], by=reviewer)
    html = html_of(editor_client, reverse("admin:terms_tagchange_changelist"))
    assert "Large language models" in html


def test_the_record_of_tag_changes_cannot_be_edited(reviewer_client, tags, reviewer):
    change = merge_tags([tags["LLM"]], tags["Large language models"], by=reviewer)
    response = reviewer_client.post(reverse("admin:terms_tagchange_change", args=[change.pk]), {"new_name": "X"})
    assert response.status_code == 403
    assert TagChange.objects.get().new_name == "Large language models"


def test_the_term_forms_tags_field_asks_for_suggestions(editor_client, html_of):
    html = html_of(editor_client, reverse("admin:terms_term_add"))
    assert f'data-tag-suggest-url="{reverse("admin:terms_tag_suggest")}"' in html
    assert "js/tag_suggestions.js" in html
