"""The dashboard from pre-aggregated counts (dashboard/aggregates.py) agrees exactly with the live
computation (dashboard/metrics.py): every figure part and its distinct cases, the per-procuratorate
and per-domain rows and the charts, for every demo dashboard scope, after a randomised (seeded)
sequence of service calls on top of the demo (issue 15).

The demo is seeded through the services once for the module (its own seeded stories: cases opened,
recommendations served and replied, items evaluated, lawsuits, hearings, rulings, closings), then
`_follow_up` plays SEED_STEPS more service calls chosen by a seeded RNG on the days after it
(evaluations, replies, withdrawals, closings, domain changes, cancelled hearings, new leads). Then
the counts are rebuilt and compared with the live figures for every scope, several periods (whole
years, partial months at both ends, one month, days inside one month) and several "todays".
"""

from __future__ import annotations

import datetime
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from accounts.models import User
from cases.models import Case, CaseType, Domain, Lead, Recommendation, RecommendationItem
from cases.services.cases import case_close, case_update
from cases.services.leads import lead_register
from cases.services.recommendations import item_evaluate, recommendation_record_reply, recommendation_withdraw
from dashboard import aggregates, metrics
from dashboard.models import DashboardCount
from demo import data as demo_data
from litigation.models import Hearing
from litigation.services.court import hearing_cancel
from pil_tracker.errors import DomainError

SEED_DAY = datetime.date(2026, 5, 20)  # the demo's "today"
FOLLOW_UP_DAYS = 40  # the follow-up calls happen on the days after it
SEED_STEPS = 160
RNG_SEED = 15
TODAYS = (SEED_DAY + datetime.timedelta(days=FOLLOW_UP_DAYS + 1), datetime.date(2026, 3, 9))
PERIODS = (
    (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),  # whole months only
    (datetime.date(2025, 3, 15), datetime.date(2026, 6, 20)),  # partial months at both ends
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),  # one month
    (datetime.date(2026, 5, 10), datetime.date(2026, 6, 25)),  # days on both sides of a month end
    (datetime.date(2026, 6, 3), datetime.date(2026, 6, 17)),  # days inside one month
)


def _follow_up(rng: random.Random) -> dict[str, int]:
    """SEED_STEPS service calls on the days after the demo, each chosen at random among what the
    data allows; a call the service refuses (DomainError) changes nothing and is counted apart."""
    done: dict[str, int] = {}
    domains = list(Domain.objects.filter(is_active=True))

    def evaluate(day):
        item = rng.choice(
            list(
                RecommendationItem.objects.filter(
                    recommendation__status__in=[Recommendation.Status.SERVED, Recommendation.Status.REPLIED]
                ).select_related("recommendation__case__handler")
            )
        )
        evaluation = rng.choice(RecommendationItem.Evaluation.values)
        item_evaluate(user=item.recommendation.case.handler, item=item, evaluation=evaluation)

    def reply(day):
        rec = rng.choice(list(Recommendation.objects.filter(status=Recommendation.Status.SERVED)))
        recommendation_record_reply(
            user=rec.case.handler, recommendation=rec, received_on=day, summary="已整改。", today=day
        )

    def withdraw(day):
        recs = list(Recommendation.objects.filter(status=Recommendation.Status.DRAFT))
        rec = rng.choice(recs)
        recommendation_withdraw(user=rec.case.handler, recommendation=rec, reason="不再需要。")

    def close(day):
        case = rng.choice(list(Case.objects.exclude(status=Case.Status.CLOSED)))
        case_close(
            user=case.handler,
            case=case,
            ground=Case.ClosureGround.PUBLIC_INTEREST_RESTORED,
            note="",
            closed_on=day,
            today=day,
        )

    def change_domain(day):
        # A case's dimensions change: its rows must move with it (the rebuild reads the case).
        case = rng.choice(list(Case.objects.exclude(status=Case.Status.CLOSED)))
        case_update(
            user=case.handler,
            case=case,
            title=case.title,
            summary=case.summary,
            domain=rng.choice(domains),
            agencies=list(case.agencies.all()),
            co_handlers=list(case.co_handlers.all()),
            internal_notes=case.internal_notes,
        )

    def cancel_hearing(day):
        hearing = rng.choice(list(Hearing.objects.filter(is_held=False, cancelled_on__isnull=True)))
        hearing_cancel(user=hearing.lawsuit.filed_by, hearing=hearing, reason="法院通知取消。", today=day)

    def register_lead(day):
        lead = rng.choice(list(Lead.objects.all()))
        lead_register(
            user=lead.registered_by,
            today=day,
            title=f"随访线索{day}",
            summary="随访中发现。",
            source=Lead.Source.REPORT,
            received_on=day,
            domain=rng.choice(domains),
        )

    actions = [evaluate, evaluate, reply, reply, withdraw, close, close, change_domain, cancel_hearing, register_lead]
    with demo_data._simulated_clock(SEED_DAY + datetime.timedelta(days=FOLLOW_UP_DAYS + 1)) as clock:
        for step in range(SEED_STEPS):
            day = SEED_DAY + datetime.timedelta(days=1 + step * FOLLOW_UP_DAYS // SEED_STEPS)
            clock.set_day(day)
            action = rng.choice(actions)
            try:
                with transaction.atomic():
                    action(day)
            except (DomainError, IndexError):  # refused, or nothing to act on
                done["refused"] = done.get("refused", 0) + 1
            else:
                done[action.__name__] = done.get(action.__name__, 0) + 1
    return done


@pytest.fixture(scope="module")
def played(django_db_setup, django_db_blocker):
    """The demo seeded as of SEED_DAY, then the follow-up calls; rolled back at the end."""
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    hashers.enable()
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        demo_data.seed(password="demo-test-pass", today=SEED_DAY)
        done = _follow_up(random.Random(RNG_SEED))  # noqa: S311 - a reproducible test sequence
    yield done
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    hashers.disable()


def _supervisors() -> list[User]:
    return [u for u in User.objects.order_by("username") if metrics.can_view_dashboard(u)]


def _scopes(user) -> list[metrics.Scope]:
    """The user's own scope and each procuratorate in it, over every period."""
    base = metrics.scope_for(user, today=TODAYS[0])
    scopes = []
    for start, end in PERIODS:
        for ids in (base.procuratorate_ids, *((pk,) for pk in base.procuratorate_ids)):
            scopes.append(metrics.Scope(procuratorate_ids=ids, start=start, end=end))
    return scopes


def _disagreements(scope: metrics.Scope, today: datetime.date) -> list:
    live = metrics.key_figures(scope, today=today)
    counted = aggregates.key_figures(scope, today=today)
    return [(scope, today, a, b) for a, b in zip(live, counted, strict=True) if a != b]


def test_the_follow_up_did_something(db, played):
    for action in ("evaluate", "reply", "close", "change_domain", "register_lead"):
        assert played.get(action, 0) >= 3, played
    assert DashboardCount.objects.count() == 0  # nothing built yet in this test's transaction
    aggregates.rebuild()
    # Cases with more than one qualifying day (the distinct-case bookkeeping) are there.
    assert DashboardCount.objects.filter(grain="d", prev_day__isnull=False).exists()


def test_every_figure_agrees_with_the_live_computation_for_every_demo_scope(db, played):
    aggregates.rebuild()
    supervisors = _supervisors()
    assert len(supervisors) >= 3
    disagreements, compared = [], 0
    for user in supervisors:
        for scope in _scopes(user):
            for today in TODAYS:
                disagreements += _disagreements(scope, today)
                compared += 1
    assert compared >= len(supervisors) * len(PERIODS) * len(TODAYS)
    assert not disagreements, disagreements[:3]


def test_domain_and_case_type_filters_agree(db, played):
    aggregates.rebuild()
    domains = list(Case.objects.values_list("domain_id", flat=True).distinct().order_by("domain_id"))
    disagreements = []
    for user in _supervisors():
        base = metrics.scope_for(user, today=TODAYS[0])
        for start, end in PERIODS[:3]:
            for today in TODAYS:
                for domain_id in domains:
                    scope = metrics.Scope(base.procuratorate_ids, start, end, domain_id=domain_id)
                    disagreements += _disagreements(scope, today)
                for case_type in CaseType.values:
                    scope = metrics.Scope(base.procuratorate_ids, start, end, case_type=case_type)
                    disagreements += _disagreements(scope, today)
                    scope = metrics.Scope(base.procuratorate_ids, start, end, domain_id=domains[0], case_type=case_type)
                    disagreements += _disagreements(scope, today)
    assert not disagreements, disagreements[:3]


def test_figures_by_procuratorate_and_domain_and_the_charts_agree(db, played):
    aggregates.rebuild()
    for user in _supervisors():
        base = metrics.scope_for(user, today=TODAYS[0])
        for start, end in PERIODS:
            scope = metrics.Scope(base.procuratorate_ids, start, end)
            for today in TODAYS:
                for by in ("procuratorate", "domain"):
                    live = metrics.figures_by(scope, by=by, today=today)
                    assert aggregates.figures_by(scope, by=by, today=today) == live, (user, scope, today, by)
                assert aggregates.chart_data(scope, today=today) == metrics.chart_data(scope, today=today), (
                    user,
                    scope,
                    today,
                )
        scope = metrics.Scope(base.procuratorate_ids, *PERIODS[1], case_type=CaseType.ADMINISTRATIVE)
        assert aggregates.chart_data(scope, today=TODAYS[0]) == metrics.chart_data(scope, today=TODAYS[0])


def test_the_comparison_can_fail_a_change_shows_live_only_until_the_next_rebuild(db, played):
    """The control: the test above is not comparing a thing with itself."""
    aggregates.rebuild()
    user = User.objects.get(username="supervisor1")
    scope = metrics.scope_for(user, start=PERIODS[0][0], end=PERIODS[0][1], today=TODAYS[0])
    item = (
        RecommendationItem.objects.filter(
            evaluation="",
            recommendation__status__in=[Recommendation.Status.SERVED, Recommendation.Status.REPLIED],
            recommendation__case__procuratorate_id__in=scope.procuratorate_ids,
        )
        .exclude(recommendation__case__status=Case.Status.CLOSED)
        .first()
    )
    assert item is not None
    with demo_data._simulated_clock(TODAYS[0]) as clock:
        clock.set_day(TODAYS[0] - datetime.timedelta(days=1))  # evaluated in the period, before today
        item_evaluate(
            user=item.recommendation.case.handler, item=item, evaluation=RecommendationItem.Evaluation.RECTIFIED
        )

    def rectification(figures):
        (figure,) = (f for f in figures if f.code == "rectification_rate")
        return figure.numerator, figure.denominator

    live, counted = (
        rectification(metrics.key_figures(scope, today=TODAYS[0])),
        rectification(aggregates.key_figures(scope, today=TODAYS[0])),
    )
    assert live == (counted[0] + 1, counted[1] + 1)
    assert _disagreements(scope, TODAYS[0])
    aggregates.rebuild()
    assert not _disagreements(scope, TODAYS[0])


def test_the_management_command_rebuilds_and_says_so(db, played):
    out = StringIO()
    call_command("dashboard_aggregate", stdout=out)
    assert aggregates.built_at() is not None
    assert str(DashboardCount.objects.count()) in out.getvalue().replace(",", "")
