"""Typical cases: suggestion, writing, four-eyes publishing; congress requests. Refusals change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pil_tracker.errors import DomainError
from tests.factories import CaseFactory
from tests.typical_cases.conftest import TODAY
from typical_cases import services
from typical_cases.anonymisation import anonymise, parse_replacements, suggested_replacements
from typical_cases.models import CongressRequest, TypicalCase

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _written(world, case) -> TypicalCase:
    typical = services.typical_case_start(user=world.supervisor, case=case)
    return services.typical_case_update(
        user=world.supervisor,
        typical=typical,
        title=typical.title,
        domain=case.domain,
        year=2026,
        summary=typical.summary,
        outcome=typical.outcome,
        significance="督促行政机关依法履职。",
        replacements=[tuple(pair) for pair in typical.replacements],
    )


def test_the_suggestion_names_the_case_parties(world, closed_case):
    suggestion = dict(suggested_replacements(closed_case))
    assert suggestion["张举报"] == "某甲"
    assert suggestion["王检察"].startswith("某")
    assert suggestion["李执法"].startswith("某")
    assert suggestion["宏达化工有限公司"] == "某公司"
    assert suggestion["测试区生态环境局"] == "某行政机关"


def test_anonymise_replaces_longer_names_first():
    pairs = [("宏达", "某乙"), ("宏达化工有限公司", "某公司")]
    assert anonymise("宏达化工有限公司与宏达", pairs) == "某公司与某乙"
    assert parse_replacements("张三 → 某甲\n\n李四->某乙\n某局=某机关") == [
        ("张三", "某甲"),
        ("李四", "某乙"),
        ("某局", "某机关"),
    ]
    with pytest.raises(ValueError):
        parse_replacements("没有分隔符")


def test_a_draft_starts_anonymised(world, closed_case):
    typical = services.typical_case_start(user=world.supervisor, case=closed_case)
    assert typical.status == TypicalCase.Status.DRAFT
    for name in ("张举报", "宏达化工有限公司", "测试区生态环境局", "李执法"):
        assert name not in typical.summary + typical.title + typical.outcome
    assert typical.year == 2026 and typical.written_by == world.supervisor


def test_the_writer_edits_the_list_and_it_is_applied(world, closed_case):
    typical = services.typical_case_start(user=world.supervisor, case=closed_case)
    typical = services.typical_case_update(
        user=world.supervisor,
        typical=typical,
        title="督促整治化工企业排污案",
        domain=closed_case.domain,
        year=2026,
        summary="赵某某举报后，检察机关督促整治。",
        outcome="已整改。",
        significance="示范。",
        replacements=[("赵某某", "某丙")],
    )
    assert typical.summary == "某丙举报后，检察机关督促整治。"
    assert typical.replacements == [["赵某某", "某丙"]]


def test_a_procurator_proposes_and_a_supervisor_writes(world, closed_case):
    typical = services.typical_case_propose(user=world.procurator, case=closed_case, note="效果好")
    assert typical.status == TypicalCase.Status.PROPOSED and typical.proposed_by == world.procurator
    with pytest.raises(DomainError) as info:
        services.typical_case_propose(user=world.procurator_colleague, case=closed_case, note="")
    assert info.value.code == "already_typical"
    started = services.typical_case_start(user=world.supervisor, case=closed_case)
    assert started.pk == typical.pk and started.status == TypicalCase.Status.DRAFT


def test_an_open_case_is_refused(world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    with pytest.raises(DomainError) as info:
        services.typical_case_start(user=world.supervisor, case=case)
    assert info.value.code == "case_not_closed"
    assert not TypicalCase.objects.exists()


def test_a_procurator_cannot_write_and_outsiders_cannot_propose(world, closed_case):
    with pytest.raises(DomainError) as info:
        services.typical_case_start(user=world.procurator, case=closed_case)
    assert info.value.code == "permission_denied"
    with pytest.raises(DomainError) as info:
        services.typical_case_propose(user=world.other_procurator, case=closed_case, note="")
    assert info.value.code == "permission_denied"
    assert not TypicalCase.objects.exists()


def test_the_reviewer_is_not_the_writer(world, closed_case):
    typical = services.typical_case_submit(user=world.supervisor, typical=_written(world, closed_case))
    with pytest.raises(DomainError) as info:
        services.typical_case_publish(user=world.supervisor, typical=typical)
    assert info.value.code == "permission_denied"
    assert "撰写人不能审核" in info.value.message
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.SUBMITTED and typical.reviewed_by is None
    published = services.typical_case_publish(user=world.city_supervisor, typical=typical)
    assert published.status == TypicalCase.Status.PUBLISHED and published.reviewed_by == world.city_supervisor
    assert published.published_at is not None


def test_return_resubmit_publish_withdraw(world, closed_case):
    typical = services.typical_case_submit(user=world.supervisor, typical=_written(world, closed_case))
    with pytest.raises(DomainError):
        services.typical_case_return(user=world.city_supervisor, typical=typical, reason=" ")
    typical = services.typical_case_return(user=world.city_supervisor, typical=typical, reason="请补充典型意义")
    assert typical.status == TypicalCase.Status.RETURNED
    typical = services.typical_case_submit(user=world.supervisor, typical=typical)
    typical = services.typical_case_publish(user=world.city_supervisor, typical=typical)
    typical = services.typical_case_withdraw(user=world.supervisor, typical=typical, reason="当事人异议")
    assert typical.status == TypicalCase.Status.WITHDRAWN
    # A withdrawn one does not block a new write-up of the same case.
    assert services.typical_case_start(user=world.supervisor, case=closed_case).pk != typical.pk


def test_publishing_refuses_a_summary_that_names_the_reporter(world, closed_case):
    typical = services.typical_case_start(user=world.supervisor, case=closed_case)
    typical = services.typical_case_update(
        user=world.supervisor,
        typical=typical,
        title="标题",
        domain=closed_case.domain,
        year=2026,
        summary="张举报反映情况。",
        outcome="已整改。",
        significance="示范。",
        replacements=[],
    )
    typical = services.typical_case_submit(user=world.supervisor, typical=typical)
    with pytest.raises(DomainError) as info:
        services.typical_case_publish(user=world.city_supervisor, typical=typical)
    assert info.value.code == "reporter_named"
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.SUBMITTED


def test_submit_needs_every_text(world, closed_case):
    typical = services.typical_case_start(user=world.supervisor, case=closed_case)
    with pytest.raises(DomainError) as info:
        services.typical_case_submit(user=world.supervisor, typical=typical)
    assert info.value.field == "significance"
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.DRAFT


def test_publishing_a_draft_is_an_invalid_transition(world, closed_case):
    typical = _written(world, closed_case)
    with pytest.raises(DomainError) as info:
        services.typical_case_publish(user=world.city_supervisor, typical=typical)
    assert info.value.code == "invalid_transition"


# --- Congress ---------------------------------------------------------------------------------------


def _request(world, **overrides) -> CongressRequest:
    values = {
        "procuratorate": world.district,
        "kind": CongressRequest.Kind.SPECIAL_REPORT,
        "requested_on": datetime.date(2026, 3, 1),
        "content": "听取公益诉讼检察工作专项报告",
        "due_on": datetime.date(2026, 5, 31),
        "today": TODAY,
    } | overrides
    return services.congress_request_record(user=world.supervisor, **values)


def test_congress_request_recorded_and_answered(world):
    item = _request(world)
    assert item.status == CongressRequest.Status.OPEN and item.is_overdue(TODAY)
    item = services.congress_request_answer(
        user=world.city_supervisor,
        request=item,
        answered_on=datetime.date(2026, 6, 1),
        answer_note="已书面报告",
        upload=SimpleUploadedFile("报告.pdf", PDF),
        today=TODAY,
    )
    assert item.status == CongressRequest.Status.ANSWERED and not item.is_overdue(TODAY)
    assert item.files.get().original_name == "报告.pdf"
    with pytest.raises(DomainError) as info:
        services.congress_request_answer(
            user=world.supervisor,
            request=item,
            answered_on=datetime.date(2026, 6, 2),
            answer_note="",
            upload=SimpleUploadedFile("b.pdf", PDF),
            today=TODAY,
        )
    assert info.value.code == "invalid_transition"
    assert item.files.count() == 1


def test_congress_refusals(world):
    with pytest.raises(DomainError) as info:
        _request(world, due_on=datetime.date(2026, 2, 1))
    assert info.value.field == "due_on"
    with pytest.raises(DomainError) as info:
        services.congress_request_record(
            user=world.procurator,
            procuratorate=world.district,
            kind="inquiry",
            requested_on=TODAY,
            content="询问",
            due_on=TODAY,
            today=TODAY,
        )
    assert info.value.code == "permission_denied"
    with pytest.raises(DomainError) as info:
        _request(world, procuratorate=world.other)
    assert info.value.code == "permission_denied"
    assert not CongressRequest.objects.exists()


def test_every_step_of_the_write_up_is_on_the_cases_timeline_in_the_readers_language(world, closed_case):
    from django.utils import translation

    from cases.models import Event
    from cases.timeline import event_text

    typical = services.typical_case_submit(user=world.supervisor, typical=_written(world, closed_case))
    services.typical_case_return(user=world.city_supervisor, typical=typical, reason="请补充典型意义")
    typical = services.typical_case_submit(user=world.supervisor, typical=typical)
    services.typical_case_publish(user=world.city_supervisor, typical=typical)
    events = list(Event.objects.filter(case=closed_case, kind=Event.Kind.TYPICAL_CASE_RECORDED).order_by("pk"))
    assert [e.actor for e in events] == [
        world.supervisor,
        world.supervisor,
        world.city_supervisor,
        world.supervisor,
        world.city_supervisor,
    ]
    with translation.override("en"):
        assert "published" in event_text(events[-1])
    with translation.override("zh-hans"):
        assert "发布典型案例" in event_text(events[-1])
    assert "请补充典型意义" in event_text(events[2])  # the reason as typed
