"""pil_tracker.pagination.CappedPaginator: exact counts under the limit, an estimate or a bound above
it, and id-first pages that return the same rows in the same order as plain OFFSET pages."""

from __future__ import annotations

import datetime
import math

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.urls import reverse

from cases.models import Case, CaseType, Recommendation
from cases.selectors import case_list, leads_visible_to, recommendations_visible_to, scope_split
from pil_tracker.pagination import CappedPaginator
from tests.factories import CaseFactory, LeadFactory, ProcuratorateFactory, draft_recommendation


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


# --- Deep pages merged per procuratorate (split_by) -------------------------------------------------


@pytest.fixture
def split_cases(world, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "merge_from", 0)  # merged from page 2 (the data is small)
    """Cases in three procuratorates of one scope with repeated dates, next due dates with gaps
    (NULLs) and statuses, so every ordering has ties broken by id."""
    lower = ProcuratorateFactory(name="测试县人民检察院", short_name="测县检", parent=world.city)
    places = [world.city, world.district, lower]
    statuses = [Case.Status.INVESTIGATION, Case.Status.RECOMMENDATION, Case.Status.CLOSED]
    for n in range(40):
        CaseFactory(
            procuratorate=places[(n * 7) % 3],
            handler=world.procurator,
            opened_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 6),
            next_due_date=None if n % 4 == 0 else datetime.date(2026, 6, 1) + datetime.timedelta(days=n % 5),
            status=statuses[n % 3],
            title=f"案件{n % 9}",
        )
    CaseFactory(procuratorate=world.other, handler=world.other_procurator)  # outside the scope
    return places


ORDERINGS = [None, "opened_on", "-opened_on", "next_due", "-next_due", "number", "-status", "title"]


@pytest.mark.parametrize("exact_up_to", [1000, 10])
@pytest.mark.parametrize("ordering", ORDERINGS)
def test_merged_deep_pages_are_the_plain_querysets_slices(world, split_cases, ordering, exact_up_to, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "exact_up_to", exact_up_to)  # 10: the count is not exact
    queryset = case_list(world.city_supervisor)
    if ordering:  # as the list's ordering filter writes it: ties by id
        queryset = queryset.order_by(ordering, "-id")
    expected = list(queryset.values_list("pk", flat=True))
    assert len(expected) == 40
    for page_size in (3, 7, 40):
        paginator = CappedPaginator(queryset, page_size, split_by=scope_split(world.city_supervisor))
        last = math.ceil(40 / page_size) + (0 if paginator.count_exact else 1)  # then an empty page
        for number in range(1, last + 1):
            page = paginator.page(number)
            bottom = (number - 1) * page_size
            assert [case.pk for case in page] == expected[bottom : bottom + page_size], (page_size, number)
            assert page.has_next() == (bottom + page_size < 40)


def test_a_merged_deep_page_reads_the_split_values_in_one_query_more(world, split_cases, django_assert_num_queries):
    queryset = case_list(world.city_supervisor)
    paginator = CappedPaginator(queryset, 5, split_by=scope_split(world.city_supervisor))
    paginator.count  # noqa: B018 - counted before, as the page does
    # 1 the split values (the procuratorates in scope), 2 the merged ids, 3 the rows, 4 their
    # agencies: whatever the page size.
    with django_assert_num_queries(4):
        list(paginator.page(3))


def test_the_merge_is_not_used_where_it_would_not_be_the_plain_order(world, split_cases, monkeypatch):
    queryset = Case.objects.filter(procuratorate__in=split_cases)
    split = ("procuratorate_id", [p.pk for p in split_cases])
    not_merged = (
        queryset.order_by("opened_on"),  # not total: ties in any order
        queryset.order_by("procuratorate", "-id"),  # a relation: the related model's ordering
        queryset.order_by("?"),
        # No index on (procuratorate, number): each part would walk the whole number index (seconds).
        queryset.order_by("number", "-id"),
    )
    for not_total in not_merged:
        assert CappedPaginator(not_total, 5, split_by=split)._merged_ids(5, 11) is None
    assert CappedPaginator(queryset.order_by("opened_on", "id"), 5, split_by=split)._merged_ids(5, 11) is not None
    assert CappedPaginator(queryset, 5, split_by=("procuratorate_id", [split_cases[0].pk]))._merged_ids(5, 11) is None
    monkeypatch.setattr(CappedPaginator, "merge_from", 1000)  # shallow pages: the plain query
    assert CappedPaginator(queryset.order_by("opened_on", "id"), 5, split_by=split)._merged_ids(5, 11) is None


def test_the_case_and_lead_lists_deep_pages_match_the_plain_order(client, world, split_cases, settings):
    settings.PAGE_SIZE = 4
    for n in range(16):
        LeadFactory(
            procuratorate=split_cases[n % 3],
            registered_by=world.procurator,
            received_on=datetime.date(2026, 2, 1) + datetime.timedelta(days=n % 3),
        )
    client.force_login(world.city_supervisor)
    cases = list(case_list(world.city_supervisor).filter(status=Case.Status.CLOSED).values_list("pk", flat=True))
    leads = list(leads_visible_to(world.city_supervisor).values_list("pk", flat=True))
    for page in (2, 3, 4):
        response = client.get(reverse("case_list"), {"page": page, "status": Case.Status.CLOSED})
        assert [c.pk for c in response.context["page_obj"]] == cases[(page - 1) * 4 : page * 4]
        response = client.get(reverse("lead_list"), {"page": page})
        assert [lead.pk for lead in response.context["page_obj"]] == leads[(page - 1) * 4 : page * 4]
    body = client.get("/api/v1/cases/", {"page": 3, "page_size": 4, "ordering": "-next_due"}).json()
    plain = list(case_list(world.city_supervisor).order_by("-next_due", "-id").values_list("pk", flat=True))
    assert [row["id"] for row in body["results"]] == plain[8:12]


def test_a_recommendation_keeps_its_cases_procuratorate_and_the_api_pages_it_in_scope(
    client, world, split_cases, settings
):
    """Recommendation.procuratorate is the case's (set when drafted), the scope of the lists is read
    on it, and the API's deep pages, merged per procuratorate, are the plain order's slices."""
    cases = [CaseFactory(procuratorate=place, case_type=CaseType.ADMINISTRATIVE) for place in split_cases]
    outside = CaseFactory(procuratorate=world.other, case_type=CaseType.ADMINISTRATIVE)
    drafted = [draft_recommendation(cases[n % 3], world.agency1) for n in range(11)]
    draft_recommendation(outside, world.agency1)
    assert [r.procuratorate_id for r in drafted] == [cases[n % 3].procuratorate_id for n in range(11)]
    # Ties in the creation time, broken by id as the ordering says.
    Recommendation.objects.filter(pk__in=[r.pk for r in drafted[:6]]).update(created_at=drafted[0].created_at)
    plain = [r.pk for r in sorted(drafted, key=lambda r: r.pk, reverse=True)]
    plain = list(
        Recommendation.objects.filter(pk__in=plain).order_by("-created_at", "-id").values_list("pk", flat=True)
    )
    assert list(recommendations_visible_to(world.city_supervisor).values_list("pk", flat=True)) == plain
    assert set(recommendations_visible_to(world.procurator).values_list("case__procuratorate", flat=True)) == {
        world.district.pk
    }
    client.force_login(world.city_supervisor)
    for page in (1, 2, 3):
        body = client.get("/api/v1/recommendations/", {"page": page, "page_size": 4}).json()
        assert [row["id"] for row in body["results"]] == plain[(page - 1) * 4 : page * 4]
