"""The lists' free-text search (pil_tracker.filtering.contains_q): a value holding a case number's
sequence number is looked up by that part and rechecked whole, and finds exactly the rows of the
plain `icontains` search."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Lead
from pil_tracker.filtering import contains_q
from tests.factories import CaseFactory, LeadFactory

NUMBERS = [
    "青川东湖检行公立〔G2024〕8207号",
    "东湖检行公立〔G2024〕8207号",  # inside the one above: a procuratorate whose short name is 东湖
    "青川东湖检行公立〔g2024〕8207号",  # lower-case letter: the search ignores case
    "青川东湖检行公立〔G2024〕82070号",
    "青川东湖检行公立〔G2024〕18207号",
    "青川东湖检民公立〔G2024〕8207号",
    "青川东湖检行公立〔G2025〕8207号",
    "西山检行公立〔G2024〕8207号附",
    "西山检行公立〔G2024〕120号",
    "案件12345",
    "A100%_号",
    "A100x_号",
]
TITLES = [
    "督促整治某河道非法采砂行政公益诉讼案",
    "关于青川东湖检行公立〔G2024〕8207号的补充调查",  # the number in a title
    "案件12345的关联案",
    "案件123456",
    "另一件12345",
    "百分号100%_号",
]
SEARCHES = [
    *NUMBERS,
    "东湖检行公立〔G2024〕8207号",
    "〔G2024〕8207号",
    "G2024〕8207",
    "8207号",
    "检行公立〔g2024〕8207",
    "案件12345",
    "件12345",
    "12345",
    "100%_号",
    "100_",
    "件9",
    "件1",
    "案件",
    "号",
    "G2",
    "g2",
    "〕8",
    "青川东湖检行公立〔G2024〕8207号 ",
    "2024〕",
]


@pytest.fixture
def searched(world):
    # Titles: the first ones to the first cases, the one holding a number to a case whose own
    # number does not contain it.
    titles = [TITLES[0], TITLES[2], TITLES[3], TITLES[1], TITLES[4], TITLES[5]]
    for n, number in enumerate(NUMBERS):
        title = titles[n] if n < len(titles) else TITLES[0]
        CaseFactory(procuratorate=world.district, handler=world.procurator, number=number, title=title)
    for n, title in enumerate(TITLES):
        LeadFactory(procuratorate=world.district, title=title, summary=NUMBERS[n])


@pytest.mark.parametrize("value", SEARCHES)
def test_the_search_finds_exactly_what_contains_finds(searched, value):
    cases = Case.objects.filter(contains_q(value, "number", "title")).order_by("pk")
    plain = Case.objects.filter(Q(number__icontains=value) | Q(title__icontains=value)).order_by("pk")
    assert list(cases) == list(plain)
    leads = Lead.objects.filter(contains_q(value, "title", "summary")).order_by("pk")
    plain_leads = Lead.objects.filter(Q(title__icontains=value) | Q(summary__icontains=value)).order_by("pk")
    assert list(leads) == list(plain_leads)


def test_the_data_tells_the_searches_apart(searched):
    """The comparison above means something: the values find different, non-empty sets."""
    found = {value: Case.objects.filter(contains_q(value, "number", "title")).count() for value in SEARCHES}
    assert found["青川东湖检行公立〔G2024〕8207号"] == 3  # itself, the lower-case g, a title
    assert found["东湖检行公立〔G2024〕8207号"] == 4  # and the number it is inside of
    assert found["100%_号"] == 2 and found["100_"] == 0  # % and _ are characters, not wildcards
    assert found["件12345"] > found["案件12345"] > 0
    assert found["g2"] == found["G2"] > 0 and found["件1"] > 0 and found["〕8"] > 0


def test_a_case_number_is_looked_up_by_its_sequence_number(client, world, searched):
    """The whole number's trigrams include those every number shares ("检行公"): the index lookup
    is narrowed to the sequence number and what follows it, the whole number checked after."""
    client.force_login(world.city_supervisor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("case_list"), {"q": "青川东湖检行公立〔G2024〕8207号"})
    assert {case.number for case in response.context["page_obj"]} == {
        "青川东湖检行公立〔G2024〕8207号",
        "青川东湖检行公立〔g2024〕8207号",
        "青川东湖检行公立〔G2024〕82070号",  # its title holds the number
    }
    page_sql = next(q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"])
    assert "%8207号%" in page_sql and "%青川东湖检行公立" not in page_sql
    # A short head keeps its trigrams: they narrow the lookup more than they cost.
    assert "%案件12345%" in str(Case.objects.filter(contains_q("案件12345", "number", "title")).query)
