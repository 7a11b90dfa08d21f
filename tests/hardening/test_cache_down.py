"""With the cache unreachable (Redis stopped) every page a supervisor lands on still answers: the
dashboard computes its numbers live and says so, and the outage is logged once, not per request."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from dashboard import snapshots
from tests.factories import CaseFactory, LeadFactory

# Nothing listens on port 1: every cache call fails with a refused connection, like a stopped Redis.
UNREACHABLE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


@pytest.fixture
def cache_down(settings):
    reachable = settings.CACHES
    settings.CACHES = UNREACHABLE  # Django's setting_changed signal rebuilds the cache handler
    settings.DASHBOARD_CACHE_MINUTES = 15
    snapshots._cache_down = False
    yield
    snapshots._cache_down = False
    settings.CACHES = reachable  # before the autouse fixture clears the cache


def _pages(world) -> list[str]:
    lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator)
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, lead=lead)
    return [
        reverse("home"),
        reverse("dashboard"),
        reverse("dashboard") + "?refresh=1",
        reverse("dashboard_data"),
        reverse("case_list"),
        reverse("case_detail", args=[case.pk]),
        reverse("lead_list"),
        reverse("lead_detail", args=[lead.pk]),
        reverse("approval_list"),
        reverse("notifications:list"),
        reverse("reports_index"),
        reverse("case_export_csv"),
        "/api/v1/cases/",
    ]


def test_cache_is_really_unreachable(cache_down):
    from django.core.cache import cache  # the handler as rebuilt for this test

    with pytest.raises(Exception):  # noqa: B017 - whatever the Redis client raises
        cache.get("anything")


@pytest.mark.parametrize("who", ["supervisor", "city_supervisor"])
def test_every_supervisor_page_answers_with_the_cache_down(client, world, cache_down, who):
    pages = _pages(world)
    client.force_login(getattr(world, who))
    for url in pages:
        response = client.get(url)
        assert response.status_code < 500, url
        assert response.status_code in (200, 302), (url, response.status_code)


def test_the_dashboard_says_its_numbers_are_computed_live(client, world, cache_down):
    client.force_login(world.supervisor)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "实时计算" in response.content.decode()
    assert client.get(reverse("dashboard_data")).json()["cache_unavailable"] is True


def test_the_dashboard_has_no_notice_when_the_cache_answers(client, world):
    client.force_login(world.supervisor)
    response = client.get(reverse("dashboard"))
    assert "实时计算" not in response.content.decode()
    assert client.get(reverse("dashboard_data")).json()["cache_unavailable"] is False


def test_the_outage_is_logged_once(client, world, cache_down, caplog):
    client.force_login(world.supervisor)
    with caplog.at_level(logging.WARNING, logger="dashboard.snapshots"):
        for _ in range(3):
            assert client.get(reverse("dashboard")).status_code == 200
    outages = [r for r in caplog.records if r.name == "dashboard.snapshots" and "unreachable" in r.getMessage()]
    assert len(outages) == 1


def test_login_works_with_the_cache_down(client, world, cache_down):
    world.supervisor.set_password("a-long-test-password-1")
    world.supervisor.save()
    response = client.post(
        reverse("login"), {"username": world.supervisor.username, "password": "a-long-test-password-1"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).status_code == 200
