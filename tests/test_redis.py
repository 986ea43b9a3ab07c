"""The page cache on Redis, shared by several app servers, as production runs it.

Run with a private Redis: `bash .ci/with-redis make test-redis` (CI does). Without a
`redis://` CACHE_URL these tests are skipped; `make test-redis` refuses to run without one.
The app servers here are real gunicorn processes on one SQLite file and one Redis: what
one of them cached, the other serves, and a publish made by a third process shows at once.
"""

import os
import sqlite3
import subprocess
import sys
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

BASE_DIR = Path(__file__).resolve().parent.parent
CACHE_URL = os.environ.get("CACHE_URL", "")
# Behind a load balancer every app server sees the site's public host.
SITE = "127.0.0.1:8000"

pytestmark = pytest.mark.skipif(
    not CACHE_URL.startswith("redis://"),
    reason="needs CACHE_URL=redis://...: run `bash .ci/with-redis make test-redis`",
)


def fetch(server: str, path: str) -> tuple[int, str]:
    """GET a page from one app server, as the load balancer would pass it on."""
    request = urllib.request.Request(server + path, headers={"Host": SITE})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


class Site:
    """A seeded SQLite glossary, served by as many gunicorn app servers as asked, all on the test's Redis."""

    def __init__(self, home: Path, local_servers):
        self.home = home
        self.local_servers = local_servers
        self.env = {
            **{key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
            "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
            "VAR_DIR": str(home),
            "STATIC_ROOT": str(home / "static"),
            "SITE_URL": f"http://{SITE}",
            "CACHE_URL": CACHE_URL,
            "DEBUG": "0",
            "ENVIRONMENT": "local",
            "LOG_LEVEL": "WARNING",
        }
        self.processes: list[subprocess.Popen] = []

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, check=True, capture_output=True
        )

    def serve(self) -> str:
        """Start one more app server; return its address once it answers."""
        port = self.local_servers.free_port()
        log = self.home / f"server-{port}.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "glossary_site.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        url = f"http://127.0.0.1:{port}"
        self.local_servers.wait_until_serving(url + "/livez", process, log=log)
        return url

    def publish_definition(self, slug: str, text: str) -> None:
        """Publish a new one-liner from a process of its own, as a reviewer's request would."""
        code = (
            "from terms.models.editorial import Term; from terms.publishing import publish; "
            f"term = Term.objects.get(slug={slug!r}); "
            f"Term.objects.filter(pk=term.pk).update(short_definition={text!r}); "
            "publish(term, by=None)"
        )
        self.manage("shell", "-c", code)

    def change_behind_the_cache(self, slug: str, text: str) -> None:
        """Change a live page's one-liner in the database without publishing, so no cached page is obsolete."""
        with closing(sqlite3.connect(self.home / "db.sqlite3")) as db, db:
            db.execute("UPDATE terms_publishedterm SET short_definition = ? WHERE slug = ?", [text, slug])

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory, local_servers):
    site = Site(tmp_path_factory.mktemp("redis-site"), local_servers)
    site.manage("migrate", "--noinput")
    site.manage("seed")
    site.manage("collectstatic", "--noinput")
    yield site
    site.stop()


@pytest.fixture(scope="module")
def servers(site):
    """Two app servers, the way production runs several behind a load balancer."""
    return site.serve(), site.serve()


def test_the_cache_is_redis():
    assert isinstance(caches["default"], RedisCache)


def test_a_reader_page_is_stored_in_redis(client, published_term):
    assert client.get("/terms/gradient-descent/").status_code == 200
    assert redis.Redis.from_url(CACHE_URL).keys("*page:*")


def test_a_page_one_server_cached_is_served_by_the_other(site, servers):
    first, second = servers
    assert fetch(first, "/terms/fine-tuning/")[0] == 200
    site.change_behind_the_cache("fine-tuning", "Changed behind the back of the cache.")
    status, page = fetch(second, "/terms/fine-tuning/")
    assert status == 200
    assert "further training a pre-trained AI model" in page


def test_a_publish_is_seen_at_once_by_another_server(site, servers):
    first, second = servers
    assert fetch(second, "/terms/embedding/")[0] == 200
    site.publish_definition("embedding", "A freshly reviewed one-liner.")
    status, page = fetch(second, "/terms/embedding/")
    assert status == 200
    assert "A freshly reviewed one-liner." in page


def test_a_publish_is_seen_at_once_by_every_server(site, servers):
    first, second = servers
    assert fetch(first, "/terms/tokenization/")[0] == 200
    assert fetch(second, "/terms/tokenization/")[0] == 200
    site.publish_definition("tokenization", "Splitting text into the pieces a model reads.")
    assert "Splitting text into the pieces a model reads." in fetch(first, "/terms/tokenization/")[1]
