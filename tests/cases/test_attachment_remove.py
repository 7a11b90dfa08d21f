"""Removing a case's evidence file (issue 14): the handlers, while the case is open, in the browser
(a confirmation page, the removal by POST only) and with DELETE on the API. The row goes at once,
the stored file after the commit, and the removal stays on the case's timeline. Out of scope: 404;
in scope but read-only: 403; closed: told so, nothing removed."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from cases import services
from cases.models import Attachment, Case, Event, Recommendation
from tests.cases.test_views_actions import PDF, USERS, expected, login, messages_of, upload
from tests.factories import CaseFactory, db_state, recommendation_at, refused

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

EDITORS = ("procurator",)
READ_ONLY = ("procurator_colleague", "supervisor", "city_supervisor")


@pytest.fixture
def case(world) -> Case:
    return CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])


@pytest.fixture
def attachment(world, case) -> Attachment:
    return services.attachment_add(user=world.procurator, case=case, upload=upload("现场照片.pdf", PDF))


def stored(attachment: Attachment) -> bool:
    return (settings.MEDIA_ROOT / attachment.file.name).exists()


# --- The browser ---------------------------------------------------------------------------------


def test_the_case_page_offers_removal_to_the_handler_only(client, world, case, attachment):
    url = reverse("attachment_remove", args=[attachment.pk])
    login(client, world, "procurator")
    assert url in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    login(client, world, "procurator_colleague")
    assert url not in client.get(reverse("case_detail", args=[case.pk])).content.decode()


def test_the_handler_confirms_then_the_file_is_removed_after_commit(
    client, world, case, attachment, django_capture_on_commit_callbacks
):
    url = reverse("attachment_remove", args=[attachment.pk])
    login(client, world, "procurator")
    before = db_state()
    page = client.get(url)  # the confirmation: nothing removed yet
    assert page.status_code == 200
    assert "确定删除附件“现场照片.pdf”吗？" in page.content.decode()
    assert db_state() == before and stored(attachment)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
        assert stored(attachment)  # until the removal is committed
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[case.pk]) + "#pane-investigation"
    assert "附件“现场照片.pdf”已删除。" in messages_of(response)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not stored(attachment)
    event = Event.objects.filter(case=case).latest("id")
    assert (event.kind, event.actor, event.note) == (Event.Kind.ATTACHMENT_REMOVED, world.procurator, "现场照片.pdf")
    assert client.post(url).status_code == 404


MATRIX = [
    pytest.param(method, who, expected(EDITORS, READ_ONLY, 302 if method == "post" else 200)[who], id=f"{method}-{who}")
    for method in ("get", "post")
    for who in USERS
]


@pytest.mark.parametrize(("method", "who", "code"), MATRIX)
def test_removal_permission_matrix(client, world, attachment, method, who, code):
    """Outsiders 404 (like a missing id), read-only readers 403, anonymous to the login page; only
    the handler's POST removes."""
    login(client, world, who)
    before = db_state()
    response = getattr(client, method)(reverse("attachment_remove", args=[attachment.pk]))
    if code == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == code
    removed = method == "post" and who in EDITORS
    assert Attachment.objects.filter(pk=attachment.pk).exists() is not removed
    if not removed:
        assert db_state() == before


def test_a_closed_case_keeps_its_files_and_says_why(client, world, case, attachment):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    login(client, world, "procurator")
    before = db_state()
    response = client.post(reverse("attachment_remove", args=[attachment.pk]))
    assert response.status_code == 302
    assert "案件已终结，不能再修改。" in messages_of(response)
    assert db_state() == before and stored(attachment)
    assert (
        reverse("attachment_remove", args=[attachment.pk])
        not in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    )


# --- The service -----------------------------------------------------------------------------------


def test_a_file_of_an_issued_recommendation_stays(world, case):
    recommendation = recommendation_at(Recommendation.Status.ISSUED, case=case, agency=world.agency1)
    attachment = services.attachment_add(
        user=world.procurator, case=case, upload=upload("附件.pdf", PDF), recommendation=recommendation
    )
    with refused(code="immutable"):
        services.attachment_remove(user=world.procurator, attachment=attachment)


# --- The API -----------------------------------------------------------------------------------------

API_MATRIX = [
    pytest.param(who, expected(EDITORS, READ_ONLY, 204)[who], id=who) for who in USERS if who not in ("anonymous",)
]


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("who", "code"), API_MATRIX)
def test_api_delete_permission_matrix(world, case, attachment, who, code, django_capture_on_commit_callbacks):
    before = db_state()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(getattr(world, who)).delete(f"/api/v1/attachments/{attachment.pk}/")
    assert response.status_code == code, response.content
    if code == 204:
        assert not Attachment.objects.filter(pk=attachment.pk).exists() and not stored(attachment)
        assert Event.objects.filter(case=case, kind=Event.Kind.ATTACHMENT_REMOVED).count() == 1
    else:
        assert response.json()["code"] == {403: "permission_denied", 404: "not_found"}[code]
        assert db_state() == before and stored(attachment)


def test_api_delete_on_a_closed_case_is_refused(world, case, attachment):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    before = db_state()
    response = api_for(world.procurator).delete(f"/api/v1/attachments/{attachment.pk}/")
    assert response.status_code == 400
    assert response.json()["code"] == "case_closed"
    assert db_state() == before and stored(attachment)


def test_api_anonymous_delete_is_refused(attachment):
    assert APIClient().delete(f"/api/v1/attachments/{attachment.pk}/").status_code == 401
    assert Attachment.objects.filter(pk=attachment.pk).exists()
