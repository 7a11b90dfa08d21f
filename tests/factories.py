"""Factories for the test suite: organisations, users, leads, cases, recommendations."""

from __future__ import annotations

import contextlib
import datetime
import functools

import factory
import pytest
from django.contrib.auth.hashers import make_password

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Case, CaseType, Domain, Lead, Recommendation, RecommendationItem

TEST_PASSWORD = "test-pass-2026"


class ProcuratorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试第{n}人民检察院")
    short_name = factory.Sequence(lambda n: f"测{n}检")
    kind = Organisation.Kind.PROCURATORATE
    level = Organisation.Level.COUNTY


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试第{n}生态环境局")
    kind = Organisation.Kind.AGENCY
    level = Organisation.Level.COUNTY


class DisciplineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试第{n}纪委监委")
    kind = Organisation.Kind.DISCIPLINE
    level = Organisation.Level.CITY


@functools.cache
def _test_password_hash() -> str:
    return make_password(TEST_PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.PROCURATOR
    organisation = factory.SubFactory(ProcuratorateFactory)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        # Hashing costs ~0.3 s (the production hasher); the shared fixture makes a dozen users per
        # test, so every user without an explicit password shares one hash of TEST_PASSWORD.
        obj.password = make_password(extracted) if extracted else _test_password_hash()

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def domain() -> Domain:
    # get_or_create: a transactional test (PostgreSQL concurrency tests) flushes the seeded rows.
    return Domain.objects.get_or_create(
        code="ecology",
        defaults={"name": "生态环境和资源保护", "name_en": "Ecological environment and resource protection"},
    )[0]


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    procuratorate = factory.SubFactory(ProcuratorateFactory)
    title = factory.Sequence(lambda n: f"某河道非法采砂线索{n}")
    summary = "群众举报河道内有非法采砂行为，造成河床破坏。"
    source = Lead.Source.REPORT
    reporter_name = "张某某"
    reporter_contact = "13800000000"
    received_on = datetime.date(2026, 3, 1)
    domain = factory.LazyFunction(domain)
    registered_by = factory.LazyAttribute(lambda o: UserFactory(organisation=o.procuratorate, role=Role.PROCURATOR))


_case_counter = iter(range(1, 10**9))


class CaseFactory(factory.django.DjangoModelFactory):
    """A case as lead_open_case would leave it (without going through the service)."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    procuratorate = factory.SubFactory(ProcuratorateFactory)
    number = factory.LazyFunction(lambda: f"测检行公立〔2026〕{next(_case_counter)}号")
    case_type = CaseType.ADMINISTRATIVE
    title = factory.Sequence(lambda n: f"督促整治某河道非法采砂行政公益诉讼案{n}")
    summary = "经调查，某河道存在非法采砂，行政机关未依法履职。"
    domain = factory.LazyFunction(domain)
    handler = factory.LazyAttribute(lambda o: UserFactory(organisation=o.procuratorate, role=Role.PROCURATOR))
    status = Case.Status.INVESTIGATION
    opened_on = datetime.date(2026, 3, 10)

    @factory.post_generation
    def agencies(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.agencies.set(extracted)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)
    case_source = "群众举报"
    harm_facts = "河床遭到破坏，影响防洪安全。"
    failure_facts = "行政机关未依法查处。"
    legal_basis = "《中华人民共和国水法》第三十九条"
    rectification_period = "收到本建议书之日起两个月内"
    drafted_by = factory.LazyAttribute(lambda o: o.case.handler)

    @factory.post_generation
    def items(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.case.agencies.add(obj.agency)
        texts = extracted or ["依法查处非法采砂行为", "对受损河床进行生态修复"]
        RecommendationItem.objects.bulk_create(
            [RecommendationItem(recommendation=obj, number=n, text=t) for n, t in enumerate(texts, 1)]
        )


# --- Driving objects through the services -------------------------------------------------------
#
# Service tests use fixed dates and pass `today=TODAY`, so they do not depend on the day they run.

TODAY = datetime.date(2026, 6, 30)
APPROVED_AT = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
ISSUED_ON = datetime.date(2026, 4, 2)
SERVED_ON = datetime.date(2026, 4, 3)
REPLY_RECEIVED_ON = datetime.date(2026, 5, 20)

# The order in which recommendation_* services move a recommendation forward.
RECOMMENDATION_FLOW = [
    Recommendation.Status.DRAFT,
    Recommendation.Status.PENDING_APPROVAL,
    Recommendation.Status.APPROVED,
    Recommendation.Status.ISSUED,
    Recommendation.Status.SERVED,
    Recommendation.Status.REPLIED,
]


def recommendation_content(agency: Organisation, **overrides) -> dict:
    """Keyword arguments of recommendation_create / recommendation_update, except user, case and items."""
    return {
        "agency": agency,
        "urgency": Recommendation.Urgency.NORMAL,
        "case_source": "群众举报",
        "harm_facts": "河床遭到破坏，影响防洪安全。",
        "failure_facts": "行政机关未依法查处。",
        "legal_basis": "《中华人民共和国水法》第三十九条",
        "rectification_period": "收到本建议书之日起两个月内",
        "remarks": "",
    } | overrides


def advance_recommendation(recommendation: Recommendation, *, to: str, approver: User | None = None) -> Recommendation:
    """Move `recommendation` forward through the services, as the case's handler, up to status `to`.

    Approval is by `approver` (default: a new supervisor of the case's procuratorate) and is then
    dated APPROVED_AT, so issue, service and reply can use the fixed dates above.
    """
    from cases import services

    recommendation.refresh_from_db()
    case = recommendation.case
    handler = case.handler
    start = RECOMMENDATION_FLOW.index(recommendation.status)
    for status in RECOMMENDATION_FLOW[start + 1 : RECOMMENDATION_FLOW.index(to) + 1]:
        if status == Recommendation.Status.PENDING_APPROVAL:
            services.recommendation_submit(user=handler, recommendation=recommendation)
        elif status == Recommendation.Status.APPROVED:
            approver = approver or UserFactory(organisation=case.procuratorate, role=Role.SUPERVISOR)
            services.recommendation_approve(user=approver, recommendation=recommendation)
            Recommendation.objects.filter(pk=recommendation.pk).update(decided_at=APPROVED_AT)
        elif status == Recommendation.Status.ISSUED:
            services.recommendation_issue(user=handler, recommendation=recommendation, issued_on=ISSUED_ON, today=TODAY)
        elif status == Recommendation.Status.SERVED:
            services.recommendation_serve(
                user=handler,
                recommendation=recommendation,
                served_on=SERVED_ON,
                service_method=Recommendation.ServiceMethod.DIRECT,
                received_by="李某（办公室主任）",
                today=TODAY,
            )
        elif status == Recommendation.Status.REPLIED:
            services.recommendation_record_reply(
                user=handler,
                recommendation=recommendation,
                received_on=REPLY_RECEIVED_ON,
                summary="已立案查处并组织修复。",
                today=TODAY,
            )
        recommendation.refresh_from_db()
    return recommendation


def draft_recommendation(case: Case, agency: Organisation, items: list[str] | None = None) -> Recommendation:
    """A draft made by the case's handler through recommendation_create (the case enters the recommendation stage)."""
    from cases import services

    case.agencies.add(agency)
    return services.recommendation_create(
        user=case.handler,
        case=case,
        items=items or ["依法查处非法采砂行为", "对受损河床进行生态修复"],
        **recommendation_content(agency),
    )


def recommendation_at(
    status: str, *, case: Case, agency: Organisation, approver: User | None = None, items: list[str] | None = None
) -> Recommendation:
    """A recommendation of `case` to `agency` taken through the services up to `status`."""
    return advance_recommendation(draft_recommendation(case, agency, items), to=status, approver=approver)


# --- Asserting that a refused action changed nothing ---------------------------------------------


def db_state() -> dict[str, list[dict]]:
    """Every row of the tables the case services write, to compare before and after a refusal."""
    from cases.models import Attachment, Consultation, DocumentSequence, Event, Investigation

    models = [
        Lead,
        Case,
        Case.agencies.through,
        Case.co_handlers.through,
        Recommendation,
        RecommendationItem,
        Investigation,
        Consultation,
        Attachment,
        DocumentSequence,
        Event,
    ]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@contextlib.contextmanager
def refused(*, field: str | None = None, code: str = "invalid"):
    """Expect a DomainError with this field and code, and the database exactly as it was before."""
    from pil_tracker.errors import DomainError

    before = db_state()
    with pytest.raises(DomainError) as info:
        yield info
    assert (info.value.field, info.value.code) == (field, code), info.value.message
    assert db_state() == before
