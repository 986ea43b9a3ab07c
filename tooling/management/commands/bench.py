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
import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

HOST = "127.0.0.1"
# A fixed key: the bench database holds nothing secret, and runs stay comparable.
BENCH_SECRET_KEY = "bench-only-7Qx2vN9pLk4Rt8Wz3Hc6Jm1Yb5Fd0Gs-e2Ua7Kn4Pq9Xw3Vr6Ty8Zc1"
GUNICORN_OPTIONS = [
    "--workers", "2",
    "--worker-class", "gthread",
    "--threads", "4",
    "--keep-alive", "5",
    "--backlog", "2048",
    "--timeout", "60",
    "--graceful-timeout", "5",
    "--log-level", "warning",
]  # fmt: skip
WRK = "/usr/bin/wrk"
STARTUP_TIMEOUT = 60  # seconds for gunicorn to answer
WARM_UP_SECONDS = 3  # of discarded load before each measurement
DISTURBED = 0.10  # share of the CPUs taken by others (or steal) above which a measurement is redone, then flagged
PAIRS = 10  # slices of /livez and of the page, alternated: both see the same spells of this VM's drifting speed
# Targets for reader pages, as fractions of the same server's /livez req/s.
TARGETS = {"term page (cached)": 0.8, "term page (uncached)": 0.3, "A–Z index": 0.3, "tag page": 0.3}


@dataclass
class CpuSample:
    """Seconds of CPU time since boot, over all CPUs."""

    total: float
    busy: float  # by any process
    steal: float  # withheld by the hypervisor
    ours: float  # by the bench: gunicorn's process group, wrk and this process


@dataclass
class Disturbance:
    """While measuring one page: the share of all CPUs used by other processes, and withheld by the hypervisor."""

    others: float
    steal: float

    @property
    def total(self) -> float:
        return self.others + self.steal


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    seconds: float = 0.0
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    error_detail: str = ""

    @property
    def errors(self) -> str:
        total = self.non_2xx_3xx + self.socket_errors
        if not total:
            return "0"
        parts = []
        if self.non_2xx_3xx:
            parts.append(f"{self.non_2xx_3xx} non-2xx/3xx")
        if self.socket_errors:
            parts.append(f"{self.socket_errors} socket ({self.error_detail})")
        return ", ".join(parts)


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


class BenchProcesses:
    """What the benchmark commands share: a fixed environment, and processes that are always stopped."""

    @property
    def manage(self) -> list[str]:
        return [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]

    def bench_env(self, database: Path) -> dict[str, str]:
        """A clean, fixed environment: nothing from the caller's shell changes what is measured."""
        env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if key in os.environ}
        env |= {
            "DJANGO_SETTINGS_MODULE": "glossary_site.settings",
            "ENVIRONMENT": "local",
            "SQLITE_PATH": str(database),
            "VAR_DIR": str(settings.VAR_DIR),
            "DEBUG": "0",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        return env

    # --- Processes ------------------------------------------------------------------------------

    def popen(self, command: list[str], env: dict[str, str], **kwargs) -> subprocess.Popen:
        """Start a process in its own process group, remembered so that it is always stopped."""
        process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, start_new_session=True, **kwargs)
        self.processes.append(process)
        return process

    def check_call(self, command: list[str], env: dict[str, str]) -> None:
        process = self.popen(command, env)
        if process.wait() != 0:
            raise CommandError(f"{' '.join(command[1:])} failed (exit code {process.returncode}).")

    def check_output(self, command: list[str], env: dict[str, str]) -> str:
        process = self.popen(command, env, stdout=subprocess.PIPE, text=True)
        out, _ = process.communicate()
        if process.returncode != 0:
            raise CommandError(f"{' '.join(command[1:])} failed (exit code {process.returncode}).")
        return out

    def stop(self, process: subprocess.Popen) -> None:
        """Terminate the process's group, then kill it if it has not gone within ten seconds."""
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for process in reversed(getattr(self, "processes", [])):
            self.stop(process)

    def start_gunicorn(self, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
        """gunicorn in the benchmarks' fixed configuration on 127.0.0.1:`port`, once it answers /livez."""
        if not port_is_free(port):
            raise CommandError(f"Port {port} on {HOST} is in use; choose another with --port.")
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "glossary_site.wsgi", "--bind", f"{HOST}:{port}", *GUNICORN_OPTIONS]
        command += ["--error-logfile", str(log)]
        # The page cache stores only pages asked for under the site's own address.
        env = {**env, "SITE_URL": f"http://{HOST}:{port}"}
        process = self.popen(command, env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise CommandError(f"gunicorn exited with code {process.returncode}; see {log}.")
            try:
                if fetch_status(f"http://{HOST}:{port}/livez", timeout=2) == 200:
                    return process
            except OSError:
                pass
            time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer on {HOST}:{port} within {STARTUP_TIMEOUT} s; see {log}.")

    def say(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()


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
        self.processes: list[subprocess.Popen] = []
        self.rests = 0
        previous_sigterm = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        try:
            self.run(terms=terms, duration=duration, connections=connections, seed=seed, port=port, pairs=pairs)
        except KeyboardInterrupt:
            raise CommandError("Interrupted; every process the bench started has been stopped.") from None
        finally:
            self.stop_all()
            signal.signal(signal.SIGTERM, previous_sigterm)

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

    client = Client(HTTP_HOST=HOST)

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


# --- Helpers ---------------------------------------------------------------------------------------------


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def split_url(url: str) -> tuple[str, int, str]:
    match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)(/.*)", url)
    if match is None:
        raise CommandError(f"Refusing to load anything but {HOST}: {url}")
    return HOST, int(match.group(1)), match.group(2)


def fetch_status(url: str, timeout: float = 10) -> int:
    host, port, path = split_url(url)
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def warm(url: str) -> None:
    status = fetch_status(url, timeout=60)
    if status != 200:
        raise CommandError(f"{url} answered {status} before the load started.")


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"Not a wrk duration: {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(out: str) -> Result:
    """Requests/sec, the 50% and 99% latencies, non-2xx/3xx responses and socket errors from wrk's report."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    total = re.search(r"^\s*(\d+) requests in ([\d.]+\w+),", out, re.M)
    if rps is None or total is None:
        raise CommandError(f"Could not read wrk's output:\n{out}")
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors, detail = 0, ""
    if sockets:
        numbers = dict(zip(("connect", "read", "write", "timeout"), map(int, sockets.groups()), strict=True))
        socket_errors = sum(numbers.values())
        detail = ", ".join(f"{kind} {n}" for kind, n in numbers.items() if n)
    return Result(
        requests_per_second=float(rps.group(1)),
        p50_ms=to_ms(p50.group(1)) if p50 else None,
        p99_ms=to_ms(p99.group(1)) if p99 else None,
        requests=int(total.group(1)),
        seconds=to_ms(total.group(2)) / 1000,
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=socket_errors,
        error_detail=detail,
    )


def python_load(url: str, duration: int, connections: int) -> Result:
    """A bounded stand-in for wrk: keep-alive connections on threads for a fixed time, every latency kept."""
    host, port, path = split_url(url)
    deadline = time.monotonic() + duration
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"bad": 0, "socket": 0}

    def worker():
        mine, bad, broken = [], 0, 0
        connection = http.client.HTTPConnection(host, port, timeout=30)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                broken += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
            if not 200 <= response.status < 400:
                bad += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            counts["bad"] += bad
            counts["socket"] += broken

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(connections, 64))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(p: float) -> float | None:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else None

    return Result(
        requests_per_second=len(latencies) / elapsed,
        p50_ms=percentile(0.50),
        p99_ms=percentile(0.99),
        requests=len(latencies),
        seconds=elapsed,
        non_2xx_3xx=counts["bad"],
        socket_errors=counts["socket"],
        error_detail=f"{counts['socket']} failed requests" if counts["socket"] else "",
    )


def cpu_sample(pgid: int) -> CpuSample | None:
    """Linux only: /proc/stat for the machine, /proc/<pid>/stat for gunicorn's group, os.times() for the rest."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    if len(fields) < 8:
        return None
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    ours = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            after_name = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(after_name[2]) == pgid:  # in gunicorn's process group
            ours += int(after_name[11]) + int(after_name[12])  # utime + stime
    tick = os.sysconf("SC_CLK_TCK")
    times = os.times()  # this process, and wrk once it has been waited for
    return CpuSample(
        total=sum(fields) / tick,
        busy=(user + nice + system + irq + softirq) / tick,
        steal=steal / tick,
        ours=ours / tick + times.user + times.system + times.children_user + times.children_system,
    )


def disturbance(before: CpuSample | None, after: CpuSample | None) -> Disturbance | None:
    if before is None or after is None or after.total <= before.total:
        return None
    total = after.total - before.total
    others = (after.busy - before.busy) - (after.ours - before.ours)
    return Disturbance(others=max(0.0, others / total), steal=(after.steal - before.steal) / total)


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


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
