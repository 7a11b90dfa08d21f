from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Organisation


class Role(models.TextChoices):
    PROCURATOR = "procurator", _("检察官")
    SUPERVISOR = "supervisor", _("检察院负责人")
    AGENCY_STAFF = "agency_staff", _("行政机关工作人员")
    DISCIPLINE_LIAISON = "discipline_liaison", _("纪检监察联络员")


# Which kind of organisation each role belongs to.
ROLE_ORGANISATION_KIND = {
    Role.PROCURATOR: Organisation.Kind.PROCURATORATE,
    Role.SUPERVISOR: Organisation.Kind.PROCURATORATE,
    Role.AGENCY_STAFF: Organisation.Kind.AGENCY,
    Role.DISCIPLINE_LIAISON: Organisation.Kind.DISCIPLINE,
}


class User(AbstractUser):
    """A person using the system: one organisation, one role.

    Administrators are superusers and may have no organisation; everyone else must have one
    whose kind matches the role.
    """

    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices, blank=True)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    is_responsible_person = models.BooleanField(
        _("机关负责人"), default=False, help_text=_("行政机关中可以正式提交整改反馈的负责人。")
    )
    # The language the user last chose with the language switch (accounts/views.py, language_set):
    # emails and digests are written in it, notifications included. Blank: the site's language.
    language = models.CharField(_("语言"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # Set when an administrator resets the password (accounts.admin): the user is sent to the
    # password change page until they choose their own (accounts.middleware).
    must_change_password = models.BooleanField(
        _("须修改密码"), default=False, help_text=_("管理员重置密码后，用户登录时须先设置新密码。")
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(organisation__isnull=False),
                name="user_role_needs_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role and not self.organisation_id:
            raise ValidationError({"organisation": _("该角色必须属于一个机构。")})
        if self.role and self.organisation_id:
            expected = ROLE_ORGANISATION_KIND[Role(self.role)]
            if self.organisation.kind != expected:
                raise ValidationError(
                    {
                        "organisation": _("角色“%(role)s”必须属于%(kind)s。")
                        % {"role": Role(self.role).label, "kind": Organisation.Kind(expected).label}
                    }
                )

    @property
    def is_procurator(self) -> bool:
        return self.role == Role.PROCURATOR

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_active_supervisor(self) -> bool:
        """An active supervisor attached to a procuratorate: the start of every supervisor check."""
        return bool(self.is_active and self.role == Role.SUPERVISOR and self.organisation_id)

    def acts_as_supervisor_of(self, procuratorate: Organisation) -> bool:
        """An active supervisor of `procuratorate` or of a procuratorate above it (上级检察院领导
        下级检察院, docs/domain.md): who approves, sees the confidential record and manages its
        subordinates' work. The one written form of that check."""
        return self.is_active_supervisor and procuratorate.tree_path.startswith(self.organisation.tree_path)

    @property
    def is_agency_staff(self) -> bool:
        return self.role == Role.AGENCY_STAFF

    @property
    def acts_for_agency(self) -> bool:
        """An active staff member of an agency: what every agency-side scoping function starts from
        (such a user sees only what concerns their own agency, docs/domain.md, Who sees what)."""
        return self.is_active and self.role == Role.AGENCY_STAFF and self.organisation_id is not None

    @property
    def is_procuratorate_staff(self) -> bool:
        return self.role in (Role.PROCURATOR, Role.SUPERVISOR)


class Invitation(models.Model):
    """An invitation for a person of an agency to create their account (set their own password).

    Issued by a supervisor; only a hash of the token is stored, so the link cannot be rebuilt from
    the database. It expires, and it is used at most once.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("行政机关"),
        on_delete=models.PROTECT,
        related_name="invitations",
        limit_choices_to={"kind": Organisation.Kind.AGENCY},
    )
    full_name = models.CharField(_("姓名"), max_length=100)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    is_responsible_person = models.BooleanField(_("机关负责人"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, verbose_name=_("邀请人"), on_delete=models.PROTECT, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("创建的用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitation",
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邀请")
        verbose_name_plural = _("邀请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.organisation}"

    def is_usable(self, now) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


class ApiToken(models.Model):
    """A REST API token (`Authorization: Token <key>`), one per client a user signs in: it expires
    after settings.API_TOKEN_DAYS and its owner lists and revokes it (/api/v1/auth/tokens/).

    Only a SHA-256 digest of the key is kept, so a copy of the database lets nobody call the API;
    the key itself is shown once, when it is issued. `prefix` (its first characters) tells the owner
    which token is which.
    """

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(_("摘要"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("创建时间"))
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… · {self.user}"


class SecurityEvent(models.Model):
    """One security-relevant event (accounts.security_log.security_event): who, from where, what.

    Rows are only ever added (the admin shows and exports them, read-only). `username` keeps the
    name as typed for a failed login, and the user's name otherwise, so the row still says who it
    was after the user is deleted.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOCKOUT = "lockout", _("登录被锁定")
        UNLOCK = "unlock", _("解除登录锁定")
        EXPORT = "export", _("导出")
        DOWNLOAD = "download", _("文件下载")
        USER_CHANGED = "user_changed", _("用户角色或范围变更")
        TOKEN_CREATED = "token_created", _("创建接口令牌")
        TOKEN_REVOKED = "token_revoked", _("撤销接口令牌")
        PASSWORD_CHANGED = "password_changed", _("修改密码")
        PASSWORD_RESET = "password_reset", _("管理员重置密码")
        OTP_FAILED = "otp_failed", _("动态验证码错误")
        OTP_ENROLLED = "otp_enrolled", _("启用两步验证")

    at = models.DateTimeField(_("时间"), db_index=True)
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        User, verbose_name=_("用户"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    path = models.CharField(_("路径"), max_length=500, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"


class TwoFactorPolicy(models.Model):
    """Whether the users of a role must sign in with a TOTP code as well (accounts.twofactor):
    one row per role, edited by an administrator in the admin. Without a row, or with `required`
    off, the second step is optional for that role (a user who enrolled is still asked)."""

    class Scope(models.TextChoices):
        SUPERVISOR = "supervisor", _("检察院负责人")
        ADMINISTRATOR = "administrator", _("系统管理员")

    role = models.CharField(_("角色"), max_length=20, choices=Scope.choices, unique=True)
    required = models.BooleanField(_("必须两步验证"), default=False)
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("两步验证策略")
        verbose_name_plural = _("两步验证策略")

    def __str__(self) -> str:
        return self.get_role_display()
