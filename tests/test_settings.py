"""Settings read from the environment: a value the site does not know stops it from starting."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def start_django(tmp_path, code="import django; django.setup()", **env):
    """Run `code` in a fresh process (settings are read at import) with the given environment."""
    base_env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ENVIRONMENT", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**base_env, "DJANGO_SETTINGS_MODULE": "glossary_site.settings", "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


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


PRINT_TOOLING_INSTALLED = (
    "import django; django.setup(); from django.apps import apps; print(apps.is_installed('tooling'))"
)


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
