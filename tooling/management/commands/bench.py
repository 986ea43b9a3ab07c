"""Measure reader pages under load, each against a trivial endpoint served the same way.

    python manage.py bench [--terms 10000] [--duration 30] [--pairs 5] [--connections 64] [--seed 42] [--port 8765]

Builds a fresh SQLite database in var/bench/ with `generate_terms`, serves it with
gunicorn in a fixed configuration, once with the page cache on and once with it
off (never both at once), drives each page with wrk (or a simple Python load
generator when wrk is missing), counts each page's SQL queries in a separate
process, and prints one markdown table, also written to var/bench/last.md.
This VM's speed drifts by up to 3× within minutes (no steal showing), so each
page is loaded in slices alternated with slices of /livez, and its ratio is to
those /livez slices only; one continuous load gives its latency and errors.
It also watches how much CPU other processes and the hypervisor (steal) take
while each page is measured: such a page is measured once more, then flagged.
Only ever talks to 127.0.0.1. Every process it starts is stopped when it ends,
on errors and on Ctrl-C too. Not part of the test suite.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tooling.load import WRK, Result, fmt_ms, parse_wrk, python_load, warm
from tooling.machine import Disturbance, cpu_model, cpu_sample, disturbance
from tooling.processes import GUNICORN_OPTIONS, HOST, BenchProcesses

WARM_UP_SECONDS = 3  # of discarded load before each measurement
DISTURBED = 0.10  # share of the CPUs taken by others (or steal) above which a measurement is redone, then flagged
PAIRS = 10  # slices of /livez and of the page, alternated: both see the same spells of this VM's drifting speed
# Targets for reader pages, as fractions of the same server's /livez req/s.
TARGETS = {"term page (cached)": 0.8, "term page (uncached)": 0.3, "A–Z index": 0.3, "tag page": 0.3}


@dataclass
class Row:
    page: str
    url: str
    server: str  # "cached" or "uncached": which server's /livez is its baseline
    result: Result | None = None  # one continuous load: latency and errors
    queries: int | None = None
    pairs: list[tuple[Result, Result]] | None = None  # (/livez slice, page slice), alternated
    disturbance: Disturbance | None = None  # while the pairs ran

    @property
    def errors(self) -> str:
        """Of the continuous load and of the page's slices."""
        results = [self.result, *(page for _, page in self.pairs or [])]
        combined = Result(
            requests_per_second=0.0,
            p50_ms=None,
            p99_ms=None,
            requests=0,
            non_2xx_3xx=sum(result.non_2xx_3xx for result in results),
            socket_errors=sum(result.socket_errors for result in results),
            error_detail="; ".join(result.error_detail for result in results if result.error_detail),
        )
        return combined.errors

    @property
    def requests_per_second(self) -> float:
        """Over the page's slices when it was paired with /livez, else over its continuous load."""
        if self.pairs:
            return sum(page.requests for _, page in self.pairs) / sum(page.seconds for _, page in self.pairs)
        return self.result.requests_per_second

    @property
    def trivial_alongside(self) -> float | None:
        """/livez req/s over the slices alternated with this page's."""
        if not self.pairs:
            return None
        return sum(livez.requests for livez, _ in self.pairs) / sum(livez.seconds for livez, _ in self.pairs)

    @property
    def ratio(self) -> float:
        """The median over the pairs of the page's req/s to /livez's: one pair caught across a change of
        the machine's speed moves it no more than any other."""
        if not self.pairs:
            return 1.0
        return statistics.median(
            page.requests_per_second / livez.requests_per_second if livez.requests_per_second else 0.0
            for livez, page in self.pairs
        )


class Command(BenchProcesses, BaseCommand):
    help = "Benchmark reader pages with gunicorn and wrk against /livez, on a generated database in var/bench/."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--terms", type=int, default=10_000, help="Terms to generate (default 10000).")
        parser.add_argument("--duration", type=int, default=30, help="Seconds of load per page (default 30).")
        parser.add_argument("--connections", type=int, default=64, help="Open connections (default 64).")
        parser.add_argument("--seed", type=int, default=42, help="Seed for generate_terms (default 42).")
        parser.add_argument(
            "--pairs",
            type=int,
            default=PAIRS,
            help=f"Slices of each page alternated with slices of /livez, splitting --duration (default {PAIRS}).",
        )
        parser.add_argument("--port", type=int, default=8765, help="Port on 127.0.0.1 for gunicorn (default 8765).")
        # Internal: run in a subprocess pointed at the bench database; prints URLs and query counts as JSON.
        parser.add_argument("--inspect", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, terms, duration, connections, seed, port, inspect, pairs, **options):
        if not 1 <= pairs <= duration:
            raise CommandError("--pairs must be at least 1 and at most --duration (slices of a second or more).")
        if inspect:
            self.stdout.write(json.dumps(inspect_pages()))
            return
        if terms < 1 or duration < 1 or connections < 1:
            raise CommandError("--terms, --duration and --connections must each be at least 1.")
        if not 1024 <= port <= 65535:
            raise CommandError("--port must be between 1024 and 65535.")
        with self.stopping_processes():
            self.run(terms=terms, duration=duration, connections=connections, seed=seed, port=port, pairs=pairs)

    # --- The run ------------------------------------------------------------------------------

    def run(self, *, terms, duration, connections, seed, port, pairs):
        bench_dir = Path(settings.VAR_DIR) / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        database = bench_dir / "bench.sqlite3"
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            path.unlink(missing_ok=True)
        env = self.bench_env(database)
        load_generator = "wrk" if shutil.which("wrk") or Path(WRK).exists() else "python"

        manage = self.manage
        self.say(f"Building {database} with {terms} terms (seed {seed})…")
        started = time.perf_counter()
        self.check_call([*manage, "migrate", "--noinput", "--verbosity", "0"], env)
        self.check_call([*manage, "generate_terms", str(terms), "--seed", str(seed)], env)
        self.check_call([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env)
        self.say(f"  built in {time.perf_counter() - started:.0f} s.")
        inspected = json.loads(self.check_output([*manage, "bench", "--inspect"], env))
        urls, queries = inspected["urls"], inspected["queries"]

        rows = [
            Row("trivial /livez (cached server)", "/livez", "cached"),
            Row("term page (cached)", urls["term"], "cached"),
            Row("trivial /livez (uncached server)", "/livez", "uncached"),
            Row("term page (uncached)", urls["term"], "uncached"),
            Row("A–Z index", "/terms/", "uncached"),
            Row("tag page", urls["tag"], "uncached"),
            Row("search", urls["search"], "uncached"),
        ]
        for row in rows:
            row.queries = queries[row.server][row.url]
        if load_generator == "python":
            self.say("wrk not found: using the built-in Python load generator (slower; req/s are a lower bound).")

        for server, page_cache in (("cached", None), ("uncached", "0")):
            server_env = dict(env)
            if page_cache is not None:
                server_env["PAGE_CACHE_SECONDS"] = page_cache
            gunicorn = self.start_gunicorn(server_env, port, bench_dir / f"gunicorn-{server}.log")
            livez = f"http://{HOST}:{port}/livez"
            try:
                for row in rows:
                    if row.server != server:
                        continue
                    url = f"http://{HOST}:{port}{row.url}"
                    warm(url)  # one request first: fills the page cache where it is on
                    # A short, discarded run: every worker booted, every thread's connection open.
                    self.load(url, WARM_UP_SECONDS, connections, load_generator)
                    if row.url != "/livez":
                        row.pairs = self.paired(row, url, livez, duration, pairs, connections, load_generator, gunicorn)
                    self.say(f"  {server:8} {row.url}: {duration} s of continuous load…")
                    row.result = self.load(url, duration, connections, load_generator)
            finally:
                self.stop(gunicorn)

        table = self.table(
            rows,
            pairs=pairs,
            terms=terms,
            duration=duration,
            connections=connections,
            load_generator=load_generator,
        )
        (bench_dir / "last.md").write_text(table + "\n")
        self.stdout.write(table)
        self.say(f"Written to {bench_dir / 'last.md'}.")

    # --- Load ---------------------------------------------------------------------------------------

    def load(self, url: str, duration: int, connections: int, load_generator: str) -> Result:
        if load_generator == "wrk":
            wrk = shutil.which("wrk") or WRK
            threads = min(2, connections)
            command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
            out = self.check_output(command, dict(os.environ))
            return parse_wrk(out)
        return python_load(url, duration, connections)

    def paired(self, row, url, livez, duration, pairs, connections, load_generator, gunicorn):
        """Alternate slices of /livez and of the page, so that both see the same spells of the machine's speed.

        Measured once more if other processes (or steal) took over DISTURBED of the CPUs; flagged if again.
        """
        seconds = max(1, round(duration / pairs))
        for attempt in range(2):
            again = " (again: disturbed)" if attempt else ""
            self.say(f"  {row.server:8} {row.url}: {pairs} × ({seconds} s /livez, {seconds} s page){again}…")
            before = cpu_sample(gunicorn.pid)
            slices = [
                (
                    self.load(livez, seconds, connections, load_generator),
                    self.load(url, seconds, connections, load_generator),
                )
                for _ in range(pairs)
            ]
            row.disturbance = disturbance(before, cpu_sample(gunicorn.pid))
            if disturbed(row) <= DISTURBED:
                break
        return slices

    # --- Output -------------------------------------------------------------------------------------

    def table(self, rows: list[Row], *, pairs, terms, duration, connections, load_generator) -> str:
        gunicorn = "gunicorn " + " ".join(GUNICORN_OPTIONS) + " (access log off)"
        generator = (
            f"wrk -t{min(2, connections)} -c{connections} --latency"
            if load_generator == "wrk"
            else f"built-in Python load generator ({min(connections, 64)} threads, keep-alive; wrk not found)"
        )
        seconds = max(1, round(duration / pairs))
        lines = [
            f"Bench {time.strftime('%Y-%m-%d %H:%M')}: {os.cpu_count()} cores ({cpu_model()}), "
            f"Python {platform.python_version()}, {terms} terms (SQLite), {connections} connections; "
            f"{gunicorn}; load: {generator}, on the same machine. {disturbance_note(rows)} "
            "Cached server: PAGE_CACHE_SECONDS unset (the settings default); uncached server: PAGE_CACHE_SECONDS=0. "
            f"Each page is warmed by one request and {WARM_UP_SECONDS} s of discarded load. "
            f"req/s: over {pairs} slices of {seconds} s of the page, each right after {seconds} s of /livez on "
            "the same server (this machine's speed drifts by up to 3× within minutes, so a page and the trivial "
            "endpoint are only compared under the same spell); /livez alongside: over those /livez slices; "
            "× trivial: the median over the pairs of the page's req/s to /livez's. "
            f"p50, p99 and errors: one continuous {duration} s load of the page (errors: of the slices too). "
            "SQL queries: per request, counted in-process (cached row: a cache hit; other rows: page cache off).",
            "",
            "| page | URL | req/s | /livez alongside | × trivial | p50 ms | p99 ms | SQL queries | errors |",
            "|---|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for row in rows:
            result = row.result
            alongside = row.trivial_alongside
            lines.append(
                f"| {row.page} | `{row.url}` | {row.requests_per_second:,.0f} | "
                f"{f'{alongside:,.0f}' if alongside else '–'} | {row.ratio:.2f} | {fmt_ms(result.p50_ms)} | "
                f"{fmt_ms(result.p99_ms)} | {row.queries} | {row.errors} |"
            )
        missed = [
            f"{row.page} {row.ratio:.3f}× (target ≥ {TARGETS[row.page]}×)"
            for row in rows
            if row.page in TARGETS and row.ratio < TARGETS[row.page]
        ]
        flagged = [row.page for row in rows if disturbed(row) > DISTURBED]
        if flagged:
            lines.append("")
            lines.append(
                f"Caution: other processes or the hypervisor took more than {DISTURBED:.0%} of the CPUs while "
                f"measuring {', '.join(flagged)}, even when measured again; compare those rows with care, "
                "or run again on a quiet machine."
            )
        errors = [row.page for row in rows if row.errors != "0"]
        lines.append("")
        lines.append("Below target: " + ("; ".join(missed) if missed else "none") + ".")
        lines.append("Errors on: " + (", ".join(errors) if errors else "none") + ".")
        return "\n".join(lines)


# --- The in-process part: URLs and query counts, run with SQLITE_PATH set to the bench database -------


def inspect_pages() -> dict:
    """Pick the URLs to measure and count each one's SQL queries, with the page cache on and off."""
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from terms.models.published import PublishedTerm, PublishedTermTag

    count = PublishedTerm.objects.count()
    if not count:
        raise CommandError("The bench database has no published terms.")
    # A term from the middle of the run: it has relations both ways, like most terms.
    term = PublishedTerm.objects.order_by("pk")[count // 2]
    tag = (
        PublishedTermTag.objects.values("slug")
        .annotate(terms=Count("term"))
        .order_by("-terms", "slug")
        .values_list("slug", flat=True)
        .first()
    )
    word = next(word for word in reversed(term.name.split()) if word.isalpha())
    urls = {"term": f"/terms/{term.slug}/", "tag": f"/tags/{tag}/", "search": f"/search/?q={word}"}

    # Under the site's own host, as the servers are asked: the page cache stores only such pages.
    client = Client(HTTP_HOST=urlsplit(settings.SITE_URL).netloc)

    def queries(url: str) -> int:
        first = client.get(url)  # warms the page cache where it is on, and any per-process state
        if first.status_code != 200:
            raise CommandError(f"{url} answered {first.status_code} in-process.")
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured.captured_queries)

    counts = {}
    with override_settings(PAGE_CACHE_SECONDS=settings.PAGE_CACHE_SECONDS):
        counts["cached"] = {url: queries(url) for url in ["/livez", urls["term"]]}
    with override_settings(PAGE_CACHE_SECONDS=0):
        counts["uncached"] = {url: queries(url) for url in ["/livez", "/terms/", *urls.values()]}
    return {"urls": urls, "queries": counts}


def disturbed(row: Row) -> float:
    return row.disturbance.total if row.disturbance is not None else 0.0


def disturbance_note(rows: list[Row]) -> str:
    measured = [row.disturbance for row in rows if row.disturbance is not None]
    if not measured:
        return "Other processes' CPU use not measured (no /proc/stat)."
    others = [d.others for d in measured]
    steal = [d.steal for d in measured]
    return (
        f"While measuring, other processes used at most {max(others):.0%} of the CPUs "
        f"(mean {sum(others) / len(others):.0%}) and the hypervisor withheld at most {max(steal):.0%} "
        f"(steal; mean {sum(steal) / len(steal):.0%})."
    )
