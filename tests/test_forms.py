"""The admin's forms (terms/forms.py): validation messages, tags, line endings, edit conflicts, broader loops, set-aside twins."""

import re
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from terms.models import Example, Misconception, Relation, Revision, Term
from terms.publishing import publish, unpublish
from terms.rendering import MAX_MARKDOWN_LENGTH
from terms.workflow import record_save

ADD_URL = reverse("admin:terms_term_add")


def tag_names(slug="fine-tuning"):
    return sorted(tag.name for tag in Term.objects.get(slug=slug).tags.all())


def test_one_tag_of_several_words_stays_one_tag(editor_client, db, term_form):
    editor_client.post(ADD_URL, term_form(tags="Generative AI"))
    assert tag_names() == ["Generative AI"]


def test_quoted_tags_may_hold_commas(editor_client, db, term_form):
    editor_client.post(ADD_URL, term_form(tags='"Search, retrieval", Training'))
    assert tag_names() == ["Search, retrieval", "Training"]


def test_the_tags_field_shows_tags_without_quotes(editor_client, make_term, change_url, html_of):
    term = make_term("Fine-tuning", tags=["Generative AI", "Training"])
    assert 'value="Generative AI, Training"' in html_of(editor_client, change_url(term))


def test_saving_the_tags_field_as_shown_keeps_the_same_tags(editor_client, make_term, change_form, change_url, html_of):
    term = make_term("Fine-tuning", tags=["Generative AI", "Search, retrieval"])
    html = html_of(editor_client, change_url(term))
    shown = unescape(re.search(r'name="tags" value="([^"]*)"', html).group(1))
    editor_client.post(change_url(term), change_form(term, tags=shown))
    assert tag_names() == ["Generative AI", "Search, retrieval"]


def test_duplicate_slug_gets_a_form_error(editor_client, make_term, term_form):
    make_term("Fine tuning", slug="fine-tuning")
    response = editor_client.post(ADD_URL, term_form(name="Fine-tuning (again)"))
    assert "Term with this Slug already exists." in response.content.decode()


def test_duplicate_slug_changes_nothing(editor_client, make_term, term_form):
    make_term("Fine tuning", slug="fine-tuning")
    editor_client.post(ADD_URL, term_form(name="Fine-tuning (again)"))
    assert Term.objects.count() == 1


def test_duplicate_name_in_another_case_gets_a_form_error(editor_client, make_term, term_form):
    make_term("Fine-tuning", slug="fine-tuning-1")
    response = editor_client.post(ADD_URL, term_form(name="FINE-TUNING"))
    assert "A term with this name already exists." in response.content.decode()


def test_over_long_definition_gets_a_form_error(editor_client, db, term_form):
    response = editor_client.post(ADD_URL, term_form(short_definition="x" * 301))
    assert "Ensure this value has at most 300 characters (it has 301)." in response.content.decode()


def test_over_long_definition_changes_nothing(editor_client, db, term_form):
    editor_client.post(ADD_URL, term_form(short_definition="x" * 301))
    assert not Term.objects.exists()


def test_self_relation_gets_a_form_error(editor_client, make_term, change_form, change_url):
    term = make_term("Fine-tuning", slug="fine-tuning")
    response = editor_client.post(
        change_url(term), change_form(term, relations=[{"position": "1", "kind": "related", "to_term": str(term.pk)}])
    )
    assert "A term cannot be related to itself." in response.content.decode()


def test_self_relation_changes_nothing(editor_client, make_term, change_form, change_url):
    term = make_term("Fine-tuning", slug="fine-tuning")
    editor_client.post(
        change_url(term),
        change_form(
            term, relations=[{"position": "1", "kind": "related", "to_term": str(term.pk)}], history="Changed."
        ),
    )
    assert Term.objects.get(pk=term.pk).history == ""


def test_duplicate_relation_in_one_form_gets_a_form_error(editor_client, llm, term_form):
    row = {"position": "1", "kind": "related", "to_term": str(llm.pk)}
    response = editor_client.post(ADD_URL, term_form(relations=[row, row]))
    assert "Please correct the duplicate data" in response.content.decode()


def test_duplicate_relation_changes_nothing(editor_client, llm, term_form):
    row = {"position": "1", "kind": "related", "to_term": str(llm.pk)}
    editor_client.post(ADD_URL, term_form(relations=[row, row]))
    assert not Relation.objects.exists()


def test_relation_duplicating_a_saved_one_gets_a_form_error(
    editor_client, make_term, llm, relate, change_form, change_url, inline
):
    term = make_term("Fine-tuning", slug="fine-tuning")
    existing = relate(term, llm)
    rows = [
        {"id": str(existing.pk), "from_term": str(term.pk), "position": "1", "kind": "related", "to_term": str(llm.pk)},
        {"position": "2", "kind": "related", "to_term": str(llm.pk)},
    ]
    data = change_form(term)
    data.update(inline("relations", rows, initial=1))
    response = editor_client.post(change_url(term), data)
    assert "Please correct the duplicate data" in response.content.decode()


def test_over_long_tag_gets_a_form_error(editor_client, db, term_form):
    response = editor_client.post(ADD_URL, term_form(tags="x" * 51))
    assert "Each tag must be at most 50 characters" in response.content.decode()


def test_alias_equal_to_the_name_gets_a_form_error(editor_client, db, term_form):
    response = editor_client.post(ADD_URL, term_form(aliases="fine-tuning"))
    assert "An alias cannot be the term&#x27;s own name." in response.content.decode()


def test_example_without_a_body_gets_a_form_error(editor_client, db, term_form):
    response = editor_client.post(ADD_URL, term_form(examples=[{"position": "1", "title": "Empty", "body": ""}]))
    assert Example.objects.count() == 0 and "This field is required." in response.content.decode()


def test_change_form_offers_markdown_preview_on_every_markdown_field(editor_client, make_term, change_url, html_of):
    term = make_term()
    Example.objects.create(term=term, body="x")
    Misconception.objects.create(term=term, claim="y", correction="z")
    html = html_of(editor_client, change_url(term))
    # Four term sections, one example, one misconception, and the two "add another" templates.
    assert html.count('class="markdownx-preview"') == 8


def test_over_long_tag_name_in_the_tag_admin_gets_a_form_error(editor_client, db):
    response = editor_client.post(reverse("admin:terms_tag_add"), {"name": "x" * 51})
    assert "A tag must be at most 50 characters." in response.content.decode()


def test_tag_differing_only_in_case_gets_a_form_error_in_the_tag_admin(editor_client, make_term):
    make_term(tags=["LLM"])
    response = editor_client.post(reverse("admin:terms_tag_add"), {"name": "llm"})
    assert "A tag with this name already exists (tags ignore case)." in response.content.decode()


def test_an_over_long_markdown_section_gets_a_form_error(editor_client, db, term_form):
    response = editor_client.post(ADD_URL, term_form(explanation="x" * (MAX_MARKDOWN_LENGTH + 1)))
    assert f"Ensure this value has at most {MAX_MARKDOWN_LENGTH} characters" in response.content.decode()


def test_an_over_long_markdown_section_saves_nothing(editor_client, db, term_form):
    editor_client.post(ADD_URL, term_form(explanation="x" * (MAX_MARKDOWN_LENGTH + 1)))
    assert not Term.objects.exists()


# No silent overwrites (the edit-conflict check) -----------------------------------------------------------------------


@pytest.mark.parametrize("loaded_edit_version", [None, "", "latest", "-1", "²", str(10**20)])
def test_a_change_without_the_version_it_was_opened_on_is_refused(
    editor_client, make_term, loaded_edit_version, change_url, term_form
):
    term = make_term("Fine-tuning", slug="fine-tuning")
    data = term_form(short_definition="An overwrite.")
    if loaded_edit_version is not None:
        data["loaded_edit_version"] = loaded_edit_version
    response = editor_client.post(change_url(term), data)
    assert "did not say which version of the term it was opened on" in response.content.decode()


def test_a_change_without_the_version_it_was_opened_on_saves_nothing(editor_client, make_term, change_url, term_form):
    term = make_term("Fine-tuning", slug="fine-tuning")
    editor_client.post(change_url(term), term_form(short_definition="An overwrite."))
    assert Term.objects.get(pk=term.pk).short_definition == "The one-line definition of Fine-tuning."


def test_a_change_opened_at_the_current_version_is_saved(editor_client, make_term, change_form, change_url):
    term = make_term("Fine-tuning", slug="fine-tuning")
    editor_client.post(change_url(term), change_form(term, short_definition="A careful edit."))
    assert Term.objects.get(pk=term.pk).short_definition == "A careful edit."


# Unchanged means unchanged --------------------------------------------------------------------------------------------


@pytest.fixture
def term_with_every_text(make_term):
    """A published term whose every text field, example and misconception runs over several lines."""
    term = make_term(
        "Gradient descent",
        aliases="GD\nSteepest descent",
        explanation="First paragraph.\n\nSecond paragraph,\nwith a line break.",
        analogy="Walking downhill\nin fog.",
        usage="- one\n- two",
        history="Cauchy, 1847.\n\nStill used.",
        tags=["Training"],
    )
    Example.objects.create(term=term, position=1, title="Fog", body="Line one.\n\nLine two.")
    Misconception.objects.create(term=term, position=1, claim="It always finds the best.", correction="No.\n\nLocal.")
    publish(term, by=None)
    return Term.objects.get(pk=term.pk)


@pytest.fixture
def unchanged_resubmit(editor_client, term_with_every_text, change_url, form_as_submitted, html_of):
    """The change form sent back as a browser sends it (CRLF line endings), with nothing edited."""
    data = form_as_submitted(html_of(editor_client, change_url(term_with_every_text)))
    response = editor_client.post(change_url(term_with_every_text), data)
    assert response.status_code == 302
    return Term.objects.get(pk=term_with_every_text.pk)


def test_the_browser_sends_crlf_line_endings(
    editor_client, term_with_every_text, change_url, form_as_submitted, html_of
):
    data = form_as_submitted(html_of(editor_client, change_url(term_with_every_text)))
    assert data["explanation"] == "First paragraph.\r\n\r\nSecond paragraph,\r\nwith a line break."


def test_an_unchanged_resubmit_keeps_a_published_term_published(unchanged_resubmit):
    assert unchanged_resubmit.status == Term.Status.PUBLISHED


def test_an_unchanged_resubmit_adds_no_version(unchanged_resubmit, term_with_every_text):
    assert unchanged_resubmit.edit_version == term_with_every_text.edit_version


def test_an_unchanged_resubmit_adds_nothing_to_the_history(unchanged_resubmit):
    assert list(Revision.objects.filter(term_id=unchanged_resubmit.pk).values_list("action", flat=True)) == [
        Revision.Action.PUBLISH
    ]


def test_an_unchanged_resubmit_logs_no_changed_field(unchanged_resubmit):
    assert LogEntry.objects.get(object_id=str(unchanged_resubmit.pk)).get_change_message() == "No fields changed."


def test_an_edited_text_is_kept_with_lf_line_endings(
    editor_client, term_with_every_text, change_url, form_as_submitted, html_of
):
    data = form_as_submitted(html_of(editor_client, change_url(term_with_every_text)))
    data["analogy"] = "Walking downhill\r\nin thick fog."
    editor_client.post(change_url(term_with_every_text), data)
    assert Term.objects.get(pk=term_with_every_text.pk).analogy == "Walking downhill\nin thick fog."


def test_an_edited_example_is_kept_with_lf_line_endings(
    editor_client, term_with_every_text, change_url, form_as_submitted, html_of
):
    data = form_as_submitted(html_of(editor_client, change_url(term_with_every_text)))
    data["examples-0-body"] = "Line one.\r\rLine three."
    editor_client.post(change_url(term_with_every_text), data)
    assert Example.objects.get().body == "Line one.\n\nLine three."


def test_a_term_kept_with_crlf_by_an_earlier_release_stays_published_after_an_unchanged_resubmit(
    editor_client, make_term, change_url, form_as_submitted, html_of
):
    term = make_term("Gradient descent", analogy="Walking downhill\r\nin fog.")
    publish(term, by=None)
    editor_client.post(change_url(term), form_as_submitted(html_of(editor_client, change_url(term))))
    assert Term.objects.get(pk=term.pk).status == Term.Status.PUBLISHED


# No lost updates ------------------------------------------------------------------------------------------------------


@pytest.fixture
def two_stale_forms(editor_client, separate_reviewer_client, make_term, change_url, term_form):
    """Two people open the same term; the first saves a change."""
    term = make_term("Fine-tuning", slug="fine-tuning")
    record_save(term, by=None)
    opened_at = Term.objects.get(pk=term.pk).edit_version
    first = editor_client.post(
        change_url(term), term_form(short_definition="The first person's wording.", loaded_edit_version=opened_at)
    )
    second = separate_reviewer_client.post(
        change_url(term), term_form(short_definition="The second person's wording.", loaded_edit_version=opened_at)
    )
    return term, first, second


def test_the_first_save_is_accepted(two_stale_forms):
    _, first, _ = two_stale_forms
    assert first.status_code == 302


def test_the_second_save_comes_back_as_the_form(two_stale_forms):
    _, _, second = two_stale_forms
    assert second.status_code == 200


def test_the_refused_form_shows_the_other_persons_text(two_stale_forms):
    _, _, second = two_stale_forms
    assert "<ins>The first person&#x27;s wording.</ins>" in second.content.decode()


def test_the_refused_form_shows_what_the_other_person_removed(two_stale_forms):
    _, _, second = two_stale_forms
    assert "<del>The one-line definition of Fine-tuning.</del>" in second.content.decode()


def test_the_first_save_wins(two_stale_forms):
    term, first, _ = two_stale_forms
    assert Term.objects.get(pk=term.pk).short_definition == "The first person's wording."


def test_the_second_save_is_refused_with_a_conflict_message(two_stale_forms):
    _, _, second = two_stale_forms
    assert "after you opened it" in second.content.decode()


def test_the_conflict_message_names_who_saved(two_stale_forms):
    _, _, second = two_stale_forms
    assert "edna saved this term at" in second.content.decode()


def test_the_conflict_message_says_what_changed(two_stale_forms):
    _, _, second = two_stale_forms
    assert "changing: One-line definition" in second.content.decode()


def test_the_refused_form_keeps_the_second_persons_text(two_stale_forms):
    _, _, second = two_stale_forms
    assert "The second person&#x27;s wording." in second.content.decode()


def test_saving_the_refused_form_again_replaces_the_first_version(
    separate_reviewer_client, two_stale_forms, change_url
):
    term, _, second = two_stale_forms
    resubmitted = second.context["adminform"].form.data
    separate_reviewer_client.post(change_url(term), resubmitted)
    assert Term.objects.get(pk=term.pk).short_definition == "The second person's wording."


def test_the_first_version_stays_in_the_history(separate_reviewer_client, two_stale_forms, change_url):
    term, _, second = two_stale_forms
    separate_reviewer_client.post(change_url(term), second.context["adminform"].form.data)
    snapshots = Revision.objects.filter(term_id=term.pk, action=Revision.Action.SAVE).values_list("snapshot", flat=True)
    assert "The first person's wording." in [snapshot["short_definition"] for snapshot in snapshots]


def test_conflicting_inline_edit_is_refused(editor_client, separate_reviewer_client, db, change_url, term_form):
    editor_client.post(reverse("admin:terms_term_add"), term_form())
    term = Term.objects.get()
    opened_at = term.edit_version
    example = {"position": "1", "title": "", "body": "An example."}
    editor_client.post(change_url(term), term_form(examples=[example], loaded_edit_version=opened_at))
    response = separate_reviewer_client.post(change_url(term), term_form(loaded_edit_version=opened_at))
    assert "changing: Examples." in response.content.decode()


@pytest.fixture
def stale_inline_forms(editor_client, db, change_url, term_form):
    """Both people add an example to the same term, each from a form opened before the other saved."""
    assert editor_client.post(reverse("admin:terms_term_add"), term_form()).status_code == 302
    term = Term.objects.get()
    opened_at = term.edit_version
    theirs = {"position": "1", "title": "", "body": "Their example."}
    response = editor_client.post(change_url(term), term_form(examples=[theirs], loaded_edit_version=opened_at))
    assert response.status_code == 302
    mine = {"position": "1", "title": "", "body": "My own example."}
    response = editor_client.post(change_url(term), term_form(examples=[mine], loaded_edit_version=opened_at))
    assert response.status_code == 200
    return response.content.decode()


def test_the_refused_form_shows_the_other_persons_example(stale_inline_forms):
    assert "Their example.</ins>" in stale_inline_forms


def test_the_refused_form_keeps_the_example_typed_in_it(stale_inline_forms):
    assert ">\nMy own example.</textarea>" in stale_inline_forms


# One term per name, one per alias, no loops of broader terms (the identity keys, as the forms apply them) -------------


def test_admin_add_form_refuses_a_twin_name_with_a_clear_message(editor_client, make_term, twins, term_form):
    name, twin = twins
    make_term(name, slug="first")
    response = editor_client.post(ADD_URL, term_form(name=twin))
    assert response.status_code == 200
    assert "A term with this name already exists." in response.content.decode()


def test_admin_refused_twin_name_changes_nothing(editor_client, make_term, term_form):
    make_term("Café", slug="cafe")
    editor_client.post(ADD_URL, term_form(name="CAFÉ"))
    assert Term.objects.count() == 1


def test_admin_refuses_a_slug_differing_only_in_case(editor_client, make_term, term_form):
    make_term("Fine tuning", slug="fine-tuning")
    response = editor_client.post(ADD_URL, term_form(name="Fine-tuning (again)", slug="Fine-Tuning"))
    assert "Term with this Slug already exists." in response.content.decode()


def test_admin_saves_an_upper_case_slug_in_lower_case(editor_client, db, term_form):
    response = editor_client.post(ADD_URL, term_form(slug="Fine-Tuning"))
    assert response.status_code == 302
    assert Term.objects.get().slug == "fine-tuning"


def test_admin_twin_tags_become_one_tag(editor_client, make_term, twins, term_form):
    name, twin = twins
    make_term(tags=[name])
    editor_client.post(ADD_URL, term_form(tags=twin))
    assert list(Term.objects.get(slug="fine-tuning").tags.values_list("name", flat=True)) == [name]


def test_admin_refuses_an_alias_that_is_another_terms_name(editor_client, large_language_model, term_form):
    response = editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="LARGE LANGUAGE MODEL"))
    assert "“LARGE LANGUAGE MODEL” is already the name of" in response.content.decode()


def test_admin_refuses_an_alias_that_is_another_terms_alias(editor_client, large_language_model, term_form):
    response = editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="FOUNDATION\u200b model"))
    assert "is already an alias of" in response.content.decode()


def test_refused_alias_links_to_the_other_terms_change_page(editor_client, large_language_model, change_url, term_form):
    response = editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="Foundation model"))
    link = f'<a href="{change_url(large_language_model)}">Large language model</a>'
    assert link in response.content.decode()


def test_admin_refused_alias_changes_nothing(editor_client, large_language_model, term_form):
    editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="Foundation model"))
    assert not Term.objects.filter(slug="llm").exists()


def test_admin_refuses_an_alias_that_is_the_terms_own_name_in_another_form(editor_client, db, term_form):
    response = editor_client.post(ADD_URL, term_form(name="Café", slug="cafe", aliases="Cafe\u0301"))
    assert "is this term&#x27;s own name" in response.content.decode()


def test_admin_refuses_a_name_that_is_a_live_terms_alias(editor_client, large_language_model, term_form):
    response = editor_client.post(ADD_URL, term_form(name="Foundation model", slug="foundation-model"))
    assert response.status_code == 200
    assert "“Foundation model” is an alias of" in response.content.decode()


def test_refused_name_links_to_the_change_page_of_the_term_whose_alias_it_is(
    editor_client, large_language_model, change_url, term_form
):
    response = editor_client.post(ADD_URL, term_form(name="Foundation model", slug="foundation-model"))
    link = f'<a href="{change_url(large_language_model)}">Large language model</a>: remove it there first'
    assert link in response.content.decode()


def test_admin_refused_name_changes_nothing(editor_client, large_language_model, term_form):
    editor_client.post(ADD_URL, term_form(name="Foundation model", slug="foundation-model"))
    assert not Term.objects.filter(slug="foundation-model").exists()


def test_admin_lets_a_term_take_the_alias_of_an_unpublished_term(editor_client, large_language_model, term_form):
    unpublish(large_language_model, by=None)
    response = editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="Foundation model"))
    assert response.status_code == 302


def test_admin_refuses_an_alias_that_is_a_live_terms_alias_in_another_form(
    editor_client, large_language_model, term_form
):
    response = editor_client.post(ADD_URL, term_form(name="LLM", slug="llm", aliases="ＦＯＵＮＤＡＴＩＯＮ model"))
    assert "is already an alias of" in response.content.decode()


def test_admin_keeps_an_alias_no_other_term_has(editor_client, large_language_model, term_form):
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


def test_admin_inline_refuses_broader_both_ways_naming_the_loop(editor_client, lora, change_url, term_form):
    fine_tuning = Term.objects.get(slug="fine-tuning")
    response = editor_client.post(
        change_url(fine_tuning), term_form(relations=[broader(lora)], loaded_edit_version=str(fine_tuning.edit_version))
    )
    assert response.status_code == 200
    assert "Fine-tuning → LoRA → Fine-tuning" in response.content.decode()


def test_admin_inline_refused_loop_saves_nothing(editor_client, lora, change_url, term_form):
    fine_tuning = Term.objects.get(slug="fine-tuning")
    editor_client.post(
        change_url(fine_tuning), term_form(relations=[broader(lora)], loaded_edit_version=str(fine_tuning.edit_version))
    )
    assert not fine_tuning.relations.exists()


def test_admin_inline_refuses_a_longer_loop(editor_client, lora, make_term, relate, change_url, term_form):
    adapter = make_term("Adapter", slug="adapter")
    relate(adapter, lora, Relation.Kind.BROADER)
    fine_tuning = Term.objects.get(slug="fine-tuning")
    response = editor_client.post(
        change_url(fine_tuning),
        term_form(relations=[broader(adapter, "broader")], loaded_edit_version=str(fine_tuning.edit_version)),
    )
    assert "Fine-tuning → Adapter → LoRA → Fine-tuning" in response.content.decode()


def test_admin_inline_refuses_two_new_rows_that_contradict_each_other(editor_client, make_term, term_form):
    llm = make_term("LLM", slug="llm")
    response = editor_client.post(ADD_URL, term_form(relations=[broader(llm), broader(llm, "narrower")]))
    assert "Fine-tuning → LLM → Fine-tuning" in response.content.decode()


def test_admin_inline_accepts_reversing_a_relation_in_one_save(editor_client, make_term, relate, change_url, term_form):
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


def test_admin_warns_under_a_set_aside_twins_name(editor_client, set_aside_twin, change_url):
    response = editor_client.get(change_url(set_aside_twin))
    older = Term.objects.get(slug="cafe")
    assert response.status_code == 200
    assert f'This name is the same as that of <a href="{change_url(older)}">Café</a>' in response.content.decode()


def test_admin_refuses_to_save_a_set_aside_twin_unrenamed(editor_client, set_aside_twin, change_url, term_form):
    response = editor_client.post(
        change_url(set_aside_twin),
        term_form(name="CAFÉ", slug="cafe-2", loaded_edit_version=str(set_aside_twin.edit_version)),
    )
    assert "A term with this name already exists." in response.content.decode()


def test_admin_saves_a_renamed_set_aside_twin(editor_client, set_aside_twin, change_url, term_form):
    editor_client.post(
        change_url(set_aside_twin),
        term_form(name="Café (the drink)", slug="cafe-2", loaded_edit_version=str(set_aside_twin.edit_version)),
    )
    assert Term.objects.get(pk=set_aside_twin.pk).name_key == "café (the drink)"


def test_tag_admin_refuses_a_twin_with_a_clear_message(editor_client, make_term, twins):
    name, twin = twins
    make_term(tags=[name])
    response = editor_client.post(reverse("admin:terms_tag_add"), {"name": twin})
    assert response.status_code == 200
    assert "A tag with this name already exists" in response.content.decode()


# The markdown editor --------------------------------------------------------------------------------------------------


def test_the_markdown_editor_asks_for_its_sections_preview(editor_client, make_term):
    term = make_term("Widget")
    html = editor_client.get(reverse("admin:terms_term_change", args=[term.pk])).content.decode()
    assert 'data-markdownx-urls-path="/markdownx/markdownify/?section=explanation"' in html


# The markdown editor ------------------------------------------------------------------------------------------------


def test_every_markdown_preview_is_labelled_as_readers_will_see_it(editor_client, make_term, change_url, html_of):
    term = make_term()
    Example.objects.create(term=term, body="x")
    Misconception.objects.create(term=term, claim="y", correction="z")
    html = html_of(editor_client, change_url(term))
    assert html.count("Preview: as readers will see it") == 8


def test_every_markdown_field_has_a_formatting_toolbar(editor_client, draft_term, change_url, html_of):
    html = html_of(editor_client, change_url(draft_term))
    # Four term sections and the two "add another" templates.
    assert html.count('role="toolbar" aria-label="Formatting"') == 6


@pytest.mark.parametrize("label", ["Bold", "Italic", "Link", "Bulleted list", "Code", "Heading"])
def test_the_formatting_toolbar_has_a_labelled_button(editor_client, draft_term, change_url, html_of, label):
    buttons = re.findall(r"<button [^>]*>", html_of(editor_client, change_url(draft_term)))
    assert any(f'aria-label="{label}"' in button for button in buttons)


def test_the_formatting_toolbar_is_one_tab_stop(editor_client, draft_term, change_url, html_of):
    toolbar = re.search(r'role="toolbar".*?</div>', html_of(editor_client, change_url(draft_term)), re.S).group()
    assert (toolbar.count("<button"), toolbar.count('tabindex="-1"')) == (6, 5)


def test_the_markdown_editor_loads_its_toolbar_script(editor_client, draft_term, change_url, html_of):
    assert "js/markdown-editor.js" in html_of(editor_client, change_url(draft_term))


def test_the_term_form_loads_the_script_that_keeps_unsaved_text(editor_client, draft_term, change_url, html_of):
    assert "js/admin-editor.js" in html_of(editor_client, change_url(draft_term))


def test_the_add_form_loads_the_script_that_keeps_unsaved_text(editor_client, db, html_of):
    assert "js/admin-editor.js" in html_of(editor_client, ADD_URL)


def test_logging_out_forgets_unsaved_text_kept_in_the_browser(editor_client):
    response = editor_client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert "data-forget-unsaved" in response.content.decode()
