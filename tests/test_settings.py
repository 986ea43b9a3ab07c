"""Settings read from the environment: a value the site does not know stops it from starting; what the site logs."""

import io
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = BASE_DIR / "glossary_site" / "settings.py"
ENV_EXAMPLE = BASE_DIR / ".env.example"


# Variables these tests decide: neither the developer's shell nor their .env may.
DECIDED_HERE = {"SECRET_KEY", "ENVIRONMENT", "DEBUG", "RELEASE"}


def start_django(tmp_path, code="", **env):
    """Load the settings in a fresh process (they are read at import) with the given environment, then run code."""
    base_env = {key: value for key, value in os.environ.items() if key not in DECIDED_HERE}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=BASE_DIR,
        env={
            **base_env,
            "DJANGO_SETTINGS_MODULE": "glossary_site.settings",
            "VAR_DIR": str(tmp_path),
            "ENV_FILE": os.devnull,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def setting(tmp_path, name, **env):
    """The value a fresh process's settings give `name`, under the given environment."""
    result = start_django(tmp_path, f"from django.conf import settings; print(settings.{name})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def make_env_file(tmp_path):
    """Run the Makefile's rule for the local settings file, with VAR_DIR and the file in tmp_path."""
    env_file = tmp_path / ".env"
    subprocess.run(
        ["make", "--no-print-directory", str(env_file)],
        cwd=BASE_DIR,
        env={**os.environ, "ENV_FILE": str(env_file), "VAR_DIR": str(tmp_path)},
        check=True,
        capture_output=True,
    )
    return env_file


def secret_key_line(env_file: Path) -> str:
    return next(line for line in env_file.read_text().splitlines() if line.startswith("SECRET_KEY="))


@pytest.mark.parametrize("value", ["Production", "prod", "PRODUCTION", "staging", ""])
def test_unknown_environment_refuses_to_start(tmp_path, value):
    assert start_django(tmp_path, ENVIRONMENT=value).returncode != 0


@pytest.mark.parametrize("value", ["Production", "prod"])
def test_unknown_environment_is_named_in_the_error(tmp_path, value):
    assert f"ENVIRONMENT={value!r} is not known" in start_django(tmp_path, ENVIRONMENT=value).stderr


def test_unknown_environment_error_lists_the_allowed_values(tmp_path):
    assert "'local' or 'production'" in start_django(tmp_path, ENVIRONMENT="prod").stderr


def test_local_environment_starts(tmp_path):
    result = start_django(tmp_path, ENVIRONMENT="local")
    assert result.returncode == 0, result.stderr


def test_production_environment_starts_with_a_real_secret_key_and_site_url(tmp_path):
    result = start_django(
        tmp_path,
        ENVIRONMENT="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL="https://glossary.example.org",
    )
    assert result.returncode == 0, result.stderr


def test_environment_defaults_to_local(tmp_path):
    result = start_django(tmp_path)
    assert result.returncode == 0, result.stderr


def test_importing_settings_writes_no_file(tmp_path):
    setting(tmp_path, "SECRET_KEY")
    assert list(tmp_path.iterdir()) == []


def test_local_settings_without_a_key_use_the_development_only_key(tmp_path, settings):
    assert setting(tmp_path, "SECRET_KEY") == settings.DEVELOPMENT_SECRET_KEY


def test_local_settings_read_the_key_an_earlier_release_kept_in_var(tmp_path):
    (tmp_path / "secret_key").write_text("kept-by-an-earlier-release\n")
    assert setting(tmp_path, "SECRET_KEY") == "kept-by-an-earlier-release"


def test_production_never_falls_back_to_a_kept_key(tmp_path):
    (tmp_path / "secret_key").write_text(secrets.token_urlsafe(50))
    result = start_django(tmp_path, ENVIRONMENT="production", SITE_URL="https://glossary.example.org")
    assert "needs a real SECRET_KEY" in result.stderr


@pytest.fixture
def env_file(tmp_path):
    """An env file that sets RELEASE."""
    path = tmp_path / "site.env"
    path.write_text("RELEASE=from-the-file\n")
    return str(path)


def test_a_value_in_the_env_file_is_used(tmp_path, env_file):
    assert setting(tmp_path, "RELEASE", ENV_FILE=env_file) == "from-the-file"


def test_the_real_environment_beats_the_env_file(tmp_path, env_file):
    assert setting(tmp_path, "RELEASE", ENV_FILE=env_file, RELEASE="from-the-environment") == "from-the-environment"


def test_a_missing_env_file_is_no_error(tmp_path):
    assert start_django(tmp_path, ENV_FILE=str(tmp_path / "missing.env")).returncode == 0


def test_env_example_lists_every_variable_the_settings_read():
    read = set(re.findall(r"env\.\w+\(\s*[\"']([A-Z_]+)[\"']", SETTINGS_MODULE.read_text()))
    listed = set(re.findall(r"^(?:# )?([A-Z_]+)=", ENV_EXAMPLE.read_text(), re.MULTILINE))
    assert read - listed == set()


def test_env_example_as_it_stands_is_a_working_env_file(tmp_path):
    assert start_django(tmp_path, ENV_FILE=str(ENV_EXAMPLE)).returncode == 0


def test_make_writes_a_generated_secret_key_into_a_new_env_file(tmp_path):
    assert len(secret_key_line(make_env_file(tmp_path)).removeprefix("SECRET_KEY=")) >= 50


def test_production_accepts_the_key_make_generates(tmp_path):
    env_file = str(make_env_file(tmp_path))
    result = start_django(
        tmp_path, ENVIRONMENT="production", SITE_URL="https://glossary.example.org", ENV_FILE=env_file
    )
    assert result.returncode == 0, result.stderr


def test_make_keeps_the_secret_key_of_an_install_that_has_var_secret_key(tmp_path):
    (tmp_path / "secret_key").write_text("kept-by-an-earlier-release\n")
    assert secret_key_line(make_env_file(tmp_path)) == "SECRET_KEY="


def test_make_never_overwrites_an_env_file(tmp_path):
    (tmp_path / ".env").write_text("RELEASE=mine\n")
    assert make_env_file(tmp_path).read_text() == "RELEASE=mine\n"


PRINT_TOOLING_INSTALLED = "from django.apps import apps; print(apps.is_installed('tooling'))"


def test_production_settings_do_not_install_the_tooling_app(tmp_path):
    result = start_django(
        tmp_path,
        PRINT_TOOLING_INSTALLED,
        ENVIRONMENT="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL="https://glossary.example.org",
    )
    assert result.stdout.strip() == "False", result.stderr


def test_local_settings_install_the_tooling_app(tmp_path):
    result = start_django(tmp_path, PRINT_TOOLING_INSTALLED, ENVIRONMENT="local")
    assert result.stdout.strip() == "True", result.stderr


# Logging -------------------------------------------------------------------------------------------------------------


@pytest.fixture
def site_log():
    """What the site's own log handler (settings.LOGGING's console) writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_refused_page_is_logged_in_one_line(editor_client, draft_term, site_log):
    response = editor_client.get(reverse("admin:terms_term_review", args=[draft_term.pk]))
    assert response.status_code == 403
    assert site_log.getvalue().count("\n") == 1


def test_a_refused_page_is_logged_with_its_address(editor_client, draft_term, site_log):
    response = editor_client.get(reverse("admin:terms_term_review", args=[draft_term.pk]))
    assert response.status_code == 403
    assert f"Forbidden (Permission denied): /admin/terms/term/{draft_term.pk}/review/" in site_log.getvalue()


def test_a_refused_page_is_logged_without_a_traceback(editor_client, draft_term, site_log):
    response = editor_client.get(reverse("admin:terms_term_review", args=[draft_term.pk]))
    assert response.status_code == 403
    assert "Traceback" not in site_log.getvalue()


def test_a_request_for_an_unknown_host_is_logged_in_one_line(client, site_log):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert site_log.getvalue().count("\n") == 1


def test_a_request_for_an_unknown_host_is_logged_with_its_reason_once(client, site_log):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert site_log.getvalue().count("Invalid HTTP_HOST header: 'evil.example'") == 1


# SITE_URL -------------------------------------------------------------------------------------------------------------

PRODUCTION = {
    "ENVIRONMENT": "production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "glossary.example.org",
}


def test_production_refuses_to_start_without_a_site_url(manage):
    result = manage("check", **PRODUCTION, SITE_URL="")
    assert "ENVIRONMENT=production needs SITE_URL" in result.stderr


def test_production_refuses_a_site_url_without_https(manage):
    result = manage("check", **PRODUCTION, SITE_URL="http://glossary.example.org")
    assert "ENVIRONMENT=production needs SITE_URL" in result.stderr


def test_a_site_url_without_a_scheme_is_refused(manage):
    result = manage("check", SITE_URL="glossary.example.org")
    assert "SITE_URL must be a scheme and a host" in result.stderr


def test_the_local_site_url_follows_host_and_port(manage):
    result = manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        HOST="localhost",
        PORT="9001",
        SITE_URL="",
    )
    assert result.stdout.strip() == "http://localhost:9001"


PRINT_MEDIA_STORAGE = "from django.core.files.storage import storages; print(type(storages['default']).__name__)"


def test_images_are_stored_on_the_filesystem_by_default(tmp_path):
    assert start_django(tmp_path, PRINT_MEDIA_STORAGE).stdout.strip() == "FileSystemStorage"


def test_images_are_stored_in_an_s3_bucket_when_the_environment_says_so(tmp_path):
    result = start_django(tmp_path, PRINT_MEDIA_STORAGE, MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="glossary")
    assert result.stdout.strip() == "S3Storage", result.stderr


def test_the_s3_bucket_is_named_by_the_environment(tmp_path):
    code = "from django.core.files.storage import storages; print(storages['default'].bucket_name)"
    result = start_django(tmp_path, code, MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="glossary")
    assert result.stdout.strip() == "glossary", result.stderr


def test_s3_storage_without_a_bucket_refuses_to_start(tmp_path):
    assert "AWS_STORAGE_BUCKET_NAME" in start_django(tmp_path, MEDIA_STORAGE="s3").stderr


def test_an_unknown_media_storage_refuses_to_start(tmp_path):
    assert "MEDIA_STORAGE='ftp' is not known" in start_django(tmp_path, MEDIA_STORAGE="ftp").stderr


def test_emails_are_printed_to_the_console_by_default(tmp_path):
    assert setting(tmp_path, "EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend"


def test_email_url_chooses_the_smtp_server(tmp_path):
    url = "smtp+tls://glossary:secret@smtp.example.org:587"
    assert setting(tmp_path, "EMAIL_HOST", EMAIL_URL=url) == "smtp.example.org"


def test_an_unknown_email_url_stops_the_site(tmp_path):
    result = start_django(tmp_path, EMAIL_URL="carrier-pigeon://loft")
    assert "Invalid email schema carrier-pigeon" in result.stderr


def test_emails_come_from_the_configured_sender(tmp_path):
    sender = "Glossary team <team@example.org>"
    assert setting(tmp_path, "DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL=sender) == sender
