"""The agency home at scale (issue 15): the groups are computed by the database, each group shows
its size and its first rows, and the rest are on the group's own paged list.

The classification is checked against the rules written out here in Python, over recommendations
in randomly drawn states (status, acknowledgement, items evaluated, open or closed agency
deadline, supplement request), on both databases."""

from __future__ import annotations

import datetime
import random

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Recommendation
from deadlines.models import Deadline
from feedback import selectors
from feedback.models import Acknowledgement, SupplementRequest
from feedback.selectors import AGENCY_DEADLINE_CODES, Group
from tests.factories import CaseFactory, recommendation_at
from tests.feedback.conftest import DAY

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

S = Recommendation.Status


def _recommendation(world, status, agency=None, items=None):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[agency or world.agency1])
    return recommendation_at(status, case=case, agency=agency or world.agency1, approver=world.supervisor, items=items)


def _agency_deadlines(recommendation):
    return Deadline.objects.filter(recommendation=recommendation, rule__code__in=AGENCY_DEADLINE_CODES)


def _expected(recommendation, today):
    """The agency home's rules, independently of the SQL: (group, due date)."""
    open_due = [d.due_date for d in _agency_deadlines(recommendation) if d.is_open]
    deadline_due = min(open_due) if open_due else None
    requests = [r.due_on for r in SupplementRequest.objects.filter(recommendation=recommendation, answered_at=None)]
    request_due = min(requests) if requests else None
    due = deadline_due
    if request_due and (due is None or request_due < due):
        due = request_due
    overdue = due is not None and due < today
    acknowledged = Acknowledgement.objects.filter(recommendation=recommendation).exists()
    items = list(recommendation.items.all())
    if recommendation.status == S.SERVED or request_due:
        if overdue:
            return Group.OVERDUE, due
        if recommendation.status == S.SERVED and not acknowledged:
            return Group.TO_ACKNOWLEDGE, due
        return Group.REPLY_DUE, due
    if recommendation.status == S.ISSUED:
        return Group.TO_ACKNOWLEDGE, due
    if all(item.evaluation for item in items):
        return Group.EVALUATED, due
    return (Group.OVERDUE if overdue else Group.RECTIFYING), due


def test_groups_and_due_dates_follow_the_rules_for_random_states(world, boss):
    rng = random.Random(15)  # noqa: S311 - a reproducible test sequence, not a secret
    recommendations = []
    for _ in range(36):
        recommendation = _recommendation(
            world, rng.choice([S.ISSUED, S.SERVED, S.REPLIED]), items=[f"事项{n}" for n in range(rng.randint(1, 3))]
        )
        for deadline in _agency_deadlines(recommendation):
            deadline.due_date = DAY + datetime.timedelta(days=rng.randint(-20, 20))
            deadline.status = rng.choice([Deadline.Status.OPEN, Deadline.Status.OPEN, Deadline.Status.MET])
            deadline.save()
        if recommendation.status != S.ISSUED and rng.random() < 0.5:
            Acknowledgement.objects.get_or_create(
                recommendation=recommendation,
                defaults={"acknowledged_on": DAY, "acknowledged_by": world.agency1_staff},
            )
        items = list(recommendation.items.all())
        evaluated = rng.choice([0, len(items), len(items), rng.randint(0, len(items))])
        for item in items[:evaluated]:
            item.evaluation = "rectified"
            item.save()
        for _request in range(rng.choice([0, 0, 1, 2])):
            SupplementRequest.objects.create(
                recommendation=recommendation,
                text="请补充。",
                due_on=DAY + datetime.timedelta(days=rng.randint(-10, 10)),
                requested_by=world.procurator,
                answered_at=rng.choice([None, None, datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)]),
            )
        recommendations.append(recommendation)
    other_agency = _recommendation(world, S.SERVED, agency=world.agency2)

    home = selectors.agency_home(world.agency1_staff, today=DAY, rows=1000)
    got = {row.recommendation: (row.group, row.due_on) for rows in home.groups.values() for row in rows}
    assert got == {r: _expected(r, DAY) for r in recommendations}
    assert other_agency not in got
    assert home.totals == {name: len(home.group(name)) for name in Group.ORDER}
    assert len({group for group, _due in got.values()}) >= 4, "the random states reach most groups"
    for name, rows in home.groups.items():  # nearest due date first, none last, then the latest issued
        keys = [(row.due_on is None, row.due_on or datetime.date.max) for row in rows]
        assert name == Group.EVALUATED or keys == sorted(keys)
    evaluated = [row.recommendation for row in home.group(Group.EVALUATED)]  # nothing due: latest issued first
    assert evaluated == sorted(evaluated, key=lambda r: (r.issued_on, r.pk), reverse=True)


def _to_acknowledge(world, n, today=DAY):
    """`n` served, unacknowledged recommendations with reply deadlines 1..n days after `today`
    (the pages count from the real today)."""
    made = []
    for days in range(1, n + 1):
        recommendation = _recommendation(world, S.SERVED)
        _agency_deadlines(recommendation).update(due_date=today + datetime.timedelta(days=days))
        made.append(recommendation)
    return made


def test_home_shows_each_groups_size_and_its_first_rows(world):
    made = _to_acknowledge(world, 5)
    home = selectors.agency_home(world.agency1_staff, today=DAY, rows=2)
    assert home.totals[Group.TO_ACKNOWLEDGE] == 5
    assert [row.recommendation for row in home.group(Group.TO_ACKNOWLEDGE)] == made[:2]
    assert home.totals[Group.EVALUATED] == 0 and home.group(Group.EVALUATED) == []


def _evaluated(world, n):
    made = []
    for _ in range(n):
        recommendation = _recommendation(world, S.REPLIED)
        recommendation.items.update(evaluation="rectified")
        made.append(recommendation)
    return sorted(made, key=lambda r: (r.issued_on, r.pk), reverse=True)


def test_the_evaluated_group_is_counted_and_listed_from_the_rest(world, client):
    """The evaluated group (most of an agency's history) is the agency's recommendations less the
    open ones: a supplement request or an item evaluation taken back moves one out of it."""
    evaluated = _evaluated(world, 4)
    _to_acknowledge(world, 2)
    home = selectors.agency_home(world.agency1_staff, today=DAY, rows=3)
    assert home.totals[Group.EVALUATED] == 4
    assert [row.recommendation for row in home.group(Group.EVALUATED)] == evaluated[:3]
    SupplementRequest.objects.create(
        recommendation=evaluated[0], text="请补充。", due_on=DAY, requested_by=world.procurator
    )
    evaluated[1].items.update(evaluation="")
    home = selectors.agency_home(world.agency1_staff, today=DAY, rows=3)
    assert home.totals[Group.EVALUATED] == 2
    assert [row.recommendation for row in home.group(Group.EVALUATED)] == evaluated[2:]
    assert home.totals[Group.REPLY_DUE] + home.totals[Group.RECTIFYING] + home.totals[Group.OVERDUE] == 2
    page, rows = selectors.agency_home_page(world.agency1_staff, Group.EVALUATED, 1, per_page=10, today=DAY)
    assert page.paginator.count == 2 and [row.recommendation for row in rows] == evaluated[2:]
    page, rows = selectors.agency_home_page(world.agency1_staff, Group.TO_ACKNOWLEDGE, 2, per_page=1, today=DAY)
    assert page.paginator.count == 2 and len(rows) == 1 and rows[0].group == Group.TO_ACKNOWLEDGE


@override_settings(PAGE_SIZE=2)
def test_group_page_lists_the_whole_group_in_the_home_order(client, world, django_assert_num_queries):
    made = _to_acknowledge(world, 5, timezone.localdate())
    _recommendation(world, S.SERVED, agency=world.agency2)
    client.force_login(world.agency1_staff)
    url = reverse("agency_home_group", args=[Group.TO_ACKNOWLEDGE])
    listed = []
    for page in (1, 2, 3):
        body = client.get(url, {"page": page}).content.decode()
        listed += [r for r in made if f'href="{reverse("agency_recommendation_detail", args=[r.pk])}"' in body]
        assert "共 5 条" in body
    assert listed == made

    # session, user, organisation, the agency's open recommendations classified (the group's
    # order and size), the page's rows, their agency deadlines, the bell: the same for a full, a
    # deep and a short page.
    for page in (1, 2):
        with django_assert_num_queries(7):
            client.get(url, {"page": page})
    with django_assert_num_queries(7):
        client.get(url, {"page": 3})


def test_home_links_to_the_whole_group_when_it_shows_only_part(client, world):
    _to_acknowledge(world, selectors.HOME_ROWS + 1, timezone.localdate())
    client.force_login(world.agency1_staff)
    body = client.get(reverse("agency_home")).content.decode()
    assert f'data-group-total="{selectors.HOME_ROWS + 1}"' in body
    assert f'href="{reverse("agency_home_group", args=[Group.TO_ACKNOWLEDGE])}"' in body
    assert f"查看全部 {selectors.HOME_ROWS + 1} 项" in body
    assert reverse("agency_home_group", args=[Group.REPLY_DUE]) not in body  # empty: nothing more to see


def test_group_page_is_the_agency_staffs_own_and_knows_only_the_groups(client, world):
    theirs = _recommendation(world, S.SERVED, agency=world.agency2)
    _agency_deadlines(theirs).update(due_date=timezone.localdate())
    [ours] = _to_acknowledge(world, 1, timezone.localdate())
    client.force_login(world.agency1_staff)
    assert client.get(reverse("agency_home_group", args=["no_such_group"])).status_code == 404
    body = client.get(reverse("agency_home_group", args=[Group.TO_ACKNOWLEDGE])).content.decode()
    assert ours.document_number in body and theirs.document_number not in body
    assert ours.case.title not in body  # agency staff never see the case
    for name in Group.ORDER:
        assert client.get(reverse("agency_home_group", args=[name])).status_code == 200
    for user in (world.procurator, world.supervisor):
        client.force_login(user)
        assert client.get(reverse("agency_home_group", args=[Group.TO_ACKNOWLEDGE])).status_code == 404
    client.logout()
    response = client.get(reverse("agency_home_group", args=[Group.TO_ACKNOWLEDGE]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_home_in_english_says_how_many_there_are(client, world):
    _to_acknowledge(world, selectors.HOME_ROWS + 1, timezone.localdate())
    client.force_login(world.agency1_staff)
    body = client.get(reverse("agency_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Show all {selectors.HOME_ROWS + 1}" in body
