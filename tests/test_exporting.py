"""Exports: working copies as records, written as JSON, CSV (neutralised for spreadsheets) and by the command."""

import csv
import io
import json

import pytest
import rdflib
from django.core.management import call_command
from rdflib.namespace import SKOS

from terms.exporting import export, neutralised, records_by_id, to_csv, working_copy_records
from terms.models import Term
from terms.publishing import publish


@pytest.fixture
def lora(make_term, relate):
    fine_tuning = make_term("Fine-tuning", tags=["Training"])
    lora = make_term(
        "LoRA",
        aliases="Low-rank adaptation\nLow-Rank Adaptation",
        pronunciation="/ˈlɔːrə/",
        tags=["Training", "Efficiency"],
    )
    lora.examples.create(position=2, title="Second", body="- a list item")
    lora.examples.create(position=1, title="First", body="Body one.")
    lora.misconceptions.create(position=1, claim="It retrains everything.", correction="=Only small matrices.")
    relate(lora, fine_tuning, kind="broader")
    return lora


def record_named(name):
    return next(record for record in working_copy_records() if record["name"] == name)


def test_a_record_holds_every_field_of_the_working_copy_in_the_documented_order(lora):
    assert list(record_named("LoRA")) == [
        "name", "qualifier", "slug", "sentence_name", "short_definition", "pronunciation", "aliases", "explanation",
        "analogy", "usage", "history", "examples", "misconceptions", "relations", "tags",
        "deprecated", "deprecation_reason", "replaced_by", "status",
    ]  # fmt: skip


def test_aliases_are_a_list_without_repeats(lora):
    assert record_named("LoRA")["aliases"] == ["Low-rank adaptation"]


def test_examples_come_in_page_order(lora):
    assert [example["title"] for example in record_named("LoRA")["examples"]] == ["First", "Second"]


def test_relations_name_their_target_and_kind(lora):
    assert record_named("LoRA")["relations"] == [{"kind": "broader", "term": "Fine-tuning"}]


def test_tags_are_sorted_by_name(lora):
    assert record_named("LoRA")["tags"] == ["Efficiency", "Training"]


def test_records_are_sorted_by_name_ignoring_case(make_term):
    make_term("beta"), make_term("Alpha"), make_term("Gamma")
    assert [record["name"] for record in working_copy_records()] == ["Alpha", "beta", "Gamma"]


def test_records_are_read_in_six_queries_whatever_the_glossary_size(lora, make_term, django_assert_num_queries):
    for _ in range(20):
        make_term()
    with django_assert_num_queries(6):
        records_by_id()


def test_the_json_export_is_the_documented_document(lora):
    document = json.loads(export("json"))
    assert {key: document[key] for key in ("format", "version", "scope")} == {
        "format": "glossary",
        "version": 1,
        "scope": "working copies",
    }


def test_the_json_export_keeps_non_ascii_characters_as_they_are(lora):
    assert "/ˈlɔːrə/".encode() in export("json")


def test_the_json_export_ends_with_a_newline(lora):
    assert export("json").endswith(b"}\n")


def test_exporting_twice_gives_the_same_bytes(lora):
    assert export("json") == export("json")


def test_the_csv_export_starts_with_a_byte_order_mark_for_excel(lora):
    assert export("csv").startswith(b"\xef\xbb\xbf")


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_csv_export_has_as_many_numbered_columns_as_the_longest_term_needs(lora):
    header = next(csv.reader(io.StringIO(export("csv").decode("utf-8-sig"))))
    assert header[-6:] == [
        "example_1_title", "example_1_body", "example_2_title", "example_2_body",
        "misconception_1_claim", "misconception_1_correction",
    ]  # fmt: skip


def test_the_csv_export_lists_relations_one_per_line_with_their_kind(lora):
    row = next(row for row in csv_rows(export("csv")) if row["name"] == "LoRA")
    assert row["relations"] == "broader: Fine-tuning"


def test_the_csv_export_lists_tags_one_per_line(lora):
    row = next(row for row in csv_rows(export("csv")) if row["name"] == "LoRA")
    assert row["tags"] == "Efficiency\nTraining"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("- a list item", "'- a list item"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("'=already quoted", "''=already quoted"),
        ("plain text", "plain text"),
        ("it's fine", "it's fine"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(cell, written):
    assert neutralised(cell) == written


def test_the_csv_export_neutralises_formula_cells(lora):
    row = next(row for row in csv_rows(export("csv")) if row["name"] == "LoRA")
    assert row["misconception_1_correction"] == "'=Only small matrices."


def test_a_csv_of_no_terms_is_just_its_header():
    assert to_csv([]).startswith("name,qualifier,slug,")


def test_the_command_writes_the_same_bytes_as_the_admin_download(lora, tmp_path):
    call_command("export_glossary", "--format", "csv", "-o", str(tmp_path / "out.csv"), verbosity=0)
    assert (tmp_path / "out.csv").read_bytes() == export("csv")


def test_the_command_writes_json_to_standard_output_by_default(lora, capfdbinary):
    call_command("export_glossary")
    assert capfdbinary.readouterr().out == export("json")


def test_the_command_refuses_an_unknown_format(manage):
    result = manage("export_glossary", "--format", "xml")
    assert result.returncode == 2


def test_the_published_export_holds_what_readers_see_not_the_working_copy(lora, reviewer):
    publish(lora, by=reviewer)
    lora.short_definition = "An unpublished edit."
    lora.save()
    published = json.loads(export("json", published=True))
    assert [term["short_definition"] for term in published["terms"] if term["name"] == "LoRA"] == [
        Term.objects.get(pk=lora.pk).published.short_definition
    ]


def test_the_published_export_leaves_out_terms_readers_cannot_see(lora, reviewer):
    publish(lora, by=reviewer)
    assert [term["name"] for term in json.loads(export("json", published=True))["terms"]] == ["LoRA"]


def test_the_published_export_says_its_scope(lora):
    assert json.loads(export("json", published=True))["scope"] == "published"


def test_the_skos_export_is_turtle_naming_every_term(lora):
    graph = rdflib.Graph().parse(data=export("skos").decode(), format="turtle")
    assert sorted(str(label) for label in graph.objects(predicate=SKOS.prefLabel)) == ["Fine-tuning", "LoRA"]


def test_the_skos_export_carries_the_broader_relation(lora):
    graph = rdflib.Graph().parse(data=export("skos").decode(), format="turtle")
    assert len(list(graph.subject_objects(SKOS.broader))) == 1
