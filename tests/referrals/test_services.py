"""The steps of a referral (referrals/services.py): both directions, refusals change nothing, the
case timeline and the referral's history, the watched periods, the notifications."""

from __future__ import annotations

import pytest
from django.utils import translation

from cases import timeline
from cases.models import Event, Lead
from deadlines.models import Deadline
from notifications.models import Notification
from pil_tracker.errors import DomainError
from referrals import services
from referrals.models import Referral, ReferralStep
from tests.factories import domain
from tests.referrals.conftest import TODAY, D, incoming_draft, incoming_in, outgoing_in

pytestmark = pytest.mark.django_db


def snapshot(referral):
    referral.refresh_from_db()
    return (
        referral.status,
        referral.steps.count(),
        Event.objects.count(),
        Deadline.objects.count(),
        Notification.objects.count(),
        Lead.objects.count(),
    )


def test_an_outgoing_referral_goes_through_approval_sending_receipt_and_outcome(world, case):
    r = outgoing_in(world, case, "handled")
    assert r.status == Referral.Status.HANDLED
    assert r.number.startswith("检移纪〔")
    assert (r.outcome, r.outcome_on, r.acknowledged_on, r.sent_on) == ("disciplinary", TODAY, TODAY, TODAY)
    kinds = list(r.steps.values_list("kind", flat=True))
    assert kinds == ["drafted", "submitted", "approved", "sent", "acknowledged", "outcome"]
    assert Event.objects.filter(case=case, kind=Event.Kind.REFERRAL_RECORDED).count() == 6
    deadlines = {d.rule.code: d for d in Deadline.objects.filter(subject_type="referral", subject_id=r.pk)}
    assert deadlines["referral_acknowledge"].status == Deadline.Status.MET
    assert deadlines["referral_acknowledge"].agency == world.commission
    assert deadlines["referral_acknowledge"].watcher == world.procurator
    assert deadlines["referral_outcome"].status == Deadline.Status.MET
    assert Notification.objects.filter(kind="referral_sent", recipient=world.discipline).exists()
    assert Notification.objects.filter(kind="referral_acknowledged", recipient=world.procurator).exists()
    assert Notification.objects.filter(kind="referral_outcome", recipient=world.procurator).exists()
    assert Notification.objects.filter(kind="approval_requested", recipient=world.supervisor).exists()


def test_the_acknowledgement_period_is_21_calendar_days_and_the_outcome_3_months(world, case):
    r = outgoing_in(world, case, "sent")
    ack = Deadline.objects.get(subject_type="referral", subject_id=r.pk, rule__code="referral_acknowledge")
    assert ack.due_date >= D(2026, 6, 22)
    services.referral_acknowledge(user=world.discipline, referral=r, acknowledged_on=D(2026, 6, 3), today=D(2026, 6, 5))
    outcome = Deadline.objects.get(subject_type="referral", subject_id=r.pk, rule__code="referral_outcome")
    assert outcome.start_date == D(2026, 6, 3) and outcome.due_date >= D(2026, 9, 3)


def test_an_incoming_referral_becomes_a_lead_of_the_receiving_procuratorate_on_receipt(world):
    r = incoming_in(world, "received")
    lead = r.lead
    assert lead is not None
    assert (lead.procuratorate, lead.source, lead.status) == (world.district, Lead.Source.DISCIPLINE, "pending")
    assert lead.received_on == TODAY and lead.agency == world.agency1
    assert r.number in lead.source_detail
    assert Event.objects.filter(lead=lead, kind=Event.Kind.REFERRAL_RECORDED).exists()
    assert Notification.objects.filter(kind="referral_sent", recipient=world.procurator).exists()
    assert Notification.objects.filter(kind="referral_acknowledged", recipient=world.discipline).exists()


def test_a_returned_referral_is_a_draft_again_with_the_reason(world, case):
    r = outgoing_in(world, case, "pending")
    with pytest.raises(DomainError):
        services.referral_return(user=world.supervisor, referral=r, reason="  ")
    r = services.referral_return(user=world.supervisor, referral=r, reason="事实不清")
    assert (r.status, r.return_reason) == ("draft", "事实不清")
    assert r.steps.filter(kind=ReferralStep.Kind.RETURNED, note="事实不清").exists()
    assert Notification.objects.filter(kind="approval_decided", recipient=world.procurator).exists()


@pytest.mark.parametrize(
    ("status", "step", "who"),
    [
        ("draft", "send", "procurator"),
        ("draft", "approve", "supervisor"),
        ("draft", "acknowledge", "discipline"),
        ("pending", "submit", "procurator"),
        ("pending", "send", "procurator"),
        ("approved", "approve", "supervisor"),
        ("approved", "acknowledge", "discipline"),
        ("sent", "send", "procurator"),
        ("sent", "outcome", "discipline"),
        ("received", "acknowledge", "discipline"),
        ("handled", "outcome", "discipline"),
        ("handled", "return", "supervisor"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(world, case, status, step, who):
    r = outgoing_in(world, case, status)
    before = snapshot(r)
    user = getattr(world, who)
    calls = {
        "send": lambda: services.referral_send(user=user, referral=r, today=TODAY),
        "submit": lambda: services.referral_submit(user=user, referral=r),
        "approve": lambda: services.referral_approve(user=user, referral=r),
        "return": lambda: services.referral_return(user=user, referral=r, reason="x"),
        "acknowledge": lambda: services.referral_acknowledge(user=user, referral=r, acknowledged_on=TODAY, today=TODAY),
        "outcome": lambda: services.referral_record_outcome(
            user=user, referral=r, outcome="no_case", outcome_text="x", outcome_on=TODAY, today=TODAY
        ),
    }
    with pytest.raises(DomainError) as error:
        calls[step]()
    assert error.value.code == "invalid_transition"
    assert snapshot(r) == before


@pytest.mark.parametrize(
    ("status", "step", "who"),
    [
        ("draft", "submit", "procurator_colleague"),
        ("draft", "submit", "supervisor"),
        ("pending", "approve", "procurator"),
        ("pending", "approve", "other_supervisor"),
        ("approved", "send", "supervisor"),
        ("sent", "acknowledge", "procurator"),
        ("sent", "acknowledge", "agency1_staff"),
        ("received", "outcome", "supervisor"),
    ],
)
def test_the_wrong_person_is_refused_and_nothing_changes(world, case, status, step, who):
    r = outgoing_in(world, case, status)
    before = snapshot(r)
    user = getattr(world, who)
    calls = {
        "send": lambda: services.referral_send(user=user, referral=r, today=TODAY),
        "submit": lambda: services.referral_submit(user=user, referral=r),
        "approve": lambda: services.referral_approve(user=user, referral=r),
        "acknowledge": lambda: services.referral_acknowledge(user=user, referral=r, acknowledged_on=TODAY, today=TODAY),
        "outcome": lambda: services.referral_record_outcome(
            user=user, referral=r, outcome="no_case", outcome_text="x", outcome_on=TODAY, today=TODAY
        ),
    }
    with pytest.raises(DomainError) as error:
        calls[step]()
    assert error.value.code == "permission_denied"
    assert snapshot(r) == before


def test_an_incoming_referral_needs_no_approval_and_only_the_receiving_procuratorate_acknowledges(world):
    r = incoming_draft(world)
    with pytest.raises(DomainError):
        services.referral_submit(user=world.discipline, referral=r)
    r = services.referral_send(user=world.discipline, referral=r, today=TODAY)
    before = snapshot(r)
    for outsider in (world.city_supervisor, world.other_procurator, world.discipline):
        with pytest.raises(DomainError):
            services.referral_acknowledge(user=outsider, referral=r, acknowledged_on=TODAY, today=TODAY)
    assert snapshot(r) == before


def test_bad_input_gets_field_errors(world, case):
    with pytest.raises(DomainError) as error:
        services.referral_create_outgoing(
            user=world.procurator,
            case=case,
            commission=world.agency1,
            title="t",
            concern="dereliction",
            persons_concerned="p",
            facts="f",
        )
    assert error.value.field == "commission"
    r = outgoing_in(world, case, "sent")
    with pytest.raises(DomainError) as error:
        services.referral_acknowledge(user=world.discipline, referral=r, acknowledged_on=D(2026, 5, 1), today=TODAY)
    assert error.value.field == "acknowledged_on"
    with pytest.raises(DomainError) as error:
        services.referral_acknowledge(user=world.discipline, referral=r, acknowledged_on=D(2026, 7, 1), today=TODAY)
    assert error.value.field == "acknowledged_on"
    assert Referral.objects.filter(direction="to_commission").count() == 1


def test_a_commission_refers_only_within_its_region(world):
    from agencies.models import Region

    city = Region.objects.create(name="测试市", code="150600")
    world.commission.region = city
    world.commission.save()
    with pytest.raises(DomainError) as error:
        services.referral_create_incoming(
            user=world.discipline, procuratorate=world.other, title="t", facts="f", domain=domain()
        )
    assert error.value.field == "procuratorate"
    world.district.region = Region.objects.create(name="测试区", code="150602", parent=city)
    world.district.save()
    assert services.referral_create_incoming(
        user=world.discipline, procuratorate=world.district, title="t", facts="f", domain=domain()
    )


def test_the_case_timeline_reads_each_step_in_the_readers_language(world, case):
    r = outgoing_in(world, case, "handled")
    event = Event.objects.filter(case=case, kind=Event.Kind.REFERRAL_RECORDED).order_by("id").last()
    assert timeline.event_text(event).startswith(f"线索移送 {r.number} 处理结果：已给予处分或采取处理措施")
    with translation.override("en"):
        assert timeline.event_text(event).startswith(f"Referral {r.number} outcome: Disciplinary measure taken")
