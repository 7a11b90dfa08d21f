"""The history reads in the reader's language whatever the writer's: changed values are stored raw
(choice codes, ids) and generated text as message ids, both rendered when displayed; events written
before that are shown as stored, and the migration reads back what it can (cases/timeline.py)."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cases import services, timeline
from cases.models import Case, Event, Recommendation
from cases.models.records import Investigation
from deadlines.models import Deadline, DeadlineRule
from tests.factories import CaseFactory, domain, draft_recommendation, recommendation_at, recommendation_content

Urgency = Recommendation.Urgency
convert_changes = importlib.import_module("cases.migrations.0007_event_message").convert_changes


@pytest.fixture
def case(world) -> Case:
    return CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])


def in_language(language: str, text) -> str:
    with translation.override(language):
        return str(text)


def timeline_page(client, user, case, language: str) -> list[Event]:
    client.force_login(user)
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: language})
    return client.get(reverse("case_detail", args=[case.pk])).context["events"]


def edit_urgency(world, case) -> Event:
    rec = draft_recommendation(case, world.agency1, ["依法查处"])
    services.recommendation_update(
        user=world.procurator,
        recommendation=rec,
        items=["依法查处"],
        **recommendation_content(world.agency1, urgency=Urgency.URGENT),
    )
    return Event.objects.get(kind=Event.Kind.RECOMMENDATION_EDITED)


@pytest.mark.parametrize(("writer", "reader"), [("en", "zh-hans"), ("zh-hans", "en")])
def test_a_choice_edited_in_one_language_reads_in_the_other(client, world, case, writer, reader):
    with translation.override(writer):
        event = edit_urgency(world, case)
    assert event.changes == {"urgency": {"model": "cases.recommendation", "before": "normal", "after": "urgent"}}
    (shown,) = [e for e in timeline_page(client, world.procurator, case, reader) if e.pk == event.pk]
    label = Recommendation._meta.get_field("urgency").verbose_name
    assert shown.change_rows == [
        (
            in_language(reader, label),
            in_language(reader, Urgency.NORMAL.label),
            in_language(reader, Urgency.URGENT.label),
        )
    ]
    assert in_language(reader, Urgency.URGENT.label) != in_language(writer, Urgency.URGENT.label)


@pytest.mark.parametrize(("writer", "reader"), [("en", "zh-hans"), ("zh-hans", "en")])
def test_a_generated_note_reads_in_the_readers_language(client, world, case, writer, reader):
    with translation.override(writer):
        services.investigation_record(
            user=world.procurator,
            case=case,
            kind=Investigation.Kind.SITE_VISIT,
            conducted_on=case.opened_on,
            findings="河床受损",
        )
    event = Event.objects.get(kind=Event.Kind.INVESTIGATION_RECORDED)
    day = f"{case.opened_on:%Y-%m-%d}"
    # The plain-text copy is the writer's; the timeline shows the reader's.
    assert event.note == f"{in_language(writer, Investigation.Kind.SITE_VISIT.label)} {day}"
    (shown,) = [e for e in timeline_page(client, world.procurator, case, reader) if e.pk == event.pk]
    assert shown.text == f"{in_language(reader, Investigation.Kind.SITE_VISIT.label)} {day}"
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert in_language(reader, Investigation.Kind.SITE_VISIT.label) in html
    assert in_language(writer, Investigation.Kind.SITE_VISIT.label) not in html


def test_a_message_joins_what_the_user_typed_as_typed(world):
    event = Event.objects.create(
        kind=Event.Kind.COURT_RECORDED,
        actor=world.procurator,
        message=[
            "(2026)内0602行初1号",
            {"msg": "：", "params": {}},
            {"msg": "裁判于 %(day)s 生效", "params": {"day": "2026-09-01"}},
        ],
        note="旧的纯文本",
    )
    assert in_language("zh-hans", timeline.event_text(event)) == "(2026)内0602行初1号：裁判于 2026-09-01 生效"
    with translation.override("en"):
        english = timeline.event_text(event)
    assert english.startswith("(2026)内0602行初1号: ") and "2026-09-01" in english and "生效" not in english


def test_a_legacy_event_is_shown_as_stored(client, world, case):
    Event.objects.create(
        kind=Event.Kind.CASE_EDITED,
        actor=world.procurator,
        case=case,
        note="记录诉讼进程：旧文本",
        changes={"title": ["旧名", "新名"], "no_such_field": ["甲", "乙"]},
    )
    (shown,) = [e for e in timeline_page(client, world.procurator, case, "en") if e.kind == Event.Kind.CASE_EDITED]
    assert shown.text == "记录诉讼进程：旧文本"
    assert shown.change_rows == [("Case title", "旧名", "新名"), ("no_such_field", "甲", "乙")]


def test_the_migration_reads_back_stored_labels_and_keeps_what_it_cannot(world, case):
    rec = draft_recommendation(case, world.agency1, ["依法查处"])
    legacy = {
        "urgency": [str(Urgency.NORMAL.label), "Urgent (reply within 15 days)"],
        "harm_facts": ["旧事实", "新事实"],
        "remarks": ["", ""],
        "case_source": ["甲", "乙"],
    }
    unreadable = {"urgency": ["一般", "不存在的标签"]}
    events = [
        Event.objects.create(
            kind=Event.Kind.RECOMMENDATION_EDITED, actor=world.procurator, case=case, recommendation=rec, changes=c
        )
        for c in (legacy, unreadable)
    ]
    convert_changes(apps, None)
    converted, kept = (Event.objects.get(pk=e.pk) for e in events)
    model = "cases.recommendation"
    assert converted.changes["urgency"] == {"model": model, "before": "normal", "after": "urgent"}
    assert converted.changes["harm_facts"] == {"model": model, "before": "旧事实", "after": "新事实"}
    assert kept.changes == unreadable
    with translation.override("en"):
        assert timeline.changes_shown(converted)["urgency"] == [str(Urgency.NORMAL.label), str(Urgency.URGENT.label)]


def test_changes_are_keyed_by_field_name_for_the_confidentiality_filter(world):
    """The keys cases.selectors.CONFIDENTIAL_FIELDS names (test_history.py checks who sees them)."""
    lead = services.lead_register(
        user=world.procurator,
        title="某线索",
        summary="摘要",
        source="report",
        received_on=datetime.date(2026, 3, 1),
        domain=domain(),
    )
    services.lead_update(
        user=world.procurator,
        lead=lead,
        title=lead.title,
        summary=lead.summary,
        source=lead.source,
        source_detail="12345热线",
        reporter_name="张三",
        reporter_contact="",
        received_on=lead.received_on,
        domain=lead.domain,
        agency=lead.agency,
    )
    event = Event.objects.get(kind=Event.Kind.LEAD_EDITED)
    assert set(event.changes) == {"source_detail", "reporter_name"}


# --- Deadline rule names -------------------------------------------------------------------------


def test_a_seeded_rule_name_reads_in_english_and_a_typed_one_as_typed(client, world, case):
    rec = recommendation_at(Recommendation.Status.SERVED, case=case, agency=world.agency1, approver=world.supervisor)
    deadline = Deadline.objects.get(recommendation=rec, rule__code="reply")
    seeded = deadline.rule.name
    with translation.override("en"):
        english = deadline.rule.display_name
    assert english != seeded and "书面" not in english
    with translation.override("zh-hans"):
        assert deadline.rule.display_name == seeded

    client.force_login(world.procurator)
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert english in page and seeded not in page
    with translation.override("en"):
        assert deadline.rule.display_start_event in page and deadline.rule.display_start_event != "送达"

    DeadlineRule.objects.filter(pk=deadline.rule_id).update(name="回复期限（本院自定）")
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "回复期限（本院自定）" in page and english not in page
