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
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from terms.admin_search import admin_index
from terms.identity import set_aside_key
from terms.models import Example, Misconception, Relation, Revision, Tag, Term
from terms.models.changesets import ChangeSet, ChangeSetTerm
from terms.models.published import PublishedRedirect, PublishedTagRedirect, SiteState
from terms.publishing import delete_term, publish
from terms.search import search_index
from terms.workflow import Draft, record_save, snapshot


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


def clear_the_glossary():
    """A new database: no terms, tags, history or published pages, never seeded."""
    Term.objects.all().delete()
    Tag.objects.all().delete()
    Revision.objects.all().delete()
    SiteState.objects.all().delete()
    PublishedRedirect.objects.all().delete()
    PublishedTagRedirect.objects.all().delete()
    # The search indexes are tables of their own, which deleting terms leaves alone.
    search_index().clear()
    admin_index().clear()


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The starter glossary, seeded once for a whole test module (seeding takes seconds), then cleared away."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
    yield
    with django_db_blocker.unblock():
        clear_the_glossary()


@pytest.fixture
def seeded(seeded_once, db):
    """The seeded starter glossary; each test's changes are rolled back."""


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


# The admin's pages and forms ------------------------------------------------------------------------------------------


def read_page(client, url, status=200) -> str:
    """The page's HTML, after checking it answered `status`."""
    response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}, not {status}"
    return response.content.decode()


def term_change_url(term):
    return reverse("admin:terms_term_change", args=[term.pk])


def inline_rows(prefix, rows, initial=0):
    """POST data for one inline formset."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{field}": value for field, value in row.items()})
    return data


def term_form_data(examples=(), misconceptions=(), relations=(), **fields):
    """POST data for the term change form, with the Fine-tuning page's texts by default."""
    data = {
        "name": "Fine-tuning",
        "slug": "fine-tuning",
        "short_definition": "The process of further training a pre-trained AI model on specialised data.",
        "pronunciation": "/faɪn ˈtjuːnɪŋ/",
        "aliases": "Finetuning",
        "tags": "Training, Large language models",
        "explanation": "Paragraph one.\n\nParagraph two.",
        "analogy": "Like hiring an experienced chef.",
        "usage": "Brand-specific writing.",
        "history": "LoRA (2021).",
        "sentence_name": "",
        **fields,
    }
    data.update(inline_rows("examples", list(examples)))
    data.update(inline_rows("misconceptions", list(misconceptions)))
    data.update(inline_rows("relations", list(relations)))
    return data


def change_form_data(term, **fields):
    """The term form's POST data for a change to `term`, opened at its current edit version."""
    return term_form_data(loaded_edit_version=str(term.edit_version), **fields)


class FormReader(HTMLParser):
    """The fields a browser submits from one form, textareas with the CRLF line endings browsers send."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "checkbox", "radio", "file"):
            self.data[attrs["name"]] = attrs.get("value") or ""
        elif tag == "input" and attrs.get("type") in ("checkbox", "radio") and "checked" in attrs:
            self.data[attrs["name"]] = attrs.get("value") or "on"
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = ""
        elif tag == "select":
            self.select = attrs["name"]
            if "multiple" not in attrs:  # a multiple choice with nothing chosen sends nothing
                self.data.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            # Browsers read any line ending in the page as LF, drop the newline that opens a textarea,
            # and send its line endings as CRLF.
            text = self.data[self.textarea].replace("\r\n", "\n").replace("\r", "\n").removeprefix("\n")
            self.data[self.textarea] = text.replace("\n", "\r\n")
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


def read_form(html: str, form_id: str = "term_form") -> dict:
    """What a browser posts from the form with this id, left as it was shown."""
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.data


@pytest.fixture(scope="session")
def html_of():
    """A page's HTML: `html_of(client, url, status=200)`, after checking it answered `status`."""
    return read_page


@pytest.fixture(scope="session")
def change_url():
    """The admin change page of a term: `change_url(term)`."""
    return term_change_url


@pytest.fixture(scope="session")
def inline():
    """POST data for one inline formset: `inline(prefix, rows, initial=0)`."""
    return inline_rows


@pytest.fixture(scope="session")
def term_form():
    """POST data for the term form: `term_form(examples=(), misconceptions=(), relations=(), **fields)`."""
    return term_form_data


@pytest.fixture(scope="session")
def change_form():
    """POST data for a change to a term, opened at its current edit version: `change_form(term, **fields)`."""
    return change_form_data


@pytest.fixture(scope="session")
def form_as_submitted():
    """What a browser posts from a form left as it was shown: `form_as_submitted(html, form_id="term_form")`."""
    return read_form


# The review screens and the working copy ------------------------------------------------------------------------------


def term_review_url(term):
    return reverse("admin:terms_term_review", args=[term.pk])


@pytest.fixture(scope="session")
def review_url():
    """The review page of a term: `review_url(term)`."""
    return term_review_url


def decide_on_review(client, term, **data):
    """Open the term's review page, then send one of its forms with the edit version the page showed."""
    edit_version = re.search(r'name="edit_version" value="(\d+)"', read_page(client, term_review_url(term))).group(1)
    return client.post(term_review_url(term), {"edit_version": edit_version, **data})


@pytest.fixture(scope="session")
def decide():
    """A reviewer's decision sent from the review page: `decide(client, term, **data)`."""
    return decide_on_review


def save_working_copy(term, by=None, **fields):
    """Save new content into the working copy, as the admin does."""
    for field, value in fields.items():
        setattr(term, field, value)
    term.save()
    record_save(term, by=by)


@pytest.fixture(scope="session")
def edit():
    """Saves new content into a term's working copy, as the admin does: `edit(term, by=None, **fields)`."""
    return save_working_copy


def revisions_on_the_site(term):
    return list(Revision.objects.filter(term_id=term.pk, action__in=Revision.LIVE_ACTIONS).order_by("created_at", "pk"))


@pytest.fixture(scope="session")
def live_revisions():
    """A term's revisions that were on the site, oldest first: `live_revisions(term)`."""
    return revisions_on_the_site


def revision_numbers(term_id) -> list[int]:
    """The numbers of a term's revisions, in the order they were made."""
    return list(Revision.objects.filter(term_id=term_id).order_by("created_at", "pk").values_list("number", flat=True))


@pytest.fixture(scope="session")
def numbers():
    """The numbers of a term's revisions, in the order they were made: `numbers(term_id)`."""
    return revision_numbers


def working_copy_snapshot(term) -> dict:
    return snapshot(Draft.load(Term.objects.get(pk=term.pk)))


@pytest.fixture(scope="session")
def snapshot_of():
    """The snapshot of a term's working copy as the database holds it: `snapshot_of(term)`."""
    return working_copy_snapshot


@pytest.fixture
def deleted(make_term, relate):
    """A term with every kind of part, linked both ways with another term, then deleted."""
    other = make_term("Learning rate")
    term = make_term("Momentum", tags=["Training"])
    Example.objects.create(term=term, position=1, title="A ball", body="A ball rolling downhill.")
    Misconception.objects.create(term=term, position=1, claim="It is always faster.", correction="Not always.")
    relate(term, other)
    relate(other, term, kind=Relation.Kind.NARROWER)
    record_save(term, by=None)
    publish(term, by=None)
    publish(other, by=None)
    delete_term(term, by=None)
    return Revision.objects.get(action=Revision.Action.DELETE)


# Terms several test files edit ----------------------------------------------------------------------------------------


@pytest.fixture
def llm(make_term):
    return make_term("LLM", slug="llm")


@pytest.fixture
def large_language_model(make_term):
    term = make_term("Large language model", slug="large-language-model", aliases="Foundation model")
    publish(term, by=None)
    return term


@pytest.fixture
def set_aside_twin(make_term):
    """A term the upgrade found to be the twin of an older "Café" (as migration 0012 leaves it)."""
    make_term("Café", slug="cafe")
    twin = make_term("Coffee", slug="cafe-2")
    Term.objects.filter(pk=twin.pk).update(name="CAFÉ", name_key=set_aside_key("café", twin.pk))
    return Term.objects.get(pk=twin.pk)


@pytest.fixture
def mentioner(make_term):
    """A published term whose explanation mentions "Widget" and "Sprocket"."""
    term = make_term("Assembly line", explanation="An assembly line puts a widget next to a sprocket.")
    publish(term, by=None)
    return term


def fetch_page(client, url, status=200):
    """A page, checked to answer with the status it should."""
    response = client.get(url)
    assert response.status_code == status
    return response


@pytest.fixture(scope="session")
def fetch():
    """A response, checked to answer with the status it should: `fetch(client, url, status=200)`."""
    return fetch_page


# Imports under review -------------------------------------------------------------------------------------------------


@pytest.fixture
def import_of(editor, make_term):
    """An import's change set as `terms.importing` leaves it, its terms in review: `import_of(created=["Name", ...],
    updated={term: {"field": value}}, file_name="glossary.csv", by=editor, unchanged=0)`."""

    def build(created=(), updated=None, file_name="glossary.csv", by=editor, unchanged=0):
        updated = updated or {}
        message = f"Imported from {file_name}"
        change_set = ChangeSet.objects.create(
            file_name=file_name,
            file_format=file_name.rsplit(".", 1)[-1],
            created=len(created),
            updated=len(updated),
            unchanged=unchanged,
            created_by=by,
        )
        line = iter(range(2, 100_000))
        for term, fields in updated.items():
            previous = Revision.objects.filter(term_id=term.pk).first()
            for name, value in fields.items():
                setattr(term, name, value)
            term.save()
            revision = record_save(term, by=by, message=message)
            in_review(change_set, term, by, ChangeSetTerm.Action.UPDATED, next(line), revision, previous)
        for name in created:
            term = make_term(name, created_by=by, updated_by=by)
            revision = record_save(term, by=by, message=message)
            in_review(change_set, term, by, ChangeSetTerm.Action.CREATED, next(line), revision, None)
        return change_set

    return build


@pytest.fixture
def mixed(import_of, published_term, draft_term):
    """An import that creates "Alpha" and updates a published term and a draft."""
    record_save(draft_term, by=None)
    return import_of(
        created=["Alpha"],
        updated={
            published_term: {"short_definition": "Imported one-liner."},
            draft_term: {"explanation": "Imported explanation."},
        },
    )


def in_review(change_set, term, by, action, line, revision, previous):
    Term.objects.filter(pk=term.pk).update(
        status=Term.Status.IN_REVIEW, submitted_at=change_set.created_at, submitted_by=by
    )
    term.refresh_from_db()
    ChangeSetTerm.objects.create(
        change_set=change_set,
        term=term,
        term_name=term.name,
        action=action,
        line=line,
        edit_version=term.edit_version,
        revision=revision,
        previous_revision=previous,
    )
