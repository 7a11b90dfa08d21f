"""`make run` shows the product, not Django's debug pages (issue 14): DEBUG off, the product's own
error pages, static files and the favicon served, and the demo logins the README lists."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import Client, override_settings
from django.urls import path

import pil_tracker.urls
from demo.data import DEMO_USERS, demo_logins
from scripts.run import demo_logins_text, launcher_environment, web_command

ROOT = Path(__file__).resolve().parent.parent


def _boom(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    raise PermissionDenied


# A URLconf with a failing view and a refusing one in front of the site's own (its handler500).
urlpatterns = [path("test-boom/", _boom), path("test-forbidden/", _forbidden), *pil_tracker.urls.urlpatterns]
handler500 = pil_tracker.urls.handler500

PRODUCT = override_settings(DEBUG=False, WHITENOISE_USE_FINDERS=True, ROOT_URLCONF=__name__)


# ---- the launcher's choice ---------------------------------------------------------------------


def test_make_run_turns_debug_off_whatever_the_shell_exported():
    env = launcher_environment(dev=False, environ={"DEBUG": "1"})
    assert env["DEBUG"] == "0"
    assert env["WHITENOISE_USE_FINDERS"] == "1"
    assert env["ALLOWED_HOSTS"].split(",") == ["127.0.0.1", "localhost"]
    assert "--noreload" in web_command(dev=False, port=8000)


def test_make_dev_turns_debug_on_with_the_reloader():
    env = launcher_environment(dev=True, environ={"DEBUG": "0"})
    assert env["DEBUG"] == "1"
    assert "--noreload" not in web_command(dev=True, port=8000)


def test_the_launcher_keeps_the_callers_hosts_and_adds_its_own():
    env = launcher_environment(dev=False, environ={"ALLOWED_HOSTS": "pil.example, localhost"})
    assert env["ALLOWED_HOSTS"].split(",") == ["pil.example", "localhost", "127.0.0.1"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> tuple[int, str, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace"), response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), error.headers.get("Location", "")


def test_the_web_server_make_run_starts_shows_the_product(tmp_path):
    """The web command and environment of `make run`, really started (no secret key set: one is
    generated into the var folder): a missing page is our 404, static files and the favicon are
    served."""
    settings_read = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "WHITENOISE_USE_FINDERS", "DATABASE_URL", "REDIS_URL"}
    env = {k: v for k, v in os.environ.items() if k not in settings_read and k != "DJANGO_SETTINGS_MODULE"}
    env |= launcher_environment(dev=False, environ={}) | {"PIL_VAR_DIR": str(tmp_path / "var")}
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - the launcher's own command
        web_command(dev=False, port=port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body, _ = _fetch(f"{base}/no-such-page/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.communicate()[0]
                assert time.monotonic() < deadline, "runserver did not start"
                time.sleep(0.3)
        assert status == 404
        assert "您要访问的页面不存在" in body
        assert "URLconf" not in body  # Django's debug page lists the URL patterns
        status, body, _ = _fetch(f"{base}/static/css/app.css")
        assert status == 200 and body == (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
        assert _fetch(f"{base}/static/vendor/bootstrap/css/bootstrap.min.css")[0] == 200
        status, _, location = _fetch(f"{base}/favicon.ico")
        assert status == 302 and location == "/static/favicon.svg"
        assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        server.terminate()
        server.communicate(timeout=20)


def test_the_var_folder_with_the_secret_key_is_not_committed():
    assert "/var/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


# ---- the error pages ---------------------------------------------------------------------------


@pytest.mark.django_db
@PRODUCT
def test_a_missing_page_shows_our_404_not_djangos_debug_page():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "您要访问的页面不存在" in body and "favicon.svg" in body
    assert "URLconf" not in body


@pytest.mark.django_db
@PRODUCT
def test_a_refusal_shows_our_403():
    response = Client().get("/test-forbidden/")
    assert response.status_code == 403
    assert "您没有进行此操作的权限" in response.content.decode()


@pytest.mark.django_db
@PRODUCT
def test_a_crash_shows_our_500():
    response = Client(raise_request_exception=False).get("/test-boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器错误" in body and "css/app.css" in body
    assert "a bug" not in body and "Traceback" not in body


@pytest.mark.django_db
@override_settings(DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"])
def test_a_bad_request_shows_our_400():
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


def test_the_500_and_400_pages_need_no_context_and_no_database():
    """No django_db mark: any query would fail. Django renders these without a request."""
    for name, text in [("500.html", "服务器错误"), ("400.html", "请求无效"), ("403_csrf.html", "表单已失效")]:
        assert text in loader.get_template(name).render()


@pytest.mark.django_db
@PRODUCT
def test_static_files_are_served_with_debug_off():
    response = Client().get("/static/css/app.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (ROOT / "static" / "css" / "app.css").read_bytes()
    response.close()


# ---- the favicon -------------------------------------------------------------------------------


@pytest.mark.django_db
@PRODUCT
def test_the_favicon_is_served_and_linked():
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    icon = Client().get(response["Location"])
    assert icon.status_code == 200 and icon["Content-Type"].startswith("image/svg+xml")
    assert b"".join(icon.streaming_content) == (ROOT / "static" / "favicon.svg").read_bytes()
    icon.close()
    page = Client().get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page


# ---- the demo logins ---------------------------------------------------------------------------


def _readme_demo_logins() -> dict[str, str]:
    """username → the role column of its row in the README's Demo logins section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Demo logins", 1)[1].split("\n#", 1)[0]
    listed: dict[str, str] = {}
    for row in re.findall(r"^\|(.+)\|(.+)\|$", section, flags=re.MULTILINE):
        users, role = row
        for username in re.findall(r"`([^`]+)`", users):
            assert username not in listed, f"{username} is listed twice"
            listed[username] = role
    return listed


def test_the_readme_lists_every_demo_user_with_its_role_and_nothing_else():
    listed = _readme_demo_logins()
    assert set(listed) == {user.username for user in DEMO_USERS}
    for role, usernames in demo_logins():
        for username in usernames:
            assert f"({role}" in listed[username], f"{username}: the README says {listed[username]!r}, not {role}"


def test_the_launcher_prints_every_demo_user():
    printed = demo_logins_text()
    assert set(re.findall(r"[a-z]+\d*", printed)) >= {user.username for user in DEMO_USERS}
    assert len(printed.splitlines()) == len(demo_logins())
