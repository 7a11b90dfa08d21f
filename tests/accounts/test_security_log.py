"""The security event log (issue 16): each event is recorded exactly once, with who and from where,
and administrators search and export it in the admin (read-only)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import SecurityEvent
from cases import services as case_services
from tests.cases.test_views_actions import PDF, upload
from tests.factories import TEST_PASSWORD, CaseFactory, UserFactory

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
Kind = SecurityEvent.Kind


def _kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_logins_failures_and_lockouts_are_recorded_once_each(client, world):
    assert _login(client, "procurator", TEST_PASSWORD).status_code == 302
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user, event.username, event.address) == (
        Kind.LOGIN,
        world.procurator,
        "procurator",
        "10.0.0.1",
    )
    client.logout()
    SecurityEvent.objects.all().delete()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "agency1", "wrong", ip="10.0.0.2")
    # The failure that reaches the limit is both a failure and the lockout.
    assert Counter(_kinds()) == {Kind.LOGIN_FAILED: settings.AXES_FAILURE_LIMIT, Kind.LOCKOUT: 1}
    assert set(SecurityEvent.objects.values_list("username", flat=True)) == {"agency1"}
    # A refused attempt while locked: one lockout, no failure.
    assert _login(client, "agency1", TEST_PASSWORD, ip="10.0.0.2").status_code == 429
    assert Counter(_kinds()) == {Kind.LOGIN_FAILED: settings.AXES_FAILURE_LIMIT, Kind.LOCKOUT: 2}


def test_tokens_created_and_revoked_are_recorded(world):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "procurator", "password": TEST_PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.0.3",
    )
    token_id = response.json()["id"]
    assert _kinds() == [Kind.LOGIN, Kind.TOKEN_CREATED]
    assert SecurityEvent.objects.get(kind=Kind.LOGIN).details == {"via": "api"}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.delete(f"/api/v1/auth/tokens/{token_id}/").status_code == 204
    revoked = SecurityEvent.objects.get(kind=Kind.TOKEN_REVOKED)
    assert revoked.user == world.procurator and revoked.details == {"token": token_id}


def test_exports_and_file_downloads_are_recorded(client, world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    attachment = case_services.attachment_add(user=world.procurator, case=case, upload=upload("笔录.pdf", PDF))
    client.force_login(world.procurator)
    SecurityEvent.objects.all().delete()  # the login
    response = client.get("/cases/export.csv")
    b"".join(response.streaming_content)
    assert _kinds() == [Kind.EXPORT]
    response = client.get(reverse("attachment_download", args=[attachment.pk]))
    b"".join(response.streaming_content)
    assert _kinds() == [Kind.EXPORT, Kind.DOWNLOAD]
    download = SecurityEvent.objects.get(kind=Kind.DOWNLOAD)
    assert download.user == world.procurator and download.path == reverse("attachment_download", args=[attachment.pk])
    # Refused: nothing recorded.
    client.force_login(world.other_procurator)
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404
    assert [kind for kind in _kinds() if kind != Kind.LOGIN] == [Kind.EXPORT, Kind.DOWNLOAD]


def test_role_and_scope_changes_in_the_admin_are_recorded_and_the_log_is_exported(client, world):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    SecurityEvent.objects.all().delete()
    change = reverse("admin:accounts_user_change", args=[world.procurator.pk])
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data |= {
        "organisation": world.city.pk,
        "role": "supervisor",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("password", None)
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = SecurityEvent.objects.get()
    assert event.kind == Kind.USER_CHANGED and event.user == admin
    assert event.details["target"] == "procurator"
    assert event.details["changes"] == {
        "role": ["procurator", "supervisor"],
        "organisation_id": [world.district.pk, world.city.pk],
    }
    # Saving again without a change records nothing.
    data["role"] = "supervisor"
    client.post(change, data)
    assert SecurityEvent.objects.count() == 1
    # The log: searchable, not editable, exported as CSV.
    changelist = reverse("admin:accounts_securityevent_changelist")
    assert client.get(changelist, {"q": "procurator", "kind__exact": "user_changed"}).status_code == 200
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    export = client.post(changelist, {"action": "export_csv", "_selected_action": [event.pk]})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    assert "user_changed" in text and "procurator" in text
    assert SecurityEvent.objects.filter(kind=Kind.EXPORT, user=admin).count() == 1
