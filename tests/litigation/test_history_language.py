"""Court events on the case history read in the reader's language: the text the service generates
is stored as message ids with parameters (cases/services/history.py), what the user typed as typed."""

from __future__ import annotations

from django.utils import translation

from cases import timeline
from cases.models import Event
from litigation import services
from litigation.models import Hearing
from tests.litigation.conftest import TODAY, D, approved_case, file_lawsuit


def test_a_hearing_recorded_in_chinese_reads_in_english(world):
    lawsuit = file_lawsuit(world, approved_case(world))
    services.hearing_record(
        user=world.procurator,
        lawsuit=lawsuit,
        held_on=D(2026, 7, 1),
        appearance=Hearing.Appearance.LAWYER_ONLY,
        today=TODAY,
    )
    event = Event.objects.filter(kind=Event.Kind.COURT_RECORDED).latest("id")
    assert "仅委托律师出庭" in event.note  # the writer's plain-text copy
    with translation.override("en"):
        text = timeline.event_text(event)
        label = str(Hearing.Appearance.LAWYER_ONLY.label)
    assert text.startswith(f"{lawsuit.court_case_number}: ")
    assert label in text and "2026-07-01" in text
    assert "出庭" not in text and "违反" not in text


def test_what_the_user_typed_stays_as_typed(world):
    lawsuit = file_lawsuit(world, approved_case(world))
    hearing = services.hearing_schedule(user=world.procurator, lawsuit=lawsuit, held_on=D(2027, 1, 15), today=TODAY)
    services.hearing_cancel(user=world.procurator, hearing=hearing, reason="原告撤回起诉", today=TODAY)
    event = Event.objects.filter(kind=Event.Kind.COURT_RECORDED).latest("id")
    with translation.override("en"):
        text = timeline.event_text(event)
    assert "原告撤回起诉" in text and "2027-01-15" in text and "取消" not in text
