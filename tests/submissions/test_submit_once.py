"""A create form submitted twice with its one-time token (Back and resubmit, a double click whose
first request the browser aborted but the server saved) creates one object, and the second
submission lands on it (submissions.decorators.submit_once)."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Consultation, Lead, Recommendation
from meetings.models import Meeting
from submissions.models import Submission
from submissions.services import submissions_purge
from tests.factories import CaseFactory, domain
from tests.races import without_unique_constraint

on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
REPLAYED = "该表单已提交过，已为您打开当时创建的记录。"
TOKEN = re.compile(r'<input type="hidden" name="submission_token" value="([0-9a-f]{32})">')


def lead_data(world) -> dict[str, Any]:
    return {
        "title": "某湖泊违法排污线索",
        "summary": "群众反映某企业向湖泊排放污水。",
        "source": Lead.Source.REPORT,
        "reporter_name": "李某",
        "received_on": timezone.localdate().isoformat(),
        "domain": domain().pk,
        "agency": world.agency1.pk,
    }


def recommendation_data(world) -> dict[str, Any]:
    return {
        "agency": world.agency1.pk,
        "urgency": Recommendation.Urgency.NORMAL,
        "case_source": "本院在履行职责中发现。",
        "harm_facts": "某河道内存在非法采砂，河床遭到破坏。",
        "failure_facts": "区生态环境局未依法查处。",
        "legal_basis": "《中华人民共和国水法》第三十九条",
        "rectification_period": "收到本检察建议书之日起两个月内",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-text": "依法查处非法采砂行为",
    }


@dataclass
class CreatePage:
    """One create page: who opens it, its URL (given the world), what it posts, what it creates."""

    name: str
    user: str
    url: Any
    data: Any
    model: type
    setup: Any = None


def _case_url(name):
    return lambda world: reverse(name, args=[world.case.pk])


def _in_consultation(client: Client, world) -> None:
    assert client.post(reverse("case_consultation_start", args=[world.case.pk])).status_code == 302


CREATE_PAGES = [
    CreatePage("lead", "procurator", lambda world: reverse("lead_create"), lead_data, Lead),
    CreatePage(
        "recommendation draft", "procurator", _case_url("recommendation_create"), recommendation_data, Recommendation
    ),
    CreatePage(
        "consultation",
        "procurator",
        _case_url("consultation_create"),
        lambda world: {"agency": world.agency1.pk, "held_on": "2026-03-20", "summary": "双方就整改达成一致。"},
        Consultation,
        setup=_in_consultation,
    ),
    CreatePage(
        "meeting",
        "supervisor",
        lambda world: reverse("meeting_schedule"),
        lambda world: {
            "title": "网页安排的会议",
            "date": "2026-07-10",
            "host": world.district.pk,
            "participants": [world.district.pk, world.agency1.pk],
        },
        Meeting,
    ),
]


@pytest.fixture
def cworld(world):
    world.case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    return world


def token_of(response) -> str:
    """The hidden one-time token the create page rendered."""
    assert response.status_code == 200
    return TOKEN.search(response.content.decode()).group(1)


@pytest.mark.parametrize("page", CREATE_PAGES, ids=lambda page: page.name)
def test_a_second_submission_of_the_same_form_lands_on_the_first_object(client, cworld, page):
    client.force_login(getattr(cworld, page.user))
    if page.setup:
        page.setup(client, cworld)
    url = page.url(cworld)
    token = token_of(client.get(url))
    before = page.model.objects.count()

    first = client.post(url, {**page.data(cworld), "submission_token": token})
    assert first.status_code == 302
    assert page.model.objects.count() == before + 1

    again = client.post(url, {**page.data(cworld), "submission_token": token})
    assert again.status_code == 302 and again.url == first.url
    assert REPLAYED in [str(m) for m in get_messages(again.wsgi_request)]
    assert page.model.objects.count() == before + 1

    # A new rendering of the form is a new submission.
    fresh = client.post(url, {**page.data(cworld), "submission_token": token_of(client.get(url))})
    assert fresh.status_code == 302
    assert page.model.objects.count() == before + 2


def test_the_token_is_the_users_own(client, cworld):
    """Another user's POST of the same token is that user's own submission (tokens are per user)."""
    url = reverse("lead_create")
    client.force_login(cworld.procurator)
    token = token_of(client.get(url))
    assert client.post(url, {**lead_data(cworld), "submission_token": token}).status_code == 302
    client.force_login(cworld.procurator_colleague)
    assert client.post(url, {**lead_data(cworld), "submission_token": token}).status_code == 302
    assert Lead.objects.count() == 2


def test_a_form_sent_back_with_errors_does_not_use_up_its_token(client, cworld):
    client.force_login(cworld.procurator)
    url = reverse("lead_create")
    token = token_of(client.get(url))
    refused = client.post(url, {**lead_data(cworld), "title": "", "submission_token": token})
    assert refused.status_code == 200 and not Lead.objects.exists()
    assert not Submission.objects.exists()
    assert client.post(url, {**lead_data(cworld), "submission_token": token}).status_code == 302
    assert Lead.objects.count() == 1


def test_without_a_token_the_form_is_handled_as_before(client, cworld):
    client.force_login(cworld.procurator)
    url = reverse("lead_create")
    for _ in range(2):
        assert client.post(url, lead_data(cworld)).status_code == 302
    assert Lead.objects.count() == 2 and not Submission.objects.exists()


def test_old_tokens_are_purged(cworld):
    now = timezone.now()
    old_form = Submission.objects.create(user=cworld.procurator, kind="form", key="a" * 32, url="/x/")
    new_form = Submission.objects.create(user=cworld.procurator, kind="form", key="b" * 32, url="/y/")
    old_api = Submission.objects.create(user=cworld.procurator, kind="api", key="k1")
    form_age, api_age = timedelta(days=settings.SUBMISSION_TOKEN_DAYS), timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    Submission.objects.filter(pk=old_form.pk).update(created_at=now - form_age - timedelta(minutes=1))
    Submission.objects.filter(pk=old_api.pk).update(created_at=now - api_age - timedelta(minutes=1))
    assert submissions_purge(now=now) == 2
    assert list(Submission.objects.all()) == [new_form]


def test_the_purge_runs_daily():
    assert settings.CELERY_BEAT_SCHEDULE["submissions-purge"]["task"] == "submissions.tasks.purge_submissions"


# --- Two submissions at the same moment (PostgreSQL) ----------------------------------------------


def post_at_once(world, data: dict, workers: int = 2) -> tuple[list[int], list[BaseException]]:
    """`workers` clients of the same user post the same form (same token) at the same moment; the
    lead's registration is slowed down so that the transactions overlap."""
    barrier = threading.Barrier(workers)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            client = Client()
            client.force_login(world.procurator)
            barrier.wait(timeout=10)
            statuses.append(client.post(reverse("lead_create"), data).status_code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses, errors


@pytest.fixture
def slow_lead_register(monkeypatch):
    """Keep each registration's transaction open a while after it saved the lead."""
    from cases import services

    register = services.lead_register

    def slow(**kwargs):
        lead = register(**kwargs)
        time.sleep(0.3)
        return lead

    monkeypatch.setattr("cases.views.browse.services.lead_register", slow)


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL (two connections writing at once)")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_one_form_create_one_lead(world, slow_lead_register):
    statuses, errors = post_at_once(world, {**lead_data(world), "submission_token": "c" * 32})
    assert errors == []
    assert statuses == [302, 302]
    assert Lead.objects.count() == 1
    assert Submission.objects.get().url == reverse("lead_detail", args=[Lead.objects.get().pk])


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL (two connections writing at once)")
@pytest.mark.django_db(transaction=True)
def test_control_without_the_unique_constraint_two_submissions_create_two_leads(world, slow_lead_register, monkeypatch):
    """Control for the test above: without the claim's unique constraint the same race creates two
    leads, so the test above shows the constraint at work."""
    with without_unique_constraint(Submission, "submission_key_once_per_user", monkeypatch):
        statuses, errors = post_at_once(world, {**lead_data(world), "submission_token": "d" * 32})
        assert errors == []
        assert statuses == [302, 302]
        assert Lead.objects.count() == 2
