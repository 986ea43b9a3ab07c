"""Browser tests: the real site, driven in Debian's Chromium by Playwright.

The site is served by gunicorn, as in production (DEBUG off, WhiteNoise serving the collected
static files), from a SQLite database of its own, migrated and seeded with the starter
glossary, with the demo editor and reviewer accounts. Nothing is downloaded: Playwright
drives the Chromium that `apt-get install chromium` put at /usr/bin/chromium (or $CHROMIUM).

Pages are checked for accessibility with axe-core, injected from var/axe/ where
`.ci/install-axe` (run by `make test`) puts it.

Without that browser or axe-core these tests are skipped with a message, except in CI (CI set),
where either missing fails them: CI must never pass without having looked at the pages.
Screenshots go to test-artifacts/e2e/ (or $E2E_ARTIFACTS).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "test-artifacts" / "e2e"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
SERVER_START_SECONDS = 60
AXE_SCRIPT = ROOT / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@dataclass(frozen=True)
class Site:
    url: str
    passwords: dict[str, str]

    def __call__(self, path: str) -> str:
        return self.url + path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing(message: str):
    """Skip the test for want of a tool, or fail it in CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} In CI the browser tests must run, not be skipped.", pytrace=False)
    pytest.skip(message)


def missing_browser(reason: str):
    missing(f"Browser tests need Chromium: {reason}. Install it with `apt-get install -y chromium` (as root).")


@pytest.fixture(scope="package")
def site(tmp_path_factory):
    """The site on a free local port, seeded, with demo accounts; stopped after the browser tests."""
    home = tmp_path_factory.mktemp("e2e-site")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
        "VAR_DIR": str(home),
        "STATIC_ROOT": str(home / "static"),
        "CACHE_URL": "locmemcache://e2e",
        "DEBUG": "0",
        "ENVIRONMENT": "local",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)

    manage("migrate", "--noinput")
    manage("seed")
    manage("collectstatic", "--noinput")
    manage("demo_accounts")
    passwords = dict(line.split(" ", 1) for line in (home / "demo-accounts").read_text().splitlines())
    port = free_port()
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "glossary_site.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--threads", "8", "--worker-class", "gthread"],
        cwd=ROOT,
        # Readers' pages are cached and link canonically to the address the browser uses.
        env={**env, "SITE_URL": f"http://127.0.0.1:{port}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(url + "/livez", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"The site did not start: see {home / 'server.log'}", pytrace=False)
            time.sleep(0.2)
    yield Site(url=url, passwords=passwords)
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="package")
def browser():
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        missing_browser(f"{CHROMIUM} was not found")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts: `new_page(viewport=..., color_scheme=..., java_script_enabled=...)`."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # what the console and uncaught exceptions reported
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop page in the light theme, JavaScript on."""
    return new_page()


def log_in(page, site: Site, username: str) -> None:
    page.goto(site("/admin/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(site.passwords[username])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site("/admin/"))


@pytest.fixture(scope="package")
def axe_core() -> str:
    """axe-core's script, as `.ci/install-axe` installed it."""
    if not AXE_SCRIPT.is_file():
        missing(f"Accessibility checks need axe-core: {AXE_SCRIPT} was not found. Install it with `.ci/install-axe`.")
    return AXE_SCRIPT.read_text()
