"""The API's timeline and deadlines in the reader's language (Accept-Language), whatever the
language the events were written in (cases/timeline.py, DeadlineRule.display_name)."""

from __future__ import annotations

from django.utils import translation

from cases import services
from cases.models import Case, Recommendation
from deadlines.models import DeadlineRule
from tests.factories import CaseFactory, draft_recommendation, recommendation_at, recommendation_content

Urgency = Recommendation.Urgency


def english(text) -> str:
    with translation.override("en"):
        return str(text)


def test_the_timeline_reads_in_english_what_was_written_in_chinese(world, api):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    rec = draft_recommendation(case, world.agency1, ["依法查处"])
    services.recommendation_update(
        user=world.procurator,
        recommendation=rec,
        items=["依法查处"],
        **recommendation_content(world.agency1, urgency=Urgency.URGENT),
    )
    url = f"/api/v1/cases/{case.pk}/timeline/"
    events = api(world.procurator).get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    (edited,) = [e for e in events if e["kind"] == "recommendation_edited"]
    assert edited["changes"] == {"urgency": [english(Urgency.NORMAL.label), english(Urgency.URGENT.label)]}
    moved = next(e for e in events if e["kind"] == "status_changed")
    assert moved["to_status_display"] == english(Case.Status.RECOMMENDATION.label)
    chinese = api(world.procurator).get(url).json()
    (edited,) = [e for e in chinese if e["kind"] == "recommendation_edited"]
    assert edited["changes"] == {"urgency": [str(Urgency.NORMAL.label), str(Urgency.URGENT.label)]}


def test_the_deadlines_name_their_seeded_rule_in_english(world, api):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    recommendation_at(Recommendation.Status.SERVED, case=case, agency=world.agency1, approver=world.supervisor)
    rule = DeadlineRule.objects.get(code="reply")
    with translation.override("en"):
        name = rule.display_name
    rows = api(world.procurator).get("/api/v1/deadlines/", HTTP_ACCEPT_LANGUAGE="en").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert name in {r["rule_name"] for r in rows if r["rule"] == "reply"}
    assert name != rule.name
    rule.name = "本院自定的回复期限"
    rule.save()
    rows = api(world.procurator).get("/api/v1/deadlines/", HTTP_ACCEPT_LANGUAGE="en").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert "本院自定的回复期限" in {r["rule_name"] for r in rows if r["rule"] == "reply"}
