"""Sending, answering, closing and withdrawing assistance requests (docs/domain.md, Assistance
requests). The case's handler or co-handler asks; staff of the asked agency answer; the answer's
period is watched by the deadline engine (subject "assistance_request", obligor the agency,
watcher the procurator) and closed by the answer."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from agencies.models import Organisation
from assistance.models import ANSWER_RULE, SUBJECT_TYPE, AssistanceFile, AssistanceRequest
from cases.models import Case, Event
from cases.services.guards import local_today, lock, require_editor, require_status
from cases.services.history import choice, event_record, message
from deadlines.models import Deadline
from deadlines.services import deadline_cancel, deadline_close, deadline_open, deadline_open_until
from notifications.messages import msgid
from notifications.models import Notification
from notifications.services import notifications_withdraw_email, notify
from pil_tracker.errors import DomainError
from storage.services import files_atomic, store_file, validate_uploads

MAX_FILES = 10


def _deadlines(request: AssistanceRequest):
    return Deadline.objects.filter(subject_type=SUBJECT_TYPE, subject_id=request.pk)


@files_atomic()
def assistance_request_send(
    *,
    user: User,
    case: Case,
    agency: Organisation,
    kind: str,
    subject: str,
    details: str,
    due_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> AssistanceRequest:
    """Ask `agency` for help with `case`. Without `due_date` the answer is due under the rule
    `assistance_answer` (a configurable default)."""
    case = lock(Case, case.pk)
    require_editor(user, case)
    if agency.kind != Organisation.Kind.AGENCY or not agency.is_active:
        raise DomainError(_("所选机关不是有效的行政机关。"), field="agency")
    if not subject.strip() or not details.strip():
        raise DomainError(_("请填写请求内容。"), field="details")
    sent_on = local_today(today)
    if due_date is not None and due_date <= sent_on:
        raise DomainError(_("答复期限必须晚于请求日期。"), field="due_date")
    request = AssistanceRequest.objects.create(
        case=case,
        agency=agency,
        kind=kind,
        subject=subject,
        details=details,
        sent_on=sent_on,
        due_date=due_date or sent_on,  # replaced by the rule's due date below
        requested_by=user,
    )
    watched = (SUBJECT_TYPE, request.pk)
    if due_date is not None:
        deadline = deadline_open_until(
            rule_code=ANSWER_RULE,
            start_date=sent_on,
            due_date=due_date,
            subject=watched,
            watcher=user,
            agency=agency,
            label=subject[:200],
        )
    else:
        deadline = deadline_open(
            rule_code=ANSWER_RULE, start_date=sent_on, subject=watched, watcher=user, agency=agency, label=subject[:200]
        )
        if deadline is None:
            raise DomainError(_("未配置协助答复期限规则，请填写答复期限。"), field="due_date")
        request.due_date = deadline.due_date
        request.save(update_fields=["due_date"])
    event_record(
        kind=Event.Kind.ASSISTANCE_REQUESTED,
        actor=user,
        case=case,
        parts=[
            message(
                gettext_noop("请求%(agency)s协助：%(kind)s，%(due)s前答复"),
                agency=agency.name,
                kind=choice(request, "kind", kind),
                due=request.due_date,
            )
        ],
    )
    staff = User.objects.filter(organisation=agency, role=Role.AGENCY_STAFF, is_active=True)
    notify(
        kind=Notification.Kind.ASSISTANCE_REQUESTED,
        recipients=staff.values_list("pk", flat=True),
        key=f"assistance:{request.pk}:requested",
        params={
            "procuratorate": case.procuratorate.name,
            "kind": msgid(request.get_kind_display()),
            "subject": subject,
            "due": request.due_date.isoformat(),
        },
        url=reverse("agency_assistance_detail", args=[request.pk]),
    )
    return request


def _require_agency(user: User, request: AssistanceRequest) -> None:
    if not (user.acts_for_agency and user.organisation_id == request.agency_id):
        raise DomainError(_("只有被请求机关的工作人员可以答复。"), code="permission_denied")


@files_atomic()
def assistance_answer(
    *,
    user: User,
    request: AssistanceRequest,
    answer: str,
    files: Sequence[UploadedFile] = (),
    today: datetime.date | None = None,
) -> AssistanceRequest:
    """The agency answers (text and files): sent → answered, the answer's deadline met."""
    request = lock(AssistanceRequest, request.pk)
    _require_agency(user, request)
    require_status(
        request.status, {AssistanceRequest.Status.SENT}, label=request.get_status_display(), action=_("答复")
    )
    if not answer.strip():
        raise DomainError(_("请填写答复内容。"), field="answer")
    types = validate_uploads(list(files), limit=MAX_FILES)
    answered_on = local_today(today)
    request.status = AssistanceRequest.Status.ANSWERED
    request.answer = answer
    request.answered_on = answered_on
    request.answered_by = user
    request.save(update_fields=["status", "answer", "answered_on", "answered_by"])
    for upload, content_type in zip(files, types, strict=True):
        store_file(AssistanceFile(request=request), upload, user=user, content_type=content_type)
    for deadline in _deadlines(request).filter(status=Deadline.Status.OPEN):
        deadline_close(deadline=deadline, fulfilled_on=answered_on)
    event_record(
        kind=Event.Kind.ASSISTANCE_ANSWERED,
        actor=user,
        case=request.case,
        parts=[
            message(
                gettext_noop("%(agency)s答复协助请求“%(subject)s”"), agency=request.agency.name, subject=request.subject
            )
        ],
    )
    notify(
        kind=Notification.Kind.ASSISTANCE_ANSWERED,
        recipients=[request.requested_by_id],
        key=f"assistance:{request.pk}:answered",
        params={"agency": request.agency.name, "subject": request.subject},
        url=reverse("assistance_detail", args=[request.pk]),
    )
    return request


def assistance_close(*, user: User, request: AssistanceRequest, note: str = "") -> AssistanceRequest:
    """The procurator has what was asked: answered → closed."""
    with files_atomic():
        request = lock(AssistanceRequest, request.pk)
        require_editor(user, request.case)
        require_status(
            request.status, {AssistanceRequest.Status.ANSWERED}, label=request.get_status_display(), action=_("办结")
        )
        request.status = AssistanceRequest.Status.CLOSED
        request.close_note = note
        request.save(update_fields=["status", "close_note"])
        event_record(
            kind=Event.Kind.ASSISTANCE_CLOSED,
            actor=user,
            case=request.case,
            parts=[message(gettext_noop("协助请求“%(subject)s”已办结"), subject=request.subject)],
            note=note,
        )
    return request


def assistance_withdraw(*, user: User, request: AssistanceRequest, reason: str) -> AssistanceRequest:
    """The help is no longer needed: sent → withdrawn, the answer's deadline cancelled."""
    with files_atomic():
        request = lock(AssistanceRequest, request.pk)
        require_editor(user, request.case)
        require_status(
            request.status, {AssistanceRequest.Status.SENT}, label=request.get_status_display(), action=_("撤回")
        )
        if not reason.strip():
            raise DomainError(_("请填写撤回理由。"), field="reason")
        request.status = AssistanceRequest.Status.WITHDRAWN
        request.withdraw_reason = reason
        request.save(update_fields=["status", "withdraw_reason"])
        deadline_cancel(deadlines=_deadlines(request))
        notifications_withdraw_email(keys=[f"assistance:{request.pk}:requested"])
        event_record(
            kind=Event.Kind.ASSISTANCE_WITHDRAWN,
            actor=user,
            case=request.case,
            parts=[message(gettext_noop("撤回协助请求“%(subject)s”"), subject=request.subject)],
            note=reason,
        )
    return request
