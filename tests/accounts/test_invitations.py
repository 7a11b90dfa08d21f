"""Invitations of agency staff by a supervisor: a hashed token that expires and is used once;
accepting sets the password; a deactivated user keeps what they submitted."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Role, User
from pil_tracker.errors import DomainError

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

PASSWORD = "Hg-7rivers-2026"


def logs_in(client, username: str, password: str) -> bool:
    """Through the login page (the rate limiter needs the request)."""
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def invite(world, *, user=None, organisation=None, **kwargs):
    return services.invitation_create(
        user=user or world.supervisor,
        organisation=organisation or world.agency1,
        full_name="赵联络员",
        title="办公室主任",
        **kwargs,
    )


def test_invitation_creates_an_agency_user_with_the_chosen_password(client, world):
    invitation, token = invite(world, is_responsible_person=True)
    assert token not in invitation.token_hash and invitation.token_hash == services.token_hash(token)
    user = services.invitation_accept(token=token, username="zhao", password=PASSWORD)
    assert (user.role, user.organisation, user.is_responsible_person, user.full_name) == (
        Role.AGENCY_STAFF,
        world.agency1,
        True,
        "赵联络员",
    )
    invitation.refresh_from_db()
    assert invitation.accepted_at and invitation.user == user
    assert logs_in(client, "zhao", PASSWORD)
    with pytest.raises(DomainError) as info:
        services.invitation_accept(token=token, username="zhao2", password=PASSWORD)
    assert info.value.code == "invitation_invalid"
    assert User.objects.filter(username__startswith="zhao").count() == 1


def test_expired_invitation_is_refused(client, world):
    invitation, token = invite(world)
    later = invitation.expires_at + datetime.timedelta(seconds=1)
    with pytest.raises(DomainError) as info:
        services.invitation_accept(token=token, username="zhao", password=PASSWORD, now=later)
    assert "过期" in info.value.message
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 410
    response = client.post(
        reverse("invitation_accept", args=[token]), {"username": "zhao", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 410 and not User.objects.filter(username="zhao").exists()


def test_invitation_expires_after_the_configured_days(world, settings):
    settings.INVITATION_VALID_DAYS = 2
    now = timezone.now()
    invitation, _token = invite(world, now=now)
    assert invitation.expires_at == now + datetime.timedelta(days=2)


def test_revoked_and_unknown_tokens_are_refused(client, world):
    invitation, token = invite(world)
    services.invitation_revoke(user=world.city_supervisor, invitation=invitation)
    with pytest.raises(DomainError):
        services.invitation_accept(token=token, username="zhao", password=PASSWORD)
    assert client.get(reverse("invitation_accept", args=["not-a-token"])).status_code == 404


def test_only_supervisors_invite_and_only_to_an_open_agency(world):
    for user in (world.procurator, world.agency1_staff, world.discipline):
        with pytest.raises(DomainError) as info:
            invite(world, user=user)
        assert info.value.code == "permission_denied"
    world.agency2.merged_into = world.agency1
    world.agency2.save()
    with pytest.raises(DomainError) as info:
        invite(world, organisation=world.agency2)
    assert info.value.field == "organisation"
    with pytest.raises(DomainError):
        invite(world, organisation=world.district)  # not an agency
    assert not Invitation.objects.exists()


def test_invitation_to_an_agency_merged_before_acceptance_is_refused(world):
    _invitation, token = invite(world)
    world.agency1.is_active = False
    world.agency1.save()
    with pytest.raises(DomainError):
        services.invitation_accept(token=token, username="zhao", password=PASSWORD)


def test_weak_password_and_taken_username_are_refused_at_their_fields(client, world):
    _invitation, token = invite(world)
    url = reverse("invitation_accept", args=[token])
    response = client.post(url, {"username": "zhao", "password1": "123", "password2": "123"})
    assert response.status_code == 200 and response.context["form"].errors["password1"]
    response = client.post(url, {"username": "AGENCY1", "password1": PASSWORD, "password2": PASSWORD})
    assert response.context["form"].errors["username"]
    assert not User.objects.filter(username="zhao").exists()
    response = client.post(url, {"username": "zhao", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and User.objects.filter(username="zhao").exists()


def test_invitation_link_is_shown_once_and_emailed_after_commit(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitation_create"),
            {"organisation": world.agency1.pk, "full_name": "赵联络员", "email": "zhao@example.cn"},
        )
    assert response.status_code == 200
    link = response.context["link"]
    assert "/accounts/invite/" in link and response["Cache-Control"] == "no-store"
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    assert link not in client.get(reverse("invitation_list")).content.decode()


def test_supervisor_deactivates_an_agency_user_who_keeps_what_they_submitted(client, world):
    _invitation, token = invite(world)
    user = services.invitation_accept(token=token, username="zhao", password=PASSWORD)
    assert user not in services.agency_users_managed_by(world.other_supervisor)
    client.force_login(world.supervisor)
    assert client.post(reverse("agency_user_deactivate", args=[user.pk])).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    client.logout()
    assert not logs_in(client, "zhao", PASSWORD)
    assert User.objects.filter(pk=user.pk).exists()


# --- Isolation of the account pages --------------------------------------------------------------

USERS = [
    "procurator",
    "supervisor",
    "city_supervisor",
    "other_supervisor",
    "agency1_staff",
    "agency2_staff",
    "discipline",
    "anonymous",
]
MANAGERS = {"supervisor", "city_supervisor"}  # the inviting procuratorate and its parent
SUPERVISORS = MANAGERS | {"other_supervisor"}


def test_account_pages_isolation_matrix(client, world):
    _invitation, token = invite(world)
    pending, _ = invite(world)
    agency_user = services.invitation_accept(token=token, username="zhao", password=PASSWORD)
    pages = [
        ("get", reverse("invitation_list"), dict.fromkeys(SUPERVISORS, 200)),
        ("get", reverse("invitation_create"), dict.fromkeys(SUPERVISORS, 200)),
        ("post", reverse("invitation_revoke", args=[pending.pk]), dict.fromkeys(MANAGERS, 302)),
        ("post", reverse("agency_user_deactivate", args=[agency_user.pk]), dict.fromkeys(MANAGERS, 302)),
        ("post", reverse("invitation_revoke", args=[987654]), {}),
        ("post", reverse("agency_user_deactivate", args=[world.agency1_staff.pk]), {}),  # not invited: not managed
    ]
    mismatches = []
    for name in USERS:
        client.logout()
        if name != "anonymous":
            client.force_login(getattr(world, name))
        for method, url, expected in pages:
            savepoint = transaction.savepoint()
            response = client.get(url) if method == "get" else client.post(url)
            transaction.savepoint_rollback(savepoint)
            want = 302 if name == "anonymous" else expected.get(name, 404)
            if response.status_code != want:
                mismatches.append(f"{method} {url} {name}: {response.status_code} != {want}")
    assert not mismatches, "\n".join(mismatches)
    client.force_login(world.other_supervisor)
    assert "赵联络员" not in client.get(reverse("invitation_list")).content.decode()
