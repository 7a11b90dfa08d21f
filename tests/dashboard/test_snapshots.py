"""Kept dashboards: the page a supervisor lands on comes from a snapshot computed ahead of time by
beat, says when it was computed, can be recomputed, and never crosses scope, day or language."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import Case
from dashboard import metrics
from dashboard.snapshots import dashboard_snapshot, dashboards_warm
from dashboard.tasks import warm_dashboard, warm_dashboards
from tests.factories import CaseFactory, UserFactory

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def opened(world) -> int:
    scope = metrics.scope_for(world.city_supervisor, today=TODAY)
    (figure,) = (f for f in dashboard_snapshot(scope, today=TODAY).figures if f.code == "cases_opened")
    return figure.value


def test_the_page_is_kept_until_recomputed(client, world):
    CaseFactory(procuratorate=world.district, handler=world.procurator, opened_on=datetime.date(2026, 3, 1))
    client.force_login(world.city_supervisor)
    data = client.get(reverse("dashboard_data")).json()
    assert {f["code"]: f["value"] for f in data["figures"]}["cases_opened"] == 1
    CaseFactory(procuratorate=world.district, handler=world.procurator, opened_on=datetime.date(2026, 4, 1))
    # Kept: the second case is not counted yet, and the page says when its numbers were computed.
    data = client.get(reverse("dashboard_data")).json()
    assert {f["code"]: f["value"] for f in data["figures"]}["cases_opened"] == 1
    assert "数据计算于" in client.get(reverse("dashboard")).content.decode()
    # Recomputed on request, and kept again.
    data = client.get(reverse("dashboard_data"), {"refresh": "1"}).json()
    assert {f["code"]: f["value"] for f in data["figures"]}["cases_opened"] == 2
    data = client.get(reverse("dashboard_data")).json()
    assert {f["code"]: f["value"] for f in data["figures"]}["cases_opened"] == 2


def test_a_snapshot_never_serves_another_scope(client, world):
    CaseFactory(procuratorate=world.city, handler=world.city_procurator, opened_on=datetime.date(2026, 3, 1))
    CaseFactory(procuratorate=world.district, handler=world.procurator, opened_on=datetime.date(2026, 3, 1))
    client.force_login(world.city_supervisor)
    city = client.get(reverse("dashboard_data")).json()
    client.force_login(world.supervisor)  # the district only
    district = client.get(reverse("dashboard_data")).json()
    assert {f["code"]: f["value"] for f in city["figures"]}["cases_opened"] == 2
    assert {f["code"]: f["value"] for f in district["figures"]}["cases_opened"] == 1


def test_a_snapshot_is_kept_per_language(client, world):
    client.force_login(world.city_supervisor)
    chinese = client.get(reverse("dashboard_data")).json()
    english = client.get(reverse("dashboard_data"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert chinese["figures"][0]["label"] != english["figures"][0]["label"]
    with translation.override("en"):
        assert english["figures"][0]["label"] == str(metrics.figure_definitions()[0][1])


def test_a_snapshot_is_kept_per_day(world):
    scope = metrics.scope_for(world.city_supervisor, today=TODAY)
    first = dashboard_snapshot(scope, today=TODAY)
    assert dashboard_snapshot(scope, today=TODAY) == first
    assert dashboard_snapshot(scope, today=TODAY + datetime.timedelta(days=1)).computed_at >= first.computed_at
    assert dashboard_snapshot(scope, today=TODAY + datetime.timedelta(days=1)) is not first


NOW = timezone.make_aware(datetime.datetime(2026, 6, 30, 9, 0))


def test_warming_computes_each_procuratorate_with_a_supervisor_once(world):
    UserFactory(organisation=world.city, role="supervisor")  # a second city supervisor: same view
    UserFactory(organisation=world.district, role="supervisor", is_active=False)
    assert dashboards_warm(today=TODAY, now=NOW) == 3  # district, city, other
    CaseFactory(procuratorate=world.district, handler=world.procurator, opened_on=datetime.date(2026, 3, 1))
    # The warmed view is served as it was, and the next run skips it while it outlives that run...
    assert opened(world) == 0
    assert dashboards_warm(today=TODAY, now=NOW) == 0
    # ...then recomputes it when it would expire before the run after: the new case is counted.
    later = timezone.now() + datetime.timedelta(minutes=settings.DASHBOARD_CACHE_MINUTES)
    assert dashboards_warm(today=TODAY, now=later) == 3
    assert opened(world) == 1


def test_the_beat_job_sends_one_task_per_procuratorate_that_needs_it(world, monkeypatch):
    sent = []
    monkeypatch.setattr(warm_dashboard, "delay", lambda *args: sent.append(args))
    assert warm_dashboards() == 3
    assert sorted(pk for pk, _day in sent) == sorted(
        [world.supervisor.pk, world.city_supervisor.pk, world.other_supervisor.pk]
    )
    assert {day for _pk, day in sent} == {TODAY.isoformat()}
    # Each task computes its procuratorate's view; once all ran, the next beat sends nothing.
    for pk, day in sent:
        assert warm_dashboard(pk, day) is True
    sent.clear()
    assert warm_dashboards() == 0
    assert sent == []


def test_a_warming_task_for_a_supervisor_who_left_does_nothing(world):
    world.city_supervisor.is_active = False
    world.city_supervisor.save()
    assert warm_dashboard(world.city_supervisor.pk, TODAY.isoformat()) is False


def test_reports_and_warming_go_to_the_bulk_queue_and_the_scan_does_not():
    from pil_tracker.celery import app

    def queue(name: str) -> str:
        return app.amqp.router.route({}, name)["queue"].name

    assert queue("reports.tasks.build_report") == "bulk"
    assert queue("dashboard.tasks.warm_dashboard") == "bulk"
    assert queue("deadlines.tasks.scan_deadlines") == "default"
    assert queue("notifications.tasks.deliver_notification") == "default"


def test_the_warmed_page_answers_without_computing(client, world, django_assert_num_queries):
    dashboards_warm(today=TODAY, now=NOW)
    client.force_login(world.city_supervisor)
    client.get(reverse("case_list"))  # warm the session
    # session, user, organisation, procuratorates in scope, the form's two choice lists, the bell,
    # the congress block (counted live, one query), and when the counts were built (the key).
    with django_assert_num_queries(9):
        assert client.get(reverse("dashboard")).status_code == 200


def test_with_keeping_switched_off_every_view_is_computed(client, world, settings):
    settings.DASHBOARD_CACHE_MINUTES = 0
    client.force_login(world.city_supervisor)
    client.get(reverse("dashboard_data"))
    CaseFactory(procuratorate=world.district, handler=world.procurator, opened_on=datetime.date(2026, 3, 1))
    data = client.get(reverse("dashboard_data")).json()
    assert {f["code"]: f["value"] for f in data["figures"]}["cases_opened"] == 1
    assert Case.objects.count() == 1


# --- From the pre-aggregated counts (dashboard/aggregates.py) ---------------------------------------


def _figures_of(data) -> dict:
    return {f["code"]: f["value"] for f in data["figures"]}


def test_the_page_reads_the_counts_once_built_and_says_when_they_were_taken(client, world):
    from dashboard import aggregates

    CaseFactory(procuratorate=world.district, handler=world.procurator, opened_on=datetime.date(2026, 3, 1))
    client.force_login(world.city_supervisor)
    # No counts yet (a fresh install): computed live.
    data = client.get(reverse("dashboard_data")).json()
    assert data["source"] == "live" and _figures_of(data)["cases_opened"] == 1
    build = aggregates.rebuild()
    CaseFactory(procuratorate=world.district, handler=world.procurator, opened_on=datetime.date(2026, 4, 1))
    # The build changes the key: the counts are read at once, as of the build.
    data = client.get(reverse("dashboard_data")).json()
    assert data["source"] == "aggregates" and _figures_of(data)["cases_opened"] == 1
    assert datetime.datetime.fromisoformat(data["computed_at"]) == build.computed_at
    html = client.get(reverse("dashboard")).content.decode()
    assert "数据计算于" in html and "汇总数据" in html
    # A recomputation is live, and kept until the next build.
    data = client.get(reverse("dashboard_data"), {"refresh": "1"}).json()
    assert data["source"] == "live" and _figures_of(data)["cases_opened"] == 2
    assert _figures_of(client.get(reverse("dashboard_data")).json())["cases_opened"] == 2
    aggregates.rebuild()
    data = client.get(reverse("dashboard_data"), {"start": "2026-02-15", "end": "2026-04-20"}).json()
    assert data["source"] == "aggregates" and _figures_of(data)["cases_opened"] == 2


def test_counts_switched_off_mean_live(client, world, settings):
    from dashboard import aggregates

    aggregates.rebuild()
    settings.DASHBOARD_AGGREGATE_MINUTES = 0
    client.force_login(world.city_supervisor)
    assert client.get(reverse("dashboard_data")).json()["source"] == "live"


def test_the_aggregate_task_rebuilds_then_warms_from_the_counts(world, monkeypatch):
    from dashboard import aggregates, tasks

    CaseFactory(procuratorate=world.district, handler=world.procurator, opened_on=datetime.date(2026, 3, 1))
    sent = []
    monkeypatch.setattr(tasks.warm_dashboards, "delay", lambda *a: sent.append(a))
    rows = tasks.aggregate_dashboard()
    assert rows > 0 and aggregates.built_at() is not None and sent == [()]
    # Warming now computes from the counts.
    assert dashboards_warm(today=TODAY, now=NOW) >= 1
    scope = metrics.scope_for(world.city_supervisor, today=TODAY)
    assert dashboard_snapshot(scope, today=TODAY).source == "aggregates"
