"""`manage.py seed_demo`: the Ordos demo, written through the services, idempotent.

The seed runs once for the module (it writes about 200 case histories) inside a transaction that
is rolled back afterwards, so the other test modules never see the demo data.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Role, User
from agencies.models import Organisation, Region
from cases import demo
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

PASSWORD = "demo-test-pass"
NUMBER = re.compile(r"〔(\d{4})〕(\d+)号")


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
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["numbers given"] = sum(DocumentSequence.objects.values_list("last_number", flat=True))
    return counts


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


def test_the_simulated_clock_is_put_back(seeded, db):
    assert timezone.now.__module__ == "django.utils.timezone"
