"""Imports: a file's plan row by row, applied all or nothing as one change set in review; round trips without loss."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from terms.exporting import export, working_copy_records
from terms.importing import import_file, make_plan, reading
from terms.models import Revision, Term
from terms.models.changesets import ChangeSet, ChangeSetTerm
from terms.models.history import ReviewNote
from terms.models.published import PublishedTerm
from terms.models.tags import Tag
from terms.models.workspace import Notification
from terms.publishing import publish


def empty_the_glossary():
    Term.objects.all().delete()
    Tag.objects.all().delete()
    Revision.objects.all().delete()


CSV_HEADER = "name,short_definition,relations,tags\r\n"


def csv_file(*rows: str) -> bytes:
    return (CSV_HEADER + "".join(f"{row}\r\n" for row in rows)).encode()


@pytest.fixture
def imported(db, editor):
    """Import a CSV of two new terms, one updating an existing one; return the outcome."""
    Term.objects.create(name="Fine-tuning", slug="fine-tuning", short_definition="Training a model further.")
    data = csv_file(
        'LoRA,A cheap way to fine-tune.,broader: Fine-tuning,"Training\nEfficiency"',
        "Fine-tuning,Training a trained model further.,,Training",
        "Adapter,Small layers added to a model.,related: LoRA,",
    )
    return import_file(data, "new.csv", by=editor)


def test_an_import_reports_created_and_updated_rows(imported):
    assert imported.plan.summary == "2 created, 1 updated, 0 unchanged, 0 errors"


def test_imported_terms_are_in_review(imported):
    assert set(Term.objects.values_list("status", flat=True)) == {Term.Status.IN_REVIEW}


def test_imported_terms_are_submitted_by_the_importer(imported, editor):
    assert set(Term.objects.values_list("submitted_by", flat=True)) == {editor.pk}


def test_each_imported_term_has_a_revision_naming_the_file(imported):
    assert list(Revision.objects.values_list("message", flat=True)) == ["Imported from new.csv"] * 3


def test_the_revision_holds_the_imported_content(imported):
    lora = Term.objects.get(slug="lora")
    assert Revision.objects.get(term=lora).snapshot["tags"] == ["Efficiency", "Training"]


def test_each_imported_term_shows_its_submission_in_its_history(imported):
    assert ReviewNote.objects.filter(action=ReviewNote.Action.SUBMITTED).count() == 3


def test_reviewers_are_told_once_about_a_whole_import(reviewer, imported):
    assert list(Notification.objects.filter(recipient=reviewer).values_list("event", flat=True)) == [
        Notification.Event.IMPORT_SUBMITTED
    ]


def test_the_change_set_counts_the_rows(imported):
    change_set = imported.change_set
    assert (change_set.created, change_set.updated, change_set.unchanged) == (2, 1, 0)


def test_the_change_set_names_the_file_and_its_format(imported):
    assert (imported.change_set.file_name, imported.change_set.file_format) == ("new.csv", "csv")


def test_the_change_set_lists_each_term_with_its_line_and_action(imported):
    entries = ChangeSetTerm.objects.filter(change_set=imported.change_set)
    assert list(entries.values_list("line", "term_name", "action")) == [
        (2, "LoRA", "created"),
        (4, "Fine-tuning", "updated"),
        (5, "Adapter", "created"),
    ]


def test_the_change_set_keeps_the_revision_before_the_import(db):
    term = Term.objects.create(name="Fine-tuning", slug="fine-tuning", short_definition="Old.")
    publish(term, by=None)
    before = Revision.objects.filter(term=term).first()
    outcome = import_file(csv_file("Fine-tuning,New.,,"), "new.csv", by=None)
    assert ChangeSetTerm.objects.get(change_set=outcome.change_set).previous_revision == before


def test_an_update_counts_a_new_edit_version(db):
    term = Term.objects.create(name="Fine-tuning", slug="fine-tuning", short_definition="Old.")
    publish(term, by=None)
    version = Term.objects.get(pk=term.pk).edit_version
    import_file(csv_file("Fine-tuning,New.,,"), "new.csv", by=None)
    assert Term.objects.get(pk=term.pk).edit_version == version + 1


def test_relations_are_written_to_terms_of_the_file(imported):
    adapter = Term.objects.get(slug="adapter")
    assert [(r.kind, r.to_term.name) for r in adapter.relations.all()] == [("related", "LoRA")]


def test_a_tag_is_found_by_its_name_whatever_its_case(db):
    Tag.objects.create(name="Training")
    import_file(csv_file("LoRA,Cheap.,,TRAINING"), "new.csv", by=None)
    assert list(Tag.objects.values_list("name", flat=True)) == ["Training"]


def test_imported_terms_are_found_by_the_admin_search(imported):
    from terms.admin_search import search_working_copies

    assert search_working_copies("Adapter") == [Term.objects.get(slug="adapter").pk]


def test_a_missing_column_keeps_the_stored_value(db):
    Term.objects.create(name="LoRA", slug="lora", short_definition="Old.", explanation="Kept.")
    import_file(csv_file("LoRA,New.,,"), "new.csv", by=None)
    assert Term.objects.get(slug="lora").explanation == "Kept."


def test_a_dry_run_changes_nothing(db):
    outcome = import_file(csv_file("LoRA,New.,,"), "new.csv", by=None, dry_run=True)
    assert (outcome.change_set, Term.objects.count()) == (None, 0)


def test_an_apostrophe_the_export_added_is_taken_off(db):
    data = b'name,short_definition,explanation\r\nLoRA,Cheap.,"\'- a list\n- of items"\r\n'
    import_file(data, "new.csv", by=None)
    assert Term.objects.get(slug="lora").explanation == "- a list\n- of items"


def test_a_file_with_a_byte_order_mark_is_read(db):
    import_file(b"\xef\xbb\xbf" + csv_file("LoRA,Cheap.,,"), "new.csv", by=None)
    assert Term.objects.filter(name="LoRA").exists()


def test_two_terms_may_swap_slugs(db):
    Term.objects.create(name="LoRA", slug="one", short_definition="One.")
    Term.objects.create(name="QLoRA", slug="two", short_definition="Two.")
    data = b"name,slug,short_definition\r\nLoRA,two,One.\r\nQLoRA,one,Two.\r\n"
    import_file(data, "swap.csv", by=None)
    assert sorted(Term.objects.values_list("name", "slug")) == [("LoRA", "two"), ("QLoRA", "one")]


def test_a_csv_with_semicolons_as_excel_saves_it_in_some_countries_is_read(db):
    import_file(b"name;short_definition\r\nLoRA;Cheap, and good.\r\n", "excel.csv", by=None)
    assert Term.objects.get(name="LoRA").short_definition == "Cheap, and good."


def test_relations_from_other_terms_to_an_updated_term_are_kept(db, relate):
    lora = Term.objects.create(name="LoRA", slug="lora", short_definition="One.")
    adapter = Term.objects.create(name="Adapter", slug="adapter", short_definition="Two.")
    relate(adapter, lora)
    import_file(csv_file("LoRA,New.,,"), "new.csv", by=None)
    assert list(adapter.relations.values_list("to_term__name", flat=True)) == ["LoRA"]


# Malformed files: each a row-level error with its line, and nothing changed.

VALID_JSON_TERM = {"name": "LoRA", "short_definition": "Cheap."}


def json_file(*terms, **document) -> bytes:
    return json.dumps({"format": "glossary", "version": 1, "terms": list(terms), **document}).encode()


MALFORMED = [
    pytest.param("bad.csv", "LoRA,Caf\xe9\r\n".encode("latin-1"), 1, "save the file as UTF-8", id="not-utf-8"),
    pytest.param(
        "bad.csv", b"name,short_definition\r\nLoRA,Caf\xe9\r\n", 2, "byte 9 of line 2", id="not-utf-8-names-byte"
    ),
    pytest.param("bad.csv", b"name,definition\r\nLoRA,Cheap.\r\n", 1, "unknown column: definition", id="wrong-header"),
    pytest.param("bad.csv", b"name,definition\r\n", 1, "missing column: short_definition", id="missing-column"),
    pytest.param("bad.csv", csv_file(",No name."), 2, "every term needs a name", id="missing-name"),
    pytest.param("bad.csv", csv_file("LoRA,One.,,", "lora,Two.,,"), 3, "line 2 has the same name", id="duplicate-name"),
    pytest.param(
        "bad.csv", csv_file("LoRA,One.,broader: Nowhere,"), 2, "no term is called “Nowhere”", id="unknown-target"
    ),
    pytest.param(
        "bad.csv",
        csv_file("LoRA,One.,broader: QLoRA,", "QLoRA,Two.,broader: LoRA,"),
        2,
        "loop of broader terms",
        id="cyclic-broader",
    ),
    pytest.param(
        "bad.csv", csv_file("LoRA,One.,narrower: LoRA,"), 2, "cannot be related to itself", id="related-to-itself"
    ),
    pytest.param("bad.csv", csv_file("LoRA," + "x" * 301 + ",,"), 2, "short_definition: Ensure", id="over-long"),
    pytest.param("bad.csv", csv_file("L" * 101 + ",One.,,"), 2, "name: Ensure", id="over-long-name"),
    pytest.param(
        "bad.csv",
        csv_file('LoRA,"=HYPERLINK(""http://evil.example"")",,'),
        2,
        "looks like a spreadsheet formula",
        id="formula-cell",
    ),
    pytest.param(
        "bad.csv", csv_file("LoRA,One.,sibling: Fine-tuning,"), 2, "not a kind of relation", id="unknown-kind"
    ),
    pytest.param(
        "bad.csv", csv_file("LoRA,One.,Fine-tuning,"), 2, "should read “kind: Target name”", id="bad-relation"
    ),
    pytest.param("bad.csv", b"", 1, "The file is empty", id="empty-file"),
    pytest.param("bad.csv", b"name,short_definition\r\n", 2, "holds no terms", id="header-only"),
    pytest.param("bad.csv", csv_file("LoRA,One.,,,extra"), 2, "5 cells, the header 4", id="too-many-cells"),
    pytest.param("bad.json", b'{"format": "glossary",', 1, "Not valid JSON", id="invalid-json"),
    pytest.param("bad.json", b'[{"name": "LoRA"}]', 1, '"format": "glossary"', id="wrong-json-shape"),
    pytest.param("bad.json", json_file(terms=None)[:-1] + b"}", 1, '"terms" list', id="json-without-terms"),
    pytest.param(
        "bad.json", json_file({**VALID_JSON_TERM, "colour": "red"}), 1, "Unknown field: colour", id="json-key"
    ),
    pytest.param("bad.json", json_file({**VALID_JSON_TERM, "tags": "AI"}), 1, "tags: must be a list", id="json-type"),
    pytest.param("bad.json", json_file(VALID_JSON_TERM, {"name": 3}), 2, "name: must be a string", id="json-name"),
    pytest.param(
        "bad.json",
        json_file({**VALID_JSON_TERM, "examples": [{"title": "x"}]}),
        1,
        "examples: each must be an object",
        id="json-example-shape",
    ),
]


def counts():
    return (Term.objects.count(), Revision.objects.count(), ChangeSet.objects.count(), Tag.objects.count())


@pytest.mark.parametrize(("file_name", "data", "line", "reason"), MALFORMED)
def test_a_malformed_file_gets_an_error_on_its_line_and_changes_nothing(db, file_name, data, line, reason):
    before = counts()
    outcome = import_file(data, file_name, by=None)
    errors = {(row.line, error) for row in outcome.plan.errors for error in row.errors}
    assert any(error_line == line and reason.casefold() in error.casefold() for error_line, error in errors), errors
    assert counts() == before


def test_a_name_that_is_a_live_terms_alias_is_refused(db):
    term = Term.objects.create(name="Low-rank adaptation method", slug="lora", short_definition="One.", aliases="LoRA")
    publish(term, by=None)
    plan = make_plan(csv_file("LoRA,Two.,,"), "new.csv")
    assert "is an alias of" in plan.rows[0].reason


def test_an_alias_that_is_another_terms_name_is_refused(db):
    Term.objects.create(name="Fine-tuning", slug="fine-tuning", short_definition="One.")
    plan = make_plan(b"name,short_definition,aliases\r\nLoRA,Two.,Fine-tuning\r\n", "new.csv")
    assert "already the name of “Fine-tuning”" in plan.rows[0].reason


def test_a_loop_through_a_stored_relation_is_refused(db, relate):
    lora = Term.objects.create(name="LoRA", slug="lora", short_definition="One.")
    fine_tuning = Term.objects.create(name="Fine-tuning", slug="fine-tuning", short_definition="Two.")
    relate(lora, fine_tuning, kind="broader")
    plan = make_plan(csv_file("Fine-tuning,Two.,broader: LoRA,"), "new.csv")
    assert "Fine-tuning → LoRA → Fine-tuning" in plan.rows[0].reason


def test_a_file_over_the_size_limit_is_refused(db, monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    plan = make_plan(csv_file(*[f"Term {n},One.,," for n in range(10)]), "big.csv")
    assert "files of at most" in plan.rows[0].reason


def test_a_file_over_the_row_limit_is_refused_on_the_first_row_too_many(db, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    plan = make_plan(csv_file(*[f"Term {n},One.,," for n in range(10)]), "big.csv")
    assert (plan.rows[0].line, "more than 3 terms" in plan.rows[0].reason) == (5, True)


def test_a_row_with_an_error_keeps_every_other_row_from_being_imported(db):
    import_file(csv_file("LoRA,One.,,", ",No name.,,"), "bad.csv", by=None)
    assert Term.objects.count() == 0


# The command


def test_the_command_prints_each_error_with_its_line(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file("LoRA,One.,broader: Nowhere,"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_glossary", str(path), stderr=err)
    assert "Line 2 (LoRA): relations: no term is called “Nowhere”" in err.getvalue()


def test_the_command_exits_non_zero_on_errors(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file(",No name.,,"))
    with pytest.raises(CommandError) as refused:
        call_command("import_glossary", str(path), stderr=io.StringIO())
    assert refused.value.returncode == 1


def test_the_command_dry_run_prints_the_plan_and_changes_nothing(db, tmp_path):
    path = tmp_path / "new.csv"
    path.write_bytes(csv_file("LoRA,One.,,"))
    call_command("import_glossary", str(path), "--dry-run", verbosity=0)
    assert Term.objects.count() == 0


def test_the_command_prints_the_change_sets_address(db, tmp_path, capsys):
    path = tmp_path / "new.csv"
    path.write_bytes(csv_file("LoRA,One.,,"))
    call_command("import_glossary", str(path))
    assert "http://testserver/admin/" in capsys.readouterr().out


def test_the_command_refuses_a_missing_file(db):
    with pytest.raises(CommandError, match="Cannot read /nonexistent/file.csv"):
        call_command("import_glossary", "/nonexistent/file.csv")


def test_imported_terms_list_in_the_export_in_review(imported):
    assert {record["status"] for record in working_copy_records()} == {"in_review"}


# The starter glossary: seeded once, for this module's last tests (the ones before expect an empty glossary).


@pytest.fixture
def starter(seeded_once, db):
    """The starter glossary, seeded and published; each test's changes are rolled back."""


def without_status(data: bytes, file_format: str) -> bytes:
    if file_format == "json":
        document = json.loads(data)
        for record in document["terms"]:
            record["status"] = "-"
        return json.dumps(document, ensure_ascii=False, indent=2).encode()
    lines = data.decode("utf-8-sig").splitlines()
    return "\n".join(line.replace(",published,", ",-,").replace(",in_review,", ",-,") for line in lines).encode()


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_the_starter_glossary_round_trips_byte_for_byte_but_for_each_terms_state(starter, file_format):
    before = export(file_format)
    empty_the_glossary()
    outcome = import_file(before, f"glossary.{file_format}", by=None)
    assert outcome.change_set is not None, [row.errors for row in outcome.plan.errors]
    assert without_status(export(file_format), file_format) == without_status(before, file_format)


def test_a_json_round_trip_changes_only_the_status(starter):
    before = export("json")
    empty_the_glossary()
    import_file(before, "glossary.json", by=None)
    assert export("json") == before.replace(b'"status": "published"', b'"status": "in_review"')


def test_reimporting_an_unchanged_export_reports_no_changes(starter):
    plan = make_plan(export("json"), "glossary.json")
    assert plan.summary == f"0 created, 0 updated, {Term.objects.count()} unchanged, 0 errors"


def test_reimporting_an_unchanged_csv_export_reports_no_changes(starter):
    plan = make_plan(export("csv"), "glossary.csv")
    assert plan.summary == f"0 created, 0 updated, {Term.objects.count()} unchanged, 0 errors"


def test_reimporting_an_unchanged_export_makes_no_change_set(starter):
    import_file(export("json"), "glossary.json", by=None)
    assert ChangeSet.objects.count() == 0


def test_an_import_never_publishes(starter):
    data = export("json")
    empty_the_glossary()
    import_file(data, "glossary.json", by=None)
    assert PublishedTerm.objects.count() == 0


def test_an_update_leaves_the_live_page_as_it_was(starter):
    live_before = PublishedTerm.objects.get(slug="fine-tuning").short_definition
    document = json.loads(export("json"))
    for record in document["terms"]:
        if record["slug"] == "fine-tuning":
            record["short_definition"] = "Changed by an import."
    import_file(json.dumps(document).encode(), "glossary.json", by=None)
    assert PublishedTerm.objects.get(slug="fine-tuning").short_definition == live_before


# SKOS Turtle: what terminology tools exchange; it carries names, one-liners, aliases, notes, examples, relations


def test_a_skos_export_imported_into_an_empty_glossary_creates_every_term(starter):
    turtle = export("skos")
    starter_terms = Term.objects.count()
    empty_the_glossary()
    plan = make_plan(turtle, "glossary.ttl")
    assert plan.summary == f"{starter_terms} created, 0 updated, 0 unchanged, 0 errors"


def test_a_skos_import_is_read_as_skos(starter):
    turtle = export("skos")
    empty_the_glossary()
    assert import_file(turtle, "glossary.ttl", by=None).change_set.file_format == "skos"


def test_a_skos_import_keeps_each_terms_one_liner_and_relations(starter):
    expected = {
        record["name"]: (record["short_definition"], sorted(r["term"] for r in record["relations"]))
        for record in working_copy_records()
    }
    turtle = export("skos")
    empty_the_glossary()
    import_file(turtle, "glossary.ttl", by=None)
    imported = {
        record["name"]: (record["short_definition"], sorted(r["term"] for r in record["relations"]))
        for record in working_copy_records()
    }
    assert imported == expected


def test_unreadable_turtle_is_refused_with_the_reason_and_changes_nothing(db):
    plan = make_plan(b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> skos:prefLabel", "bad.ttl")
    assert [error for row in plan.errors for error in row.errors][0].startswith("Not readable as SKOS Turtle")
