"""A bad environment fails at start with a message naming the variable; the defaults start.

Each case starts `django.setup()` in a fresh interpreter, because settings are read once per
process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "pil_tracker" / "settings.py"


def _variables_read_by_settings() -> set[str]:
    return set(re.findall(r"\benv_\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", SETTINGS.read_text(encoding="utf-8")))


def _start(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    # Start from the caller's environment without anything the settings read (CI sets
    # DATABASE_URL and REDIS_URL, the Makefile sets SECRET_KEY), then add the case's own.
    env = {k: v for k, v in os.environ.items() if k not in _variables_read_by_settings()}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({"PIL_VAR_DIR": str(tmp_path / "var"), **variables})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "pil_tracker.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_default_settings_start_in_debug(tmp_path):
    result = _start(tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_the_embedded_queue_and_cache_live_under_the_var_folder(tmp_path):
    """The filesystem transport, its control folder, the result backend and the file cache are all
    under PIL_VAR_DIR (kombu's own default for the control folder is ./control)."""
    env = {k: v for k, v in os.environ.items() if k not in _variables_read_by_settings()}
    env.update({"PIL_VAR_DIR": str(tmp_path / "var"), "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "pil_tracker.settings"})
    script = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([*s.CELERY_BROKER_TRANSPORT_OPTIONS.values(), s.CELERY_RESULT_BACKEND,"
        " str(s.CACHES['default']['LOCATION'])]))"
    )
    result = subprocess.run(  # noqa: S603 - the test's own fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    import json

    places = [p for p in json.loads(result.stdout.splitlines()[-1]) if isinstance(p, str)]
    assert len(places) >= 6
    var = str(tmp_path / "var")
    assert all(var in place for place in places), places


def test_settings_start_with_a_secret_key_and_no_debug(tmp_path):
    result = _start(tmp_path, SECRET_KEY="a-test-value")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "ture"),
        ("DEBUG", "2"),
        ("DATABASE_URL", "mysql://user@localhost/pil"),
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:5432"),
        ("REDIS_URL", "http://127.0.0.1:6379/0"),
        ("REDIS_URL", "127.0.0.1:6379"),
        ("PAGE_SIZE", "twenty"),
        ("EMAIL_USE_TLS", "maybe"),
    ],
)
def test_a_bad_value_fails_at_start_naming_the_variable(tmp_path, variable, value):
    result = _start(tmp_path, SECRET_KEY="a-test-value", **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


def _key_of(tmp_path: Path, **variables: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in _variables_read_by_settings()}
    env.update({"PIL_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "pil_tracker.settings", **variables})
    script = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    result = subprocess.run(  # noqa: S603 - the test's own fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1]


def test_without_secret_key_a_key_is_generated_once_into_the_var_folder(tmp_path):
    """A fresh clone runs any manage.py command without DEBUG: the key is created on first use,
    private to its owner, and the same on every later start."""
    key_file = tmp_path / "var" / "secret_key"
    first = _key_of(tmp_path)
    assert key_file.read_text(encoding="ascii").strip() == first
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert _key_of(tmp_path) == first
    assert _key_of(tmp_path, SECRET_KEY="from-the-environment") == "from-the-environment"
    assert not [p for p in key_file.parent.iterdir() if p.name.startswith(".secret_key.")]


def test_another_var_folder_gets_another_key(tmp_path):
    assert _key_of(tmp_path / "a") != _key_of(tmp_path / "b")


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_secret_key_fails_naming_it(tmp_path, value):
    result = _start(tmp_path, SECRET_KEY=value, DEBUG="1")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_an_empty_key_file_fails_naming_it(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret_key").write_text("\n", encoding="ascii")
    result = _start(tmp_path)
    assert result.returncode != 0
    assert "secret_key" in result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M))
    missing = sorted(_variables_read_by_settings() - listed)
    assert not missing, f".env.example lacks {missing}"
