"""Real-browser tests (issue 14): Playwright for Python driving Debian's Chromium against
pytest-django's live server.

Every page a test loads is checked with axe-core (WCAG 2 A/AA and 2.1 A/AA): `Browser.goto`,
`Browser.submit` and `Browser.follow` check the page they land on, and a test that let a page load
without checking it fails at teardown. Screenshots go to build/screenshots/.

Without Playwright or the browser every test here is skipped with one message naming what to
install. The browser is Debian's (`apt-get install chromium fonts-wqy-microhei`, the CJK font), at
$PIL_CHROMIUM or /usr/bin/chromium; `playwright install` is never needed.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Playwright's sync API keeps an event loop in the main thread from its start (a session fixture)
# to the end of the run; Django refuses ORM calls from a thread with a running loop unless told
# that this is deliberate. Set when this folder is collected, for the whole run: the session-scoped
# database setup may come after Playwright's start. (tests/hardening/test_headers.py keeps it out
# of its deployment check.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PIL_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _unavailable() -> str | None:
    """Why the browser tests cannot run here, or None."""
    install = "apt-get install chromium fonts-wqy-microhei"
    try:
        importlib.import_module("playwright.sync_api")
    except ImportError:
        return "browser tests skipped: playwright is not installed; make install (requirements/dev.txt)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"browser tests skipped: {CHROMIUM} not found; {install} (or set PIL_CHROMIUM)"
    if not AXE_JS.is_file():
        return f"browser tests skipped: {AXE_JS.relative_to(ROOT)} not found; npm ci"
    return None


def skip_module_unless_available() -> None:
    """Called at the top of each test module here: one SKIPPED line for the module, with the reason."""
    reason = _unavailable()
    if reason:
        pytest.skip(reason, allow_module_level=True)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    reason = _unavailable()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with a MEDIA_URL: the settings have none (uploads are
    only ever served by views that check scope), and Django's live server thread cannot start its
    media handler without one. Nothing links to this prefix."""
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with override_settings(MEDIA_URL="/__live-server-media__/"):
        server = LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture
def seeded(transactional_db):
    """The rows the data migrations seed (domains, deadline rules, the holiday calendar): the live
    server's tests are transactional, and an earlier transactional test flushed every table."""
    from django.apps import apps

    for module in (
        "cases.migrations.0002_seed_domains",
        "deadlines.migrations.0002_seed_rules",
        "deadlines.migrations.0003_seed_calendar",
    ):
        importlib.import_module(module).seed(apps, None)


def _interference_left() -> int:
    from interference.models import InterferenceRecord

    return InterferenceRecord.objects.count()


@pytest.fixture
def live(live_server, seeded, world):
    """The live server's address, with the shared world and the seeded rows. On SQLite the flush
    after a transactional test cannot delete interference records (their trigger refuses), so no
    browser test may leave one."""
    yield live_server.url
    assert _interference_left() == 0, "a browser test left an interference record: SQLite cannot flush it"


class AccessibilityError(AssertionError):
    pass


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a browser test's own steps: fail it with the axe violations of every page it visited
    (when the test failed on its own, they are added to its report as the section "axe")."""
    try:
        result = yield
    except BaseException:
        violations = _violations(item)
        if violations:
            item.add_report_section("call", "axe", "\n".join(violations))
        raise
    violations = _violations(item)
    if violations:
        raise AccessibilityError("\n".join(violations))
    return result


def _violations(item) -> list[str]:
    opened = getattr(getattr(item, "funcargs", {}).get("open_browser"), "opened", [])
    return [v for browser in opened for v in browser.violations]


_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))
  }));
}"""


def assert_accessible(page) -> None:
    """axe-core on the page as it is now; fails listing every WCAG 2 A/AA violation (rule id,
    element, what is wrong). axe is evaluated into the page rather than added as a <script> tag,
    which the Content-Security-Policy (script-src 'self') would refuse."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    violations = page.evaluate(_AXE_RUN, AXE_TAGS)
    if violations:
        lines = [f"axe: {len(violations)} WCAG 2 A/AA rule(s) violated on {page.url}"]
        for violation in violations:
            nodes = violation["nodes"]
            lines.append(f"- {violation['id']} ({violation['impact']}, {len(nodes)} element(s)): {violation['help']}")
            for node in nodes[:3]:
                lines.append(f"    {node['target']}: {' '.join(node['summary'].split())[:240]}")
            if len(nodes) > 3:
                lines.append(
                    "    also: " + ", ".join(node["target"] for node in nodes[3:12]) + (" …" if len(nodes) > 12 else "")
                )
        raise AccessibilityError("\n".join(lines))


class Browser:
    """One browser tab of one user, for a test. Each navigation checks the page it lands on with
    axe; `problems` collects what the page said in its console about CSP refusals and errors."""

    def __init__(self, context, base_url: str):
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.loads: list[str] = []
        self.checked: list[str] = []
        self.problems: list[str] = []
        self.violations: list[str] = []
        self.checked_pages: set[str] = set()
        self.page.on("load", lambda page: self.loads.append(page.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message) -> None:
        if message.type == "error" and "favicon" not in (message.location or {}).get("url", ""):
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    # -- navigation, each followed by the accessibility check -----------------------------------

    def check(self) -> None:
        """axe on the current page. A violation does not stop the test (so one run shows every
        page's problems and the path's own assertions still run); the test fails at its end with
        all of them (pytest_runtest_call below)."""
        self.page.wait_for_load_state("load")
        self.checked.append(self.page.url)
        page = self.page.url.split("?")[0]
        if page in self.checked_pages:
            return  # the same page with other filters (a figure's drill-down): checked once
        self.checked_pages.add(page)
        try:
            assert_accessible(self.page)
        except AccessibilityError as error:
            self.violations.append(str(error))

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"GET {path}: {response and response.status}"
        self.check()

    def submit(self, button) -> None:
        """Click a submit button (a Locator or a name) and wait for the next page."""
        if isinstance(button, str):
            button = self.page.get_by_role("button", name=button, exact=True)
        with self.page.expect_navigation():
            button.click()
        self.check()

    def follow(self, link) -> None:
        if isinstance(link, str):
            link = self.page.get_by_role("link", name=link, exact=True)
        with self.page.expect_navigation():
            link.first.click()
        self.check()

    def login(self, user, password: str | None = None) -> None:
        from tests.factories import TEST_PASSWORD

        self.goto("/accounts/login/")
        self.page.locator("input[name=username]").fill(user.username)
        self.page.locator("input[name=password]").fill(password or TEST_PASSWORD)
        self.submit(self.page.locator("form button[type=submit]").last)
        assert "/accounts/login/" not in self.page.url, f"login of {user.username} failed"

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    # -- reading the page -----------------------------------------------------------------------

    def text(self) -> str:
        return self.page.locator("main").inner_text()

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).fill(value)

    def choose_agency(self, field_id: str, name: str) -> None:
        """Pick `name` in the searchable agency select (static/js/agency-select.js): type part of the
        name, wait for the server's answer, click the option."""
        control = self.page.locator(f"#{field_id}-ts-control")
        control.click()
        control.fill(name[:4])
        option = self.page.locator(".ts-dropdown .option", has_text=name).first
        option.click()
        self.page.keyboard.press("Escape")
        assert self.page.locator(f"#{field_id} option:checked").inner_text().strip() == name

    def pk_in_url(self, prefix: str) -> int:
        match = re.search(rf"/{prefix}/(\d+)/", self.page.url)
        assert match, f"{self.page.url} is not a /{prefix}/<id>/ page"
        return int(match.group(1))


@pytest.fixture
def open_browser(chromium, live) -> Iterator:
    """open_browser(viewport=...) -> a Browser with its own cookies (one user each)."""
    opened: list[Browser] = []

    def make(viewport: dict | None = None, downloads: bool = False) -> Browser:
        context = chromium.new_context(viewport=viewport or DESKTOP, locale="zh-CN", accept_downloads=downloads)
        context.set_default_timeout(15_000)
        browser = Browser(context, live)
        opened.append(browser)
        return browser

    make.opened = opened  # type: ignore[attr-defined]
    yield make
    unchecked = []
    problems = []
    for browser in opened:
        unchecked += [url for url in browser.loads if url not in browser.checked and "/download" not in url]
        problems += browser.problems
        browser.context.close()
    assert not unchecked, "pages loaded without an accessibility check: " + json.dumps(unchecked)
    assert not problems, "the browser reported:\n" + "\n".join(problems)
