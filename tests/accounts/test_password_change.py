"""Every user changes their own password; an administrator resets one and the user must then choose
their own; the password rules speak the reader's language (issue 14)."""

from __future__ import annotations

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import SecurityEvent, User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "river-sand-7431"


def _change(client, old=TEST_PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new if confirm is None else confirm},
    )


@pytest.mark.parametrize(
    "role", ["procurator", "supervisor", "agency1_staff", "discipline", "city_procurator", "city_supervisor"]
)
def test_every_signed_in_user_changes_their_own_password(client, world, role):
    user = getattr(world, role)
    client.force_login(user)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert reverse("password_change") in page  # the user menu links to it

    response = _change(client)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "密码已修改。" in client.get(response["Location"], follow=True).content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_CHANGED)
    assert event.user == user and event.details == {}
    # Still signed in: the session follows the new password.
    assert client.get(reverse("password_change")).status_code == 200


def test_a_wrong_old_password_or_a_mismatch_changes_nothing(client, world):
    client.force_login(world.procurator)
    assert _change(client, old="not-it").status_code == 200
    assert _change(client, confirm="something-else-9").status_code == 200
    world.procurator.refresh_from_db()
    assert world.procurator.check_password(TEST_PASSWORD)
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CHANGED).exists()


def test_the_change_page_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("language", "too_short", "too_common"),
    [
        ("zh-hans", "密码太短，至少需要 8 个字符。", "这个密码太常见了。"),
        ("en", "This password is too short. It must contain at least 8 characters.", "This password is too common."),
    ],
)
def test_the_password_rules_speak_the_readers_language(client, world, language, too_short, too_common):
    client.cookies["django_language"] = language
    client.force_login(world.procurator)

    short = _change(client, new="a7#k").content.decode()
    common = _change(client, new="password").content.decode()

    assert too_short in short
    assert too_common in common
    english_only = "This password is too short"
    assert (english_only in short) == (language == "en")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_password_rule_message_is_translated(language):
    """Each of the configured rules fails on its own password; in Chinese none is left in English."""
    user = User(username="wangxiaoming", full_name="王小明")
    with translation.override(language):
        messages = []
        for password in ["wangxiaoming1", "a7#k", "password", "83749120583"]:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                messages += error.messages
    assert len(messages) >= 4
    if language == "zh-hans":
        assert not [message for message in messages if message.isascii()], messages
    else:
        assert all(message.isascii() for message in messages), messages


def _admin_reset(client, target, password=NEW_PASSWORD):
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    return client.post(url, {"password1": password, "password2": password, "set_usable_password": "true"})


def test_an_administrators_reset_makes_the_user_choose_a_new_password(client, world):
    admin = UserFactory(username="root", role="", organisation=None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    change_url = reverse("admin:accounts_user_change", args=[world.agency1_staff.pk])
    change_page = client.get(change_url).content.decode()
    # The user page's 重置密码 button: a link relative to the change page.
    assert 'href="../password/">重置密码</a>' in change_page
    assert reverse("admin:auth_user_password_change", args=[world.agency1_staff.pk]) == change_url.replace(
        "/change/", "/password/"
    )

    response = _admin_reset(client, world.agency1_staff, "temporary-4471")
    assert response.status_code == 302, response.context["form"].errors

    world.agency1_staff.refresh_from_db()
    assert world.agency1_staff.check_password("temporary-4471") and world.agency1_staff.must_change_password
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_RESET)
    assert event.user == admin and event.details["target"] == world.agency1_staff.username

    # The user signs in with the temporary password and is sent to the change page first.
    client.logout()
    assert client.login(username=world.agency1_staff.username, password="temporary-4471")
    response = client.get(reverse("agency_home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert "管理员重置了您的密码" in page
    assert client.get("/static/css/app.css").status_code != 302

    assert _change(client, old="temporary-4471").status_code == 302
    world.agency1_staff.refresh_from_db()
    assert not world.agency1_staff.must_change_password
    assert client.get(reverse("agency_home")).status_code == 200


def test_an_administrator_resetting_their_own_password_is_not_asked_again(client):
    admin = UserFactory(username="root", role="", organisation=None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert _admin_reset(client, admin).status_code == 302
    admin.refresh_from_db()
    assert not admin.must_change_password
