"""What editors and reviewers can and cannot do in the admin."""

import io
import logging
import re
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError, transaction
from django.urls import reverse

from terms import diffing
from terms.models import Example, Misconception, PublishedTerm, Relation, Revision, Term
from terms.publishing import publish
from terms.rendering import MAX_MARKDOWN_LENGTH

from .admin_forms import change_form, change_url, form_as_submitted, inline, page, term_form

ADD_URL = reverse("admin:terms_term_add")


@pytest.fixture
def llm(make_term):
    return make_term("LLM", slug="llm")


def test_editor_creates_a_whole_term_with_every_part(editor_client, llm):
    data = term_form(
        examples=[{"position": "1", "title": "Healthcare", "body": "A healthcare company fine-tunes an LLM."}],
        misconceptions=[{"position": "1", "claim": "It adds facts reliably.", "correction": "It mostly adapts style."}],
        relations=[{"position": "1", "kind": "related", "to_term": str(llm.pk)}],
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302
    term = Term.objects.get(slug="fine-tuning")
    assert (term.examples.count(), term.misconceptions.count(), term.relations.count()) == (1, 1, 1)


def test_saved_term_keeps_its_tags(editor_client, db):
    editor_client.post(ADD_URL, term_form())
    assert sorted(t.name for t in Term.objects.get(slug="fine-tuning").tags.all()) == [
        "Large language models",
        "Training",
    ]


def tag_names(slug="fine-tuning"):
    return sorted(tag.name for tag in Term.objects.get(slug=slug).tags.all())


def test_one_tag_of_several_words_stays_one_tag(editor_client, db):
    editor_client.post(ADD_URL, term_form(tags="Generative AI"))
    assert tag_names() == ["Generative AI"]


def test_quoted_tags_may_hold_commas(editor_client, db):
    editor_client.post(ADD_URL, term_form(tags='"Search, retrieval", Training'))
    assert tag_names() == ["Search, retrieval", "Training"]


def test_the_tags_field_shows_tags_without_quotes(editor_client, make_term):
    term = make_term("Fine-tuning", tags=["Generative AI", "Training"])
    assert 'value="Generative AI, Training"' in page(editor_client, change_url(term))


def test_saving_the_tags_field_as_shown_keeps_the_same_tags(editor_client, make_term):
    term = make_term("Fine-tuning", tags=["Generative AI", "Search, retrieval"])
    html = page(editor_client, change_url(term))
    shown = unescape(re.search(r'name="tags" value="([^"]*)"', html).group(1))
    editor_client.post(change_url(term), change_form(term, tags=shown))
    assert tag_names() == ["Generative AI", "Search, retrieval"]


def test_saved_term_records_who_created_it(editor_client, editor):
    editor_client.post(ADD_URL, term_form())
    assert Term.objects.get(slug="fine-tuning").created_by == editor


def test_saving_in_the_admin_does_not_publish(editor_client, db):
    editor_client.post(ADD_URL, term_form())
    assert (Term.objects.filter(slug="fine-tuning").exists(), PublishedTerm.objects.exists()) == (True, False)


def test_duplicate_slug_gets_a_form_error(editor_client, make_term):
    make_term("Fine tuning", slug="fine-tuning")
    response = editor_client.post(ADD_URL, term_form(name="Fine-tuning (again)"))
    assert "Term with this Slug already exists." in response.content.decode()


def test_duplicate_slug_changes_nothing(editor_client, make_term):
    make_term("Fine tuning", slug="fine-tuning")
    editor_client.post(ADD_URL, term_form(name="Fine-tuning (again)"))
    assert Term.objects.count() == 1


def test_duplicate_name_in_another_case_gets_a_form_error(editor_client, make_term):
    make_term("Fine-tuning", slug="fine-tuning-1")
    response = editor_client.post(ADD_URL, term_form(name="FINE-TUNING"))
    assert "A term with this name already exists." in response.content.decode()


def test_over_long_definition_gets_a_form_error(editor_client, db):
    response = editor_client.post(ADD_URL, term_form(short_definition="x" * 301))
    assert "Ensure this value has at most 300 characters (it has 301)." in response.content.decode()


def test_over_long_definition_changes_nothing(editor_client, db):
    editor_client.post(ADD_URL, term_form(short_definition="x" * 301))
    assert not Term.objects.exists()


def test_self_relation_gets_a_form_error(editor_client, make_term):
    term = make_term("Fine-tuning", slug="fine-tuning")
    response = editor_client.post(
        change_url(term), change_form(term, relations=[{"position": "1", "kind": "related", "to_term": str(term.pk)}])
    )
    assert "A term cannot be related to itself." in response.content.decode()


def test_self_relation_changes_nothing(editor_client, make_term):
    term = make_term("Fine-tuning", slug="fine-tuning")
    editor_client.post(
        change_url(term),
        change_form(
            term, relations=[{"position": "1", "kind": "related", "to_term": str(term.pk)}], history="Changed."
        ),
    )
    assert Term.objects.get(pk=term.pk).history == ""


def test_duplicate_relation_in_one_form_gets_a_form_error(editor_client, llm):
    row = {"position": "1", "kind": "related", "to_term": str(llm.pk)}
    response = editor_client.post(ADD_URL, term_form(relations=[row, row]))
    assert "Please correct the duplicate data" in response.content.decode()


def test_duplicate_relation_changes_nothing(editor_client, llm):
    row = {"position": "1", "kind": "related", "to_term": str(llm.pk)}
    editor_client.post(ADD_URL, term_form(relations=[row, row]))
    assert not Relation.objects.exists()


def test_relation_duplicating_a_saved_one_gets_a_form_error(editor_client, make_term, llm, relate):
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


def test_over_long_tag_gets_a_form_error(editor_client, db):
    response = editor_client.post(ADD_URL, term_form(tags="x" * 51))
    assert "Each tag must be at most 50 characters" in response.content.decode()


def test_alias_equal_to_the_name_gets_a_form_error(editor_client, db):
    response = editor_client.post(ADD_URL, term_form(aliases="fine-tuning"))
    assert "An alias cannot be the term&#x27;s own name." in response.content.decode()


def test_example_without_a_body_gets_a_form_error(editor_client, db):
    response = editor_client.post(ADD_URL, term_form(examples=[{"position": "1", "title": "Empty", "body": ""}]))
    assert Example.objects.count() == 0 and "This field is required." in response.content.decode()


def test_change_form_offers_markdown_preview_on_every_markdown_field(editor_client, make_term):
    term = make_term()
    Example.objects.create(term=term, body="x")
    Misconception.objects.create(term=term, claim="y", correction="z")
    html = page(editor_client, change_url(term))
    # Four term sections, one example, one misconception, and the two "add another" templates.
    assert html.count('class="markdownx-preview"') == 8


def test_editor_does_not_see_the_publish_button(editor_client, make_term):
    html = page(editor_client, change_url(make_term()))
    assert ('name="_submit"' in html, 'name="_publish"' in html) == (True, False)


def test_reviewer_sees_the_publish_button(reviewer_client, make_term):
    assert 'name="_publish"' in page(reviewer_client, change_url(make_term()))


def test_editor_publishing_through_the_form_is_refused_with_403(editor_client, db):
    assert editor_client.post(ADD_URL, {**term_form(), "_publish": "1"}).status_code == 403


def test_editor_refused_publishing_saves_nothing(editor_client, db):
    editor_client.post(ADD_URL, {**term_form(), "_publish": "1"})
    assert not Term.objects.exists()


def test_editor_cannot_run_the_publish_action(editor_client, draft_term):
    data = {"action": "publish_selected", "_selected_action": [draft_term.pk], "confirmed": "yes"}
    data[f"edit_version-{draft_term.pk}"] = draft_term.edit_version
    editor_client.post(reverse("admin:terms_term_changelist"), data)
    assert not PublishedTerm.objects.exists()


def test_reviewer_saves_and_publishes_from_the_form(reviewer_client, db):
    reviewer_client.post(ADD_URL, {**term_form(), "_publish": "1"})
    assert PublishedTerm.objects.filter(slug="fine-tuning").exists()


def test_published_term_is_on_the_site_after_save_and_publish(reviewer_client, client, db):
    reviewer_client.post(ADD_URL, {**term_form(), "_publish": "1"})
    assert client.get("/terms/fine-tuning/").status_code == 200


def publish_action(term, **data):
    """The publish action's confirmation, as its page sends it: the term and the edit version it showed."""
    return {"action": "publish_selected", "_selected_action": [term.pk], "confirmed": "yes", **data}


def test_the_term_list_links_reviewers_to_the_review_queue(reviewer_client, db):
    html = page(reviewer_client, reverse("admin:terms_term_changelist"))
    assert reverse("admin:terms_term_review_queue") in html


def test_the_term_list_offers_editors_no_review_queue(editor_client, db):
    html = page(editor_client, reverse("admin:terms_term_changelist"))
    assert reverse("admin:terms_term_review_queue") not in html


def test_the_publish_action_first_shows_the_versions_it_would_publish(reviewer_client, draft_term):
    data = {"action": "publish_selected", "_selected_action": [draft_term.pk]}
    response = reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert response.status_code == 200
    assert f'name="edit_version-{draft_term.pk}" value="{draft_term.edit_version}"' in response.content.decode()


def test_the_publish_action_publishes_nothing_before_it_is_confirmed(reviewer_client, draft_term):
    data = {"action": "publish_selected", "_selected_action": [draft_term.pk]}
    reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert not PublishedTerm.objects.exists()


def test_reviewer_publishes_with_the_action(reviewer_client, draft_term):
    data = publish_action(draft_term, **{f"edit_version-{draft_term.pk}": draft_term.edit_version})
    reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert PublishedTerm.objects.filter(pk=draft_term.pk).exists()


def test_the_publish_action_refuses_a_version_saved_after_it_was_shown(reviewer_client, client, draft_term):
    shown = draft_term.edit_version
    Term.objects.filter(pk=draft_term.pk).update(edit_version=shown + 1, explanation="Text nobody reviewed.")
    response = reviewer_client.post(
        reverse("admin:terms_term_changelist"),
        publish_action(draft_term, **{f"edit_version-{draft_term.pk}": shown}),
        follow=True,
    )
    assert "saved again after this page listed it" in response.content.decode()


def test_the_publish_action_leaves_a_version_saved_after_it_was_shown_unpublished(reviewer_client, draft_term):
    shown = draft_term.edit_version
    Term.objects.filter(pk=draft_term.pk).update(edit_version=shown + 1)
    reviewer_client.post(
        reverse("admin:terms_term_changelist"), publish_action(draft_term, **{f"edit_version-{draft_term.pk}": shown})
    )
    assert not PublishedTerm.objects.exists()


def test_the_publish_action_refuses_a_confirmation_without_versions(reviewer_client, draft_term):
    reviewer_client.post(reverse("admin:terms_term_changelist"), publish_action(draft_term))
    assert not PublishedTerm.objects.exists()


def test_reviewer_unpublishes_with_the_action(reviewer_client, published_term):
    data = {"action": "unpublish_selected", "_selected_action": [published_term.pk]}
    reviewer_client.post(reverse("admin:terms_term_changelist"), data)
    assert not PublishedTerm.objects.exists()


def test_reviewer_unpublishes_from_the_form(reviewer_client, published_term):
    data = change_form(published_term, name=published_term.name, slug=published_term.slug, _unpublish="1")
    reviewer_client.post(change_url(published_term), data)
    assert not PublishedTerm.objects.exists()


def test_changelist_search_finds_a_term_by_alias(editor_client, make_term):
    make_term("Large language model", aliases="LLM")
    assert "Large language model" in page(editor_client, reverse("admin:terms_term_changelist") + "?q=llm")


def test_changelist_filters_by_tag(editor_client, published_term, draft_term):
    tag = draft_term.tags.get(name="Hidden tag")
    html = page(editor_client, reverse("admin:terms_term_changelist") + f"?tags__id__exact={tag.pk}")
    assert ("Secret draft" in html, "Gradient descent" in html) == (True, False)


@pytest.mark.parametrize("rows", [3, 30])
def test_changelist_query_count_does_not_grow_with_rows(editor_client, make_term, django_assert_num_queries, rows):
    for number in range(rows):
        make_term(f"Row {number}", tags=["One", "Two"])
    with django_assert_num_queries(8):
        assert editor_client.get(reverse("admin:terms_term_changelist")).status_code == 200


def test_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get(ADD_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_markdown_preview_renders_for_an_editor(editor_client):
    assert editor_client.post("/markdownx/markdownify/", {"content": "*hi*"}).content == b"<p><em>hi</em></p>"


def test_over_long_tag_name_in_the_tag_admin_gets_a_form_error(editor_client, db):
    response = editor_client.post(reverse("admin:terms_tag_add"), {"name": "x" * 51})
    assert "A tag must be at most 50 characters." in response.content.decode()


def test_tag_differing_only_in_case_gets_a_form_error_in_the_tag_admin(editor_client, make_term):
    make_term(tags=["LLM"])
    response = editor_client.post(reverse("admin:terms_tag_add"), {"name": "llm"})
    assert "A tag with this name already exists (tags ignore case)." in response.content.decode()


def test_draft_has_no_view_on_site_link(editor_client, draft_term):
    html = page(editor_client, change_url(draft_term))
    assert ("Preview</a>" in html, "View on site" in html) == (True, False)


def test_editor_cannot_delete_a_published_term(editor_client, published_term):
    response = editor_client.post(change_url(published_term).replace("change", "delete"), {"post": "yes"})
    assert response.status_code == 403


def test_editor_refused_delete_leaves_the_term_on_the_site(editor_client, client, published_term):
    editor_client.post(change_url(published_term).replace("change", "delete"), {"post": "yes"})
    assert client.get("/terms/gradient-descent/").status_code == 200


def test_editor_cannot_bulk_delete_a_published_term(editor_client, published_term):
    data = {"action": "delete_selected", "_selected_action": [published_term.pk], "post": "yes"}
    assert editor_client.post(reverse("admin:terms_term_changelist"), data).status_code == 403


def test_editor_can_delete_a_draft(editor_client, draft_term):
    editor_client.post(change_url(draft_term).replace("change", "delete"), {"post": "yes"})
    assert not Term.objects.filter(pk=draft_term.pk).exists()


def test_an_over_long_markdown_section_gets_a_form_error(editor_client, db):
    response = editor_client.post(ADD_URL, term_form(explanation="x" * (MAX_MARKDOWN_LENGTH + 1)))
    assert f"Ensure this value has at most {MAX_MARKDOWN_LENGTH} characters" in response.content.decode()


def test_an_over_long_markdown_section_saves_nothing(editor_client, db):
    editor_client.post(ADD_URL, term_form(explanation="x" * (MAX_MARKDOWN_LENGTH + 1)))
    assert not Term.objects.exists()


def test_the_database_refuses_an_over_long_markdown_section(make_term):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_term("Widget", history="x" * (MAX_MARKDOWN_LENGTH + 1))


# No silent overwrites ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("loaded_edit_version", [None, "", "latest", "-1", "²", str(10**20)])
def test_a_change_without_the_version_it_was_opened_on_is_refused(editor_client, make_term, loaded_edit_version):
    term = make_term("Fine-tuning", slug="fine-tuning")
    data = term_form(short_definition="An overwrite.")
    if loaded_edit_version is not None:
        data["loaded_edit_version"] = loaded_edit_version
    response = editor_client.post(change_url(term), data)
    assert "did not say which version of the term it was opened on" in response.content.decode()


def test_a_change_without_the_version_it_was_opened_on_saves_nothing(editor_client, make_term):
    term = make_term("Fine-tuning", slug="fine-tuning")
    editor_client.post(change_url(term), term_form(short_definition="An overwrite."))
    assert Term.objects.get(pk=term.pk).short_definition == "The one-line definition of Fine-tuning."


def test_a_change_opened_at_the_current_version_is_saved(editor_client, make_term):
    term = make_term("Fine-tuning", slug="fine-tuning")
    editor_client.post(change_url(term), change_form(term, short_definition="A careful edit."))
    assert Term.objects.get(pk=term.pk).short_definition == "A careful edit."


# Unchanged means unchanged -------------------------------------------------------------------------------------------


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
def unchanged_resubmit(editor_client, term_with_every_text):
    """The change form sent back as a browser sends it (CRLF line endings), with nothing edited."""
    data = form_as_submitted(page(editor_client, change_url(term_with_every_text)))
    response = editor_client.post(change_url(term_with_every_text), data)
    assert response.status_code == 302
    return Term.objects.get(pk=term_with_every_text.pk)


def test_the_browser_sends_crlf_line_endings(editor_client, term_with_every_text):
    data = form_as_submitted(page(editor_client, change_url(term_with_every_text)))
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


def test_an_edited_text_is_kept_with_lf_line_endings(editor_client, term_with_every_text):
    data = form_as_submitted(page(editor_client, change_url(term_with_every_text)))
    data["analogy"] = "Walking downhill\r\nin thick fog."
    editor_client.post(change_url(term_with_every_text), data)
    assert Term.objects.get(pk=term_with_every_text.pk).analogy == "Walking downhill\nin thick fog."


def test_an_edited_example_is_kept_with_lf_line_endings(editor_client, term_with_every_text):
    data = form_as_submitted(page(editor_client, change_url(term_with_every_text)))
    data["examples-0-body"] = "Line one.\r\rLine three."
    editor_client.post(change_url(term_with_every_text), data)
    assert Example.objects.get().body == "Line one.\n\nLine three."


def test_a_term_kept_with_crlf_by_an_earlier_release_stays_published_after_an_unchanged_resubmit(
    editor_client, make_term
):
    term = make_term("Gradient descent", analogy="Walking downhill\r\nin fog.")
    publish(term, by=None)
    editor_client.post(change_url(term), form_as_submitted(page(editor_client, change_url(term))))
    assert Term.objects.get(pk=term.pk).status == Term.Status.PUBLISHED


# Addresses no row can have: the admin says so, never a server error.
NO_SUCH_ROW = ["99999999999999999999999", "abc", "%C2%B2", "-1"]


@pytest.mark.parametrize(
    ("model", "page"),
    [("term", "change"), ("term", "delete"), ("term", "history"), ("tag", "change"), ("tag", "delete")]
    + [("tag", "history"), ("revision", "change"), ("revision", "history")],
)
@pytest.mark.parametrize("object_id", NO_SUCH_ROW)
def test_an_address_naming_no_row_says_it_does_not_exist(reviewer_client, model, object_id, page):
    response = reviewer_client.get(f"/admin/terms/{model}/{object_id}/{page}/", follow=True)
    assert response.status_code == 200
    assert "doesn’t exist. Perhaps it was deleted?" in response.content.decode()


@pytest.mark.parametrize("lookup", ["term_id", "term"])
def test_the_history_list_of_a_term_no_term_can_be_is_refused(reviewer_client, lookup):
    response = reviewer_client.get(f"/admin/terms/revision/?{lookup}=99999999999999999999999")
    assert (response.status_code, response.content.decode()) == (
        400,
        "A filter in this address asks for a number no row can have.",
    )


def test_searching_the_term_list_for_a_long_number_is_a_search(reviewer_client):
    response = reviewer_client.get("/admin/terms/term/?q=99999999999999999999999")
    assert response.status_code == 200
    assert "0 terms" in response.content.decode()


def test_line_endings_alone_are_not_a_change_in_the_diff():
    assert diffing.compare({"analogy": "Walking downhill\r\nin fog."}, {"analogy": "Walking downhill\nin fog."}) == []


# Logging -------------------------------------------------------------------------------------------------------------


@pytest.fixture
def site_log():
    """What the site's own log handler (settings.LOGGING's console) writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_refused_page_is_logged_in_one_line(editor_client, draft_term, site_log):
    response = editor_client.get(reverse("admin:terms_term_review", args=[draft_term.pk]))
    assert response.status_code == 403
    assert site_log.getvalue().count("\n") == 1


def test_a_refused_page_is_logged_with_its_address(editor_client, draft_term, site_log):
    response = editor_client.get(reverse("admin:terms_term_review", args=[draft_term.pk]))
    assert response.status_code == 403
    assert f"Forbidden (Permission denied): /admin/terms/term/{draft_term.pk}/review/" in site_log.getvalue()


def test_a_refused_page_is_logged_without_a_traceback(editor_client, draft_term, site_log):
    response = editor_client.get(reverse("admin:terms_term_review", args=[draft_term.pk]))
    assert response.status_code == 403
    assert "Traceback" not in site_log.getvalue()


def test_a_request_for_an_unknown_host_is_logged_in_one_line(client, site_log):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert site_log.getvalue().count("\n") == 1


def test_a_request_for_an_unknown_host_is_logged_with_its_reason_once(client, site_log):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert site_log.getvalue().count("Invalid HTTP_HOST header: 'evil.example'") == 1
