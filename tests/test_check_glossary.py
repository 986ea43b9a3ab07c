"""`manage.py check_glossary`: the health report for people and for machines, failing on errors for CI."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from terms.models import Relation


def run(*args) -> str:
    out = io.StringIO()
    call_command("check_glossary", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def loop(make_term, relate):
    """Two terms, each broader than the other: an error."""
    lora, fine_tuning = make_term("LoRA"), make_term("Fine-tuning")
    relate(lora, fine_tuning, Relation.Kind.BROADER)
    relate(fine_tuning, lora, Relation.Kind.BROADER)


@pytest.fixture
def bad_pronunciation(make_term):
    """A pronunciation not between slashes: a warning."""
    make_term("Fine-tuning", pronunciation="fine tuning")


def test_a_clean_glossary_passes(db):
    assert "0 errors, 0 warnings" in run()


def test_the_report_names_the_term_and_the_problem(bad_pronunciation):
    assert "Fine-tuning (fine-tuning): Its pronunciation “fine tuning” is not between /slashes/ or [brackets]." in run()


def test_the_report_says_how_to_fix_each_problem(bad_pronunciation):
    assert 'How to fix: Write the IPA between slashes, "/faɪn ˈtjuːnɪŋ/"' in run()


def test_warnings_alone_do_not_fail(bad_pronunciation):
    assert "0 errors, 1 warning." in run()


def test_an_error_fails_with_exit_status_1(loop):
    with pytest.raises(CommandError) as failure:
        run()
    assert failure.value.returncode == 1


def test_warnings_fail_when_asked_to(bad_pronunciation):
    with pytest.raises(CommandError) as failure:
        run("--fail-on-warnings")
    assert failure.value.returncode == 1


def test_json_counts_errors_and_warnings(bad_pronunciation):
    report = json.loads(run("--json"))
    assert (report["errors"], report["warnings"]) == (0, 1)


def test_json_lists_every_check_with_its_keys(db):
    checks = json.loads(run("--json"))["checks"]
    assert {tuple(sorted(check)) for check in checks} == {
        ("check", "count", "findings", "how_to_fix", "level", "title")
    }


def test_json_findings_name_the_term_with_its_admin_address(make_term):
    term = make_term("Fine-tuning", pronunciation="fine tuning")
    checks = json.loads(run("--json"))["checks"]
    finding = next(check for check in checks if check["check"] == "pronunciation")["findings"][0]
    assert finding["term"] == {
        "slug": "fine-tuning",
        "title": "Fine-tuning",
        "admin_url": f"/admin/terms/term/{term.pk}/change/",
    }


def test_json_findings_have_stable_keys(bad_pronunciation):
    checks = json.loads(run("--json"))["checks"]
    finding = next(check for check in checks if check["check"] == "pronunciation")["findings"][0]
    assert sorted(finding) == ["details", "message", "others", "term"]


def test_json_is_printed_even_when_an_error_fails_the_command(loop):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_glossary", "--json", stdout=out)
    assert json.loads(out.getvalue())["errors"] == 1
