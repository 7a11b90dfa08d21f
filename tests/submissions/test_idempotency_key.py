"""The API's Idempotency-Key on POST (api/idempotency.py): a retry is answered with the first
response and creates nothing; the same key with another request is refused."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from cases.models import Lead
from submissions.models import Submission
from tests.api.conftest import client_for
from tests.factories import domain


def lead_body(world, **overrides) -> dict:
    return {
        "title": "某河道非法采砂",
        "summary": "群众举报河道内非法采砂。",
        "source": "report",
        "reporter_name": "张某",
        "received_on": str(timezone.localdate()),
        "domain": domain().pk,
        "agency": world.agency1.pk,
    } | overrides


def post(client, body, key: str | None = "lead-1", **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post("/api/v1/leads/", body, format="json", **headers, **extra)


def test_a_retry_with_the_same_key_replays_the_response_and_creates_nothing(world):
    client = client_for(world.procurator)
    first = post(client, lead_body(world))
    assert first.status_code == 201

    again = post(client, lead_body(world))
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Lead.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(world):
    client = client_for(world.procurator)
    assert post(client, lead_body(world)).status_code == 201
    other = post(client, lead_body(world, title="另一条线索"))
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_mismatch"
    assert "Idempotency-Key" in other.json()["message"]
    assert Lead.objects.count() == 1


def test_keys_are_per_user(world):
    assert post(client_for(world.procurator), lead_body(world)).status_code == 201
    assert post(client_for(world.procurator_colleague), lead_body(world)).status_code == 201
    assert Lead.objects.count() == 2


def test_a_refused_request_does_not_use_up_its_key(world):
    client = client_for(world.procurator)
    refused = post(client, lead_body(world, received_on=str(timezone.localdate() + timedelta(days=1))))
    assert refused.status_code == 400
    assert not Submission.objects.exists()
    # The corrected request with the same key goes through (the client may reuse it for a fix).
    assert post(client, lead_body(world)).status_code == 201


def test_a_key_expires(world):
    client = client_for(world.procurator)
    assert post(client, lead_body(world)).status_code == 201
    Submission.objects.update(created_at=timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS, minutes=1))
    assert post(client, lead_body(world)).status_code == 201
    assert Lead.objects.count() == 2


def test_without_the_header_every_post_runs(world):
    client = client_for(world.procurator)
    assert post(client, lead_body(world), key=None).status_code == 201
    assert post(client, lead_body(world), key=None).status_code == 201
    assert Lead.objects.count() == 2


def test_a_malformed_key_is_refused(world):
    response = post(client_for(world.procurator), lead_body(world), key="x" * 256)
    assert response.status_code == 400 and response.json()["code"] == "invalid_idempotency_key"
    assert not Lead.objects.exists()


def test_the_refusal_is_in_english_when_asked(world):
    client = client_for(world.procurator)
    post(client, lead_body(world))
    other = post(client, lead_body(world, title="x"), HTTP_ACCEPT_LANGUAGE="en")
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["message"]
    assert "新的请求" not in other.json()["message"]
