"""pil_tracker.pagination.CappedPaginator: exact counts under the limit, an estimate or a bound above
it, and id-first pages that return the same rows in the same order as plain OFFSET pages."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.urls import reverse

from cases.models import Case
from pil_tracker.pagination import CappedPaginator
from tests.factories import CaseFactory


@pytest.fixture
def cases(world):
    return [CaseFactory(procuratorate=world.district, handler=world.procurator) for _ in range(23)]


def test_under_the_limit_the_count_and_pages_are_djangos(cases):
    queryset = Case.objects.order_by("title", "-id")
    capped, plain = CappedPaginator(queryset, 5), Paginator(queryset, 5)
    assert capped.count == plain.count == 23 and capped.count_exact
    assert capped.num_pages == plain.num_pages == 5
    for number in range(1, 6):
        page, expected = capped.page(number), plain.page(number)
        assert list(page) == list(expected)
        assert (page.has_next(), page.start_index(), page.end_index()) == (
            expected.has_next(),
            expected.start_index(),
            expected.end_index(),
        )
    assert list(capped.get_page(99)) == list(plain.get_page(99))  # past the end: the last page


def test_above_the_limit_the_count_is_not_exact_and_deep_pages_still_work(cases, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "exact_up_to", 10)
    queryset = Case.objects.order_by("opened_on", "-id")
    paginator = CappedPaginator(queryset, 5)
    assert not paginator.count_exact
    if connection.vendor == "postgresql":
        assert paginator.count_estimated and paginator.count >= 11
    else:
        assert not paginator.count_estimated and paginator.count == 11  # "more than 10"
    everything = list(queryset)
    pages = [list(paginator.page(n)) for n in range(1, 6)]
    assert [case for page in pages for case in page] == everything
    assert paginator.page(4).has_next() and not paginator.page(5).has_next()
    assert list(paginator.page(9)) == [] and not paginator.page(9).has_next()  # beyond the estimate: empty


def test_the_case_list_says_more_than_the_limit_and_offers_no_last_page(client, world, cases, settings, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "exact_up_to", 10)
    settings.PAGE_SIZE = 5
    client.force_login(world.city_supervisor)
    html = client.get(reverse("case_list"), {"page": 2}).content.decode()
    phrase = "约" if connection.vendor == "postgresql" else "超过 10 条"
    assert "第 6–10 条" in html and phrase in html
    assert "最后一页" not in html and "第 2 页" in html


def test_the_api_says_whether_its_count_is_exact(client, world, cases, monkeypatch):
    client.force_login(world.city_supervisor)
    body = client.get("/api/v1/cases/").json()
    assert body["count"] == 23 and body["count_exact"] is True
    monkeypatch.setattr(CappedPaginator, "exact_up_to", 10)
    body = client.get("/api/v1/cases/", {"page": 2, "page_size": 5}).json()
    assert body["count_exact"] is False and len(body["results"]) == 5 and body["next"]
