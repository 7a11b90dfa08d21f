"""Checks shared by the services; each raises DomainError with a message for the user."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from cases.models import Case
from cases.selectors import can_approve, can_edit_case
from pil_tracker.errors import DomainError


def local_today(today: datetime.date | None = None) -> datetime.date:
    """Today in China Standard Time (the TIME_ZONE setting), unless a caller fixes it."""
    return today or timezone.localdate()


def require_not_future(value: datetime.date, *, field: str, today: datetime.date | None = None) -> None:
    if value > local_today(today):
        raise DomainError(_("日期不能晚于今天。"), field=field)


def require_not_before(value: datetime.date, earlier: datetime.date | None, *, field: str, message: str) -> None:
    # `earlier` comes from a nullable column that the caller's status check normally guarantees;
    # when it is unknown there is nothing to compare with.
    if earlier is not None and value < earlier:
        raise DomainError(message, field=field)


def require_open(case: Case) -> None:
    if case.is_closed:
        raise DomainError(_("案件已终结，不能再修改。"), code="case_closed")


def require_editor(user: User, case: Case) -> None:
    require_open(case)
    if not can_edit_case(user, case):
        raise DomainError(_("只有本案承办检察官或协办人可以进行此操作。"), code="permission_denied")


def require_version(obj, version: int | None) -> None:
    """Optimistic locking (issue 16): `version` is the one the editor's form (or API request) was
    loaded with; the row, locked by the caller, must still have it. None: the caller did not say
    (a script, an older API client), nothing to compare with."""
    if version is not None and version != obj.version:
        raise DomainError(_("此记录已被他人修改，您的修改未保存。请刷新页面，查看最新内容后再编辑。"), code="conflict")


def require_approver(user: User, case: Case) -> None:
    # A closed case refuses every write, approvals included (a draft may still be pending).
    require_open(case)
    if not can_approve(user, case):
        raise DomainError(_("只有本院或上级院的检察院负责人可以审批。"), code="permission_denied")


def require_procuratorate_staff(user: User) -> None:
    if user.role not in (Role.PROCURATOR, Role.SUPERVISOR) or not user.organisation_id:
        raise DomainError(_("只有检察院工作人员可以进行此操作。"), code="permission_denied")


def require_status(current: str, allowed: set[str] | tuple[str, ...], *, label: str, action: str) -> None:
    if current not in allowed:
        raise DomainError(
            _("当前状态为“%(status)s”，不能%(action)s。") % {"status": label, "action": action},
            code="invalid_transition",
        )


def lock(model, pk: int):
    """Re-read a row with a row lock, so two concurrent submissions are decided one after the other."""
    return model.objects.select_for_update().get(pk=pk)
