"""Supervision actions (督办措施): a discipline liaison records what the commission did about an
escalated, overdue recommendation (docs/domain.md, Supervision). The case's handler is told, and
the action enters the case's timeline."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases.models import Event
from cases.services.guards import require_not_before, require_not_future
from cases.services.history import choice, event_record, message
from deadlines.models import DeadlineAlert
from notifications.messages import msgid
from notifications.models import Notification
from notifications.services import notify
from pil_tracker.errors import DomainError
from storage.services import files_atomic, store_file, validate_uploads
from supervision.models import SupervisionAction, SupervisionActionFile
from supervision.selectors import escalations_visible_to, is_liaison

MAX_FILES_PER_ACTION = 10
NOTE_MAX_LENGTH = 5000


@files_atomic()
def supervision_action_record(
    *,
    user: User,
    escalation: DeadlineAlert,
    kind: str,
    taken_on: datetime.date,
    note: str,
    files: Sequence[UploadedFile] = (),
    today: datetime.date | None = None,
) -> SupervisionAction:
    """Record one action of the liaison's commission against `escalation`; refused (nothing
    written, no file kept) unless the user is a liaison the escalation was addressed to."""
    if not is_liaison(user) or not escalations_visible_to(user).filter(pk=escalation.pk).exists():
        raise DomainError(_("只有收到该逾期督办的纪检监察联络员可以记录督办措施。"), code="permission_denied")
    if kind not in SupervisionAction.Kind.values:
        raise DomainError(_("请选择督办方式。"), field="kind")
    require_not_future(taken_on, field="taken_on", today=today)
    require_not_before(
        taken_on,
        escalation.deadline.due_date,
        field="taken_on",
        message=_("督办日期不能早于回复期限届满日。"),
    )
    note = (note or "").strip()
    if not note:
        raise DomainError(_("请填写督办情况。"), field="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(_("督办情况不能超过 %(n)d 字。") % {"n": NOTE_MAX_LENGTH}, field="note")
    types = validate_uploads(list(files), limit=MAX_FILES_PER_ACTION)
    recommendation = escalation.deadline.recommendation
    if recommendation is None or user.organisation_id is None:  # never: escalations_visible_to says so
        raise DomainError(_("只有收到该逾期督办的纪检监察联络员可以记录督办措施。"), code="permission_denied")
    action = SupervisionAction.objects.create(
        escalation=escalation,
        recommendation=recommendation,
        commission_id=user.organisation_id,
        kind=kind,
        taken_on=taken_on,
        note=note,
        recorded_by=user,
    )
    for upload, content_type in zip(files, types, strict=True):
        store_file(SupervisionActionFile(action=action), upload, user=user, content_type=content_type)
    case = recommendation.case
    event_record(
        kind=Event.Kind.SUPERVISION_ACTION_RECORDED,
        actor=user,
        case=case,
        recommendation=recommendation,
        parts=[
            message(
                gettext_noop("%(commission)s督办（%(number)s）："),
                commission=action.commission.name,
                number=recommendation.document_number,
            ),
            choice(action, "kind", kind),
            message(gettext_noop("，%(date)s"), date=taken_on),
        ],
        # What the commission wrote stays in the action, shown to the case's handlers and
        # supervisors (supervision.selectors); the timeline, read by all who see the case, says
        # only who did what when.
    )
    if case.handler_id and case.handler.is_active:
        notify(
            kind=Notification.Kind.SUPERVISION_ACTION_RECORDED,
            recipients=[case.handler_id],
            params={
                "commission": action.commission.name,
                "number": recommendation.document_number,
                "agency": recommendation.agency.name,
                # The label's msgid: translated when read (notifications/messages.py).
                "action": msgid(SupervisionAction.Kind(kind).label),
                "date": f"{taken_on:%Y-%m-%d}",
                "note": note[:500],
            },
            url=reverse("case_detail", args=[case.pk]),
            key=f"supervision:action:{action.pk}",
        )
    return action
