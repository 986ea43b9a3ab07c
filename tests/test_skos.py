"""The glossary as SKOS (terms/skos.py) and where it is served: /export/skos.*, and term pages by content negotiation."""

import json

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from terms.enums import KIND_ORDER, LabelKind, RelationKind
from terms.labels import label_line, parse_label
from terms.models import Example, Relation
from terms.publishing import publish
from terms.records import published_records
from terms.skos import SKOS_KEYS, SkosError, graph, jsonld, records_from_turtle, turtle
from terms.workflow import record_save

BASE = "http://testserver"
TERM = URIRef(f"{BASE}/terms/dropout/")
PARENT = URIRef(f"{BASE}/terms/regularisation/")
SCHEME = URIRef(f"{BASE}/terms/")
TURTLE = "text/turtle"
JSON_LD = "application/ld+json"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture
def glossary(make_term, relate):
    """Dropout (narrower than Regularisation, not to be confused with Pruning) and its neighbours, published."""
    term = make_term("Dropout", aliases="Dilution", usage="Used in **most** networks.", history="Hinton et al., 2012.")
    Example.objects.create(term=term, position=1, title="Images", body="Dropping half the units.")
    parent, contrast = make_term("Regularisation"), make_term("Pruning")
    relate(term, parent, kind=RelationKind.BROADER)
    relate(term, contrast, kind=RelationKind.CONTRAST, position=2)
    for each in (parent, contrast, term):
        publish(each, by=None)
    return term


def exported(client, url="/export/skos.ttl") -> Graph:
    response = client.get(url)
    assert response.status_code == 200
    return Graph().parse(data=response.content, format="turtle" if url.endswith(".ttl") else "json-ld")


@pytest.mark.parametrize(
    ("predicate", "value"),
    [
        (RDF.type, SKOS.Concept),
        (SKOS.inScheme, SCHEME),
        (SKOS.prefLabel, Literal("Dropout", lang="en")),
        (SKOS.altLabel, Literal("Dilution", lang="en")),
        (SKOS.definition, Literal("The one-line definition of Dropout.", lang="en")),
        (SKOS.scopeNote, Literal("Used in **most** networks.", lang="en")),
        (SKOS.historyNote, Literal("Hinton et al., 2012.", lang="en")),
        (SKOS.example, Literal("Dropping half the units.", lang="en")),
        (SKOS.broader, PARENT),
        (RDFS.seeAlso, URIRef(f"{BASE}/terms/pruning/")),
    ],
)
@pytest.mark.parametrize("url", ["/export/skos.ttl", "/export/skos.jsonld"])
def test_the_export_describes_each_term_as_a_concept(client, glossary, url, predicate, value):
    assert (TERM, predicate, value) in exported(client, url)


def test_a_concept_is_modified_when_its_term_was_last_published(client, glossary):
    modified = exported(client).value(TERM, DCTERMS.modified)
    assert modified.toPython() == glossary.published.published_at


def test_a_contrast_is_not_a_skos_related_concept(client, glossary):
    assert (TERM, SKOS.related, URIRef(f"{BASE}/terms/pruning/")) not in exported(client)


def test_a_concept_without_broader_concepts_is_a_top_concept(client, glossary):
    assert (PARENT, SKOS.topConceptOf, SCHEME) in exported(client)


def test_a_concept_with_a_broader_concept_is_not_a_top_concept(client, glossary):
    assert (TERM, SKOS.topConceptOf, SCHEME) not in exported(client)


@pytest.mark.parametrize(
    ("predicate", "value"), [(RDF.type, SKOS.ConceptScheme), (DCTERMS.title, Literal("AI Glossary", lang="en"))]
)
def test_the_export_is_one_concept_scheme_named_after_the_site(client, glossary, predicate, value):
    assert (SCHEME, predicate, value) in exported(client)


def test_the_turtle_export_is_utf8_turtle(client, glossary):
    assert client.get("/export/skos.ttl")["Content-Type"] == "text/turtle; charset=utf-8"


def test_the_jsonld_export_is_json_ld(client, glossary):
    assert client.get("/export/skos.jsonld")["Content-Type"] == JSON_LD


def test_the_export_downloads_under_a_file_name(client, glossary):
    assert client.get("/export/skos.ttl")["Content-Disposition"] == 'attachment; filename="glossary-skos.ttl"'


def test_the_export_is_not_modified_until_something_is_published(client, glossary):
    etag = client.get("/export/skos.ttl")["ETag"]
    assert client.get("/export/skos.ttl", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_export_changes_when_a_term_is_published(client, glossary, make_term):
    etag = client.get("/export/skos.ttl")["ETag"]
    publish(make_term("Weight decay"), by=None)
    assert client.get("/export/skos.ttl", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_drafts_are_not_exported(client, glossary, draft_term):
    assert b"Secret draft" not in client.get("/export/skos.ttl").content


def test_unpublished_edits_are_not_exported(client, glossary, edit):
    edit(glossary, short_definition="An edit nobody has reviewed.")
    assert b"An edit nobody has reviewed." not in client.get("/export/skos.jsonld").content


BROADER_LOOP = "ASK { ?concept skos:broader+ ?concept }"
NARROWER_LOOP = "ASK { ?concept skos:narrower+ ?concept }"


@pytest.mark.parametrize("loop", [BROADER_LOOP, NARROWER_LOOP])
def test_the_export_has_no_broader_loop(client, glossary, loop):
    assert not exported(client).query(loop, initNs={"skos": SKOS}).askAnswer


def test_a_loop_the_published_layer_holds_is_broken_in_the_export(client, make_term, relate):
    """Dropout went live under Regularisation; its working copy then dropped that, and Regularisation went live under it."""
    term, parent = make_term("Dropout"), make_term("Regularisation")
    relation = relate(term, parent, kind=RelationKind.BROADER)
    publish(parent, by=None)
    publish(term, by=None)
    relation.delete()
    record_save(term, by=None)
    Relation.objects.create(from_term=parent, to_term=term, kind=RelationKind.BROADER, position=1)
    publish(parent, by=None)
    assert not exported(client).query(BROADER_LOOP, initNs={"skos": SKOS}).askAnswer


def test_a_narrower_link_that_closes_a_loop_is_left_out(db):
    records = [
        {"name": "A", "slug": "a", "relations": [{"kind": "broader", "term": "B"}]},
        {"name": "B", "slug": "b", "relations": [{"kind": "narrower", "term": "A"}, {"kind": "broader", "term": "A"}]},
    ]
    assert not graph(records).query(BROADER_LOOP, initNs={"skos": SKOS}).askAnswer


@pytest.mark.parametrize("terms", [3, 30])
def test_the_export_runs_a_fixed_number_of_queries(client, make_term, relate, django_assert_num_queries, terms):
    made = [make_term() for _ in range(terms)]
    for term, other in zip(made, made[1:], strict=False):
        relate(term, other, kind=RelationKind.BROADER)
    for term in reversed(made):
        publish(term, by=None)
    # The page cache's site state, then the terms and their relations.
    with django_assert_num_queries(3):
        client.get("/export/skos.ttl")


# Turtle back to records ------------------------------------------------------------------------------------------


def skos_aliases(lines: list[str]) -> list[str]:
    """A record's aliases as SKOS brings them back: altLabels (which carry no kind: it is told from the name again)
    then hiddenLabels, each A–Z."""
    labels = [parse_label(line) for line in lines]
    shown = sorted((label.name for label in labels if label.kind != LabelKind.HIDDEN), key=str.casefold)
    hidden = sorted((label.name for label in labels if label.kind == LabelKind.HIDDEN), key=str.casefold)
    return [label_line(parse_label(name)) for name in shown] + [f"hidden: {name}" for name in hidden]


def in_skos(record: dict) -> dict:
    """What of a record SKOS carries, with its lists in the order SKOS reads them back."""
    return {
        **{key: record[key] for key in SKOS_KEYS},
        "aliases": skos_aliases(record["aliases"]),
        "examples": sorted(({"title": "", "body": e["body"]} for e in record["examples"]), key=lambda e: e["body"]),
        "relations": sorted(record["relations"], key=lambda r: (KIND_ORDER.index(r["kind"]), r["term"].casefold())),
    }


def test_records_come_back_from_turtle_as_far_as_skos_carries_them(glossary, make_term, relate):
    term = make_term("Weight decay", aliases="L2 regularisation\nRidge")
    relate(term, glossary, kind=RelationKind.RELATED)
    relate(term, glossary.relations.get(kind=RelationKind.BROADER).to_term, kind=RelationKind.BROADER, position=2)
    publish(term, by=None)
    records = published_records()
    assert records_from_turtle(turtle(records)) == [in_skos(record) for record in records]


def test_the_starter_glossary_survives_the_round_trip(db):
    from django.core.management import call_command

    call_command("seed", verbosity=0)
    records = published_records()
    assert records_from_turtle(turtle(records)) == [in_skos(record) for record in records]


def test_a_term_page_iri_gives_its_slug_whatever_the_site(db):
    text = turtle([{"name": "Dropout", "slug": "dropout"}]).replace(BASE, "https://glossary.example.org")
    assert records_from_turtle(text)[0]["slug"] == "dropout"


FOREIGN = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://example.org/c1> a skos:Concept ; skos:prefLabel "Chat"@fr, "Cat"@en ; skos:altLabel "Katze"@de .
"""


def test_a_foreign_concept_has_no_slug(db):
    assert records_from_turtle(FOREIGN)[0]["slug"] == ""


def test_the_english_label_is_the_name(db):
    assert records_from_turtle(FOREIGN)[0]["name"] == "Cat"


def test_labels_in_other_languages_are_kept_when_there_is_no_english_one(db):
    assert records_from_turtle(FOREIGN)[0]["aliases"] == ["Katze"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<a> <b> ", "not valid Turtle"),
        ("@prefix skos: <nope", "not valid Turtle"),
        (
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . <http://example.org/c> a skos:Concept .",
            "has no skos:prefLabel",
        ),
        (
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . <http://example.org/c> a skos:Concept ;"
            ' skos:prefLabel "C" ; skos:broader <http://example.org/elsewhere> .',
            "not a concept of this file",
        ),
    ],
)
def test_a_file_that_cannot_be_read_says_why(db, text, reason):
    with pytest.raises(SkosError, match=reason):
        records_from_turtle(text)


@pytest.mark.parametrize(("write", "syntax"), [(turtle, "turtle"), (jsonld, "json-ld")])
def test_the_writers_hold_the_graph_rdflib_builds(glossary, write, syntax):
    records = published_records()
    assert Graph().parse(data=write(records), format=syntax).isomorphic(graph(records))


AWKWARD = 'She said "hi" \\ then """left"""\nwith a tab\there, an emoji 🙂 and <b>markup</b> & more'


@pytest.mark.parametrize(("write", "syntax"), [(turtle, "turtle"), (jsonld, "json-ld")])
def test_any_text_survives_the_writers(db, write, syntax):
    record = {"name": AWKWARD, "slug": "awkward", "short_definition": AWKWARD}
    written = Graph().parse(data=write([record]), format=syntax)
    assert written.value(URIRef(f"{BASE}/terms/awkward/"), SKOS.definition) == Literal(AWKWARD, lang="en")


# Term pages by content negotiation -------------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "content_type"), [(TURTLE, "text/turtle; charset=utf-8"), (JSON_LD, JSON_LD)])
def test_a_term_page_answers_a_skos_client_in_its_format(client, glossary, accept, content_type):
    assert client.get("/terms/dropout/", HTTP_ACCEPT=accept)["Content-Type"] == content_type


def test_a_term_page_answers_a_browser_with_html(client, glossary):
    assert client.get("/terms/dropout/", HTTP_ACCEPT=BROWSER_ACCEPT)["Content-Type"] == "text/html; charset=utf-8"


def test_a_term_page_says_it_varies_by_accept(client, glossary):
    assert client.get("/terms/dropout/")["Vary"] == "Accept"


def term_graph(client, accept=TURTLE) -> Graph:
    response = client.get("/terms/dropout/", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    return Graph().parse(data=response.content, format="turtle" if accept == TURTLE else "json-ld")


@pytest.mark.parametrize("accept", [TURTLE, JSON_LD])
def test_a_term_page_skos_describes_the_term(client, glossary, accept):
    assert (TERM, SKOS.prefLabel, Literal("Dropout", lang="en")) in term_graph(client, accept)


def test_a_term_page_skos_labels_the_concepts_it_links_to(client, glossary):
    assert (PARENT, SKOS.prefLabel, Literal("Regularisation", lang="en")) in term_graph(client)


def test_a_term_page_skos_holds_the_links_to_the_term(client, glossary, make_term, relate):
    child = make_term("Spatial dropout")
    relate(child, glossary, kind=RelationKind.BROADER)
    publish(child, by=None)
    assert (URIRef(f"{BASE}/terms/spatial-dropout/"), SKOS.broader, TERM) in term_graph(client)


def test_a_term_page_skos_describes_no_other_term(client, glossary):
    assert term_graph(client).value(PARENT, SKOS.definition) is None


def test_a_draft_has_no_skos(client, draft_term):
    assert client.get(f"/terms/{draft_term.slug}/", HTTP_ACCEPT=TURTLE).status_code == 404


def test_a_former_address_leads_a_skos_client_to_the_term(client, glossary, edit):
    edit(glossary, slug="dropout-regularisation")
    publish(glossary, by=None)
    response = client.get("/terms/dropout/", HTTP_ACCEPT=TURTLE)
    assert (response.status_code, response["Location"]) == (301, "/terms/dropout-regularisation/")


def test_a_browser_after_a_skos_client_gets_the_html_page(client, glossary):
    client.get("/terms/dropout/", HTTP_ACCEPT=TURTLE)
    assert client.get("/terms/dropout/", HTTP_ACCEPT=BROWSER_ACCEPT).content.startswith(b"<!doctype html>")


def test_a_skos_client_after_a_browser_gets_turtle(client, glossary):
    client.get("/terms/dropout/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert client.get("/terms/dropout/", HTTP_ACCEPT=TURTLE)["Content-Type"] == "text/turtle; charset=utf-8"


def test_a_cached_skos_answer_comes_from_the_page_cache(client, glossary, django_assert_num_queries):
    client.get("/terms/dropout/", HTTP_ACCEPT=TURTLE)
    with django_assert_num_queries(1):  # the site state alone
        assert client.get("/terms/dropout/", HTTP_ACCEPT=TURTLE)["Content-Type"] == "text/turtle; charset=utf-8"


def test_the_html_and_the_turtle_of_a_page_have_different_etags(client, glossary):
    html = client.get("/terms/dropout/", HTTP_ACCEPT=BROWSER_ACCEPT)["ETag"]
    assert client.get("/terms/dropout/", HTTP_ACCEPT=TURTLE)["ETag"] != html


def test_the_html_etag_does_not_validate_the_turtle(client, glossary):
    html = client.get("/terms/dropout/", HTTP_ACCEPT=BROWSER_ACCEPT)["ETag"]
    assert client.get("/terms/dropout/", HTTP_ACCEPT=TURTLE, HTTP_IF_NONE_MATCH=html).status_code == 200


def test_jsonld_of_a_term_page_is_json(client, glossary):
    assert json.loads(client.get("/terms/dropout/", HTTP_ACCEPT=JSON_LD).content)["@context"]["skos"] == str(SKOS)


@pytest.mark.parametrize("links", [1, 12])
def test_a_term_pages_skos_runs_a_fixed_number_of_queries(
    client, glossary, make_term, relate, django_assert_num_queries, links
):
    for _ in range(links):
        other = make_term()
        relate(other, glossary, kind=RelationKind.BROADER)
        publish(other, by=None)
    # The page cache's site state, then the term, its relations and the relations to it.
    with django_assert_num_queries(4):
        assert client.get("/terms/dropout/", HTTP_ACCEPT=TURTLE).status_code == 200
