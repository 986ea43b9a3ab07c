"""Kinds of label: how editors write them, and that hidden ones are found by search but shown nowhere."""

import json

import pytest
from django.core.exceptions import ValidationError
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from terms.bulk_publishing import rebuild_names
from terms.enums import LabelKind
from terms.exporting import export
from terms.importing import import_file
from terms.labels import Label, format_labels, parse_labels
from terms.models import PublishedTerm, Revision, Tag, Term
from terms.models.published import PublishedName
from terms.publishing import publish, unpublish
from terms.search import MATCHED_HIDDEN, search_index, search_terms, suggest
from terms.skos import records_from_turtle

# The hidden label's own spelling: a reader may type "langauge mod", never read "modle" on a page.
HIDDEN = "Langauge modle"
SECRET = "modle"


@pytest.fixture
def llm(make_term):
    """A published term with one label of each kind."""
    term = make_term(
        "Large language model",
        aliases=f"LLM\nsynonym: Foundation model\nspelling: Large-language model\nformer: Big model\nhidden: {HIDDEN}",
        short_definition="A model trained on a great deal of text.",
        tags=["Models"],
    )
    publish(term, by=None)
    return term


@pytest.fixture
def mentioner(make_term, llm):
    """A published term whose text mentions the hidden label."""
    term = make_term("Chatbot", short_definition="A program that chats.", explanation=f"Often a {HIDDEN} at heart.")
    publish(term, by=None)
    return term


# --- Reading what editors write ---


@pytest.mark.parametrize("line", ["LLM", "GPUs", "R&D", "GPT-4"])
def test_a_line_without_a_kind_that_looks_like_an_abbreviation_is_one(line):
    assert parse_labels(line) == [Label(line, LabelKind.ABBREVIATION)]


@pytest.mark.parametrize("line", ["Foundation model", "Llm", "A", "TOOLONGFORANABBREVIATION"])
def test_a_line_without_a_kind_that_does_not_look_like_an_abbreviation_is_a_synonym(line):
    assert parse_labels(line) == [Label(line, LabelKind.SYNONYM)]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("abbreviation: Large LM", LabelKind.ABBREVIATION),
        ("Synonym: Large LM", LabelKind.SYNONYM),
        ("spelling: Large LM", LabelKind.SPELLING),
        ("Spelling Variant: Large LM", LabelKind.SPELLING),
        ("former: Large LM", LabelKind.FORMER),
        ("FORMER NAME:  Large   LM ", LabelKind.FORMER),
        ("hidden: Large LM", LabelKind.HIDDEN),
        ("hidden :Large LM", LabelKind.HIDDEN),
    ],
)
def test_a_line_may_start_with_its_kind_in_any_letter_case(line, kind):
    assert parse_labels(line) == [Label("Large LM", kind)]


def test_an_unknown_word_before_a_colon_is_part_of_the_name():
    assert parse_labels("Note: a model") == [Label("Note: a model", LabelKind.SYNONYM)]


def test_a_name_written_twice_is_kept_once_with_its_first_kind():
    assert parse_labels("hidden: Big model\nBIG\u200b MODEL") == [Label("Big model", LabelKind.HIDDEN)]


def test_blank_lines_are_no_labels():
    assert parse_labels("\n  \nLLM\n") == [Label("LLM", LabelKind.ABBREVIATION)]


def test_written_labels_read_back_as_the_same_labels():
    labels = parse_labels("LLM\nsynonym: GPT\nhidden: Hidden: layer\nspelling: Colour\nNote: x")
    assert parse_labels(format_labels(labels)) == labels


def test_a_kind_is_written_only_where_the_name_alone_reads_as_another():
    labels = [Label("LLM", LabelKind.ABBREVIATION), Label("GPT", LabelKind.SYNONYM), Label("Colour", "spelling")]
    assert format_labels(labels) == "LLM\nsynonym: GPT\nspelling: Colour"


def test_the_alias_list_holds_the_names_of_every_kind(llm):
    assert llm.alias_list == ["LLM", "Foundation model", "Large-language model", "Big model", HIDDEN]


def test_the_labels_of_a_term_carry_their_kinds(llm):
    assert [label.kind for label in llm.labels] == ["abbreviation", "synonym", "spelling", "former", "hidden"]


def test_a_hidden_label_is_unique_like_any_other_name(make_term, llm):
    other = make_term("Chatbot", aliases=HIDDEN.upper())
    with pytest.raises(ValidationError, match="already an alias of"):
        other.full_clean()


def test_a_kind_with_nothing_after_it_is_refused(make_term):
    term = make_term("Chatbot", aliases="hidden:")
    with pytest.raises(ValidationError, match="is followed by no name"):
        term.full_clean()


def test_the_admin_refuses_a_kind_with_nothing_after_it(editor_client, db, term_form):
    response = editor_client.post(
        "/admin/terms/term/add/", term_form(name="Chatbot", slug="chatbot", aliases="hidden:")
    )
    assert "“hidden:” is followed by no name" in response.content.decode()


def test_the_admin_refusing_a_kind_with_nothing_after_it_saves_nothing(editor_client, db, term_form):
    editor_client.post("/admin/terms/term/add/", term_form(name="Chatbot", slug="chatbot", aliases="hidden:"))
    assert not Term.objects.filter(slug="chatbot").exists()


@pytest.mark.parametrize("example", ["abbreviation: LLM", "hidden: langauge model", "former: "])
def test_the_admin_form_explains_each_kind(editor_client, db, example):
    response = editor_client.get("/admin/terms/term/add/")
    assert example in response.content.decode()


# --- The published layer ---


def test_the_published_row_keeps_every_label_with_its_kind(llm):
    assert PublishedTerm.objects.get(pk=llm.pk).labels[-1] == {"name": HIDDEN, "kind": "hidden"}


def test_the_published_aliases_leave_hidden_labels_out(llm):
    assert PublishedTerm.objects.get(pk=llm.pk).aliases == [
        "LLM",
        "Foundation model",
        "Large-language model",
        "Big model",
    ]


def test_a_hidden_label_is_not_a_name_cross_links_look_for(llm):
    assert not PublishedName.objects.filter(name=HIDDEN).exists()


def test_a_hidden_label_is_never_linked(mentioner):
    assert "<a" not in PublishedTerm.objects.get(pk=mentioner.pk).explanation_html


def test_a_shown_label_is_linked(make_term, llm):
    term = make_term("Chatbot", short_definition="Chats.", explanation="Often a Big model at heart.")
    publish(term, by=None)
    assert 'href="/terms/large-language-model/"' in PublishedTerm.objects.get(pk=term.pk).explanation_html


def test_rebuilt_names_leave_hidden_labels_out(llm):
    rebuild_names()
    assert not PublishedName.objects.filter(name=HIDDEN).exists()


def test_a_hidden_labels_address_leads_to_its_term(client, llm):
    response = client.get("/terms/langauge-modle/")
    assert (response.status_code, response["Location"]) == (301, "/terms/large-language-model/")


# --- Search and suggestions ---


@pytest.mark.parametrize("query", [HIDDEN, "langauge modle", "langauge mod", "langaugemodle"])
def test_a_hidden_label_finds_its_term(llm, query):
    assert [result.name for result in search_terms(query)] == ["Large language model"]


def test_a_hidden_label_is_suggested_as_you_type(llm):
    assert [result.name for result in suggest("langauge mo")] == ["Large language model"]


def test_a_result_found_by_an_abbreviation_says_so(llm):
    assert search_terms("llm")[0].matched == "LLM, abbreviation"


def test_a_result_found_by_a_former_name_says_so(llm):
    assert search_terms("big model")[0].matched == "Big model, former name"


def test_a_result_found_by_its_name_says_nothing_more(llm):
    assert search_terms("large language")[0].matched == ""


def test_a_result_found_by_a_hidden_label_says_what_kind_of_word_matched(llm):
    assert search_terms("langauge mod")[0].matched == MATCHED_HIDDEN


def test_the_search_page_says_why_a_result_matched(client, llm):
    assert "Matched LLM, abbreviation" in client.get("/search/?q=llm").content.decode()


def test_a_suggestion_says_why_it_matched(client, llm):
    response = client.get("/search/suggest?q=foundation")
    assert response.json()["suggestions"][0]["matched"] == "Foundation model, synonym"


def test_a_misspelling_is_never_offered_as_what_the_reader_meant(client, llm):
    # "modlle" is one typo from the hidden "modle": the search offers none of a hidden label's words.
    response = client.get("/search/?q=modlle+qqqq")
    assert SECRET not in response.content.decode().lower()


def test_hidden_words_leave_the_index_with_their_term(llm):
    unpublish(llm, by=None)
    with search_index().connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM terms_search_word")
        assert cursor.fetchone()[0] == 0


PUBLIC_PAGES = [
    "/",
    "/terms/",
    "/terms/?letter=L",
    "/terms/large-language-model/",
    "/tags/",
    "/tags/models/",
    "/search/?q=langauge+mod",
    "/search/?q=langauge",
    "/search/?q=mod",
    "/search/?q=modlle+qqqq",
    "/search/?q=large+language+model",
    "/search/suggest?q=langauge+mod",
    "/search/suggest?q=langaugemo",
    "/feed/",
    "/sitemap.xml",
    "/api/docs/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_hidden_label_appears_on_no_public_page(client, llm, url):
    response = client.get(url)
    assert (response.status_code, SECRET in response.content.decode().lower()) == (200, False)


# --- The term page ---


def test_the_abbreviation_shows_beside_the_name(client, llm):
    html = client.get("/terms/large-language-model/").content.decode()
    assert '<p class="term__abbreviations">Abbreviation: LLM</p>' in html


def test_other_shown_labels_are_listed_with_their_kind_where_it_helps(client, llm):
    html = client.get("/terms/large-language-model/").content.decode()
    assert (
        'Also known as: <span class="alias">Foundation model</span>, '
        '<span class="alias">Large-language model</span> (spelling), <span class="alias">Big model</span> (former name)'
    ) in html


def test_labels_add_no_query_to_the_term_page(client, llm, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert client.get("/terms/large-language-model/").status_code == 200


def test_the_term_pages_structured_data_names_shown_labels_only(client, llm):
    html = client.get("/terms/large-language-model/").content.decode()
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["alternateName"] == ["LLM", "Foundation model", "Large-language model", "Big model"]


# --- SKOS, exports and imports ---


def test_skos_carries_a_hidden_label_as_such(client, llm):
    graph = Graph().parse(data=client.get("/export/skos.ttl").content, format="turtle")
    assert set(graph.objects(None, SKOS.hiddenLabel)) == {Literal(HIDDEN, lang="en")}


def test_skos_carries_shown_labels_as_alternative_ones(client, llm):
    graph = Graph().parse(data=client.get("/export/skos.ttl").content, format="turtle")
    assert len(set(graph.objects(None, SKOS.altLabel))) == 4


def test_a_skos_import_reads_hidden_labels_as_hidden_and_others_by_their_look(client, llm):
    record = records_from_turtle(client.get("/export/skos.ttl").content.decode())[0]
    assert record["aliases"] == [
        "Big model",
        "Foundation model",
        "Large-language model",
        "LLM",
        f"hidden: {HIDDEN}",
    ]


def test_an_export_writes_each_kind_its_name_alone_does_not_say(llm):
    exported = json.loads(export("json"))["terms"][0]["aliases"]
    assert exported == [
        "LLM",
        "Foundation model",
        "spelling: Large-language model",
        "former: Big model",
        f"hidden: {HIDDEN}",
    ]


def test_the_published_export_keeps_the_kinds_too(llm):
    assert json.loads(export("json", published=True))["terms"][0]["aliases"][-1] == f"hidden: {HIDDEN}"


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_an_export_imported_again_keeps_every_kind(llm, file_format):
    before = export(file_format)
    Term.objects.all().delete()
    Tag.objects.all().delete()
    Revision.objects.all().delete()
    import_file(before, f"glossary.{file_format}", by=None)
    assert Term.objects.get(slug="large-language-model").labels == llm.labels
