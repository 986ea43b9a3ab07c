"""Shared fixtures: people (anonymous, editor, reviewer), terms in each state, and helpers several test files use."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from terms.models import Relation, Term
from terms.publishing import publish


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Pages render without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def site_url_of_the_test_client(settings):
    """The test client's host is the site's own, so its pages are cached as a reader's would be."""
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty page cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("edna", password="pw-edna-1234", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("rhys", password="pw-rhys-1234", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def make_term(db):
    """Create a draft term; keyword arguments override the defaults."""
    counter = iter(range(1, 10_000))

    def make(name=None, **fields):
        number = next(counter)
        name = name or f"Sample term {number}"
        defaults = {
            "slug": name.lower().replace(" ", "-"),
            "short_definition": f"The one-line definition of {name}.",
            "explanation": f"{name} explained, first paragraph.\n\nSecond paragraph.",
        }
        tags = fields.pop("tags", [])
        term = Term.objects.create(name=name, **{**defaults, **fields})
        if tags:
            term.tags.add(*tags)
        return term

    return make


@pytest.fixture
def published_term(make_term):
    term = make_term("Gradient descent", tags=["Training"], analogy="Walking downhill in fog.")
    publish(term, by=None)
    return term


@pytest.fixture
def draft_term(make_term):
    return make_term("Secret draft", short_definition="A draft nobody may read yet.", tags=["Training", "Hidden tag"])


@pytest.fixture
def relate():
    def relate(from_term, to_term, kind=Relation.Kind.RELATED, position=1):
        return Relation.objects.create(from_term=from_term, to_term=to_term, kind=kind, position=position)

    return relate


@pytest.fixture
def separate_reviewer_client(reviewer):
    """A reviewer in a browser of their own: `editor_client` and `reviewer_client` share one test client."""
    client = Client()
    client.force_login(reviewer)
    return client


# A name and its twin: the same name to a reader, different strings to the database.
TWINS = [
    pytest.param(("Café", "Cafe\u0301"), id="nfc-nfd"),
    pytest.param(("Café", "CAFÉ"), id="accented-case"),
    pytest.param(("Embedding", "Ｅｍｂｅｄｄｉｎｇ"), id="fullwidth"),
    pytest.param(("Embedding", "Embed\u200bding"), id="zero-width-space"),
    pytest.param(("Straße", "STRASSE"), id="sharp-s"),
    pytest.param(("Café Zeta", "Café Zeta\ufe0f"), id="variation-selector"),
    pytest.param(("Cafe Zeta", "Cafe\u034f Zeta"), id="combining-grapheme-joiner"),
    pytest.param(("Embedding", "Embed\u3164ding"), id="hangul-filler"),
    pytest.param(("Embedding", "Embed\uffa0ding"), id="halfwidth-hangul-filler"),
]


@pytest.fixture(params=TWINS)
def twins(request):
    """(name, twin), once for each kind of twin in TWINS."""
    return request.param


BASE_DIR = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    """Run manage.py in a fresh process with the given environment variables."""
    base_env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ENVIRONMENT", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        # A developer's .env (with the SECRET_KEY `make run` wrote) must not decide these tests.
        env={**base_env, "ENV_FILE": os.devnull, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def manage():
    """Runs manage.py in a fresh process: `manage(*args, **environment_variables)`."""
    return run_manage


def strip_cross_links(html: str) -> str:
    """The HTML as it was before cross-linking: each link's markup and tooltip taken out, its text kept."""
    html = re.sub(r'<span class="xref-tip" id="[^"]*" role="tooltip">[^<]*</span></span>', "", html)
    return re.sub(r'<span class="xref"><a href="[^"]*" aria-describedby="[^"]*">([^<]*)</a>', r"\1", html)


@pytest.fixture(scope="session")
def without_cross_links():
    """Reads cross-links out of HTML: `without_cross_links(html)` is the HTML as it was before linking."""
    return strip_cross_links


SERVER_START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    """Return once `url` answers; fail the test, pointing at its log, if the process exits or never answers."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The server for {url} did not start; {log}:\n{log.read_text()}", pytrace=False)
            time.sleep(0.2)


@pytest.fixture(scope="session")
def local_servers():
    """Starting real servers on 127.0.0.1: `local_servers.free_port()`, `local_servers.wait_until_serving(url, process, log)`."""
    return SimpleNamespace(free_port=free_port, wait_until_serving=wait_until_serving)


class Links(HTMLParser):
    """The cross-links in some HTML, as (link text, address); and whether any is nested in another element it must not be."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: list[str] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and self._open and self._open[-1] == "span.xref":
            self._href, self._text = attrs["href"], ""
        self._open.append(f"{tag}.{attrs.get('class', '')}" if attrs.get("class") else tag)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._text, self._href))
            self._href = None
        self._open.pop()

    def handle_data(self, data):
        if self._href is not None:
            self._text += data


def read_links(html: str) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.links


@pytest.fixture(scope="session")
def links_in():
    """Reads cross-links out of HTML: `links_in(html)` is [(link text, address)]."""
    return read_links


def read_redirect(client, slug: str) -> tuple[int, str]:
    response = client.get(f"/terms/{slug}/")
    return response.status_code, response.get("Location", "")


@pytest.fixture(scope="session")
def redirect_of():
    """Where a term address leads: `redirect_of(client, slug)` is (status code, Location)."""
    return read_redirect
