"""Lighthouse's four scores for the home page, the A–Z index and a term page.

The starter glossary is seeded into a fresh database under var/audit/ and served by
gunicorn in the benchmarks' fixed configuration (DEBUG off, WhiteNoise serving collected static files).
Lighthouse (the npm package, pinned, installed once into var/audit/) drives the
machine's Chromium ($CHROME_PATH, default /usr/bin/chromium) with its default mobile
settings: an emulated mid-range phone on a throttled connection. Fails when any
score is below the target. Not part of `make test`: it needs npm and takes a minute.
"""

import json
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tooling.processes import HOST, BenchProcesses

LIGHTHOUSE = "lighthouse@12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {"home": "/", "index": "/terms/", "term": "/terms/fine-tuning/"}
TARGET = 95
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run"
)
ATTEMPTS = 3


class Command(BenchProcesses, BaseCommand):
    help = "Run Lighthouse against home, the A–Z index and a term page served by gunicorn; print the scores."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8767, help="Port on 127.0.0.1 for gunicorn (default 8767).")
        parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile", help="Lighthouse's device.")

    def handle(self, *args, port, preset, **options):
        home = Path(settings.VAR_DIR) / "audit"
        home.mkdir(parents=True, exist_ok=True)
        chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
        if not Path(chrome).is_file():
            raise CommandError(
                f"No Chromium at {chrome}: install it with `apt-get install -y chromium`, or set CHROME_PATH."
            )
        with self.stopping_processes():
            lighthouse = self.install_lighthouse(home)
            database = home / "db.sqlite3"
            database.unlink(missing_ok=True)
            env = self.bench_env(database)
            self.say("Seeding a fresh database with the starter glossary…")
            self.check_call([*self.manage, "migrate", "--noinput", "--verbosity", "0"], env)
            self.check_call([*self.manage, "seed"], env)
            self.check_call([*self.manage, "collectstatic", "--noinput", "--verbosity", "0"], env)
            self.start_gunicorn(env, port, home / "gunicorn.log")
            url = f"http://{HOST}:{port}"
            scores = {
                name: self.run_lighthouse(lighthouse, chrome, url + path, home, name, preset)
                for name, path in PAGES.items()
            }
        self.report(scores, preset)

    def install_lighthouse(self, home: Path) -> Path:
        binary = home / "node_modules" / ".bin" / "lighthouse"
        installed = home / "node_modules" / "lighthouse" / "package.json"
        wanted = LIGHTHOUSE.split("@")[1]
        if binary.exists() and installed.exists() and json.loads(installed.read_text())["version"] == wanted:
            return binary
        npm = shutil.which("npm")
        if npm is None:
            raise CommandError("npm is needed to install Lighthouse (Node 18 or later): apt-get install -y nodejs npm")
        self.say(f"Installing {LIGHTHOUSE} into {home}…")
        self.check_call(
            [npm, "install", "--prefix", str(home), "--no-save", "--no-audit", "--no-fund", LIGHTHOUSE], {**os.environ}
        )
        return binary

    def run_lighthouse(self, lighthouse: Path, chrome: str, url: str, home: Path, name: str, preset: str) -> dict:
        report = home / f"{name}-{preset}.report.json"
        self.say(f"Lighthouse ({preset}): {url}")
        command = [
            str(lighthouse),
            url,
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ]
        if preset == "desktop":
            command.append("--preset=desktop")
        # Lighthouse 12 sometimes loses the page load's trace with a current Chromium (NO_NAVSTART)
        # and asks to be run again: it is, up to ATTEMPTS times.
        for attempt in range(1, ATTEMPTS + 1):
            process = self.popen(command, {**os.environ, "CHROME_PATH": chrome})
            if process.wait() == 0:
                break
            if attempt == ATTEMPTS:
                raise CommandError(f"Lighthouse failed {ATTEMPTS} times on {url}.")
            self.say(f"Lighthouse failed (exit code {process.returncode}); running it again…")
        result = json.loads(report.read_text())
        scores = {category: round(result["categories"][category]["score"] * 100) for category in CATEGORIES}
        scores["failing"] = [
            f"{audit['id']} ({audit.get('displayValue') or audit['score']})"
            for category in CATEGORIES
            for ref in result["categories"][category]["auditRefs"]
            if ref.get("weight") and (audit := result["audits"][ref["id"]])["score"] is not None and audit["score"] < 1
        ]
        return scores

    def report(self, scores: dict[str, dict], preset: str) -> None:
        lines = [f"Lighthouse 12.2.3, {preset} ({TARGET} or more needed)", ""]
        lines.append(f"| page  | {' | '.join(CATEGORIES)} |")
        lines.append(f"|-------|{'|'.join('-' * (len(c) + 2) for c in CATEGORIES)}|")
        for name, result in scores.items():
            lines.append(f"| {name:<5} | " + " | ".join(f"{result[c]:>{len(c)}}" for c in CATEGORIES) + " |")
        below = [(name, c, result[c]) for name, result in scores.items() for c in CATEGORIES if result[c] < TARGET]
        for name, result in scores.items():
            if result["failing"]:
                lines.append(f"\n{name}: audits not passed: {', '.join(result['failing'])}")
        self.stdout.write("\n".join(lines))
        if below:
            raise CommandError("Below target: " + ", ".join(f"{name} {c} {score}" for name, c, score in below))
