"""The case page shows the latest events with a link to the rest; its query count does not grow with
the history; the history page shows every event, a page at a time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Event
from cases.views.browse import HISTORY_PAGE_SIZE, TIMELINE_LATEST
from tests.factories import CaseFactory


def _case_with_events(world, n: int):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    Event.objects.bulk_create(
        Event(case=case, kind=Event.Kind.CASE_EDITED, actor=world.procurator, note=f"记录{i:04d}") for i in range(n)
    )
    return case


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("n", [3, TIMELINE_LATEST + 20])
def test_the_case_page_lists_the_latest_events_and_links_to_the_rest(client, world, n):
    case = _case_with_events(world, n)
    client.force_login(world.city_supervisor)
    response = client.get(reverse("case_detail", args=[case.pk]))
    events = response.context["events"]
    shown = min(n, TIMELINE_LATEST)
    assert [e.note for e in events] == [f"记录{i:04d}" for i in range(n - shown, n)]  # the latest, oldest first
    html = response.content.decode()
    assert (reverse("case_history", args=[case.pk]) in html) == (n > TIMELINE_LATEST)


def test_the_case_page_costs_the_same_queries_for_a_long_history(client, world):
    short, long = _case_with_events(world, 5), _case_with_events(world, 4 * TIMELINE_LATEST)
    client.force_login(world.city_supervisor)
    counts = [_queries(client, reverse("case_detail", args=[c.pk])) for c in (short, long)]
    assert counts[0] == counts[1]


def test_the_history_page_shows_every_event_a_page_at_a_time(client, world):
    n = HISTORY_PAGE_SIZE + 7
    case = _case_with_events(world, n)
    client.force_login(world.city_supervisor)
    first = client.get(reverse("case_history", args=[case.pk]))
    second = client.get(reverse("case_history", args=[case.pk]), {"page": 2})
    notes = [e.note for e in first.context["events"]] + [e.note for e in second.context["events"]]
    assert notes == [f"记录{i:04d}" for i in range(n)]
    assert "记录0000" in first.content.decode()


def test_the_history_page_is_scoped_like_the_case(client, world):
    case = _case_with_events(world, 1)
    client.force_login(world.agency1_staff)
    assert client.get(reverse("case_history", args=[case.pk])).status_code in (403, 404)
