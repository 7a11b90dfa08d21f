"""The scope matrix through the API (docs/domain.md, Who sees what): for every resource and every user, the list
holds exactly the objects in scope, and the detail of every other object answers 404.

The expectation is written per object as the rule says it (who reads it), and the test is generated
from it for every user, so a new user or object extends the matrix without another test.
"""

from __future__ import annotations

import pytest

from cases.models import Domain
from deadlines.models import Deadline, DeadlineRule
from notifications.models import Notification
from tests.api.conftest import Scenario

DISTRICT_READERS = {"procurator", "colleague", "supervisor", "city_supervisor", "admin"}
OTHER_READERS = {"other_procurator", "other_supervisor", "admin"}
AGENCY1 = {"agency1", "boss"}
USERS = [
    "procurator",
    "colleague",
    "city_procurator",
    "other_procurator",
    "supervisor",
    "city_supervisor",
    "other_supervisor",
    "agency1",
    "boss",
    "agency2",
    "discipline",
    "admin",
]


def _deadlines(recommendation, *, agency_only: bool = False) -> list[int]:
    qs = Deadline.objects.filter(recommendation=recommendation)
    if agency_only:
        qs = qs.filter(rule__obligor=DeadlineRule.Obligor.AGENCY)
    return list(qs.values_list("pk", flat=True))


def expectations(s: Scenario, world) -> dict[str, list[tuple[int, set[str]]]]:
    """resource → [(object id, the users who read it)]."""
    all_users = set(USERS)
    procuratorate_staff = DISTRICT_READERS | OTHER_READERS | {"city_procurator"}
    agencies_readers = procuratorate_staff
    rules: dict[str, list[tuple[int, set[str]]]] = {
        "procuratorates": [
            (world.district.pk, {"procurator", "colleague", "supervisor", "city_supervisor", "admin"}),
            (world.city.pk, {"city_procurator", "city_supervisor", "admin"}),
            (world.other.pk, OTHER_READERS),
        ],
        "agencies": [
            (world.agency1.pk, agencies_readers | AGENCY1),
            (world.agency2.pk, agencies_readers | {"agency2"}),
        ],
        "domains": [(pk, all_users) for pk in Domain.objects.values_list("pk", flat=True)],
        "leads": [(s.lead.pk, DISTRICT_READERS), (s.lead_other.pk, OTHER_READERS)],
        "cases": [(s.case.pk, DISTRICT_READERS), (s.case_other.pk, OTHER_READERS)],
        "recommendations": [
            (s.served.pk, DISTRICT_READERS | AGENCY1),
            (s.draft.pk, DISTRICT_READERS),
            (s.served_other.pk, OTHER_READERS | {"agency2"}),
        ],
        "feedback": [(s.report.pk, DISTRICT_READERS | AGENCY1), (s.report_draft.pk, AGENCY1)],
        "deadlines": [
            *[(pk, DISTRICT_READERS | AGENCY1) for pk in _deadlines(s.served, agency_only=True)],
            *[
                (pk, DISTRICT_READERS)
                for pk in Deadline.objects.filter(case=s.case)
                .exclude(pk__in=_deadlines(s.served, agency_only=True))
                .values_list("pk", flat=True)
            ],
            *[(pk, OTHER_READERS | {"agency2"}) for pk in _deadlines(s.served_other, agency_only=True)],
            *[
                (pk, OTHER_READERS)
                for pk in Deadline.objects.filter(case=s.case_other)
                .exclude(pk__in=_deadlines(s.served_other, agency_only=True))
                .values_list("pk", flat=True)
            ],
        ],
        "lawsuits": [(s.lawsuit.pk, DISTRICT_READERS | AGENCY1), (s.lawsuit_other.pk, OTHER_READERS | {"agency2"})],
        "hearings": [
            *[(pk, DISTRICT_READERS | AGENCY1) for pk in s.lawsuit.hearings.values_list("pk", flat=True)],
            *[(pk, OTHER_READERS | {"agency2"}) for pk in s.lawsuit_other.hearings.values_list("pk", flat=True)],
        ],
        "rulings": [
            *[(pk, DISTRICT_READERS | AGENCY1) for pk in s.lawsuit.rulings.values_list("pk", flat=True)],
            *[(pk, OTHER_READERS | {"agency2"}) for pk in s.lawsuit_other.rulings.values_list("pk", flat=True)],
        ],
        "notifications": [
            (n.pk, {name for name, user in s.users.items() if user.pk == n.recipient_id})
            for n in Notification.objects.all()
        ],
        # Files: case evidence is procuratorate-internal; a report's files follow the report (drafts
        # stay in the agency); the defendant agency reads the ruling documents, never the materials.
        "attachments": [(s.attachment.pk, DISTRICT_READERS)],
        "feedback-attachments": [
            *[(pk, DISTRICT_READERS | AGENCY1) for pk in s.report.attachments.values_list("pk", flat=True)],
            *[(pk, AGENCY1) for pk in s.report_draft.attachments.values_list("pk", flat=True)],
        ],
        "litigation-files": [(s.material.pk, DISTRICT_READERS), (s.ruling_document.pk, DISTRICT_READERS | AGENCY1)],
    }
    for lawsuit, readers, agency in (
        (s.lawsuit, DISTRICT_READERS, AGENCY1),
        (s.lawsuit_other, OTHER_READERS, {"agency2"}),
    ):
        agency_facing = {lawsuit.defence_deadline_id, *lawsuit.rulings.values_list("compliance_deadline_id", flat=True)}
        for pk, obligor in Deadline.objects.filter(case=lawsuit.case).values_list("pk", "rule__obligor"):
            facing = pk in agency_facing and obligor == DeadlineRule.Obligor.AGENCY
            rules["deadlines"].append((pk, readers | agency if facing else readers))
    rules.update(s.extra.get("scope", {}))
    return rules


RESOURCES = [
    "procuratorates",
    "agencies",
    "domains",
    "leads",
    "cases",
    "recommendations",
    "feedback",
    "lawsuits",
    "hearings",
    "rulings",
    "deadlines",
    "notifications",
    "attachments",
    "feedback-attachments",
    "litigation-files",
]
FILE_RESOURCES = ["attachments", "feedback-attachments", "litigation-files"]


def _list_ids(client, resource: str) -> list[int]:
    ids, url = [], f"/api/v1/{resource}/?page_size=100"
    while url:
        response = client.get(url)
        assert response.status_code == 200, (resource, response.content)
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_user_lists_exactly_what_is_in_scope_and_nothing_else_opens(resource, scenario, world, api):
    rules = expectations(scenario, world)[resource]
    assert rules, "the scenario has objects of every resource"
    assert any(len(readers) < len(USERS) for _pk, readers in rules) or resource == "domains"
    for name in USERS:
        client = api(scenario.users[name])
        expected = {pk for pk, readers in rules if name in readers}
        listed = _list_ids(client, resource)
        assert len(listed) == len(set(listed)), f"{name} got duplicates in {resource}"
        assert set(listed) >= expected, f"{name} misses {resource} {expected - set(listed)}"
        # Objects of the scenario outside the user's scope never appear; other rows (seeded agencies
        # in a fresh database) are not part of the matrix.
        assert not set(listed) & {pk for pk, readers in rules if name not in readers}, f"{name} sees too much"
        for pk, readers in rules:
            status = client.get(f"/api/v1/{resource}/{pk}/").status_code
            assert status == (200 if name in readers else 404), (name, resource, pk, status)


@pytest.mark.parametrize("resource", FILE_RESOURCES)
def test_every_user_downloads_exactly_the_files_in_scope(resource, scenario, world, api):
    from tests.api.conftest import PDF

    rules = expectations(scenario, world)[resource]
    for name in USERS:
        client = api(scenario.users[name])
        for pk, readers in rules:
            response = client.get(f"/api/v1/{resource}/{pk}/download/")
            if name in readers:
                assert response.status_code == 200, (name, resource, pk)
                assert b"".join(response.streaming_content) == PDF
                assert response["Content-Disposition"].startswith("attachment;")
                assert response["Cache-Control"] == "private, no-store"
                assert response["X-Content-Type-Options"] == "nosniff"
            else:
                assert response.status_code == 404, (name, resource, pk, response.status_code)
                assert response.json()["code"] == "not_found"


def test_a_nonexistent_id_answers_exactly_like_an_out_of_scope_one(scenario, api):
    client = api(scenario.users["agency2"])
    missing = client.get("/api/v1/cases/999999999/")
    hidden = client.get(f"/api/v1/cases/{scenario.case.pk}/")
    assert missing.status_code == hidden.status_code == 404
    assert missing.json() == hidden.json() == {"code": "not_found", "message": missing.json()["message"], "fields": {}}


def test_anonymous_requests_answer_401_with_the_stable_code(scenario):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("reader", "serializer_fields_absent"),
    [
        ("agency1", {"case", "drafted_by", "decided_by", "decision_comment", "issued_by", "filed_with_superior_on"}),
    ],
)
def test_agency_staff_get_the_agency_facing_recommendation(reader, serializer_fields_absent, scenario, api):
    body = api(scenario.users[reader]).get(f"/api/v1/recommendations/{scenario.served.pk}/").json()
    assert not serializer_fields_absent & set(body)
    assert body["document_number"] == scenario.served.document_number
    internal = api(scenario.users["procurator"]).get(f"/api/v1/recommendations/{scenario.served.pk}/").json()
    assert serializer_fields_absent <= set(internal)


def test_confidential_fields_only_for_the_handlers_and_supervisors(scenario, api):
    lead = scenario.lead
    # The lead has no case yet: the procurators of its procuratorate (who evaluate it) see its source.
    confidential = {"source", "source_detail", "reporter_name", "reporter_contact"}
    assert confidential <= set(api(scenario.users["colleague"]).get(f"/api/v1/leads/{lead.pk}/").json())
    # Lists never carry them.
    rows = api(scenario.users["procurator"]).get("/api/v1/leads/").json()["results"]
    assert rows and not confidential & set(rows[0])
    case_url = f"/api/v1/cases/{scenario.case.pk}/"
    assert "internal_notes" in api(scenario.users["procurator"]).get(case_url).json()
    assert "internal_notes" in api(scenario.users["city_supervisor"]).get(case_url).json()
    assert "internal_notes" not in api(scenario.users["colleague"]).get(case_url).json()
    assert "internal_notes" not in api(scenario.users["procurator"]).get("/api/v1/cases/").json()["results"][0]


def test_the_defendant_agency_never_reads_the_internal_litigation_record(scenario, api):
    agency = api(scenario.users["agency1"])
    lawsuit = agency.get(f"/api/v1/lawsuits/{scenario.lawsuit.pk}/").json()
    assert "internal_notes" not in lawsuit and "filed_by" not in lawsuit
    hearings = agency.get(f"/api/v1/hearings/?lawsuit={scenario.lawsuit.pk}").json()["results"]
    assert hearings and all("note" not in h and "recorded_by" not in h for h in hearings)
    internal = api(scenario.users["procurator"]).get(f"/api/v1/lawsuits/{scenario.lawsuit.pk}/").json()
    assert internal["internal_notes"] == "内部：证据较充分。"


def test_feedback_drafts_never_reach_the_procuratorate(scenario, api):
    ids = _list_ids(api(scenario.users["procurator"]), "feedback")
    assert scenario.report.pk in ids and scenario.report_draft.pk not in ids


def test_lists_take_the_web_filters_and_a_stable_ordering(scenario, world, api):
    from tests.factories import CaseFactory

    for n in range(3):
        CaseFactory(procuratorate=world.district, handler=world.procurator, title=f"排序案件{n}")
    client = api(scenario.users["supervisor"])
    titles = [c["title"] for c in client.get("/api/v1/cases/?q=排序案件&ordering=-title").json()["results"]]
    assert titles == ["排序案件2", "排序案件1", "排序案件0"]
    pages = [client.get(f"/api/v1/cases/?ordering=status&page_size=2&page={p}").json() for p in (1, 2, 3)]
    ids = [c["id"] for page in pages for c in page["results"]]
    assert len(ids) == len(set(ids)) == pages[0]["count"]
    assert client.get("/api/v1/cases/?status=awaiting_reply").json()["count"] == 1
    assert client.get("/api/v1/cases/?procuratorate=" + str(world.other.pk)).status_code == 400  # out of scope
    served = client.get(f"/api/v1/recommendations/?status=served&case={scenario.case.pk}").json()["results"]
    assert [r["id"] for r in served] == [scenario.served.pk]
    assert client.get("/api/v1/deadlines/?ordering=-due_date").status_code == 200
