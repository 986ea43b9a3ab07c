"""`make run`: the site served by gunicorn on the HOST and PORT given, and said so."""

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def make_run(tmp_path_factory, local_servers):
    """`make run` on a free port, with a database of its own; yields (address, what it printed)."""
    home = tmp_path_factory.mktemp("make-run")
    port = local_servers.free_port()
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
        "VAR_DIR": str(home),
        # `make run` writes its .env here, not into the repository.
        "ENV_FILE": str(home / ".env"),
        "STATIC_ROOT": str(home / "static"),
        "CACHE_URL": "locmemcache://make-run",
        "ENVIRONMENT": "local",
        "DEBUG": "0",
    }
    output = home / "make-run.log"
    with output.open("w") as log:
        # The tests' own interpreter, and `-o` keeps make from reinstalling the virtualenv they run from.
        process = subprocess.Popen(
            ["make", "--no-print-directory", "-o", ".venv/.installed", "run", f"BIN={Path(sys.executable).parent}"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        local_servers.wait_until_serving(url + "livez", process, log=output)
        yield url, output.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_make_run_serves_with_gunicorn(make_run):
    url, _ = make_run
    with urllib.request.urlopen(url + "terms/fine-tuning/", timeout=10) as response:
        assert response.headers["Server"].startswith("gunicorn")


def test_make_run_serves_the_starter_glossary_on_the_given_port(make_run):
    url, _ = make_run
    with urllib.request.urlopen(url + "terms/fine-tuning/", timeout=10) as response:
        assert response.status == 200


def test_make_run_says_where_it_serves(make_run):
    url, printed = make_run
    assert f"Serving on {url} with gunicorn" in printed


def test_make_run_prints_the_admin_address_on_the_given_port(make_run):
    url, printed = make_run
    assert f"Demo accounts for {url}admin/" in printed


def test_make_run_writes_the_local_settings_file_it_is_given(make_run):
    _, printed = make_run
    assert re.search(r"^Wrote /\S+/\.env \(local settings", printed, re.MULTILINE)


def test_demo_accounts_print_the_address_they_are_given(db, capsys, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo_accounts", url="http://glossary.test:9000/")
    assert "Demo accounts for http://glossary.test:9000/admin/" in capsys.readouterr().out
