"""Response headers (issue 16, Hardening): a Content-Security-Policy without 'unsafe-inline' that the
pages really satisfy (no inline script, event handler or style left), Permissions-Policy, no-store
on private responses, HTTPS settings from the environment, and `check --deploy` clean with the
production settings the README documents."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pil_tracker.env import env_header, env_proxy_ssl_header
from tests.factories import CaseFactory, LeadFactory, draft_recommendation

ROOT = Path(__file__).resolve().parent.parent.parent


class _InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block in a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self._in_inline_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")


def inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


def test_the_policy_allows_nothing_inline(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.html"))
)
def test_no_template_has_inline_script_handlers_or_styles(template):
    text = (ROOT / template).read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>: move it to static/js/"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"\sstyle\s*=|<style", text), "inline style: use a class in static/css/"


def test_rendered_pages_satisfy_the_policy(client, world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    draft = draft_recommendation(case, world.agency1)
    client.force_login(world.procurator)
    pages = [f"/cases/{case.pk}/", f"/recommendations/{draft.pk}/edit/", "/cases/", "/leads/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
    client.force_login(world.supervisor)
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    assert inline_code(html) == []
    assert 'id="dashboard-charts" type="application/json"' in html  # the chart data, as data


def test_the_swagger_ui_runs_under_the_policy(client, db):
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert page.status_code == 200 and inline_code(html) == []
    script = re.search(r'<script src="([^"]*\?[^"]*script[^"]*)"', html).group(1).replace("&amp;", "&")
    start = client.get(script)
    assert start.status_code == 200
    assert start["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in start.content


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_private_responses_are_not_stored(client, world):
    LeadFactory(procuratorate=world.district)
    client.force_login(world.procurator)
    assert _no_store(client.get("/leads/"))
    assert _no_store(client.get("/cases/export.csv"))
    assert _no_store(client.get("/api/v1/leads/"))
    client.logout()
    assert _no_store(client.get("/api/v1/leads/"))  # the 401 too


def test_https_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PROXY_SSL", "X-Forwarded-Proto")
    assert env_proxy_ssl_header("PROXY_SSL") == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setenv("PROXY_SSL", "X-Forwarded-Ssl=on")
    assert env_proxy_ssl_header("PROXY_SSL") == ("HTTP_X_FORWARDED_SSL", "on")
    monkeypatch.setenv("PROXY_SSL", "")
    assert env_proxy_ssl_header("PROXY_SSL") is None
    monkeypatch.setenv("PROXY_SSL", "X Forwarded")
    with pytest.raises(ImproperlyConfigured, match="PROXY_SSL"):
        env_proxy_ssl_header("PROXY_SSL")
    assert env_header("UNSET_HEADER_VARIABLE", "X-Real-IP") == "HTTP_X_REAL_IP"


def _documented_production_settings() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("`manage.py check --deploy` reports nothing", 1)[1].split("\n\n", 2)[1]
    values = dict(line.strip().split("=", 1) for line in block.splitlines())
    assert {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"} <= set(values)
    values["SECRET_KEY"] = "x7Kq-production-like-test-key-" + "Zr9wP3mT5vY1bN8cQ4hJ6gL2dF0sA"
    return values


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    settings_source = (ROOT / "pil_tracker" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\benv_\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", settings_source))
    unset = read | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the latter: a test-only switch
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env |= _documented_production_settings() | {"PIL_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
