"""Shared fixtures: people (anonymous, editor, reviewer) and terms in each state."""

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
