"""`manage.py seed_demo`: the Ordos demo, written through the services, idempotent.

The seed runs once for the module (it writes about 200 case histories) inside a transaction that
is rolled back afterwards, so the other test modules never see the demo data.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Role, User
from agencies.models import Organisation, Region
from cases.models import (
    Case,
    CaseType,
    Consultation,
    DocumentSequence,
    DocumentType,
    Domain,
    Event,
    Investigation,
    Lead,
    Recommendation,
    RecommendationItem,
)
from deadlines.models import Deadline, RuleCode
from demo import data as demo
from interference.models import InterferenceRecord
from interference.selectors import interference_records_visible_to
from litigation.models import Hearing, Lawsuit, LawsuitProposal, PlaintiffSuit, Ruling
from referrals.models import Referral
from referrals.selectors import referrals_waiting_for
from typical_cases.models import CongressRequest, TypicalCase

PASSWORD = "demo-test-pass"
NUMBER = re.compile(r"〔(\d{4})〕(\d+)号")
FIRST_INSTANCE_NUMBER = re.compile(r"\((\d{4})\)内06\d\d行初\d+号")
SECOND_INSTANCE_NUMBER = re.compile(r"\(\d{4}\)内06行终\d+号")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once (with a cheap password hasher: hashing is not under test), roll back at the end.

    Every test of the module takes `db` as well: pytest-django runs tests without it after all
    database tests, which would tear this fixture down and seed a second time."""
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    hashers.enable()
    atomic = transaction.atomic()
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as env:
        env.setenv("DEMO_PASSWORD", PASSWORD)
        atomic.__enter__()
        out = StringIO()
        call_command("seed_demo", stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    hashers.disable()


def _counts() -> dict[str, int]:
    models = [
        Region,
        Organisation,
        User,
        Lead,
        Case,
        Recommendation,
        RecommendationItem,
        Investigation,
        Consultation,
        Event,
        DocumentSequence,
        Lawsuit,
        Hearing,
        Ruling,
        Deadline,
        LawsuitProposal,
        PlaintiffSuit,
        TypicalCase,
        CongressRequest,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["numbers given"] = sum(DocumentSequence.objects.values_list("last_number", flat=True))
    return counts


def test_typical_cases_in_every_state_and_congress_requests(seeded, db):
    states = set(TypicalCase.objects.values_list("status", flat=True))
    assert states == set(TypicalCase.Status.values)
    published = TypicalCase.objects.filter(status=TypicalCase.Status.PUBLISHED)
    assert published.count() >= 2 and published.values("domain").distinct().count() >= 2
    assert all(t.reviewed_by_id != t.written_by_id for t in published)
    today = timezone.localdate()
    requests = list(CongressRequest.objects.all())
    assert {r.status for r in requests} == set(CongressRequest.Status.values)
    assert any(r.is_overdue(today) for r in requests)


def test_running_the_command_again_creates_nothing(seeded, db):
    before = _counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == before
    assert "no case created" in out.getvalue()


def test_the_summary_counts_cases_per_status_and_lists_logins_without_the_password(seeded, db):
    total = sum(Case.objects.filter(status=status).count() for status in Case.Status.values)
    assert f"Created 10 regions, 49 organisations, {len(demo.DEMO_USERS)} users, {total} cases" in seeded
    for status in Case.Status:
        assert f"{status.label} {Case.objects.filter(status=status).count()}" in seeded
    assert "procurator1" in seeded and "agency2" in seeded
    assert PASSWORD not in seeded
    assert "DEMO_PASSWORD" in seeded


@pytest.mark.parametrize(
    ("username", "organisation", "role", "responsible"),
    [
        ("procurator1", "东胜区人民检察院", Role.PROCURATOR, False),
        ("procurator2", "达拉特旗人民检察院", Role.PROCURATOR, False),
        ("supervisor1", "鄂尔多斯市人民检察院", Role.SUPERVISOR, False),
        ("supervisor2", "东胜区人民检察院", Role.SUPERVISOR, False),
        ("agency1", "东胜区生态环境局", Role.AGENCY_STAFF, True),
        ("agency2", "达拉特旗自然资源局", Role.AGENCY_STAFF, True),
        ("discipline1", "鄂尔多斯市纪委监委", Role.DISCIPLINE_LIAISON, False),
    ],
)
def test_demo_logins_have_their_organisation_and_role_and_can_log_in(
    seeded, db, username, organisation, role, responsible
):
    user = User.objects.get(username=username)
    assert (user.organisation.name, user.role, user.is_responsible_person) == (organisation, role, responsible)
    assert user.full_name and user.title
    assert authenticate(username=username, password=PASSWORD) == user
    assert authenticate(username=username, password=demo.DEFAULT_PASSWORD) is None


def test_admin_is_a_superuser_without_organisation(seeded, db):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.organisation is None and admin.role == ""
    assert authenticate(username="admin", password=PASSWORD) == admin


def test_the_ordos_tree_city_procuratorate_above_nine_banner_procuratorates(seeded, db):
    city = Organisation.objects.get(name="鄂尔多斯市人民检察院")
    assert (city.short_name, city.level, city.region.code) == ("鄂检", Organisation.Level.CITY, "150600")
    banners = Organisation.objects.filter(parent=city, kind=Organisation.Kind.PROCURATORATE)
    assert banners.count() == 9
    assert Organisation.objects.get(name="东胜区人民检察院").short_name == "东检"
    assert Organisation.objects.get(name="鄂托克旗人民检察院").region.code == "150624"
    assert all(b.tree_path.startswith(city.tree_path) for b in banners)
    assert Organisation.objects.filter(kind=Organisation.Kind.AGENCY).count() >= 30
    assert Organisation.objects.get(name="鄂尔多斯市纪委监委").kind == Organisation.Kind.DISCIPLINE


def test_every_case_status_every_active_domain_and_every_recommendation_status_appear(seeded, db):
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    active = set(Domain.objects.filter(is_active=True).values_list("code", flat=True))
    assert active <= set(Case.objects.values_list("domain__code", flat=True))
    assert set(Recommendation.objects.values_list("status", flat=True)) == set(Recommendation.Status.values)
    assert set(Case.objects.values_list("case_type", flat=True)) == set(CaseType.values)
    grades = set(RecommendationItem.objects.values_list("evaluation", flat=True))
    assert {"rectified", "partly", "not_rectified"} <= grades
    assert set(Lead.objects.values_list("status", flat=True)) == set(Lead.Status.values)


def test_about_two_hundred_cases_mostly_administrative(seeded, db):
    assert 180 <= Case.objects.count() <= 220
    administrative = Case.objects.filter(case_type=CaseType.ADMINISTRATIVE).count()
    assert administrative > Case.objects.count() / 2


def test_both_demo_agencies_have_recommendations_in_at_least_three_states(seeded, db):
    for name in ("东胜区生态环境局", "达拉特旗自然资源局"):
        states = set(Recommendation.objects.filter(agency__name=name).values_list("status", flat=True))
        # What the agency itself sees: issued, served and replied.
        assert {Recommendation.Status.ISSUED, Recommendation.Status.SERVED, Recommendation.Status.REPLIED} <= states


def test_cases_are_spread_over_procuratorates_and_handlers(seeded, db):
    by_procuratorate = defaultdict(int)
    for name in Case.objects.values_list("procuratorate__name", flat=True):
        by_procuratorate[name] += 1
    assert len(by_procuratorate) >= 3
    assert by_procuratorate["东胜区人民检察院"] == max(by_procuratorate.values())
    for username, procuratorate in (("procurator1", "东胜区人民检察院"), ("procurator2", "达拉特旗人民检察院")):
        handled = Case.objects.filter(handler__username=username)
        assert handled.count() >= 10
        assert set(handled.values_list("procuratorate__name", flat=True)) == {procuratorate}


def test_case_and_document_numbers_are_unique_and_gap_free(seeded, db):
    numbers: dict[tuple[int, str, int], list[int]] = defaultdict(list)
    case_types = {
        CaseType.ADMINISTRATIVE: DocumentType.ADMIN_CASE,
        CaseType.CIVIL: DocumentType.CIVIL_CASE,
        CaseType.CRIMINAL_CIVIL: DocumentType.CRIMINAL_CIVIL_CASE,
    }
    for procuratorate, case_type, opened_on, number in Case.objects.values_list(
        "procuratorate", "case_type", "opened_on", "number"
    ):
        year, n = map(int, NUMBER.search(number).groups())
        assert year == opened_on.year
        numbers[procuratorate, case_types[case_type], year].append(n)
    for procuratorate, issued_on, number in Recommendation.objects.exclude(document_number=None).values_list(
        "case__procuratorate", "issued_on", "document_number"
    ):
        year, n = map(int, NUMBER.search(number).groups())
        assert year == issued_on.year
        numbers[procuratorate, DocumentType.ADMIN_RECOMMENDATION, year].append(n)
    for procuratorate, note in Event.objects.filter(to_status=Case.Status.ANNOUNCEMENT).values_list(
        "case__procuratorate", "note"
    ):
        year, n = map(int, NUMBER.search(note).groups())
        numbers[procuratorate, DocumentType.CIVIL_ANNOUNCEMENT, year].append(n)
    sequences = {(s.procuratorate_id, s.document_type, s.year): s.last_number for s in DocumentSequence.objects.all()}
    assert set(sequences) == set(numbers)
    for key, given in numbers.items():
        assert sorted(given) == list(range(1, sequences[key] + 1)), key
    assert Case.objects.values("number").distinct().count() == Case.objects.count()


def test_histories_are_dated_in_the_past_and_in_order(seeded, db):
    today = timezone.localdate()
    first = datetime.date(2025, 1, 1)
    assert first <= min(Case.objects.values_list("opened_on", flat=True))
    assert max(Case.objects.values_list("opened_on", flat=True)) <= today
    for field in ("issued_on", "served_on", "reply_received_on", "filed_with_superior_on"):
        dates = [d for d in Recommendation.objects.values_list(field, flat=True) if d]
        assert dates and first <= min(dates) and max(dates) <= today, field
    assert max(Event.objects.values_list("at", flat=True)) <= timezone.now()
    # The case's first event is its opening, on the day it was opened, by its handler.
    case = Case.objects.filter(status=Case.Status.CLOSED).order_by("opened_on").first()
    events = list(case.events.order_by("at", "id"))
    assert events[0].kind == Event.Kind.CASE_OPENED and events[-1].kind == Event.Kind.CASE_CLOSED
    assert timezone.localtime(events[0].at).date() == case.opened_on
    assert events[0].actor == case.handler
    assert [e.at for e in events] == sorted(e.at for e in events)


def test_recommendations_carry_their_service_and_replies(seeded, db):
    served = Recommendation.objects.filter(status__in=[Recommendation.Status.SERVED, Recommendation.Status.REPLIED])
    assert served.exists()
    for rec in served:
        assert rec.document_number and rec.service_method and rec.received_by
        assert rec.issued_on <= rec.served_on
        assert 2 <= rec.items.count() <= 4
        assert rec.decided_by.role == Role.SUPERVISOR
    replied = Recommendation.objects.filter(status=Recommendation.Status.REPLIED)
    assert all(rec.reply_summary and rec.reply_received_on >= rec.served_on for rec in replied)


def test_leads_have_sources_and_confidential_reporters(seeded, db):
    assert Lead.objects.filter(status=Lead.Status.PENDING).count() >= 10
    declined = Lead.objects.filter(status=Lead.Status.DECLINED)
    assert declined.exists() and all(lead.decline_reason for lead in declined)
    reported = Lead.objects.filter(source=Lead.Source.REPORT)
    assert reported.exists() and all(lead.reporter_name and lead.reporter_contact for lead in reported)
    assert len(set(Lead.objects.values_list("source", flat=True))) >= 5


def test_referrals_in_every_state_both_ways_and_work_waits_for_the_liaison(seeded, db):
    states = set(Referral.objects.values_list("direction", "status"))
    assert {("to_commission", s) for s in ("draft", "pending", "sent", "received", "handled")} <= states
    assert {("to_procuratorate", s) for s in ("draft", "sent", "received", "handled")} <= states
    waiting = referrals_waiting_for(User.objects.get(username="discipline1"))
    assert set(waiting.values_list("status", flat=True)) == {"sent", "received"}
    assert Referral.objects.filter(direction="to_procuratorate", lead__isnull=False).count() == 2


def test_the_simulated_clock_is_put_back(seeded, db):
    assert timezone.now.__module__ == "django.utils.timezone"


# --- Lawsuits (issue 5) -------------------------------------------------------------------------


def _open(deadline: Deadline | None, today: datetime.date) -> bool:
    return deadline is not None and deadline.status == Deadline.Status.OPEN and deadline.due_date >= today


def test_every_litigation_case_has_its_lawsuit_before_a_local_court(seeded, db):
    litigation = Case.objects.filter(status__in=Case.LITIGATION_STATUSES, case_type=CaseType.ADMINISTRATIVE)
    assert litigation.count() >= 8
    courts = {demo.court_name(code): demo.court_prefix(code) for code, _name, _short in demo.REGIONS}
    assert {"鄂尔多斯市东胜区人民法院", "达拉特旗人民法院"} <= courts.keys()
    for case in litigation:
        (lawsuit,) = case.lawsuits.all()
        assert lawsuit.defendant_agency in case.agencies.all()
        assert lawsuit.court in courts and f"{courts[lawsuit.court]}行初" in lawsuit.court_case_number
        match = FIRST_INSTANCE_NUMBER.fullmatch(lawsuit.court_case_number)
        assert match and int(match.group(1)) == lawsuit.filed_on.year, lawsuit.court_case_number
        # The claims are the recommendation's items.
        for item in RecommendationItem.objects.filter(
            recommendation__case=case, recommendation__agency=lawsuit.defendant_agency
        ):
            assert item.text.rstrip("。；;") in lawsuit.claims
        assert "确认被告" in lawsuit.claims and "判令被告" in lawsuit.claims
        assert lawsuit.materials and lawsuit.filed_by == case.handler
    assert Lawsuit.objects.filter(court="鄂尔多斯市东胜区人民法院", court_case_number__contains="内0602行初").exists()
    assert Lawsuit.objects.filter(case__case_type=CaseType.ADMINISTRATIVE).count() == litigation.count()
    # Each went to court on a supervisor's approval of the handler's proposal.
    for case in litigation:
        proposal = case.lawsuit_proposals.get()
        assert proposal.status == LawsuitProposal.Status.APPROVED and proposal.decided_by.role == Role.SUPERVISOR


def test_lawsuits_appear_in_every_court_state(seeded, db):
    today = timezone.localdate()
    S = Lawsuit.Status
    assert set(S.values) == set(Lawsuit.objects.values_list("status", flat=True))

    awaiting = [
        s
        for s in Lawsuit.objects.filter(status=S.FILED, defence_submitted_on=None)
        if s.complaint_copy_received_on and _open(s.defence_deadline, today)
    ]
    assert awaiting, "no lawsuit awaiting the defence"
    for lawsuit in awaiting:
        assert lawsuit.filed_on <= lawsuit.complaint_copy_received_on < today
        assert not lawsuit.hearings.exists() and not lawsuit.rulings.exists()

    scheduled = Hearing.objects.filter(is_held=False)
    assert scheduled.exists(), "no hearing scheduled"
    for hearing in scheduled:
        assert hearing.held_on > today and hearing.registered_appearance == Hearing.Appearance.HEAD
        assert hearing.lawsuit.status == S.FILED and hearing.lawsuit.defence_submitted_on

    enforced = Ruling.objects.filter(lawsuit__status=S.ENFORCEMENT)
    assert enforced.exists()
    for ruling in enforced:
        assert ruling.compliance_due_on < ruling.transferred_for_enforcement_on < today
        assert ruling.compliance_deadline.status == Deadline.Status.CANCELLED
        assert ruling.lawsuit.case.status == Case.Status.ENFORCED

    lawyer_only = Hearing.objects.filter(appearance=Hearing.Appearance.LAWYER_ONLY)
    assert lawyer_only.exists()
    for hearing in lawyer_only:
        assert hearing.is_violation and "律师" in hearing.appeared_names
        assert hearing.lawsuit.status == S.FILED and hearing.lawsuit.defence_submitted_on <= hearing.held_on < today

    within_window = [r for r in Ruling.objects.filter(lawsuit__status=S.RULED) if _open(r.appeal_deadline, today)]
    assert within_window, "no first-instance judgment within its appeal window"
    for ruling in within_window:
        assert (ruling.instance, ruling.kind) == (Ruling.Instance.FIRST, Ruling.Kind.JUDGMENT)
        assert ruling.decided_on <= ruling.served_on < today and (today - ruling.served_on).days <= 15
        assert ruling.appealed_on is None and ruling.effective_on is None

    appealed = Ruling.objects.filter(lawsuit__status=S.APPEALED)
    assert appealed.exists()
    for ruling in appealed:
        assert ruling.instance == Ruling.Instance.FIRST and ruling.served_on <= ruling.appealed_on < today
        assert ruling.appealed_by and ruling.effective_on is None
        assert ruling.appeal_deadline.status == Deadline.Status.MET
        assert not ruling.lawsuit.rulings.filter(instance=Ruling.Instance.SECOND).exists()
        second = ruling.lawsuit.hearings.filter(held_on__gte=ruling.appealed_on)
        assert second.exists()
        for hearing in second:
            assert hearing.court_room.startswith(demo.APPEAL_COURT) and SECOND_INSTANCE_NUMBER.search(hearing.note)

    effective = Ruling.objects.filter(lawsuit__status=S.EFFECTIVE)
    assert effective.exists()
    for ruling in effective:
        assert ruling.orders_action and ruling.complied_on is None
        assert ruling.appeal_deadline.due_date < ruling.effective_on < today < ruling.compliance_due_on
        assert _open(ruling.compliance_deadline, today)
        assert ruling.compliance_deadline.due_date == ruling.compliance_due_on

    complied = Ruling.objects.filter(lawsuit__status=S.COMPLIED)
    assert complied.exists()
    for ruling in complied:
        assert ruling.effective_on <= ruling.complied_on < today
        assert ruling.complied_on <= ruling.compliance_due_on
        assert ruling.compliance_deadline.status == Deadline.Status.MET


def test_court_dates_are_in_the_past_and_in_order(seeded, db):
    today = timezone.localdate()
    for lawsuit in Lawsuit.objects.select_related("case"):
        assert lawsuit.case.opened_on <= lawsuit.filed_on < today
        dates = [lawsuit.filed_on, lawsuit.complaint_copy_received_on, lawsuit.defence_submitted_on]
        dates += list(lawsuit.hearings.filter(is_held=True).values_list("held_on", flat=True))
        dates = [d for d in dates if d]
        assert dates == sorted(dates) and dates[-1] < today
        for ruling in lawsuit.rulings.all():
            assert lawsuit.defence_submitted_on <= ruling.decided_on <= ruling.served_on < today
    # Every lawsuit event is on the case's history, stamped on its day.
    assert Event.objects.filter(note__contains="提起诉讼", case__status=Case.Status.LITIGATION).exists()


def test_the_case_follows_its_lawsuit_and_a_proposal_awaits_approval(seeded, db):
    court_status = {
        Lawsuit.Status.FILED: Case.Status.LITIGATION,
        Lawsuit.Status.APPEALED: Case.Status.LITIGATION,
        Lawsuit.Status.RULED: Case.Status.RULED,
        Lawsuit.Status.EFFECTIVE: Case.Status.EFFECTIVE,
        Lawsuit.Status.COMPLIED: Case.Status.COMPLIED,
        Lawsuit.Status.ENFORCEMENT: Case.Status.ENFORCED,
    }
    for lawsuit in Lawsuit.objects.select_related("case"):
        assert lawsuit.case.status == court_status[lawsuit.status]
    pending = LawsuitProposal.objects.filter(status=LawsuitProposal.Status.PENDING)
    assert pending.exists()
    for proposal in pending:
        assert proposal.case.status == Case.Status.FOLLOW_UP and not proposal.case.lawsuits.exists()


def test_civil_cases_in_announcement_supported_and_sued_with_exact_amounts(seeded, db):
    today = timezone.localdate()
    announcing = Case.objects.filter(status=Case.Status.ANNOUNCEMENT)
    assert announcing.exists()
    for case in announcing:
        deadline = case.deadlines.get(rule__code=RuleCode.CIVIL_ANNOUNCEMENT)
        assert deadline.status == Deadline.Status.OPEN and deadline.due_date >= today
    supported = PlaintiffSuit.objects.filter(supported_on__isnull=False)
    assert supported.exists()
    for suit in supported:
        assert suit.case.status == Case.Status.CLOSED and suit.case.closure_ground == Case.ClosureGround.OTHER_PLAINTIFF
    civil = Lawsuit.objects.exclude(case__case_type=CaseType.ADMINISTRATIVE)
    assert civil.exists() and civil.filter(case__case_type=CaseType.CRIMINAL_CIVIL).exists()
    for lawsuit in civil:
        assert lawsuit.defendant_name and lawsuit.defendant_agency is None
        assert bool(lawsuit.criminal_case_number) == (lawsuit.case.case_type == CaseType.CRIMINAL_CIVIL)
        ruling = lawsuit.rulings.get()
        assert ruling.outcome in Ruling.CIVIL_OUTCOMES and ruling.is_effective
        assert ruling.restoration_cost == ruling.restoration_cost.quantize(Decimal("0.01"))
        assert str(ruling.restoration_cost).endswith(".50") and ruling.compensation_amount > 0


def test_no_recommendation_names_the_reporter(seeded, db):
    """The recommendation is served on the agency: its text never carries the reporter's identity
    nor the lead's source detail (which can name the reporter)."""
    from cases.selectors import reporter_identity_in  # kept local: appended by the hardening branch

    recommendations = Recommendation.objects.select_related("case__lead").exclude(case__lead=None)
    assert recommendations.exists()
    for recommendation in recommendations:
        assert reporter_identity_in(recommendation) == [], recommendation.pk
        detail = recommendation.case.lead.source_detail
        assert not detail or detail not in recommendation.case_source, recommendation.pk


def test_the_liaison_sees_escalations_and_recorded_actions_and_a_rerun_adds_none(seeded, db, client):
    from deadlines.models import DeadlineAlert
    from notifications.models import Notification
    from supervision.models import SupervisionAction
    from supervision.selectors import escalations_visible_to

    liaison = User.objects.get(username="discipline1")
    assert escalations_visible_to(liaison).count() >= 3
    assert SupervisionAction.objects.filter(recorded_by=liaison).count() == 2
    before = (DeadlineAlert.objects.count(), SupervisionAction.objects.count(), Notification.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (DeadlineAlert.objects.count(), SupervisionAction.objects.count(), Notification.objects.count()) == before
    # Each of the liaison's escalation notifications opens a page it can read.
    client.force_login(liaison)
    notes = Notification.objects.filter(recipient=liaison, kind="deadline_escalated")
    assert notes.exists()
    for note in notes[:5]:
        assert client.get(note.url).status_code == 200, note.url
    assert "待采取督办措施" in client.get("/").content.decode()


def test_interference_records_with_a_correction_that_the_liaison_reads(seeded, db):
    records = InterferenceRecord.objects.all()
    assert records.count() >= 3
    assert records.filter(corrects__isnull=False).exists()
    liaison = User.objects.get(username="discipline1")
    assert set(interference_records_visible_to(liaison)) == set(records)
    procurator = User.objects.get(username="procurator1")
    assert set(interference_records_visible_to(procurator)) == set(records.filter(recorded_by=procurator))
    assert not interference_records_visible_to(User.objects.get(username="agency1")).exists()
    before = records.count()
    call_command("seed_demo", stdout=StringIO())
    assert InterferenceRecord.objects.count() == before


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def _out_of_order(label: str, *steps: tuple[str, datetime.date | None]) -> list[str]:
    """The pairs of consecutive known dates in `steps` that run backwards, as readable lines."""
    known = [(name, day) for name, day in steps if day is not None]
    return [f"{label}: {a} {da} > {b} {db}" for (a, da), (b, db) in itertools.pairwise(known) if da > db]


def test_every_date_order_in_the_demo_is_real(seeded, db):
    """Issue 14: a proposal to sue was dated after its approval. Every chain of dates the demo
    writes runs forwards: lead ≤ opening ≤ closing; submission ≤ approval ≤ issue ≤ service ≤
    acknowledgement ≤ reply; proposal ≤ approval ≤ filing ≤ complaint copy ≤ defence, filing ≤
    hearing ≤ ruling ≤ service ≤ appeal ≤ second ruling, service ≤ effect ≤ compliance."""
    wrong: list[str] = []
    for case in Case.objects.select_related("lead"):
        lead_day = case.lead.received_on if case.lead_id else None
        wrong += _out_of_order(case.number, ("lead", lead_day), ("opened", case.opened_on), ("closed", case.closed_on))
    pending = (Recommendation.Status.DRAFT, Recommendation.Status.PENDING_APPROVAL)
    for rec in Recommendation.objects.select_related("case", "acknowledgement"):
        ack = getattr(rec, "acknowledgement", None)
        label = rec.document_number or f"recommendation {rec.pk}"
        wrong += _out_of_order(
            label,
            ("case opened", rec.case.opened_on),
            ("submitted", _day(rec.submitted_at)),
            # A draft returned and sent again awaits a new decision: its decided_at is the return.
            ("approved", None if rec.status in pending else _day(rec.decided_at)),
            ("issued", rec.issued_on),
            ("served", rec.served_on),
            ("acknowledged", ack.acknowledged_on if ack else None),
            ("reply received", rec.reply_received_on),
        )
        wrong += _out_of_order(label, ("served", rec.served_on), ("filed with superior", rec.filed_with_superior_on))
        wrong += _out_of_order(label, ("reply posted", rec.reply_posted_on), ("reply received", rec.reply_received_on))
        for report in rec.feedback_reports.exclude(submitted_at=None):
            wrong += _out_of_order(label, ("served", rec.served_on), ("report submitted", _day(report.submitted_at)))
    for proposal in LawsuitProposal.objects.select_related("case"):
        lawsuits = list(proposal.case.lawsuits.all())
        filed = min((s.filed_on for s in lawsuits), default=None) if proposal.status == "approved" else None
        wrong += _out_of_order(
            f"{proposal.case.number} proposal",
            ("case opened", proposal.case.opened_on),
            ("proposed", _day(proposal.proposed_at)),
            ("approved", _day(proposal.decided_at)),
            ("filed", filed),
        )
    for lawsuit in Lawsuit.objects.prefetch_related("hearings", "rulings"):
        label = lawsuit.court_case_number
        rulings = {r.instance: r for r in lawsuit.rulings.all()}
        first, second = rulings.get(Ruling.Instance.FIRST), rulings.get(Ruling.Instance.SECOND)
        wrong += _out_of_order(
            label,
            ("filed", lawsuit.filed_on),
            ("complaint copy", lawsuit.complaint_copy_received_on),
            ("defence", lawsuit.defence_submitted_on),
        )
        for hearing in lawsuit.hearings.all():
            before_appeal = not (first and first.appealed_on and hearing.held_on >= first.appealed_on)
            ruling = first if before_appeal else second
            wrong += _out_of_order(
                label,
                ("filed", lawsuit.filed_on),
                ("hearing", hearing.held_on if hearing.is_held else None),
                ("ruling", ruling.decided_on if ruling else None),
            )
        for ruling in (first, second):
            if ruling is None:
                continue
            wrong += _out_of_order(
                label,
                ("filed", lawsuit.filed_on),
                ("decided", ruling.decided_on),
                ("served", ruling.served_on),
                ("effective", ruling.effective_on),
                ("complied", ruling.complied_on),
            )
            wrong += _out_of_order(
                label, ("effective", ruling.effective_on), ("enforced", ruling.transferred_for_enforcement_on)
            )
        if first and first.appealed_on:
            wrong += _out_of_order(
                label,
                ("served", first.served_on),
                ("appealed", first.appealed_on),
                ("second decided", second.decided_on if second else None),
            )
    assert wrong == [], "\n".join(wrong[:20])
