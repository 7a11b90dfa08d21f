"""Deadline.agency, the agency that must act by the due date: set when deadlines open, backfilled by
migration 0005, and what the scan's agency reminders and the agency's view of deadlines follow —
so a second lawsuit's defence period reaches its defendant although it has no recommendation."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from cases.models import CaseType
from cases.selectors import deadlines_visible_to
from deadlines.models import Deadline, RuleCode
from deadlines.services import deadlines_scan
from litigation import services as litigation
from notifications.models import Notification
from tests.litigation.conftest import TODAY, approved_case, effective_ruling, file_lawsuit, litigation_case

D = datetime.date

pytestmark = pytest.mark.django_db

RECEIVED_ON = D(2026, 6, 2)  # the defence period runs to 2026-06-17


def with_defence(world, lawsuit):
    return litigation.complaint_copy_received(
        user=world.procurator, lawsuit=lawsuit, received_on=RECEIVED_ON, today=TODAY
    ).defence_deadline


def test_court_deadlines_belong_to_the_defendant_agency(world):
    lawsuit = file_lawsuit(world)
    defence = with_defence(world, lawsuit)
    ruling = effective_ruling(lawsuit)
    assert {d.rule.code: d.agency for d in (defence, ruling.appeal_deadline, ruling.compliance_deadline)} == {
        RuleCode.DEFENCE: world.agency1,
        RuleCode.APPEAL_JUDGMENT: world.agency1,
        RuleCode.COMPLIANCE: world.agency1,
    }


def test_a_civil_lawsuits_defence_belongs_to_no_agency(world):
    lawsuit = file_lawsuit(world, litigation_case(world, case_type=CaseType.CIVIL))
    assert with_defence(world, lawsuit).agency is None


@pytest.mark.parametrize("same_agency", [True, False])
def test_a_second_lawsuits_defence_reminder_reaches_the_defendant_agency(world, same_agency):
    case = approved_case(world)  # with a replied recommendation to agency1, which the lawsuits follow
    case.agencies.add(world.agency2)
    first = file_lawsuit(world, case)
    with_defence(world, first)
    defendant, staff = (world.agency1, world.agency1_staff) if same_agency else (world.agency2, world.agency2_staff)
    second = file_lawsuit(world, case, defendant_agency=defendant, filed_on=D(2026, 6, 1))
    defence = with_defence(world, second)
    # Not linked to a recommendation: agency1's already has its defence deadline (the first
    # lawsuit's), agency2 has none.
    assert (defence.recommendation, defence.agency) == (None, defendant)

    deadlines_scan(today=defence.due_date - datetime.timedelta(days=7))
    note = Notification.objects.get(recipient=staff, key=f"deadline:{defence.pk}:remind_7")
    assert note.kind == "deadline_reminder"
    assert note.url == reverse("agency_home")
    # The agency sees it among its deadlines; the other agency does not.
    other = world.agency2_staff if same_agency else world.agency1_staff
    assert defence in deadlines_visible_to(staff)
    assert defence not in deadlines_visible_to(other)
    assert not Notification.objects.filter(recipient=other, key=f"deadline:{defence.pk}:remind_7").exists()


def test_the_agency_sees_its_reply_and_court_deadlines_and_not_the_procuratorates(world):
    case = approved_case(world)
    lawsuit = file_lawsuit(world, case)
    defence = with_defence(world, lawsuit)
    recommendation = lawsuit.recommendation
    visible = set(deadlines_visible_to(world.agency1_staff))
    assert defence in visible
    assert {d.rule.code for d in visible} >= {RuleCode.DEFENCE}
    assert not any(d.rule.code == RuleCode.FILING for d in visible)
    assert set(recommendation.deadlines.filter(agency=world.agency1)) <= visible
    assert not set(deadlines_visible_to(world.agency2_staff))


def test_the_migration_backfills_the_agency_of_existing_deadlines(world):
    case = approved_case(world)
    case.agencies.add(world.agency2)
    first = file_lawsuit(world, case)
    first_defence = with_defence(world, first)
    second = file_lawsuit(world, case, defendant_agency=world.agency2)
    second_defence = with_defence(world, second)
    ruling = effective_ruling(second)
    civil = file_lawsuit(world, litigation_case(world, case_type=CaseType.CIVIL))
    civil_defence = with_defence(world, civil)
    expected = dict(Deadline.objects.values_list("pk", "agency_id"))
    assert expected[first_defence.pk] == world.agency1.pk
    assert expected[second_defence.pk] == expected[ruling.compliance_deadline_id] == world.agency2.pk
    assert expected[civil_defence.pk] is None
    assert {
        expected[d.pk] for d in first.recommendation.deadlines.filter(rule__code__in=[RuleCode.REPLY, RuleCode.FILING])
    } == {world.agency1.pk, None}

    Deadline.objects.update(agency=None)
    importlib.import_module("deadlines.migrations.0005_deadline_agency").backfill(apps, None)
    assert dict(Deadline.objects.values_list("pk", "agency_id")) == expected
