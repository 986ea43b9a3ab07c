"""Settings read from the environment: a value the site does not know stops it from starting."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def start_django(tmp_path, **env):
    """Load the settings in a fresh process (they are read at import) with the given environment."""
    base_env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ENVIRONMENT", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
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
