"""Homonyms: terms that share a name, each with a qualifier; their shared address; mentions no link may guess."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from terms.disambiguation import meanings
from terms.exporting import export, working_copy_records
from terms.importing.applying import import_file
from terms.importing.planning import make_plan
from terms.linking import ambiguous_mentions
from terms.models import PublishedTerm, Revision, Term
from terms.publishing import delete_term, publish, unpublish
from terms.skos import records_from_turtle, turtle
from terms.workflow import recover_deleted
from tests.test_api import call, registry, schema  # noqa: F401 (fixtures: every API answer checked by the schema)

ADD_URL = reverse("admin:terms_term_add")


@pytest.fixture
def homonyms(make_term):
    """Two published meanings of "Attention", and a page that mentions the name."""
    machine = make_term(
        "Attention",
        qualifier="machine learning",
        slug="attention-machine-learning",
        short_definition="Weighing parts of the input by relevance.",
    )
    mind = make_term(
        "Attention",
        qualifier="psychology",
        slug="attention-psychology",
        short_definition="Focusing the mind on one thing among many.",
    )
    page = make_term("Transformer", explanation="A transformer relies on attention throughout.")
    for term in (machine, page, mind):
        publish(term, by=None)
    return machine, mind, page


def page_html(slug: str) -> str:
    return PublishedTerm.objects.get(slug=slug).explanation_html


# --- The rules editors meet ----------------------------------------------------------------------------


def test_two_terms_share_a_name_when_each_has_a_qualifier(homonyms):
    assert Term.objects.filter(name="Attention").count() == 2


def test_a_duplicate_name_without_a_qualifier_is_refused_in_the_admin(editor_client, homonyms, term_form):
    response = editor_client.post(ADD_URL, term_form(name="Attention", slug="attention"))
    assert "Attention (machine learning)</a> already has this name: give this term a qualifier too" in (
        response.content.decode()
    )


def test_a_refused_duplicate_name_saves_nothing(editor_client, homonyms, term_form):
    editor_client.post(ADD_URL, term_form(name="Attention", slug="attention"))
    assert Term.objects.filter(name="Attention").count() == 2


def test_the_refusal_links_the_term_that_has_the_name(editor_client, homonyms, term_form):
    response = editor_client.post(ADD_URL, term_form(name="ATTENTION", slug="attention"))
    assert reverse("admin:terms_term_change", args=[homonyms[0].pk]) in response.content.decode()


def test_a_qualified_name_is_refused_while_another_term_has_it_without_one(editor_client, make_term, term_form):
    make_term("Attention")
    response = editor_client.post(ADD_URL, term_form(name="Attention", qualifier="psychology", slug="attention-2"))
    assert "already has this name, without a qualifier" in response.content.decode()


def test_the_same_qualifier_twice_is_refused(editor_client, homonyms, term_form):
    response = editor_client.post(
        ADD_URL, term_form(name="Attention", qualifier="Psychology", slug="attention-psychology-2")
    )
    assert "already has this name and qualifier: choose another qualifier." in response.content.decode()


def test_an_unqualified_duplicate_is_still_called_a_duplicate(editor_client, make_term, term_form):
    make_term("Attention")
    response = editor_client.post(ADD_URL, term_form(name="attention", slug="attention-2"))
    assert "A term with this name already exists." in response.content.decode()


def test_the_admin_suggests_an_address_from_the_name_and_qualifier(editor_client, db):
    response = editor_client.get(ADD_URL)
    assert "&quot;dependency_list&quot;: [&quot;name&quot;, &quot;qualifier&quot;]" in response.content.decode()


def test_a_homonyms_title_holds_its_qualifier(homonyms):
    assert PublishedTerm.objects.get(slug="attention-psychology").title == "Attention (psychology)"


def test_a_deleted_homonym_is_recovered_beside_the_other_meaning(homonyms):
    delete_term(homonyms[1], by=None)
    recovered = recover_deleted(Revision.objects.get(action=Revision.Action.DELETE), by=None)
    assert recovered.title == "Attention (psychology)"


def test_a_deleted_term_is_not_recovered_beside_a_homonym_without_its_qualifier(homonyms, make_term):
    delete_term(term := make_term("Transformers", qualifier=""), by=None)
    Term.objects.filter(pk=homonyms[1].pk).update(name="Transformers", name_key="transformers")
    with pytest.raises(ValidationError, match="give this term a qualifier too"):
        recover_deleted(Revision.objects.get(term_id=term.pk, action=Revision.Action.DELETE), by=None)


# --- The shared address ---------------------------------------------------------------------------


def test_the_shared_address_lists_every_meaning(client, homonyms):
    response = client.get("/terms/attention/")
    assert response.status_code == 200


def test_the_shared_address_links_each_meaning_by_its_title(client, homonyms):
    html = client.get("/terms/attention/").content.decode()
    assert '/terms/attention-psychology/">Attention (psychology)</a>' in html


def test_the_shared_address_shows_each_meanings_one_liner(client, homonyms):
    html = client.get("/terms/attention/").content.decode()
    assert "Weighing parts of the input by relevance." in html


def test_the_shared_address_says_what_the_name_may_refer_to(client, homonyms):
    assert "“Attention” may refer to:" in client.get("/terms/attention/").content.decode()


def test_the_shared_address_is_not_indexed_by_search_engines(client, homonyms):
    assert '<meta name="robots" content="noindex, follow">' in client.get("/terms/attention/").content.decode()


def test_the_shared_address_costs_a_fixed_number_of_queries(client, homonyms, make_term, django_assert_num_queries):
    for number in range(5):
        publish(make_term(f"Attention span {number}"), by=None)
    # The site state, the term page's query, the redirect, the meanings.
    with django_assert_num_queries(4):
        client.get("/terms/attention/")


def test_the_shared_address_leads_to_the_only_meaning_published(client, homonyms):
    unpublish(homonyms[1], by=None)
    response = client.get("/terms/attention/")
    assert (response.status_code, response["Location"]) == (302, "/terms/attention-machine-learning/")


def test_an_address_no_name_has_is_still_a_404(client, homonyms):
    assert client.get("/terms/attent/").status_code == 404


def test_meanings_are_found_by_the_names_address_alone(homonyms):
    name, found = meanings("attention")
    assert (name, [meaning.slug for meaning in found]) == (
        "Attention",
        ["attention-machine-learning", "attention-psychology"],
    )


# --- Cross-links -------------------------------------------------------------------------------------


def test_an_ambiguous_mention_is_not_linked(homonyms):
    assert "<a " not in page_html("transformer")


def test_a_mention_is_linked_when_one_meaning_alone_is_published(make_term):
    machine = make_term("Attention", qualifier="machine learning", slug="attention-machine-learning")
    publish(machine, by=None)
    publish(make_term("Transformer", explanation="A transformer relies on attention throughout."), by=None)
    assert '/terms/attention-machine-learning/"' in page_html("transformer")


def test_publishing_a_second_meaning_unlinks_the_mentions_of_the_first(make_term):
    machine = make_term("Attention", qualifier="machine learning", slug="attention-machine-learning")
    publish(machine, by=None)
    publish(make_term("Transformer", explanation="A transformer relies on attention throughout."), by=None)
    publish(make_term("Attention", qualifier="psychology", slug="attention-psychology"), by=None)
    assert "<a " not in page_html("transformer")


def test_unpublishing_one_meaning_links_the_other_again(homonyms):
    unpublish(homonyms[1], by=None)
    assert '/terms/attention-machine-learning/"' in page_html("transformer")


def test_ambiguous_mentions_are_listed_for_editors(homonyms):
    machine, mind, page = homonyms
    assert ambiguous_mentions() == [(page.pk, "attention", sorted([machine.pk, mind.pk]))]


def test_ambiguous_mentions_of_one_page(homonyms):
    machine, mind, page = homonyms
    assert ambiguous_mentions([page.pk]) == [(page.pk, "attention", sorted([machine.pk, mind.pk]))]


def test_the_admin_shows_a_pages_ambiguous_mentions(editor_client, homonyms, change_url):
    html = editor_client.get(change_url(homonyms[2])).content.decode()
    assert "“attention” could mean <a href=" in html


def test_the_admin_links_each_meaning_of_an_ambiguous_mention(editor_client, homonyms, change_url):
    html = editor_client.get(change_url(homonyms[2])).content.decode()
    assert f'<a href="{change_url(homonyms[1])}">Attention (psychology)</a>' in html


def test_the_admin_lists_homonyms_with_their_qualifiers(editor_client, homonyms):
    html = editor_client.get(reverse("admin:terms_term_changelist")).content.decode()
    assert '<td class="field-qualifier">psychology</td>' in html


def test_a_homonyms_own_page_does_not_list_its_own_name_as_ambiguous(homonyms):
    assert ambiguous_mentions([homonyms[0].pk]) == []


# --- Titles wherever a term is listed or linked ------------------------------------------------------


def test_a_homonyms_page_is_headed_by_its_title(client, homonyms):
    html = client.get("/terms/attention-psychology/").content.decode()
    assert "<h1>Attention (psychology)</h1>" in html


def test_a_homonyms_page_title_holds_its_qualifier(client, homonyms):
    html = client.get("/terms/attention-psychology/").content.decode()
    assert "<title>Attention (psychology) · AI Glossary</title>" in html


def test_a_term_without_a_qualifier_keeps_its_question(client, homonyms):
    assert "<h1>What is transformer?</h1>" in client.get("/terms/transformer/").content.decode()


def test_a_homonyms_page_costs_what_any_term_page_costs(client, homonyms, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/terms/attention-psychology/")


def test_the_a_to_z_index_shows_titles(client, homonyms):
    assert ">Attention (machine learning)</a>" in client.get("/terms/").content.decode()


def test_the_a_to_z_index_orders_homonyms_by_their_qualifiers(homonyms):
    order = list(PublishedTerm.objects.order_by("sort_name").values_list("slug", flat=True))
    assert order == ["attention-machine-learning", "attention-psychology", "transformer"]


def test_a_tag_page_shows_titles(client, make_term):
    publish(make_term("Attention", qualifier="psychology", slug="attention-psychology", tags=["Mind"]), by=None)
    assert ">Attention (psychology)</a>" in client.get("/tags/mind/").content.decode()


def test_related_terms_show_titles(client, homonyms, relate):
    machine, _, page = homonyms
    relate(page, machine)
    publish(page, by=None, again=True)
    assert ">Attention (machine learning)</a>" in client.get("/terms/transformer/").content.decode()


def test_search_results_show_titles(client, homonyms):
    assert "<mark>Attention</mark> (psychology)</a>" in client.get("/search/", {"q": "attention"}).content.decode()


def test_a_search_for_the_qualifier_finds_the_homonym(client, homonyms):
    assert "/terms/attention-psychology/" in client.get("/search/", {"q": "attention psychology"}).content.decode()


def test_suggestions_show_titles(client, homonyms):
    names = [item["name"] for item in client.get("/search/suggest", {"q": "atten"}).json()["suggestions"]]
    assert sorted(names) == ["Attention (machine learning)", "Attention (psychology)"]


def test_the_feed_shows_titles(client, homonyms):
    assert "<title>Attention (psychology)</title>" in client.get("/feed/").content.decode()


def test_the_neighbour_links_show_titles(client, homonyms):
    html = client.get("/terms/attention-psychology/").content.decode()
    assert 'term-pager__name">Attention (machine learning)</span>' in html


# --- API, exports and imports -------------------------------------------------------------------------


def test_the_api_gives_a_homonyms_qualifier(call, homonyms):  # noqa: F811
    assert call("/api/terms/attention-psychology/").json()["qualifier"] == "psychology"


def test_the_api_gives_a_homonyms_title(call, homonyms):  # noqa: F811
    assert call("/api/terms/attention-psychology/").json()["title"] == "Attention (psychology)"


def test_the_api_lists_titles(call, homonyms):  # noqa: F811
    titles = [item["title"] for item in call("/api/terms/").json()["results"]]
    assert titles == ["Attention (machine learning)", "Attention (psychology)", "Transformer"]


def test_a_record_holds_the_qualifier_right_after_the_name(homonyms):
    record = next(record for record in working_copy_records() if record["slug"] == "attention-psychology")
    assert list(record)[:3] == ["name", "qualifier", "slug"]


def test_a_relation_names_a_homonym_by_its_title(homonyms, relate):
    relate(homonyms[2], homonyms[1])
    record = next(record for record in working_copy_records() if record["slug"] == "transformer")
    assert record["relations"] == [{"kind": "related", "term": "Attention (psychology)"}]


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_an_export_imported_again_changes_nothing(homonyms, relate, file_format):
    relate(homonyms[2], homonyms[1])
    assert (
        make_plan(export(file_format), f"glossary.{file_format}").summary
        == "0 created, 0 updated, 3 unchanged, 0 errors"
    )


def test_an_imported_homonym_keeps_its_qualifier(homonyms, editor):
    document = json.loads(export("json"))
    for record in document["terms"]:
        record["qualifier"] = record["qualifier"].replace("psychology", "cognitive science")
    import_file(json.dumps(document).encode(), "glossary.json", by=editor)
    assert Term.objects.get(slug="attention-psychology").qualifier == "cognitive science"


def test_an_import_without_the_qualifier_does_not_match_a_homonym_by_name(homonyms):
    data = json.dumps({"format": "glossary", "version": 1, "terms": [{"name": "Attention", "short_definition": "Hm."}]})
    plan = make_plan(data.encode(), "glossary.json")
    assert "already has this name. Two terms share a name only when each has a qualifier" in plan.rows[0].reason


def test_an_import_may_add_a_third_meaning(homonyms):
    term = {"name": "Attention", "qualifier": "law", "short_definition": "Notice given."}
    data = json.dumps({"format": "glossary", "version": 1, "terms": [term]})
    assert make_plan(data.encode(), "glossary.json").summary == "1 created, 0 updated, 0 unchanged, 0 errors"


def test_skos_labels_a_homonym_by_its_title(homonyms):
    assert '"Attention (psychology)"@en' in turtle(working_copy_records())


def test_a_skos_export_imported_again_changes_nothing(homonyms, relate):
    relate(homonyms[2], homonyms[1])
    plan = make_plan(turtle(working_copy_records()).encode(), "glossary.ttl")
    assert plan.summary == "0 created, 0 updated, 3 unchanged, 0 errors"


def test_skos_reads_a_homonyms_title_back_as_its_label(homonyms):
    labels = sorted(record["name"] for record in records_from_turtle(turtle(working_copy_records())))
    assert labels == ["Attention (machine learning)", "Attention (psychology)", "Transformer"]


def test_a_homonyms_name_that_is_another_terms_alias_is_refused(make_term):
    older = make_term("Placeholder", qualifier="psychology", slug="attention-psychology")
    publish(make_term("Heed", aliases="Attention"), by=None)
    # A homonym older than the alias, as a glossary from before the rule may hold.
    Term.objects.filter(pk=older.pk).update(name="Attention", name_key="attention")
    term = Term(name="Attention", qualifier="law", slug="attention-law", short_definition="Notice given.")
    with pytest.raises(ValidationError, match="is an alias of"):
        term.full_clean()


def test_an_alias_clash_names_a_homonym_by_its_title(homonyms):
    term = Term(name="Focus", slug="focus", short_definition="Hm.", aliases="Attention")
    with pytest.raises(ValidationError, match="Attention \\(machine learning\\)"):
        term.full_clean()


def test_a_homonyms_page_links_the_other_meanings(client, homonyms):
    html = client.get("/terms/attention-psychology/").content.decode()
    assert '<a href="/terms/attention/">Other meanings of “Attention”</a>' in html


def test_a_term_without_a_qualifier_has_no_link_to_other_meanings(client, homonyms):
    assert "Other meanings" not in client.get("/terms/transformer/").content.decode()


def test_editors_pick_a_homonym_by_its_title(homonyms):
    assert str(homonyms[1]) == "Attention (psychology)"
