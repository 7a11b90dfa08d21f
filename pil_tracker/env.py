"""Reading settings from the environment, failing loudly on a bad value.

Every helper names the variable in its error so that an operator who mistypes
`DEBUG=ture` learns which line of their environment is wrong at start-up,
not from a confusing error later.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_database(name: str, default: str) -> dict:
    import dj_database_url

    raw = os.environ.get(name) or default
    if not raw.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not supported; use postgres://user@host:port/db or sqlite:///path."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    if config["ENGINE"] == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database.")
    return config


def env_redis_url(name: str) -> str:
    raw = os.environ.get(name, "").strip()
    if raw and not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a Redis URL (redis://host:port/db).")
    return raw


def env_secret_key(name: str, key_file: Path) -> str:
    """The secret key: the variable when it is set, otherwise a key generated once into `key_file`.

    Unset, every command works on a fresh clone (the key is created on first use, readable by its
    owner only, and kept, so sessions and signed links survive a restart). Set but empty is a
    mistake (say a template left blank) and stops the start rather than silently using the file.
    """
    raw = os.environ.get(name)
    if raw is not None:
        if not raw.strip():
            raise ImproperlyConfigured(
                f"{name} is set but empty; set a long random value, or unset it to use the key kept in {key_file}."
            )
        return raw
    try:
        return _read_key(key_file)
    except FileNotFoundError:
        pass
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # Written to a private temporary file and then linked into place: when web, worker and beat
    # start together on a fresh clone, exactly one key wins and nobody reads a half-written file.
    descriptor, temporary = tempfile.mkstemp(dir=key_file.parent, prefix=".secret_key.")  # mode 0600
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(50) + "\n")
        with contextlib.suppress(FileExistsError):  # another process created it first: use theirs
            os.link(temporary, key_file)
    finally:
        os.unlink(temporary)
    return _read_key(key_file)


def _read_key(key_file: Path) -> str:
    key = key_file.read_text(encoding="ascii").strip()
    if not key:
        raise ImproperlyConfigured(f"{key_file} is empty; delete it to generate a new key, or set SECRET_KEY.")
    return key


def _meta_key(name: str, header: str) -> str:
    if not header or not all(part.isalnum() for part in header.split("-")):
        raise ImproperlyConfigured(f"{name}={header!r} is not an HTTP header name (e.g. X-Forwarded-For).")
    return "HTTP_" + header.upper().replace("-", "_")


def env_header(name: str, default: str = "") -> str:
    """An HTTP request header as its request.META key (X-Forwarded-For becomes HTTP_X_FORWARDED_FOR),
    or "" when the variable is empty."""
    raw = os.environ.get(name, default).strip()
    return _meta_key(name, raw) if raw else ""


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from `Header` or `Header=value` (value `https` by default): the header
    the HTTPS reverse proxy sets so Django knows the original request was secure. Unset: none."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, _, value = raw.partition("=")
    return (_meta_key(name, header.strip()), value.strip() or "https")
