from __future__ import annotations

import datetime

import pytest

from referrals import services
from tests.factories import CaseFactory, domain

D = datetime.date
TODAY = D(2026, 6, 1)


@pytest.fixture
def case(world):
    return CaseFactory(procuratorate=world.district, handler=world.procurator)


def outgoing_draft(world, case):
    return services.referral_create_outgoing(
        user=world.procurator,
        case=case,
        commission=world.commission,
        title="某局局长涉嫌失职渎职",
        concern="dereliction",
        persons_concerned="某局 张某（局长）",
        facts="经调查，某局长期不履行监管职责。",
    )


def outgoing_in(world, case, status):
    """An outgoing referral walked through the services up to `status`."""
    r = outgoing_draft(world, case)
    if status == "draft":
        return r
    r = services.referral_submit(user=world.procurator, referral=r)
    if status == "pending":
        return r
    r = services.referral_approve(user=world.supervisor, referral=r)
    if status == "approved":
        return r
    r = services.referral_send(user=world.procurator, referral=r, today=TODAY)
    if status == "sent":
        return r
    r = services.referral_acknowledge(user=world.discipline, referral=r, acknowledged_on=TODAY, today=TODAY)
    if status == "received":
        return r
    return services.referral_record_outcome(
        user=world.discipline,
        referral=r,
        outcome="disciplinary",
        outcome_text="给予政务警告处分。",
        outcome_on=TODAY,
        today=TODAY,
    )


def incoming_draft(world):
    return services.referral_create_incoming(
        user=world.discipline,
        procuratorate=world.district,
        title="某河道非法采砂线索",
        facts="巡察中发现某河道长期非法采砂，水利局未依法查处。",
        domain=domain(),
        agency=world.agency1,
    )


def incoming_in(world, status):
    r = incoming_draft(world)
    if status == "draft":
        return r
    r = services.referral_send(user=world.discipline, referral=r, today=TODAY)
    if status == "sent":
        return r
    r = services.referral_acknowledge(user=world.procurator, referral=r, acknowledged_on=TODAY, today=TODAY)
    if status == "received":
        return r
    return services.referral_record_outcome(
        user=world.procurator,
        referral=r,
        outcome="case_opened",
        outcome_text="已立案办理。",
        outcome_on=TODAY,
        today=TODAY,
    )
