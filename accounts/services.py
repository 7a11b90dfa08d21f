"""Every write to accounts: invitations of agency staff, accepting them, deactivating a user.

Agency users are created by an administrator (Django admin) or invited by a supervisor: the
invitation link carries a random token of which only a hash is stored, expires, and is used once.
A deactivated user keeps everything they submitted (every reference to a user is PROTECT).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Invitation, Role, User
from agencies.models import Organisation
from pil_tracker.errors import DomainError

DEFAULT_INVITATION_DAYS = 7


def invitation_ttl() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "INVITATION_VALID_DAYS", DEFAULT_INVITATION_DAYS))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_supervisor(user: User) -> None:
    if not user.is_active_supervisor or user.organisation is None:
        raise DomainError(_("只有检察院负责人可以邀请行政机关工作人员。"), code="permission_denied")


def _agency_open(organisation: Organisation) -> bool:
    return (
        organisation.kind == Organisation.Kind.AGENCY and organisation.is_active and organisation.merged_into_id is None
    )


def invitable_agencies(user: User):
    """The agencies a supervisor may invite staff of: active ones not merged into another."""
    if not user.is_active_supervisor:
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True, merged_into__isnull=True)


def invitations_visible_to(user: User):
    """A supervisor manages the invitations sent from their procuratorate and its subordinates."""
    if not user.is_active_supervisor or user.organisation is None:
        return Invitation.objects.none()
    return Invitation.objects.filter(invited_by__organisation__tree_path__startswith=user.organisation.tree_path)


@transaction.atomic
def invitation_create(
    *,
    user: User,
    organisation: Organisation,
    full_name: str,
    title: str = "",
    email: str = "",
    is_responsible_person: bool = False,
    build_link: Callable[[str], str] | None = None,
    now: datetime.datetime | None = None,
) -> tuple[Invitation, str]:
    """Invite a person of an agency; returns the invitation and the token (shown once, never stored).

    With an email address and `build_link`, the link is also emailed after commit.
    """
    _require_supervisor(user)
    if not _agency_open(organisation):
        raise DomainError(_("请选择一个有效的行政机关（已撤销或合并的机关不能再邀请）。"), field="organisation")
    if not full_name.strip():
        raise DomainError(_("请填写姓名。"), field="full_name")
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        full_name=full_name.strip(),
        title=title.strip(),
        email=email.strip(),
        is_responsible_person=is_responsible_person,
        token_hash=token_hash(token),
        invited_by=user,
        expires_at=now + invitation_ttl(),
    )
    if invitation.email and build_link is not None:
        assert user.organisation is not None  # _require_supervisor checked it
        link = build_link(token)
        subject = _("邀请您使用公益诉讼案件管理系统")
        body = _(
            "%(name)s：\n\n%(inviter)s邀请您作为%(agency)s的工作人员使用公益诉讼案件管理系统。"
            "请在 %(expires)s 前打开以下链接设置用户名和密码：\n\n%(link)s\n"
        ) % {
            "name": invitation.full_name,
            "inviter": user.organisation.name,
            "agency": organisation.name,
            "expires": f"{timezone.localtime(invitation.expires_at):%Y-%m-%d %H:%M}",
            "link": link,
        }
        recipient = invitation.email
        transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token_hash=token_hash(token)).first()


def invitation_problem(invitation: Invitation | None, now: datetime.datetime | None = None) -> str | None:
    """Why the invitation cannot be used, or None if it can."""
    now = now or timezone.now()
    if invitation is None:
        return _("邀请链接无效。")
    if invitation.accepted_at is not None:
        return _("该邀请已经使用过。请直接登录。")
    if invitation.revoked_at is not None:
        return _("该邀请已被撤销。")
    if now >= invitation.expires_at:
        return _("邀请链接已过期，请联系邀请人重新邀请。")
    if not _agency_open(invitation.organisation):
        return _("该行政机关已被撤销或合并，邀请不再有效。")
    return None


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str, now: datetime.datetime | None = None) -> User:
    """Create the invited person's account with the password they chose; the link is then spent."""
    invitation = invitation_for_token(token)
    if invitation is not None:
        invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    problem = invitation_problem(invitation, now)
    if problem:
        raise DomainError(problem, code="invitation_invalid")
    assert invitation is not None  # invitation_problem reports a missing invitation
    username = username.strip()
    if not username:
        raise DomainError(_("请填写用户名。"), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("该用户名已被使用，请换一个。"), field="username")
    user = User(
        username=username,
        full_name=invitation.full_name,
        title=invitation.title,
        email=invitation.email,
        organisation=invitation.organisation,
        role=Role.AGENCY_STAFF,
        is_responsible_person=invitation.is_responsible_person,
    )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password1") from error
    user.set_password(password)
    user.save()
    invitation.accepted_at, invitation.user = now or timezone.now(), user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


@transaction.atomic
def invitation_revoke(*, user: User, invitation: Invitation, now: datetime.datetime | None = None) -> Invitation:
    _require_supervisor(user)
    invitation = invitations_visible_to(user).select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise DomainError(_("该邀请已经使用，不能撤销；如需停用该用户，请使用“停用”。"), code="invalid_transition")
    if invitation.revoked_at is None:
        invitation.revoked_at = now or timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def agency_users_managed_by(user: User):
    """Agency users who joined through an invitation sent from the supervisor's procuratorate tree."""
    return User.objects.filter(invitation__in=invitations_visible_to(user))


@transaction.atomic
def agency_user_deactivate(*, user: User, target: User) -> User:
    """Deactivate an agency user: they can no longer log in; what they drafted and submitted stays."""
    _require_supervisor(user)
    target = agency_users_managed_by(user).select_for_update().get(pk=target.pk)
    if target.is_active:
        target.is_active = False
        target.save(update_fields=["is_active"])
    return target


@transaction.atomic
def password_change(*, user: User, new_password: str) -> User:
    """The user's own new password (already checked against the old one and the password rules by
    the form); it ends a reset's demand to change it."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user


def password_reset_by_administrator(*, user: User, administrator: User) -> User:
    """After an administrator set `user`'s password: unless it is their own, the user must choose a
    new one at their next request (accounts.middleware)."""
    if user.pk != administrator.pk and user.has_usable_password() and not user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=True)
        user.must_change_password = True
    return user


def user_language_set(*, user: User, language: str) -> bool:
    """Remember the language the user chose with the language switch, for what is written to them
    outside a request (notification emails and digests); False for a language the site lacks."""
    if language not in dict(settings.LANGUAGES):
        return False
    User.objects.filter(pk=user.pk).exclude(language=language).update(language=language)
    user.language = language
    return True
