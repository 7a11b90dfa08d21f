"""On the demo data, every figure of the dashboard equals the count of the list it links to, for
every demo user who sees the dashboard (issue 14: a numerator read 53 and its list said 52).

A figure that counts something other than cases (recommendations, reply deadlines, items,
lawsuits, rulings, hearings) shows, next to its count, how many cases those are, and links that
number to the case list: the test compares the case count with the list and the unit count with
the figure the list's banner repeats.

The demo is seeded once for the module (a few seconds) inside a transaction rolled back at the end.
"""

from __future__ import annotations

import re
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from accounts.models import User
from dashboard import metrics

PASSWORD = "demo-test-pass"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed once, roll back at the end (see tests/demo/test_seed_demo.py). Every test takes `db`
    as well, so pytest-django does not tear this down between tests."""
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    hashers.enable()
    atomic = transaction.atomic()
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as env:
        env.setenv("DEMO_PASSWORD", PASSWORD)
        atomic.__enter__()
        call_command("seed_demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    hashers.disable()


def _dashboard_users() -> list[User]:
    return [u for u in User.objects.order_by("username") if metrics.can_view_dashboard(u)]


def _list(client, url: str) -> tuple[int, str]:
    """How many rows the list behind `url` holds (its paginator's exact count), and the text of its
    drill-down banner (figure, part, period, procuratorates, and the figure's own count)."""
    response = client.get(url)
    assert response.status_code == 200, url
    paginator = response.context["page_obj"].paginator
    assert getattr(paginator, "count_exact", True) is not False, url
    match = re.search(r'id="drill-down"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    banner = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""
    return paginator.count, banner


def test_demo_has_dashboard_users(db, demo):
    names = {u.username for u in _dashboard_users()}
    assert {"supervisor1", "supervisor2", "supervisor3"} <= names


def test_every_figure_equals_the_count_of_its_drill_down_for_every_demo_user(db, demo, client):
    users = _dashboard_users()
    disagreements = []
    checked = 0
    for user in users:
        client.force_login(user)
        response = client.get(reverse("dashboard_data"))
        assert response.status_code == 200, user.username
        for figure in response.json()["figures"]:
            parts = (
                [
                    ("numerator", figure["numerator"], figure["numerator_cases"], figure["numerator_url"]),
                    ("denominator", figure["denominator"], figure["denominator_cases"], figure["url"]),
                ]
                if figure["denominator"] is not None
                else [("value", figure["value"], figure["cases"], figure["url"])]
            )
            for part, count, cases, url in parts:
                # Cases (or leads) are counted directly; any other unit says how many cases it covers.
                expected = count if cases is None else cases
                listed, banner = _list(client, url)
                checked += 1
                if listed != expected:
                    disagreements.append((user.username, figure["code"], part, expected, listed))
                if figure["code"] != "leads":
                    # The case list names the figure, and repeats its own count where it counts
                    # something else than cases.
                    assert figure["label"] in banner, (user.username, figure["code"], part)
                    if cases is not None:
                        assert f"（{count}）" in banner, (user.username, figure["code"], part, banner)
        client.logout()
    assert checked >= len(users) * 11
    assert not disagreements, disagreements


def test_the_dashboard_page_shows_the_case_count_beside_a_figure_of_another_unit(db, demo, client):
    client.force_login(User.objects.get(username="supervisor1"))
    html = client.get(reverse("dashboard")).content.decode()
    card = html.split('id="figure-on_time_reply_rate"', 1)[1].split('id="figure-', 1)[0]
    assert "检察建议" in card and "涉及案件" in card


def test_the_drill_down_list_names_the_figure_and_period_and_hides_its_technical_filters(db, demo, client):
    supervisor = User.objects.get(username="supervisor1")
    client.force_login(supervisor)
    figures = client.get(reverse("dashboard_data")).json()["figures"]
    figure = next(f for f in figures if f["code"] == "on_time_reply_rate")
    html = client.get(figure["numerator_url"]).content.decode()
    _count, banner = _list(client, figure["numerator_url"])
    year = parse_qs(urlsplit(figure["numerator_url"]).query)["figure_from"][0][:4]
    assert "按期回复率" in banner and "分子：按期回复的检察建议" in banner
    assert f"统计期间：{year}年1月1日至{year}年12月31日" in banner
    assert f"{supervisor.organisation.name}及下级院" in banner
    assert 'href="/dashboard/?' in html and "返回统计分析" in html
    # The raw fields are not shown as filters, only carried as hidden inputs (paging, sorting and
    # the filter form keep the drill-down).
    assert "检察院（编号，以逗号分隔）" not in html and "统计基准日" not in html
    for name in ("figure", "figure_from", "figure_to", "as_of", "procuratorate_in"):
        assert re.search(rf'<input type="hidden" name="{name}" value="[^"]+"', html), name
    assert "figure=on_time_reply_rate%3Anumerator" in html  # the sort links keep it
