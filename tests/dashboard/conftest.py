"""A small hand-computed dataset for the dashboard's figures (docs/domain.md, Dashboard figures).

Today is 2026-06-30 and the period is 2026. In scope: the district and city procuratorates of the
shared `world`; the `other` procuratorate's rows are there to be left out. Each row's comment says
which figures it enters; the expected counts are in `EXPECTED` and the expected cases behind each
number in `Dataset.expected_cases`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest

from cases.models import Case, CaseType, Domain, Lead, Recommendation, RecommendationItem
from deadlines.models import Deadline, DeadlineRule, RuleCode
from litigation.models import Hearing, Lawsuit, Ruling
from tests.factories import CaseFactory, LeadFactory, RecommendationFactory

TODAY = datetime.date(2026, 6, 30)
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
CST = datetime.timezone(datetime.timedelta(hours=8))

# figure code -> (numerator, denominator) for rates, value for counts; city supervisor, whole scope.
EXPECTED = {
    "leads": 2,
    "cases_opened": 6,
    "recommendations_served": 3,
    "replies_overdue": 2,
    "on_time_reply_rate": (1, 4),
    "rectification_rate": (2, 4),
    "pre_litigation_rate": (1, 2),
    "lawsuits": 3,
    "claims_supported_rate": (2, 3),
    "head_appearance_rate": (2, 3),
    "ruling_compliance_rate": (1, 2),
}


def d(month: int, day: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


@dataclass
class Dataset:
    cases: dict[str, Case] = field(default_factory=dict)
    leads: dict[str, Lead] = field(default_factory=dict)
    # figure code (or "code:part") -> names of the cases (leads for "leads") behind it
    expected_cases: dict[str, set[str]] = field(default_factory=dict)
    other_domain: Domain | None = None

    def ids(self, names: set[str]) -> set[int]:
        return {self.cases[n].pk for n in names}


def _rec(case: Case, agency, *, served_on=None, status=Recommendation.Status.SERVED) -> Recommendation:
    rec = RecommendationFactory(case=case, agency=agency, status=status, served_on=served_on, items=["一", "二"])
    return rec


def _reply_deadline(rec: Recommendation, *, due, status=Deadline.Status.OPEN, fulfilled_on=None, closed_at=None):
    rule = DeadlineRule.objects.get(code=RuleCode.REPLY)
    return Deadline.objects.create(
        case=rec.case,
        recommendation=rec,
        rule=rule,
        start_date=due - datetime.timedelta(days=60),
        period_value=2,
        period_unit="months",
        due_date=due,
        status=status,
        fulfilled_on=fulfilled_on,
        closed_at=closed_at,
    )


def _evaluate(item: RecommendationItem, evaluation: str, at: datetime.datetime) -> None:
    item.evaluation = evaluation
    item.evaluated_at = at
    item.save(update_fields=["evaluation", "evaluated_at"])


_court_numbers = iter(range(1, 1000))


def _lawsuit(case: Case, *, filed_on, agency=None) -> Lawsuit:
    return Lawsuit.objects.create(
        case=case,
        court="测试区人民法院",
        court_case_number=f"(2026)测0602行初{next(_court_numbers)}号",
        filed_on=filed_on,
        defendant_agency=agency,
        defendant_name="" if agency else "某化工有限公司",
        claims="判令被告依法履职。",
        filed_by=case.handler,
    )


def _ruling(lawsuit: Lawsuit, **fields) -> Ruling:
    fields.setdefault("instance", Ruling.Instance.FIRST)
    fields.setdefault("kind", Ruling.Kind.JUDGMENT)
    fields.setdefault("served_on", fields["decided_on"] + datetime.timedelta(days=3))
    return Ruling.objects.create(lawsuit=lawsuit, recorded_by=lawsuit.filed_by, **fields)


def _hearing(lawsuit: Lawsuit, held_on, appearance) -> Hearing:
    return Hearing.objects.create(lawsuit=lawsuit, held_on=held_on, appearance=appearance, recorded_by=lawsuit.filed_by)


@pytest.fixture
def dataset(world) -> Dataset:
    ds = Dataset()
    district, city, other = world.district, world.city, world.other
    a1, a2 = world.agency1, world.agency2
    ds.other_domain = Domain.objects.get(name="食品药品安全")  # seeded

    # Leads: received in the period and in scope (L1, L2) count.
    ds.leads["L1"] = LeadFactory(procuratorate=district, received_on=d(3, 1), registered_by=world.procurator)
    ds.leads["L2"] = LeadFactory(procuratorate=city, received_on=d(2, 1), registered_by=world.city_procurator)
    LeadFactory(procuratorate=district, received_on=d(12, 31, 2025), registered_by=world.procurator)
    LeadFactory(procuratorate=other, received_on=d(3, 1), registered_by=world.other_procurator)

    def case(name, procuratorate, opened_on, **kw):
        handler = {district: world.procurator, city: world.city_procurator, other: world.other_procurator}
        ds.cases[name] = CaseFactory(
            procuratorate=procuratorate, opened_on=opened_on, handler=handler[procuratorate], **kw
        )
        return ds.cases[name]

    # Cases opened in the period and in scope: C1, C2, C5, C6, C7, C8 (6); C3 opened in 2025.
    c1 = case("C1", district, d(3, 10), status=Case.Status.CLOSED, closed_on=d(6, 15))
    c2 = case("C2", city, d(4, 1), status=Case.Status.AWAITING_REPLY, domain=ds.other_domain)
    c3 = case("C3", district, d(11, 1, 2025), status=Case.Status.LITIGATION)
    c4 = case("C4", other, d(3, 10))
    c5 = case("C5", district, d(1, 5), status=Case.Status.CLOSED, closed_on=d(5, 1))
    case("C6", city, d(1, 20), status=Case.Status.CLOSED, closed_on=d(3, 1))
    c7 = case("C7", city, d(2, 1), case_type=CaseType.CIVIL, status=Case.Status.LITIGATION)
    c8 = case("C8", city, d(2, 2), case_type=CaseType.CIVIL, status=Case.Status.LITIGATION)

    # Recommendations served in the period and in scope: R1, R2, R6 (3).
    r1 = _rec(c1, a1, served_on=d(4, 3))
    r2 = _rec(c2, a2, served_on=d(5, 1))
    r3 = _rec(c3, a1, served_on=d(12, 1, 2025))
    _rec(c1, a2, status=Recommendation.Status.DRAFT)
    r5 = _rec(c4, a1, served_on=d(4, 3))
    r6 = _rec(c3, a2, served_on=d(3, 1))
    r7 = _rec(c2, a1, served_on=d(10, 1, 2025))
    r8 = _rec(c1, a1, served_on=d(12, 20, 2025))
    r9 = _rec(c3, a1, served_on=d(11, 10, 2025))
    _rec(c5, a1, served_on=d(10, 1, 2025))

    # Reply deadlines. Overdue now: D4, D5 (2). Due date passed in the period: D1, D3, D4, D7 (4);
    # on time: D1 (1). D2 is not yet due, D6 was cancelled before its due date, D8 is out of scope.
    _reply_deadline(r1, due=d(6, 3), status=Deadline.Status.MET, fulfilled_on=d(5, 20))  # D1
    _reply_deadline(r2, due=d(7, 1))  # D2
    _reply_deadline(r3, due=d(2, 2), status=Deadline.Status.LATE, fulfilled_on=d(2, 10))  # D3
    _reply_deadline(r6, due=d(5, 4))  # D4
    _reply_deadline(r7, due=d(12, 1, 2025))  # D5
    _reply_deadline(  # D6
        r8,
        due=d(3, 1),
        status=Deadline.Status.CANCELLED,
        closed_at=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=CST),  # on the due date, in China
    )
    _reply_deadline(  # D7
        r9, due=d(3, 15), status=Deadline.Status.CANCELLED, closed_at=datetime.datetime(2026, 4, 1, 9, tzinfo=CST)
    )
    _reply_deadline(r5, due=d(6, 3))  # D8
    # Another kind of deadline, overdue: not a reply.
    Deadline.objects.create(
        case=c1,
        recommendation=r1,
        rule=DeadlineRule.objects.get(code=RuleCode.FILING),
        start_date=d(4, 3),
        period_value=5,
        period_unit="days",
        due_date=d(4, 8),
    )

    # Items evaluated in the period (China Standard Time): I1, I2, I3, I6 (4); rectified: I1, I6.
    i1, i2 = r1.items.order_by("number")
    i3, i4 = r3.items.order_by("number")
    i5, i6 = r6.items.order_by("number")
    _evaluate(i1, "rectified", datetime.datetime(2026, 6, 1, 10, tzinfo=CST))
    _evaluate(i2, "partly", datetime.datetime(2026, 6, 1, 10, tzinfo=CST))
    _evaluate(i3, "already_performed", datetime.datetime(2026, 1, 15, 10, tzinfo=CST))
    _evaluate(i5, "rectified", datetime.datetime(2025, 12, 20, 10, tzinfo=CST))
    # 2026-01-01 00:30 in China is still 2025-12-31 in UTC: it is in the period.
    _evaluate(i6, "rectified", datetime.datetime(2026, 1, 1, 0, 30, tzinfo=CST))
    del i4  # not evaluated

    # Lawsuits filed in the period and in scope: LS1, LS3, LS4 (3); LS2 was filed in 2025.
    ls1 = _lawsuit(c3, filed_on=d(3, 1), agency=a1)
    ls2 = _lawsuit(c5, filed_on=d(12, 10, 2025), agency=a2)
    ls3 = _lawsuit(c7, filed_on=d(4, 1))
    ls4 = _lawsuit(c8, filed_on=d(2, 1))
    _lawsuit(c4, filed_on=d(3, 1), agency=a1)

    # Pre-litigation: C1 closed after its recommendation without a lawsuit (numerator); C3 sued in
    # the period (denominator). C5 was sued in 2025 (concluded then), C2 is not concluded, C6 had no
    # served recommendation.

    # Rulings. Claims (first-instance judgments and rulings decided in the period): RU1, RU2, RU3
    # (3); supporting: RU1 (order performance), RU3 (revoke) (2). RU4 is second instance, RU5 a
    # mediation. Compliance (effective in the period, ordering action, decided): RU1 complied, RU4
    # transferred for enforcement (2); complied: RU1. RU5 orders action but is not decided yet.
    _ruling(
        ls1,
        outcome="order_performance",
        decided_on=d(5, 1),
        effective_on=d(5, 20),
        ordered_action="六个月内完成整改。",
        complied_on=d(6, 1),
    )  # RU1
    _ruling(ls3, outcome="dismiss", decided_on=d(6, 1), effective_on=d(6, 20))  # RU2
    _ruling(ls2, outcome="revoke", decided_on=d(2, 1), appealed_on=d(2, 10), appealed_by="defendant")  # RU3
    _ruling(
        ls2,
        instance=Ruling.Instance.SECOND,
        outcome="upheld",
        decided_on=d(4, 1),
        effective_on=d(4, 10),
        ordered_action="重新作出行政行为。",
        transferred_for_enforcement_on=d(5, 1),
    )  # RU4
    _ruling(
        ls4,
        kind=Ruling.Kind.MEDIATION,
        outcome="mediated",
        decided_on=d(3, 1),
        effective_on=d(3, 1),
        ordered_action="赔偿生态修复费用。",
    )  # RU5

    # Hearings of lawsuits against an agency, held in the period: H1, H2, H3 (3); head or deputy
    # head appeared: H1, H3 (2). H4's lawsuit has no agency defendant; H5 was held in 2025.
    _hearing(ls1, d(4, 10), Hearing.Appearance.HEAD)
    _hearing(ls1, d(4, 20), Hearing.Appearance.LAWYER_ONLY)
    _hearing(ls2, d(1, 10), Hearing.Appearance.DEPUTY_HEAD)
    _hearing(ls3, d(4, 15), Hearing.Appearance.NOBODY)
    _hearing(ls2, d(12, 20, 2025), Hearing.Appearance.HEAD)
    # Not held: a hearing only scheduled (in the period) and a cancelled one count nowhere.
    Hearing.objects.create(lawsuit=ls1, held_on=d(5, 10), is_held=False, appearance="", recorded_by=ls1.filed_by)
    Hearing.objects.create(
        lawsuit=ls2, held_on=d(5, 12), is_held=False, appearance="", cancelled_on=d(5, 1), recorded_by=ls2.filed_by
    )

    ds.expected_cases = {
        "leads": {"L1", "L2"},
        "cases_opened": {"C1", "C2", "C5", "C6", "C7", "C8"},
        "recommendations_served": {"C1", "C2", "C3"},
        "replies_overdue": {"C3", "C2"},
        "on_time_reply_rate:numerator": {"C1"},
        "on_time_reply_rate:denominator": {"C1", "C3"},
        "rectification_rate:numerator": {"C1", "C3"},
        "rectification_rate:denominator": {"C1", "C3"},
        "pre_litigation_rate:numerator": {"C1"},
        "pre_litigation_rate:denominator": {"C1", "C3"},
        "lawsuits": {"C3", "C7", "C8"},
        "claims_supported_rate:numerator": {"C3", "C5"},
        "claims_supported_rate:denominator": {"C3", "C5", "C7"},
        "head_appearance_rate:numerator": {"C3", "C5"},
        "head_appearance_rate:denominator": {"C3", "C5"},
        "ruling_compliance_rate:numerator": {"C3"},
        "ruling_compliance_rate:denominator": {"C3", "C5"},
    }
    return ds
