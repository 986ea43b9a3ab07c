"""Safe defaults: headers, production settings, login throttling, health checks, error pages."""

import importlib
import re
import secrets
from pathlib import Path
from unittest import mock

import pytest
from django.urls import clear_url_caches

from terms import queries

BASE_DIR = Path(__file__).resolve().parent.parent
# Each public page with the status it answers, a missing page's 404 included.
PUBLIC_PAGES = [
    ("/", 200),
    ("/terms/", 200),
    ("/terms/gradient-descent/", 200),
    ("/tags/", 200),
    ("/tags/training/", 200),
    ("/search/?q=x", 200),
    ("/nope/", 404),
]


def test_deploy_check_is_clean_under_production_settings(manage):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ENVIRONMENT="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="glossary.example.org",
        SITE_URL="https://glossary.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(manage):
    result = manage("check", ENVIRONMENT="production", ALLOWED_HOSTS="glossary.example.org")
    assert "needs a real SECRET_KEY" in result.stderr


def test_production_refuses_a_weak_secret_key(manage):
    result = manage("check", ENVIRONMENT="production", SECRET_KEY="changeme", ALLOWED_HOSTS="glossary.example.org")
    assert "needs a real SECRET_KEY" in result.stderr


def csp_directives(response) -> dict[str, str]:
    pairs = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


@pytest.mark.parametrize(("url", "status"), PUBLIC_PAGES)
@pytest.mark.parametrize("directive", ["script-src", "style-src", "default-src"])
def test_pages_allow_script_and_style_only_from_the_site_itself(client, published_term, url, status, directive, fetch):
    assert csp_directives(fetch(client, url, status))[directive] == "'self'"


@pytest.mark.parametrize(("url", "status"), PUBLIC_PAGES)
def test_pages_contain_no_inline_script_or_style(client, published_term, url, status, fetch):
    html = fetch(client, url, status).content.decode()
    # A JSON-LD data block is not run, so the CSP does not apply to it (a browser test checks).
    assert not re.search(r'<script(?![^>]*\bsrc=)(?! type="application/ld\+json">)|<style|\sstyle=', html)


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ],
)
def test_security_headers_are_sent(client, published_term, header, value, fetch):
    assert fetch(client, "/terms/gradient-descent/")[header] == value


def test_permissions_policy_turns_off_device_features(client, db, fetch):
    assert "camera=()" in fetch(client, "/")["Permissions-Policy"]


def test_csp_forbids_framing(client, db, fetch):
    assert csp_directives(fetch(client, "/"))["frame-ancestors"] == "'none'"


def sign_in(client, password="wrong-password"):
    return client.post("/admin/login/", {"username": "edna", "password": password, "next": "/admin/"})


def wrong_passwords(client, count):
    """Sign in with a wrong password `count` times, each answered with the sign-in form again."""
    for _ in range(count):
        assert sign_in(client).status_code == 200


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, editor):
    wrong_passwords(client, 4)
    assert "Too many failed sign-ins" in sign_in(client).content.decode()


def test_locked_account_answers_429(client, editor):
    wrong_passwords(client, 4)
    assert sign_in(client).status_code == 429


def test_locked_account_refuses_even_the_right_password(client, editor):
    wrong_passwords(client, 4)
    sign_in(client)
    assert sign_in(client, password="pw-edna-1234").status_code == 429


def test_four_wrong_passwords_still_allow_signing_in(client, editor):
    wrong_passwords(client, 4)
    assert sign_in(client, password="pw-edna-1234").status_code == 302


@pytest.fixture
def admin_at_editorial(settings):
    settings.ADMIN_URL = "editorial/"
    import glossary_site.urls

    importlib.reload(glossary_site.urls)
    clear_url_caches()
    yield
    settings.ADMIN_URL = "admin/"
    importlib.reload(glossary_site.urls)
    clear_url_caches()


def test_admin_path_is_configurable(client, admin_at_editorial):
    assert client.get("/editorial/login/").status_code == 200


def test_moved_admin_is_gone_from_the_default_path(client, admin_at_editorial):
    assert client.get("/admin/login/").status_code == 404


def test_server_error_shows_the_site_page_without_details(client, published_term):
    client.raise_request_exception = False
    with mock.patch.object(queries, "for_term_page", side_effect=RuntimeError("secret detail")):
        response = client.get("/terms/gradient-descent/")
    assert response.status_code == 500 and "secret detail" not in response.content.decode()


def test_server_error_page_keeps_the_site_navigation(client, published_term, fetch):
    client.raise_request_exception = False
    with mock.patch.object(queries, "for_term_page", side_effect=RuntimeError("boom")):
        response = fetch(client, "/terms/gradient-descent/", status=500)
    assert 'href="/terms/">Terms A–Z</a>' in response.content.decode()


def test_debug_is_off_by_default(manage):
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.stdout.strip().splitlines()[-1] == "False"
