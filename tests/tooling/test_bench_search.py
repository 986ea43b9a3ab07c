"""The pure parts of `manage.py bench_search`: the query mix, percentiles and the report (the runs are not tested)."""

import argparse
import random
from pathlib import Path

import pytest

from terms.publishing import publish
from tooling.management.commands import bench_search
from tooling.management.commands.bench_search import (
    KINDS,
    build_prefixes,
    build_queries,
    mistyped_name,
    nearest_rank,
    parse_sizes,
    published_entries,
    report,
    typo,
)

ENTRIES = [
    ("sparse-token-routing", "Sparse token routing", ["STR"]),
    ("contrastive-gradient-calibration", "Contrastive gradient calibration", []),
    ("self-supervised-embedding-distillation", "Self-supervised embedding distillation", ["SSED"]),
    ("dense-layer-quantisation-2", "Dense layer quantisation 2", ["Dense layer quantization 2"]),
]


def one_edit_apart(typed: str, word: str) -> bool:
    """One letter deleted, or two different adjacent letters swapped."""
    if len(typed) == len(word) - 1:
        return any(word[:i] + word[i + 1 :] == typed for i in range(len(word)))
    if len(typed) == len(word):
        differ = [i for i in range(len(word)) if typed[i] != word[i]]
        return len(differ) == 2 and differ[1] == differ[0] + 1 and typed[differ[0]] == word[differ[1]]
    return False


@pytest.mark.parametrize("word", ["calibration", "regularisation", "clipping", "aaaaaaaa"])
def test_a_typo_is_one_edit_away(word):
    rng = random.Random(1)
    for _ in range(200):
        typed = typo(word, rng)
        assert typed != word
        assert one_edit_apart(typed, word), typed


def test_a_mistyped_name_changes_one_long_word_once():
    rng = random.Random(2)
    for _ in range(100):
        typed = mistyped_name("Sparse token Calibration", rng)
        assert typed.startswith("sparse token ")
        assert one_edit_apart(typed.removeprefix("sparse token "), "calibration")


def test_the_query_mix_is_reproducible_and_drawn_from_the_terms():
    queries = build_queries(ENTRIES, random.Random(42), per_kind=3)
    assert queries == build_queries(ENTRIES, random.Random(42), per_kind=3)
    by_kind = {kind: [q for q in queries if q.kind == kind] for kind in KINDS}
    assert {kind: len(found) for kind, found in by_kind.items()} == {
        "exact": 3,
        "alias": 3,
        "prefix": 3,
        "multi-word": 3,
        "typo": 3,  # every name here has a word of 8 or more letters
        "no-hit": 3,
    }
    names = {slug: name for slug, name, _ in ENTRIES}
    aliases = {slug: found for slug, _, found in ENTRIES}
    for query in by_kind["exact"]:
        assert query.text.casefold() == names[query.slug].casefold()
    for query in by_kind["alias"]:
        assert query.text in aliases[query.slug]
    for query in by_kind["prefix"]:
        assert 4 <= len(query.text) <= 7
        assert any(word.lower().startswith(query.text) for word in bench_search.LETTERS.findall(names[query.slug]))
    for query in by_kind["multi-word"]:
        first, second = query.text.split()
        name = names[query.slug].lower()
        assert first in name and second in name[name.index(first) + len(first) :]
    for query in by_kind["no-hit"]:
        assert query.slug == "" and query.text.startswith("qzxv")


def test_suggest_is_asked_for_every_keystroke_of_a_name():
    prefixes = build_prefixes(ENTRIES[:1], random.Random(0), count=5)
    assert [query.text for query in prefixes] == ["s", "sp", "spa", "spar", "spars", "sparse"]


def test_nearest_rank_percentiles():
    assert nearest_rank([35, 20, 15, 50, 40], 30) == 20
    assert nearest_rank([35, 20, 15, 50, 40], 40) == 20
    assert nearest_rank([35, 20, 15, 50, 40], 50) == 35
    assert nearest_rank([35, 20, 15, 50, 40], 100) == 50
    values = list(range(1, 101))
    assert nearest_rank(values, 50) == 50
    assert nearest_rank(values, 95) == 95
    assert nearest_rank(values[:10], 95) == 10
    assert nearest_rank([7.0], 95) == 7.0
    assert nearest_rank([], 50) is None


def test_sizes():
    assert parse_sizes("1000,100000") == [1000, 100_000]
    assert parse_sizes("100_000") == [100_000]
    for bad in ("", "0", "ten"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_sizes(bad)


def test_the_report_says_pass_or_miss_against_the_targets():
    def kind(count, timings, **fields):
        return {"count": count, "example": "x", "answered": count, "found": 0, "most": 1, "timings": timings} | fields

    kinds = {name: kind(2, [1.0, 2.0]) for name in KINDS if name != "alias"}
    kinds["typo"] = kind(2, [5.0, 60.0], found=1)
    kinds["no-hit"] = kind(2, [1.0, 2.0], answered=0)
    kinds["suggest"] = kind(6, [25.0] * 6, most=8)
    measured = {"terms": 100_000, "kinds": kinds, "load": [0.1, 0.2], "python": "3.11"}
    text = report(measured, size=100_000, database=Path("x.sqlite3"), origin="reused", per_kind=2, repeats=1)
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if line.startswith("| ")}
    assert rows["exact"].endswith("| < 50 ms | PASS |")
    assert rows["typo"].endswith("| 60.0 | < 50 ms | MISS |")
    assert "none drawn" in rows["alias"]
    assert rows["all search"].endswith("| 60.0 | < 50 ms | MISS |")
    assert rows["suggest"].endswith("| 25.0 | < 20 ms | MISS |")
    assert "typo queries with the intended term in the first 10 results 1/2 (50%)" in text
    assert "Note:" not in text

    text = report(measured, size=5, database=Path("x.sqlite3"), origin="built", per_kind=2, repeats=1)
    assert "No targets at 5 terms" in text


def test_the_mix_reads_published_terms_only(make_term):
    publish(make_term("Sparse token routing", aliases="STR"), by=None)
    make_term("Secret draft routing")
    assert published_entries() == [("sparse-token-routing", "Sparse token routing", ["STR"])]
