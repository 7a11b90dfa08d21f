"""Factories for the test suite: organisations, users, leads, cases, recommendations."""

from __future__ import annotations

import datetime

import factory

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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.PROCURATOR
    organisation = factory.SubFactory(ProcuratorateFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def domain() -> Domain:
    return Domain.objects.get(code="ecology")


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
    registered_by = factory.LazyAttribute(
        lambda o: UserFactory(organisation=o.procuratorate, role=Role.PROCURATOR)
    )


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
    def agencies(obj, create, extracted, **kwargs):  # noqa: N805
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
    def items(obj, create, extracted, **kwargs):  # noqa: N805
        if not create:
            return
        obj.case.agencies.add(obj.agency)
        texts = extracted or ["依法查处非法采砂行为", "对受损河床进行生态修复"]
        RecommendationItem.objects.bulk_create(
            [RecommendationItem(recommendation=obj, number=n, text=t) for n, t in enumerate(texts, 1)]
        )
