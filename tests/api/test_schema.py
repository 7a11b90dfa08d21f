"""The OpenAPI document is valid, the Swagger UI is served without a CDN, and every operation in
the document answers a well-formed request (a positive example generated from the schema, with
ids of objects that exist) with a non-5xx status."""

from __future__ import annotations

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.generation import GenerationMode

from tests.api.conftest import Scenario, keep_token, token_for


def openapi() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_openapi_document_is_valid_and_names_every_resource(db):
    schema = openapi()
    validate_schema(schema)  # raises on an invalid document
    resources = {path.split("/")[3] for path in schema["paths"]}
    assert {
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
        "holidays",
        "attachments",
        "feedback-attachments",
        "litigation-files",
        "typical-cases",
        "congress-requests",
        "public",
        "escalations",
        "supervision-actions",
        "interference-records",
        "interference-attachments",
        "referrals",
        "meetings",
        "meeting-decisions",
        "inspections",
        "inspection-findings",
        "assistance-requests",
        "assistance-files",
        "auth",
    } == resources
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_schema_and_the_swagger_ui_are_served_without_a_cdn(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200 and response.json()["openapi"].startswith("3.")
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "//unpkg" not in html
    assert "/static/drf_spectacular_sidecar/" in html


def known_ids(s: Scenario) -> dict[str, list[int]]:
    """Ids of objects that exist, per resource, for the path parameters."""
    from deadlines.models import Deadline
    from feedback.models import FeedbackAttachment

    return {
        "procuratorates": [s.case.procuratorate_id],
        "agencies": [s.served.agency_id],
        "leads": [s.lead.pk],
        "cases": [s.case.pk],
        "recommendations": [s.served.pk, s.draft.pk],
        "feedback": [s.report.pk, s.report_draft.pk],
        "lawsuits": [s.lawsuit.pk],
        "hearings": list(s.lawsuit.hearings.values_list("pk", flat=True)),
        "rulings": list(s.lawsuit.rulings.values_list("pk", flat=True)),
        "deadlines": list(Deadline.objects.filter(case=s.case).values_list("pk", flat=True)),
        "notifications": [s.notifications["procurator"].pk],
        "attachments": [s.attachment.pk],
        "feedback-attachments": list(
            FeedbackAttachment.objects.filter(report__in=[s.report, s.report_draft]).values_list("pk", flat=True)
        ),
        "litigation-files": [s.material.pk, s.ruling_document.pk],
    }


def wsgi_schema(app):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)


def operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def point_at_existing(case, ids: dict[str, list[int]], pick: int = 0) -> None:
    resource = case.operation.path.split("/")[3]
    params = case.path_parameters or {}
    if "id" in params and ids.get(resource):
        params["id"] = ids[resource][pick % len(ids[resource])]
    if "year" in params:
        params["year"] = 2026


def test_every_operation_answers_a_well_formed_request_without_a_server_error(scenario, wsgi_app):
    schema = wsgi_schema(wsgi_app)
    ids = known_ids(scenario)
    user = scenario.users["procurator"]
    key = token_for(user)
    headers = {"Authorization": f"Token {key}"}
    failures, statuses, count = [], [], 0
    for operation in operations(schema):
        count += 1

        @given(case=operation.as_strategy(GenerationMode.POSITIVE))
        @hypothesis_settings(
            max_examples=1,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            point_at_existing(case, ids)
            response = case.call(headers=headers)
            keep_token(user, key)  # DELETE /auth/token/ revokes it
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, case.body, response.status_code))

        call()
    assert count >= 50
    assert not failures, failures
    assert statuses.count(200) + statuses.count(201) >= 30, statuses  # really authenticated, really found


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
