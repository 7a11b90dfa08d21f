"""Deadlines of a cooperation module's record rather than of a case (deadlines/subjects.py): the
module opens them with `subject=`, the scan reminds the watcher and the staff of the organisation
that must act, links to the page the module registered, and never twice."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from deadlines import subjects
from deadlines.models import Deadline, DeadlineRule
from deadlines.services import deadline_open, deadline_open_until, deadlines_scan
from notifications.models import Notification

D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(db):
    return DeadlineRule.objects.create(
        code="test_acknowledge",
        name="测试签收期限",
        period_value=15,
        period_unit=DeadlineRule.Unit.DAYS,
        start_event="移送",
        starts_from="移送之日的次日",
        obligor=DeadlineRule.Obligor.OTHER,
    )


@pytest.fixture
def registered():
    subjects.register("test_referral", url=lambda pk, for_obligor: f"/test-referrals/{pk}/?obligor={int(for_obligor)}")
    yield
    subjects._subjects.pop("test_referral", None)


def open_for(world, rule, *, obligor, subject_id=7):
    return deadline_open(
        rule_code=rule.code,
        start_date=D(2026, 6, 1),
        subject=("test_referral", subject_id),
        watcher=world.procurator,
        agency=obligor,
        label="移送线索 测试-7",
    )


def test_a_subject_deadline_has_no_case_and_is_counted_like_any_other(world, rule):
    deadline = open_for(world, rule, obligor=world.commission)
    assert deadline.case is None
    assert (deadline.subject_type, deadline.subject_id, deadline.label) == ("test_referral", 7, "移送线索 测试-7")
    assert deadline.due_date == D(2026, 6, 16)


def test_the_scan_reminds_the_watcher_and_the_obligor_organisations_staff_once(world, rule, registered):
    deadline = open_for(world, rule, obligor=world.commission)
    deadlines_scan(today=D(2026, 6, 17))  # overdue
    deadlines_scan(today=D(2026, 6, 17))
    sent = Notification.objects.filter(key=f"deadline:{deadline.pk}:overdue")
    assert {n.recipient for n in sent} == {world.procurator, world.discipline}
    urls = {n.recipient: n.url for n in sent}
    assert urls[world.procurator] == f"/test-referrals/{deadline.subject_id}/?obligor=0"
    assert urls[world.discipline] == f"/test-referrals/{deadline.subject_id}/?obligor=1"
    assert "移送线索 测试-7" in sent.get(recipient=world.procurator).body


def test_a_procuratorate_obligor_is_reminded_through_its_supervisors(world, rule, registered):
    deadline = open_for(world, rule, obligor=world.district)
    deadlines_scan(today=D(2026, 6, 17))
    recipients = set(
        Notification.objects.filter(key=f"deadline:{deadline.pk}:overdue").values_list("recipient", flat=True)
    )
    assert recipients == {world.procurator.pk, world.supervisor.pk}


def test_an_unregistered_subject_still_reminds_without_a_link(world, rule):
    deadline = open_for(world, rule, obligor=world.agency1)
    deadlines_scan(today=D(2026, 6, 17))
    sent = Notification.objects.get(key=f"deadline:{deadline.pk}:overdue", recipient=world.agency1_staff)
    assert sent.url == ""


def test_one_running_period_of_a_rule_per_subject(world, rule):
    open_for(world, rule, obligor=world.commission)
    with pytest.raises(IntegrityError), transaction.atomic():
        open_for(world, rule, obligor=world.commission)
    assert Deadline.objects.filter(subject_type="test_referral", subject_id=7).count() == 1


def test_a_deadline_belongs_to_a_case_or_a_subject(world, rule):
    with pytest.raises(ValueError):
        deadline_open(rule_code=rule.code, start_date=D(2026, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(
            rule=rule,
            start_date=D(2026, 6, 1),
            period_value=1,
            period_unit=DeadlineRule.Unit.DAYS,
            due_date=D(2026, 6, 2),
        )


def test_a_given_date_can_be_watched_for_a_subject(world, rule):
    deadline = deadline_open_until(
        rule_code=rule.code,
        start_date=D(2026, 6, 1),
        due_date=D(2026, 7, 1),
        subject=("test_referral", 9),
        watcher=world.supervisor,
        agency=world.agency2,
        label="联席会议决定事项",
    )
    assert (deadline.case, deadline.due_date, deadline.watcher) == (None, D(2026, 7, 1), world.supervisor)
