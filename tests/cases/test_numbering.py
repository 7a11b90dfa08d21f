"""Document numbers (docs/domain.md, Recommendations and feedback): unique per procuratorate, type
and year, no gaps, safe under concurrency; the format is a NumberTemplate an administrator may
override per procuratorate."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Case, CaseType, DocumentSequence, DocumentType, NumberTemplate, Recommendation
from cases.services import lead_open_case, number_allocate, recommendation_issue
from tests.factories import (
    ISSUED_ON,
    TODAY,
    CaseFactory,
    LeadFactory,
    domain,
    recommendation_at,
)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks under real concurrency need PostgreSQL"
)


def open_case(
    org: Organisation,
    handler: User,
    agency: Organisation,
    *,
    opened_on: datetime.date = datetime.date(2026, 3, 10),
    case_type: str = CaseType.ADMINISTRATIVE,
) -> Case:
    lead = LeadFactory(procuratorate=org, registered_by=handler, received_on=opened_on)
    return lead_open_case(
        user=handler,
        lead=lead,
        case_type=case_type,
        title="督促整治非法采砂行政公益诉讼案",
        summary="某河道存在非法采砂。",
        domain=domain(),
        agencies=[agency],
        handler=handler,
        opened_on=opened_on,
        today=TODAY,
    )


def district_case(world, **kwargs) -> Case:
    return open_case(world.district, world.procurator, world.agency1, **kwargs)


def test_case_numbers_are_sequential_per_procuratorate_type_and_year(world):
    numbers = [district_case(world).number for _ in range(3)]
    assert numbers == [f"测区检行公立〔2026〕{n}号" for n in (1, 2, 3)]
    assert DocumentSequence.objects.get().last_number == 3


def test_another_procuratorate_has_its_own_sequence(world):
    district_case(world)
    district_case(world)
    assert open_case(world.city, world.city_procurator, world.agency1).number == "测市检行公立〔2026〕1号"


def test_each_case_type_has_its_own_sequence(world):
    district_case(world)
    assert district_case(world, case_type=CaseType.CIVIL).number == "测区检民公立〔2026〕1号"
    assert district_case(world, case_type=CaseType.CRIMINAL_CIVIL).number == "测区检刑附民公立〔2026〕1号"
    assert district_case(world).number == "测区检行公立〔2026〕2号"


def test_each_year_has_its_own_sequence(world):
    assert district_case(world).number == "测区检行公立〔2026〕1号"
    assert district_case(world, opened_on=datetime.date(2025, 12, 31)).number == "测区检行公立〔2025〕1号"
    assert district_case(world, opened_on=datetime.date(2025, 6, 1)).number == "测区检行公立〔2025〕2号"
    assert district_case(world).number == "测区检行公立〔2026〕2号"


def test_recommendation_numbers_run_separately_from_case_numbers(world):
    case = district_case(world)
    first = recommendation_at(Recommendation.Status.ISSUED, case=case, agency=world.agency1)
    case.agencies.add(world.agency2)
    second = recommendation_at(Recommendation.Status.ISSUED, case=case, agency=world.agency2)
    assert (first.document_number, second.document_number) == ("测区检行公建〔2026〕1号", "测区检行公建〔2026〕2号")


def test_a_rolled_back_case_opening_gives_its_number_back(world):
    with pytest.raises(RuntimeError, match="after opening"), transaction.atomic():
        district_case(world)
        raise RuntimeError("failure after opening, before commit")
    assert Case.objects.count() == 0
    assert district_case(world).number == "测区检行公立〔2026〕1号"


def test_a_rolled_back_issue_gives_its_number_back(world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    rec = recommendation_at(Recommendation.Status.APPROVED, case=case, agency=world.agency1)
    with pytest.raises(RuntimeError, match="after issuing"), transaction.atomic():
        recommendation_issue(user=world.procurator, recommendation=rec, issued_on=ISSUED_ON, today=TODAY)
        raise RuntimeError("failure after issuing, before commit")
    rec.refresh_from_db()
    assert (rec.status, rec.document_number) == (Recommendation.Status.APPROVED, None)
    recommendation_issue(user=world.procurator, recommendation=rec, issued_on=ISSUED_ON, today=TODAY)
    rec.refresh_from_db()
    assert rec.document_number == "测区检行公建〔2026〕1号"


# --- templates -------------------------------------------------------------------------------


def test_a_procuratorate_template_overrides_the_default_for_that_procuratorate_only(world):
    NumberTemplate.objects.create(
        document_type=DocumentType.ADMIN_CASE, procuratorate=world.district, template="东检行公立〔{year}〕第{n}号"
    )
    assert district_case(world).number == "东检行公立〔2026〕第1号"
    assert open_case(world.city, world.city_procurator, world.agency1).number == "测市检行公立〔2026〕1号"


def test_the_default_row_replaces_the_built_in_format_for_every_procuratorate(world):
    NumberTemplate.objects.create(document_type=DocumentType.ADMIN_CASE, template="{short}行公立字〔{year}〕{n}号")
    NumberTemplate.objects.create(
        document_type=DocumentType.ADMIN_CASE, procuratorate=world.district, template="区{short}〔{year}〕{n}"
    )
    assert open_case(world.city, world.city_procurator, world.agency1).number == "测市检行公立字〔2026〕1号"
    assert district_case(world).number == "区测区检〔2026〕1"
    # Another document type keeps its own (built-in) format.
    assert district_case(world, case_type=CaseType.CIVIL).number == "测区检民公立〔2026〕1号"


@pytest.mark.parametrize("template", ["{short}行公立〔{year}〕{n}号", "{short}行公立〔{year}〕{n:03d}号"])
def test_a_default_template_with_short_name_year_and_number_is_valid(template):
    NumberTemplate(document_type=DocumentType.ADMIN_CASE, template=template).clean()


def test_a_procuratorate_template_may_spell_out_its_short_name(world):
    NumberTemplate(
        document_type=DocumentType.ADMIN_CASE, procuratorate=world.district, template="东检行公立〔{year}〕{n}号"
    ).clean()


@pytest.mark.parametrize("template", ["东检行公立〔{year}〕{n}号", "{short}{n}", "{n}"])
def test_a_default_template_that_could_repeat_numbers_across_procuratorates_or_years_is_refused(template):
    with pytest.raises(ValidationError) as info:
        NumberTemplate(document_type=DocumentType.ADMIN_CASE, template=template).clean()
    assert "template" in info.value.message_dict


@pytest.mark.parametrize(
    "template",
    [
        "{short}行公立〔{year}〕号",  # no sequence number
        "{short}行公立〔{year}〕{number}号",  # unknown placeholder
        "{short}行公立〔{year}〕{}号",  # positional placeholder
        "{short}行公立〔{year}〕{n号",  # unbalanced brace
        "{short}行公立〔{year}〕{n:q}号",  # bad format spec
    ],
    ids=["no_number", "unknown_placeholder", "positional", "unbalanced", "bad_spec"],
)
def test_an_invalid_template_is_refused(template):
    with pytest.raises(ValidationError) as info:
        NumberTemplate(document_type=DocumentType.ADMIN_CASE, template=template).clean()
    assert "template" in info.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_a_number_is_never_allocated_outside_the_creating_transaction(world):
    with pytest.raises(RuntimeError):
        number_allocate(procuratorate=world.district, document_type=DocumentType.ADMIN_CASE, year=2026)
    assert not DocumentSequence.objects.exists()


# --- concurrency (PostgreSQL) ----------------------------------------------------------------

THREADS = 8


def run_at_once(work: list[Callable[[], str]]) -> list[str]:
    """Run each callable in its own thread, all released at the same moment; return their results."""
    barrier = threading.Barrier(len(work))
    results: list[str | None] = [None] * len(work)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work[i]()
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_case_openings_get_numbers_one_to_n_without_gaps(world):
    # No sequence row exists yet: the threads also race to create it.
    leads = [
        LeadFactory(procuratorate=world.district, registered_by=world.procurator, received_on=datetime.date(2026, 3, 1))
        for _ in range(THREADS)
    ]

    def opener(lead) -> Callable[[], str]:
        return lambda: (
            lead_open_case(
                user=world.procurator,
                lead=lead,
                case_type=CaseType.ADMINISTRATIVE,
                title="并发立案",
                summary="并发立案测试",
                domain=domain(),
                agencies=[world.agency1],
                handler=world.procurator,
                opened_on=datetime.date(2026, 3, 10),
                today=TODAY,
            ).number
        )

    numbers = run_at_once([opener(lead) for lead in leads])
    assert sorted(numbers) == sorted(f"测区检行公立〔2026〕{n}号" for n in range(1, THREADS + 1))
    assert DocumentSequence.objects.get().last_number == THREADS


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_document_numbers_one_to_n_without_gaps(world):
    supervisor = User.objects.get(username="supervisor")
    assert supervisor.role == Role.SUPERVISOR
    recommendations = [
        recommendation_at(
            Recommendation.Status.APPROVED,
            case=CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1]),
            agency=world.agency1,
            approver=supervisor,
        )
        for _ in range(THREADS)
    ]

    def issuer(rec) -> Callable[[], str]:
        return lambda: (
            recommendation_issue(
                user=world.procurator, recommendation=rec, issued_on=ISSUED_ON, today=TODAY
            ).document_number
        )

    numbers = run_at_once([issuer(rec) for rec in recommendations])
    assert sorted(numbers) == sorted(f"测区检行公建〔2026〕{n}号" for n in range(1, THREADS + 1))
    assert set(Recommendation.objects.values_list("document_number", flat=True)) == set(numbers)


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_row_lock_two_allocations_get_the_same_number(world, monkeypatch):
    """Control for the two tests above: the same race with the sequence row's lock switched off
    does hand out one number twice, so those tests show the lock at work, not a lucky schedule."""
    DocumentSequence.objects.create(procuratorate=world.district, document_type=DocumentType.ADMIN_CASE, year=2026)
    # The unlocked read: select_for_update() answers a plain queryset.
    monkeypatch.setattr(DocumentSequence.objects, "select_for_update", lambda **kwargs: DocumentSequence.objects.all())
    # Both transactions read the counter before either writes it back (with the lock on, the second
    # read would wait for the first commit and this barrier would time out instead).
    both_read = threading.Barrier(2)
    save = DocumentSequence.save

    def save_after_both_read(self, *args, **kwargs):
        both_read.wait(timeout=10)
        save(self, *args, **kwargs)

    monkeypatch.setattr(DocumentSequence, "save", save_after_both_read)

    def allocate() -> str:
        with transaction.atomic():
            return number_allocate(procuratorate=world.district, document_type=DocumentType.ADMIN_CASE, year=2026)

    first, second = run_at_once([allocate, allocate])
    assert first == second == "测区检行公立〔2026〕1号"
    assert DocumentSequence.objects.get().last_number == 1  # one update lost
