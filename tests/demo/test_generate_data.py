"""manage.py generate_data: deterministic, plausible, consistent with the services' rules (PostgreSQL)."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Min, Q

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Case
from cases.selectors import cases_visible_to, leads_visible_to, recommendations_visible_to
from deadlines.models import Deadline
from demo import generate

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="generate_data is PostgreSQL only")

TODAY = datetime.date(2026, 11, 25)
N = 300


def _checksum() -> tuple[dict[str, int], str]:
    """Counts and a digest of key columns, ids left out (the sequences move on between runs)."""
    with connection.cursor() as cursor:
        counts = {}
        for table in (
            "cases_case",
            "cases_lead",
            "cases_recommendation",
            "cases_recommendationitem",
            "deadlines_deadline",
            "feedback_acknowledgement",
            "feedback_feedbackreport",
            "litigation_lawsuit",
            "litigation_ruling",
            "cases_event",
            "notifications_notification",
            "accounts_user",
            "agencies_organisation",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT string_agg(concat_ws('|', c.number, c.status, c.opened_on, c.closed_on, c.next_due_date, u.username,"
            " o.name, r.status, r.served_on, r.reply_received_on, a.name), ';' ORDER BY c.number)"
            " FROM cases_case c JOIN accounts_user u ON u.id = c.handler_id JOIN agencies_organisation o ON o.id = c.procuratorate_id"
            " LEFT JOIN cases_recommendation r ON r.case_id = c.id LEFT JOIN agencies_organisation a ON a.id = r.agency_id"
        )
        digest = hashlib.sha256(cursor.fetchone()[0].encode()).hexdigest()
    return counts, digest


@pytest.fixture
def generated():
    generate.check_database(force=False)
    generate.generate(cases=N, seed=7, today=TODAY)


@postgres_only
def test_deterministic_for_a_seed():
    runs = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            generate.generate(cases=N, seed=seed, today=TODAY)
            runs.append(_checksum())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert runs[0][0]["cases_case"] == N
    assert runs[0][1] != runs[2][1]  # another seed, other data


@postgres_only
def test_refuses_a_database_with_other_data(world):
    with pytest.raises(CommandError, match="not empty"):
        call_command("generate_data", "--cases", "10")


@postgres_only
def test_tree_and_skew(generated):
    procuratorates = Organisation.objects.filter(kind="procuratorate")
    assert procuratorates.filter(level="province").count() == 1
    assert procuratorates.filter(level="city").count() == 12
    assert procuratorates.filter(level="county").count() == 100
    for org in procuratorates:
        assert User.objects.filter(organisation=org, role=Role.SUPERVISOR).count() == 1
        assert User.objects.filter(organisation=org, role=Role.PROCURATOR).count() >= 3
    with connection.cursor() as cursor:
        # Skewed: the most recommended agency kind of a region gets far more than the least.
        cursor.execute(
            "SELECT count(*) FILTER (WHERE o.name LIKE '%%自然资源局'), count(*) FILTER (WHERE o.name LIKE '%%民政局')"
            " FROM cases_recommendation r JOIN agencies_organisation o ON o.id = r.agency_id"
        )
        first, late = cursor.fetchone()
    assert first > 3 * max(late, 1)
    assert len(set(Case.objects.values_list("status", flat=True))) >= 6


@postgres_only
def test_date_orders(generated):
    with connection.cursor() as cursor:
        checks = {
            "served before issued": "SELECT count(*) FROM cases_recommendation WHERE served_on < issued_on",
            "served before opened": "SELECT count(*) FROM cases_recommendation r JOIN cases_case c ON c.id = r.case_id"
            " WHERE r.served_on < c.opened_on",
            "ack before service": "SELECT count(*) FROM feedback_acknowledgement a JOIN cases_recommendation r"
            " ON r.id = a.recommendation_id WHERE a.acknowledged_on < r.served_on",
            "reply before ack": "SELECT count(*) FROM feedback_acknowledgement a JOIN cases_recommendation r"
            " ON r.id = a.recommendation_id WHERE r.reply_received_on < a.acknowledged_on",
            "report before service": "SELECT count(*) FROM feedback_feedbackreport f JOIN cases_recommendation r"
            " ON r.id = f.recommendation_id WHERE f.submitted_at::date < r.served_on OR f.submitted_at::date > r.reply_received_on",
            "evaluation before reply": "SELECT count(*) FROM cases_recommendationitem i JOIN cases_recommendation r"
            " ON r.id = i.recommendation_id WHERE i.evaluated_at::date < r.reply_received_on",
            "closed before opened": "SELECT count(*) FROM cases_case WHERE closed_on < opened_on",
            "lead after case": "SELECT count(*) FROM cases_case c JOIN cases_lead l ON l.id = c.lead_id WHERE l.received_on > c.opened_on",
            "suit before service": "SELECT count(*) FROM litigation_lawsuit l JOIN cases_recommendation r"
            " ON r.id = l.recommendation_id WHERE l.filed_on <= r.served_on",
            "hearing before suit": "SELECT count(*) FROM litigation_hearing h JOIN litigation_lawsuit l ON l.id = h.lawsuit_id"
            " WHERE h.held_on < l.filed_on",
            "ruling before hearing": "SELECT count(*) FROM litigation_ruling r JOIN litigation_hearing h ON h.lawsuit_id = r.lawsuit_id"
            " WHERE r.decided_on < h.held_on OR r.effective_on < r.served_on OR r.complied_on < r.effective_on",
            "due before start": "SELECT count(*) FROM deadlines_deadline WHERE due_date <= start_date",
            "in the future": "SELECT (SELECT count(*) FROM cases_case WHERE opened_on > %(t)s OR closed_on > %(t)s)"
            " + (SELECT count(*) FROM cases_recommendation WHERE served_on > %(t)s OR reply_received_on > %(t)s)"
            " + (SELECT count(*) FROM litigation_ruling WHERE decided_on > %(t)s)"
            " + (SELECT count(*) FROM cases_event WHERE at::date > %(t)s)",
            "deadline met late": "SELECT count(*) FROM deadlines_deadline WHERE status = 'met' AND fulfilled_on > due_date"
            " OR status = 'late' AND fulfilled_on <= due_date",
            "open deadline of closed case": "SELECT count(*) FROM deadlines_deadline d JOIN cases_case c ON c.id = d.case_id"
            " WHERE d.status = 'open' AND c.status = 'closed'",
        }
        for label, sql in checks.items():
            cursor.execute(sql, {"t": TODAY})
            assert cursor.fetchone()[0] == 0, label


@postgres_only
def test_share_ending_before_litigation(generated):
    sued = Case.objects.filter(lawsuits__isnull=False).distinct().count()
    assert 0.90 <= 1 - sued / N <= 0.96
    # Every replied recommendation has its final report, every served one its reply deadline.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM cases_recommendation r WHERE r.status = 'replied' AND NOT EXISTS"
            " (SELECT 1 FROM feedback_feedbackreport f WHERE f.recommendation_id = r.id AND f.kind = 'final')"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT count(*) FROM cases_recommendation r WHERE r.served_on IS NOT NULL AND (SELECT count(*)"
            " FROM deadlines_deadline d WHERE d.recommendation_id = r.id) <> 2"
        )
        assert cursor.fetchone()[0] == 0


@postgres_only
def test_next_due_date_is_the_earliest_open_deadline(generated):
    earliest = Case.objects.annotate(
        open_min=Min("deadlines__due_date", filter=Q(deadlines__status=Deadline.Status.OPEN))
    ).values_list("next_due_date", "open_min")
    assert all(kept == computed for kept, computed in earliest)
    assert any(kept is not None for kept, _ in earliest)
    # And the deadline service agrees: recomputing changes nothing.
    from deadlines.services import deadlines_refresh_next_due

    before = list(Case.objects.order_by("id").values_list("next_due_date", "next_due_provisional"))
    deadlines_refresh_next_due(case_ids=Case.objects.values("id"))
    assert list(Case.objects.order_by("id").values_list("next_due_date", "next_due_provisional")) == before


@postgres_only
def test_scoping_through_the_selectors(generated):
    city = Organisation.objects.get(name="青川市人民检察院")
    supervisor = User.objects.get(organisation=city, role=Role.SUPERVISOR)
    subtree = Organisation.objects.filter(tree_path__startswith=city.tree_path)
    assert subtree.count() > 7
    visible = cases_visible_to(supervisor)
    assert set(visible.values_list("pk", flat=True)) == set(
        Case.objects.filter(procuratorate__in=subtree).values_list("pk", flat=True)
    )
    assert 0 < visible.count() < N
    province = User.objects.get(organisation__level="province", role=Role.SUPERVISOR)
    assert cases_visible_to(province).count() == N
    procurator = User.objects.filter(
        role=Role.PROCURATOR, organisation__level="county", handled_cases__isnull=False
    ).first()
    assert procurator is not None
    assert set(cases_visible_to(procurator).values_list("procuratorate_id", flat=True)) == {procurator.organisation_id}
    assert leads_visible_to(procurator).exists()
    assert recommendations_visible_to(supervisor).count() <= recommendations_visible_to(province).count()


@postgres_only
def test_list_pages_answer_for_generated_users(generated, client):
    city = Organisation.objects.get(name="青川市人民检察院")
    supervisor = User.objects.get(organisation=city, role=Role.SUPERVISOR)
    procurator = User.objects.filter(
        role=Role.PROCURATOR, organisation__level="county", handled_cases__isnull=False
    ).first()
    case = cases_visible_to(procurator).order_by("-id").first()
    for user in (supervisor, procurator):
        client.force_login(user)
        for path in ("/cases/", "/leads/", "/cases/?sort=next_due", f"/cases/{case.pk}/", "/notifications/"):
            response = client.get(path)
            assert response.status_code == 200, (user.username, path, response.status_code)


@pytest.mark.skipif("connection.vendor == 'postgresql'", reason="the refusal on other databases")
def test_refuses_sqlite():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("generate_data", "--cases", "10")
