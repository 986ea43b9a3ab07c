"""Time search and as-you-type suggestions in-process, on generated glossaries of several sizes.

    python manage.py bench_search [--sizes 1000,100000] [--seed 42] [--queries 50] [--repeats 5] [--fresh]

For each size N it uses var/bench/search-<N>-seed<S>.sqlite3: reused when it holds exactly N
published terms and has every migration applied, else (and always with --fresh) built again with
`migrate` and `generate_terms N --seed S` (100,000 terms: about 5 minutes and 2.5 GB). A build goes
to a ".partial" file renamed only once it is complete, so an interrupted build is never reused.
A subprocess bound to that database then draws a fixed query mix from its terms (seeded), and calls
`terms.search.search_terms` and `terms.search.suggest` directly, timing each call with
time.perf_counter(): one untimed warm-up pass, then --repeats passes, all in one shuffled order so
that every kind of query sees the same spells of this VM's drifting speed. It prints one markdown
table per size, p50 and p95 (nearest rank) against the targets, and how often the intended term is
found, also written to var/bench/search-last.md. A missed target is reported, not an error: the
command fails only when something crashes. Not part of the test suite.
"""

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from terms.search import MAX_SUGGESTIONS
from tooling.load import fmt_ms
from tooling.machine import cpu_model
from tooling.processes import BenchProcesses

DEFAULT_SIZES = "1000,100000"
QUERIES_PER_KIND = 50
REPEATS = 5
KINDS = ("exact", "alias", "prefix", "multi-word", "typo", "no-hit")
SUGGEST_PREFIXES = range(1, 7)  # characters of a name typed so far, one suggest() per keystroke
# p95 targets in milliseconds, (search, suggest), by glossary size; other sizes have none.
TARGETS = {1_000: (10.0, 10.0), 100_000: (50.0, 20.0)}
TYPO_FOUND_WITHIN = 10  # a typo query finds its term when the term is among this many first results
TYPO_MIN_LETTERS = 8
BYTES_PER_TERM = 26_000  # a generated glossary on disk (100,000 terms: about 2.5 GB)
LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    slug: str = ""  # the term it was drawn from; "" for a query meant to find nothing


# A published term as the query mix sees it: (slug, name, aliases).
Entry = tuple[str, str, list[str]]


class Command(BenchProcesses, BaseCommand):
    help = (
        "Time search_terms() and suggest() in-process on generated glossaries in var/bench/ (1,000 and 100,000 terms)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            type=parse_sizes,
            default=parse_sizes(DEFAULT_SIZES),
            help=f"Glossary sizes, comma-separated (default {DEFAULT_SIZES}).",
        )
        parser.add_argument(
            "--seed", type=int, default=42, help="Seed for generate_terms and the query mix (default 42)."
        )
        parser.add_argument(
            "--queries", type=int, default=QUERIES_PER_KIND, help=f"Queries of each kind (default {QUERIES_PER_KIND})."
        )
        parser.add_argument(
            "--repeats",
            type=int,
            default=REPEATS,
            help=f"Timed passes over the mix after the warm-up (default {REPEATS}).",
        )
        parser.add_argument("--fresh", action="store_true", help="Build every database again, even a reusable one.")
        # Internal, each run in a subprocess bound to one bench database; both print JSON.
        parser.add_argument("--status", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, sizes, seed, queries, repeats, fresh, status, measure, **options):
        if queries < 1 or repeats < 1:
            raise CommandError("--queries and --repeats must each be at least 1.")
        if status:
            self.stdout.write(json.dumps(database_status()))
            return
        if measure:
            self.stdout.write(json.dumps(run_measurement(seed=seed, per_kind=queries, repeats=repeats)))
            return
        with self.stopping_processes():
            self.run(sizes=sizes, seed=seed, queries=queries, repeats=repeats, fresh=fresh)

    def run(self, *, sizes, seed, queries, repeats, fresh):
        bench_dir = Path(settings.VAR_DIR).resolve() / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        tables = []
        for size in sizes:
            database = bench_dir / f"search-{size}-seed{seed}.sqlite3"
            origin = self.prepare(database, size=size, seed=seed, fresh=fresh)
            self.say(
                f"Measuring {size:,} terms: {len(KINDS)} kinds × {queries} queries and suggest, timed passes: {repeats}…"
            )
            command = [*self.manage, "bench_search", "--measure", "--seed", str(seed)]
            command += ["--queries", str(queries), "--repeats", str(repeats)]
            measured = json.loads(self.check_output(command, self.bench_env(database)))
            table = report(measured, size=size, database=database, origin=origin, per_kind=queries, repeats=repeats)
            self.stdout.write(table + "\n")
            self.stdout.flush()
            tables.append(table)
        last = bench_dir / "search-last.md"
        last.write_text("\n\n".join(tables) + "\n")
        self.say(f"Written to {last}.")

    def prepare(self, database: Path, *, size: int, seed: int, fresh: bool) -> str:
        """Reuse the database if it is complete and current, else build it; say which."""
        if database.exists() and not fresh:
            reason = self.unusable(database, size)
            if reason is None:
                self.say(f"Reusing {database}: {size:,} published terms, migrations current (--fresh to rebuild).")
                return "reused"
            self.say(f"Not reusing {database}: {reason}.")
        self.build(database, size=size, seed=seed)
        return "built"

    def unusable(self, database: Path, size: int) -> str | None:
        try:
            status = json.loads(self.check_output([*self.manage, "bench_search", "--status"], self.bench_env(database)))
        except (CommandError, ValueError):
            return "it could not be read (see above)"
        if status["pending"]:
            return "unapplied migrations " + ", ".join(status["pending"])
        if status["published"] != size:
            return f"it holds {status['published']:,} published terms"
        return None

    def build(self, database: Path, *, size: int, seed: int) -> None:
        partial = database.with_name(database.name + ".partial")
        for path in (database, partial):
            for each in sqlite_files(path):
                each.unlink(missing_ok=True)
        free = shutil.disk_usage(database.parent).free
        if free < size * BYTES_PER_TERM * 1.2:
            raise CommandError(
                f"{size:,} terms need about {size * BYTES_PER_TERM / 1e9:.1f} GB in {database.parent}; "
                f"{free / 1e9:.1f} GB are free."
            )
        about = f", about {size / 100_000 * 5:.0f} minutes" if size >= 20_000 else ""
        self.say(f"Building {database} with {size:,} terms (seed {seed}{about})…")
        started = time.perf_counter()
        env = self.bench_env(partial)
        try:
            self.check_call([*self.manage, "migrate", "--noinput", "--verbosity", "0"], env)
            self.check_call([*self.manage, "generate_terms", str(size), "--seed", str(seed)], env)
        except BaseException:  # failed or interrupted: leave no half-built gigabytes behind
            self.stop_all()
            for each in sqlite_files(partial):
                each.unlink(missing_ok=True)
            raise
        # Fold the write-ahead log into the file, so that renaming the file moves all of it.
        connection = sqlite3.connect(partial)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        for source, target in zip(sqlite_files(partial), sqlite_files(database), strict=True):
            if source.exists():
                source.rename(target)
        self.say(f"  built in {time.perf_counter() - started:.0f} s.")


def sqlite_files(database: Path) -> list[Path]:
    return [database, Path(f"{database}-wal"), Path(f"{database}-shm")]


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("each size must be at least 1")
    return sizes


# --- Run in a subprocess bound to one bench database ---------------------------------------------------


def database_status() -> dict:
    """Migrations not yet applied, and (when there are none) how many terms are published."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from terms.models.published import PublishedTerm

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
    return {"pending": pending, "published": None if pending else PublishedTerm.objects.count()}


def published_entries() -> list[Entry]:
    """Every published term's slug, name and aliases, in a fixed order."""
    from terms.models.published import PublishedTerm

    rows = PublishedTerm.objects.order_by("pk").values_list("slug", "name", "aliases")
    return [(slug, name, list(aliases)) for slug, name, aliases in rows]


def run_measurement(*, seed: int, per_kind: int, repeats: int) -> dict:
    from terms import search

    entries = published_entries()
    if not entries:
        raise CommandError("The bench database has no published terms.")
    rng = random.Random(seed)
    queries = build_queries(entries, rng, per_kind)
    prefixes = build_prefixes(entries, rng, per_kind)
    calls = [(query, search.search_terms) for query in queries] + [(query, search.suggest) for query in prefixes]
    rng.shuffle(calls)

    load_before = os.getloadavg()[0]
    # The warm-up: every call once, untimed. The answers do not change between passes: judge them here.
    answers = [[result.slug for result in function(query.text)] for query, function in calls]
    timings: dict[str, list[float]] = {query.kind: [] for query, _ in calls}
    for _ in range(repeats):
        for query, function in calls:
            started = time.perf_counter()
            function(query.text)
            timings[query.kind].append((time.perf_counter() - started) * 1000)

    kinds = {}
    for kind in [*KINDS, "suggest"]:
        judged = [(query, slugs) for (query, _), slugs in zip(calls, answers, strict=True) if query.kind == kind]
        if not judged:
            continue
        kinds[kind] = {
            "count": len(judged),
            "example": example(kind, queries, prefixes),
            "answered": sum(1 for _, slugs in judged if slugs),
            "found": sum(1 for query, slugs in judged if is_found(query, slugs)),
            "most": max(len(slugs) for _, slugs in judged),
            "timings": timings[kind],
        }
    return {
        "terms": len(entries),
        "kinds": kinds,
        "load": [load_before, os.getloadavg()[0]],
        "python": platform.python_version(),
    }


def example(kind: str, queries: list[Query], prefixes: list[Query]) -> str:
    """The first query of the kind; for suggest, the first name's keystrokes from first to last."""
    if kind == "suggest":
        return f"{prefixes[0].text} … {prefixes[len(SUGGEST_PREFIXES) - 1].text}"
    return next(query.text for query in queries if query.kind == kind)


def is_found(query: Query, slugs: list[str]) -> bool:
    """Whether the answer is what the reader meant: first for a name or alias, near the top for a typo."""
    if query.kind in ("exact", "alias"):
        return slugs[:1] == [query.slug]
    if query.kind == "typo":
        return query.slug in slugs[:TYPO_FOUND_WITHIN]
    return False


# --- The query mix ---------------------------------------------------------------------------------------


def build_queries(entries: list[Entry], rng: random.Random, per_kind: int) -> list[Query]:
    """Up to `per_kind` queries of each kind, drawn from the terms by `rng`: the same terms, the same mix."""

    def pick(eligible: list[Entry]) -> list[Entry]:
        return rng.sample(eligible, min(per_kind, len(eligible)))

    queries = [Query("exact", random_case(name, rng), slug) for slug, name, _ in pick(entries)]
    queries += [Query("alias", rng.choice(aliases), slug) for slug, _, aliases in pick([e for e in entries if e[2]])]
    for slug, name, _ in pick([e for e in entries if long_words(e[1], 5)]):
        word = rng.choice(long_words(name, 5))
        queries.append(Query("prefix", word[: rng.randint(4, min(7, len(word) - 1))].lower(), slug))
    for slug, name, _ in pick([e for e in entries if len(LETTERS.findall(name)) >= 2]):
        name_words = LETTERS.findall(name)
        first, second = sorted(rng.sample(range(len(name_words)), 2))
        queries.append(Query("multi-word", f"{name_words[first]} {name_words[second]}".lower(), slug))
    for slug, name, _ in pick([e for e in entries if long_words(e[1], TYPO_MIN_LETTERS)]):
        queries.append(Query("typo", mistyped_name(name, rng), slug))
    queries += [Query("no-hit", f"qzxv{rng.randrange(1000, 1_000_000)}") for _ in range(per_kind)]
    return queries


def build_prefixes(entries: list[Entry], rng: random.Random, count: int) -> list[Query]:
    """What suggest() is asked while `count` names are typed: their first 1 to 6 characters, in lower case."""
    return [
        Query("suggest", name[:length].lower(), slug)
        for slug, name, _ in rng.sample(entries, min(count, len(entries)))
        for length in SUGGEST_PREFIXES
    ]


def long_words(name: str, letters: int) -> list[str]:
    return [word for word in LETTERS.findall(name) if len(word) >= letters]


def random_case(text: str, rng: random.Random) -> str:
    """As written, lower case, upper case, or each letter's case at random."""
    style = rng.randrange(4)
    if style == 1:
        return text.lower()
    if style == 2:
        return text.upper()
    if style == 3:
        return "".join(char.upper() if rng.random() < 0.5 else char.lower() for char in text)
    return text


def mistyped_name(name: str, rng: random.Random) -> str:
    """The name in lower case with one of its words of TYPO_MIN_LETTERS or more letters mistyped once."""
    match = rng.choice([m for m in LETTERS.finditer(name) if len(m.group()) >= TYPO_MIN_LETTERS])
    return (name[: match.start()] + typo(match.group(), rng) + name[match.end() :]).lower()


def typo(word: str, rng: random.Random) -> str:
    """`word` one edit away: a letter deleted, or (half the time, where possible) two different adjacent letters swapped."""
    swappable = [i for i in range(len(word) - 1) if word[i] != word[i + 1]]
    if swappable and rng.random() < 0.5:
        i = rng.choice(swappable)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    i = rng.randrange(len(word))
    return word[:i] + word[i + 1 :]


# --- The report --------------------------------------------------------------------------------------------


def nearest_rank(values: list[float], percent: float) -> float | None:
    """The smallest value with at least `percent`% of the values at or below it (the nearest-rank percentile)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1]


def verdict(p95: float | None, target: float | None) -> str:
    if p95 is None or target is None:
        return "–"
    return "PASS" if p95 < target else "MISS"


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "–"


def report(measured: dict, *, size: int, database: Path, origin: str, per_kind: int, repeats: int) -> str:
    search_target, suggest_target = TARGETS.get(size, (None, None))
    kinds = measured["kinds"]
    load_before, load_after = measured["load"]
    lines = [
        f"Search bench {time.strftime('%Y-%m-%d %H:%M')}: {measured['terms']:,} published terms "
        f"(SQLite {database.name}, {origin}), {os.cpu_count()} cores ({cpu_model()}), Python {measured['python']}; "
        f"load average (1 min) {load_before:.2f} before, {load_after:.2f} after. "
        f"In-process calls of search_terms(query) and suggest(query), each timed with time.perf_counter(): "
        f"one untimed warm-up pass, then {repeats} timed passes, all calls in one shuffled order. "
        f"Up to {per_kind} queries of each kind, drawn from the database (seeded); suggest: the first 1–6 "
        f"characters of {per_kind} names, as typed. p50, p95: nearest rank over queries × {repeats} timings. "
        "answered: queries with at least one result (warm-up pass).",
        "",
        "| kind | queries | example | answered | p50 ms | p95 ms | target p95 | |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]

    def row(label: str, count: int, example: str, answered: int, timings: list[float], target: float | None):
        p95 = nearest_rank(timings, 95)
        lines.append(
            f"| {label} | {count} | {f'`{example}`' if example else '–'} | {answered / count:.0%} | "
            f"{fmt_ms(nearest_rank(timings, 50))} | {fmt_ms(p95)} | "
            f"{f'< {target:g} ms' if target is not None else '–'} | {verdict(p95, target)} |"
        )

    searched = [kinds[kind] for kind in KINDS if kind in kinds]
    for kind in KINDS:
        if kind in kinds:
            data = kinds[kind]
            row(kind, data["count"], data["example"], data["answered"], data["timings"], search_target)
        else:
            lines.append(f"| {kind} | 0 | – | – | – | – | – | none drawn (no such terms) |")
    row(
        "all search",
        sum(data["count"] for data in searched),
        "",
        sum(data["answered"] for data in searched),
        [ms for data in searched for ms in data["timings"]],
        search_target,
    )
    data = kinds["suggest"]
    row("suggest", data["count"], data["example"], data["answered"], data["timings"], suggest_target)

    found = {kind: share(kinds[kind]["found"], kinds[kind]["count"]) if kind in kinds else "–" for kind in KINDS}
    lines += [
        "",
        f"Found: typo queries with the intended term in the first {TYPO_FOUND_WITHIN} results {found['typo']}; "
        f"exact names ranked first {found['exact']}; aliases ranked first {found['alias']}.",
    ]
    if kinds.get("no-hit", {}).get("answered"):
        lines.append(f"Note: {kinds['no-hit']['answered']} no-hit queries found something.")
    if kinds.get("suggest", {}).get("most", 0) > MAX_SUGGESTIONS:
        lines.append(
            f"Note: suggest() returned up to {kinds['suggest']['most']} names (at most {MAX_SUGGESTIONS} promised)."
        )
    if search_target is None:
        lines.append(f"No targets at {size:,} terms (targets are set for {', '.join(f'{n:,}' for n in TARGETS)}).")
    return "\n".join(lines)
