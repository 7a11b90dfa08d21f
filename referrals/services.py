"""The steps of a referral (docs/domain.md, Referrals). Each one locks the row, checks who acts and
from which state (a refusal changes nothing), writes the step to the referral's own history and,
for an outgoing referral, to the case's timeline; notifies the other side; and opens or closes the
watched periods (acknowledgement, outcome) through the deadline engine."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from agencies.models import Organisation, Region
from cases.models import Case, Domain, Event, Lead
from cases.selectors import can_approve, can_edit_case
from cases.services.guards import local_today, lock, require_not_future, require_status
from cases.services.history import choice, event_record, message
from cases.services.leads import lead_register
from cases.services.recommendations import active_user_ids, approval_settled, approver_ids
from deadlines.models import Deadline
from deadlines.services import deadline_close, deadline_open
from notifications.messages import msgid
from notifications.models import Notification
from notifications.services import notify
from pil_tracker.errors import DomainError
from referrals.models import RULE_ACKNOWLEDGE, RULE_OUTCOME, SUBJECT_TYPE, Referral, ReferralFile, ReferralStep
from storage.services import files_atomic, store_file

S = Referral.Status
MAX_FILES = 20


# --- who acts -------------------------------------------------------------------------------------


def is_liaison_of(user: User, organisation_id: int | None) -> bool:
    return (
        user.is_active
        and user.role == Role.DISCIPLINE_LIAISON
        and organisation_id is not None
        and user.organisation_id == organisation_id
    )


def is_staff_of_procuratorate(user: User, organisation_id: int | None) -> bool:
    """A procurator or supervisor of exactly this procuratorate (the one that receives)."""
    return (
        user.is_active
        and user.role in (Role.PROCURATOR, Role.SUPERVISOR)
        and organisation_id is not None
        and user.organisation_id == organisation_id
    )


def _case_of(referral: Referral) -> Case:
    """The case an outgoing referral comes from: every outgoing referral is created from a case."""
    if referral.case is None:
        raise DomainError(_("该移送没有关联案件。"), code="invalid_transition")
    return referral.case


def can_edit_referral(user: User, referral: Referral) -> bool:
    """The sending side's author: the case's handlers (outgoing) or the commission's liaison (incoming)."""
    if referral.is_outgoing:
        return referral.case is not None and can_edit_case(user, referral.case)
    return is_liaison_of(user, referral.sender_id)


def can_receive(user: User, referral: Referral) -> bool:
    if referral.is_outgoing:
        return is_liaison_of(user, referral.receiver_id)
    return is_staff_of_procuratorate(user, referral.receiver_id)


def _deny(message_text: str) -> DomainError:
    return DomainError(message_text, code="permission_denied")


def _require_editor(user: User, referral: Referral) -> None:
    if not can_edit_referral(user, referral):
        raise _deny(_("只有移送方的承办人员可以进行此操作。"))


def _require_receiver(user: User, referral: Referral) -> None:
    if not can_receive(user, referral):
        raise _deny(_("只有接收机关的工作人员可以进行此操作。"))


def _status(referral: Referral, allowed: set[str], action: str) -> None:
    require_status(referral.status, allowed, label=referral.get_status_display(), action=action)


# --- history --------------------------------------------------------------------------------------


def _record(referral: Referral, *, user: User, kind: str, msg: str, note: str = "", **params) -> None:
    ReferralStep.objects.create(referral=referral, kind=kind, actor=user, note=note)
    parts = [message(msg, number=referral.number or referral.title, **params)]
    if referral.case_id:
        event_record(kind=Event.Kind.REFERRAL_RECORDED, actor=user, case=referral.case, parts=parts, note=note)
    elif referral.lead_id:
        event_record(kind=Event.Kind.REFERRAL_RECORDED, actor=user, lead=referral.lead, parts=parts, note=note)


def _assign_number(referral: Referral) -> None:
    prefix = "检移纪" if referral.is_outgoing else "纪移检"
    referral.number = f"{prefix}〔{timezone.localdate().year}〕{referral.pk}号"
    referral.save(update_fields=["number"])


# --- notifications --------------------------------------------------------------------------------


def _url(referral: Referral) -> str:
    return reverse("referral_detail", args=[referral.pk])


def _receiving_staff(referral: Referral) -> list[int]:
    roles = [Role.DISCIPLINE_LIAISON] if referral.is_outgoing else [Role.PROCURATOR, Role.SUPERVISOR]
    return list(
        User.objects.filter(is_active=True, organisation_id=referral.receiver_id, role__in=roles)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _sender_people(referral: Referral) -> list[int]:
    ids: Iterable[int | None] = [referral.created_by_id, referral.sent_by_id]
    if referral.case is not None:
        ids = [*ids, referral.case.handler_id]
    return active_user_ids(ids)


def _params(referral: Referral) -> dict:
    return {
        "number": referral.number or "",
        "title": referral.title,
        "sender": referral.sender.name,
        "receiver": referral.receiver.name,
    }


# --- deadlines ------------------------------------------------------------------------------------


def _open_deadline(referral: Referral, *, rule_code: str, start: datetime.date, watcher: User | None) -> None:
    deadline_open(
        rule_code=rule_code,
        start_date=start,
        subject=(SUBJECT_TYPE, referral.pk),
        watcher=watcher,
        agency=referral.receiver,
        label=f"{referral.number} {referral.title}"[:200],
    )


def _close_deadline(referral: Referral, *, rule_code: str, on: datetime.date) -> None:
    for deadline in Deadline.objects.filter(
        subject_type=SUBJECT_TYPE, subject_id=referral.pk, rule__code=rule_code, status=Deadline.Status.OPEN
    ):
        deadline_close(deadline=deadline, fulfilled_on=on)


# --- drafting -------------------------------------------------------------------------------------


def _check_text(title: str, facts: str) -> None:
    if not title.strip():
        raise DomainError(_("请填写标题。"), field="title")
    if not facts.strip():
        raise DomainError(_("请填写主要事实。"), field="facts")


def _check_agency(agency: Organisation | None) -> None:
    if agency is not None and (agency.kind != Organisation.Kind.AGENCY or not agency.is_active):
        raise DomainError(_("请选择有效的行政机关。"), field="agency")


def _region_ids_under(region_id: int) -> set[int]:
    """The region and every region below it (a few levels: city, banner)."""
    found = {region_id}
    frontier = {region_id}
    while frontier:
        frontier = set(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def receiving_procuratorates(commission: Organisation):
    """The procuratorates a commission may refer leads to: in its region or below (any, when the
    commission has no region recorded)."""
    qs = Organisation.objects.filter(kind=Organisation.Kind.PROCURATORATE, is_active=True)
    if commission.region_id:
        qs = qs.filter(region_id__in=_region_ids_under(commission.region_id))
    return qs


@transaction.atomic
def referral_create_outgoing(
    *,
    user: User,
    case: Case,
    commission: Organisation,
    title: str,
    concern: str,
    facts: str,
    persons_concerned: str = "",
    agency: Organisation | None = None,
) -> Referral:
    """A handler drafts the referral of suspected misconduct found in `case` to `commission`."""
    case = lock(Case, case.pk)
    if not can_edit_case(user, case):
        raise _deny(_("只有本案承办检察官或协办人可以移送线索。"))
    if commission.kind != Organisation.Kind.DISCIPLINE or not commission.is_active:
        raise DomainError(_("请选择有效的纪检监察机关。"), field="commission")
    if concern not in Referral.Concern.values:
        raise DomainError(_("请选择问题类型。"), field="concern")
    if not persons_concerned.strip():
        raise DomainError(_("请填写涉及人员或单位。"), field="persons_concerned")
    _check_text(title, facts)
    _check_agency(agency)
    referral = Referral.objects.create(
        direction=Referral.Direction.TO_COMMISSION,
        sender=case.procuratorate,
        receiver=commission,
        case=case,
        title=title,
        concern=concern,
        persons_concerned=persons_concerned,
        facts=facts,
        agency=agency,
        created_by=user,
    )
    _assign_number(referral)
    _record(
        referral,
        user=user,
        kind=ReferralStep.Kind.DRAFTED,
        msg=gettext_noop("起草线索移送 %(number)s（移送%(receiver)s）"),
        receiver=commission.name,
    )
    return referral


@transaction.atomic
def referral_create_incoming(
    *,
    user: User,
    procuratorate: Organisation,
    title: str,
    facts: str,
    domain: Domain,
    agency: Organisation | None = None,
    persons_concerned: str = "",
) -> Referral:
    """The liaison drafts the referral of a public-interest lead to a procuratorate."""
    if not (user.is_active and user.role == Role.DISCIPLINE_LIAISON and user.organisation is not None):
        raise _deny(_("只有纪检监察联络员可以向检察院移送线索。"))
    if not receiving_procuratorates(user.organisation).filter(pk=procuratorate.pk).exists():
        raise DomainError(_("只能向本地区或下级检察院移送线索。"), field="procuratorate")
    if not domain.is_active:
        raise DomainError(_("该领域已停用。"), field="domain")
    _check_text(title, facts)
    _check_agency(agency)
    referral = Referral.objects.create(
        direction=Referral.Direction.TO_PROCURATORATE,
        sender=user.organisation,
        receiver=procuratorate,
        title=title,
        facts=facts,
        domain=domain,
        agency=agency,
        persons_concerned=persons_concerned,
        created_by=user,
    )
    _assign_number(referral)
    ReferralStep.objects.create(referral=referral, kind=ReferralStep.Kind.DRAFTED, actor=user)
    return referral


@files_atomic()
def referral_file_add(*, user: User, referral: Referral, upload: UploadedFile, description: str = "") -> ReferralFile:
    """A material, added by the sending side before the referral is sent."""
    referral = lock(Referral, referral.pk)
    _require_editor(user, referral)
    _status(referral, {S.DRAFT, S.PENDING, S.APPROVED}, _("上传材料"))
    if referral.files.count() >= MAX_FILES:
        raise DomainError(_("每次移送最多上传 %(limit)d 份材料。") % {"limit": MAX_FILES}, field="file")
    record = store_file(ReferralFile(referral=referral, description=description), upload, user=user)
    ReferralStep.objects.create(
        referral=referral, kind=ReferralStep.Kind.FILE_ADDED, actor=user, note=record.original_name
    )
    return record


# --- approval (outgoing) --------------------------------------------------------------------------


def _submission_key(referral: Referral) -> str:
    n = referral.steps.filter(kind=ReferralStep.Kind.SUBMITTED).count()
    return f"approval:referral:{referral.pk}:submitted:{n}"


@transaction.atomic
def referral_submit(*, user: User, referral: Referral) -> Referral:
    referral = lock(Referral, referral.pk)
    if not referral.is_outgoing:
        raise DomainError(_("纪委监委移送的线索无需审批。"), code="invalid_transition")
    _require_editor(user, referral)
    _status(referral, {S.DRAFT}, _("提请审批"))
    referral.status = S.PENDING
    referral.submitted_at = timezone.now()
    referral.return_reason = ""
    referral.save()
    _record(referral, user=user, kind=ReferralStep.Kind.SUBMITTED, msg=gettext_noop("线索移送 %(number)s 提请审批"))
    case = _case_of(referral)
    notify(
        kind=Notification.Kind.APPROVAL_REQUESTED,
        recipients=approver_ids(case),
        key=_submission_key(referral),
        params={
            "subject": "referral",
            "case": f"{case.number} {case.title}",
            "handler": case.handler.display_name,
            "submitter": user.display_name,
            "agency": referral.receiver.name,
        },
        url=_url(referral),
    )
    return referral


def _decide(user: User, referral: Referral, *, approved: bool, reason: str) -> Referral:
    referral = lock(Referral, referral.pk)
    if not referral.is_outgoing:
        raise DomainError(_("纪委监委移送的线索无需审批。"), code="invalid_transition")
    if not can_approve(user, _case_of(referral)) or not user.is_active:
        raise _deny(_("只有本院或上级检察院负责人可以审批。"))
    _status(referral, {S.PENDING}, _("审批") if approved else _("退回"))
    if not approved and not reason.strip():
        raise DomainError(_("请填写退回理由。"), field="reason")
    key = _submission_key(referral)
    referral.status = S.APPROVED if approved else S.DRAFT
    referral.decided_by = user
    referral.return_reason = "" if approved else reason
    referral.save()
    if approved:
        _record(referral, user=user, kind=ReferralStep.Kind.APPROVED, msg=gettext_noop("线索移送 %(number)s 审批同意"))
    else:
        _record(
            referral,
            user=user,
            kind=ReferralStep.Kind.RETURNED,
            msg=gettext_noop("线索移送 %(number)s 审批退回"),
            note=reason,
        )
    case = _case_of(referral)
    notify(
        kind=Notification.Kind.APPROVAL_DECIDED,
        recipients=_sender_people(referral),
        key=key.replace(":submitted:", ":decided:"),
        params={
            "subject": "referral",
            "case": f"{case.number} {case.title}",
            "approved": approved,
            "approver": user.display_name,
            "comment": reason.strip(),
        },
        url=_url(referral),
    )
    approval_settled(key=key)
    return referral


@transaction.atomic
def referral_approve(*, user: User, referral: Referral) -> Referral:
    return _decide(user, referral, approved=True, reason="")


@transaction.atomic
def referral_return(*, user: User, referral: Referral, reason: str) -> Referral:
    return _decide(user, referral, approved=False, reason=reason)


# --- sending and receiving ------------------------------------------------------------------------


@transaction.atomic
def referral_send(*, user: User, referral: Referral, today: datetime.date | None = None) -> Referral:
    """Send: an approved outgoing referral, or an incoming one's draft. The receiver's
    acknowledgement period starts (rule referral_acknowledge)."""
    referral = lock(Referral, referral.pk)
    _require_editor(user, referral)
    _status(referral, {S.APPROVED} if referral.is_outgoing else {S.DRAFT}, _("移送"))
    today = local_today(today)
    referral.status = S.SENT
    referral.sent_by = user
    referral.sent_on = today
    referral.save()
    _record(
        referral,
        user=user,
        kind=ReferralStep.Kind.SENT,
        msg=gettext_noop("线索移送 %(number)s 已移送%(receiver)s"),
        receiver=referral.receiver.name,
    )
    _open_deadline(referral, rule_code=RULE_ACKNOWLEDGE, start=today, watcher=user)
    notify(
        kind=Notification.Kind.REFERRAL_SENT,
        recipients=_receiving_staff(referral),
        key=f"referral:{referral.pk}:sent",
        params=_params(referral),
        url=_url(referral),
    )
    return referral


@transaction.atomic
def referral_acknowledge(
    *, user: User, referral: Referral, acknowledged_on: datetime.date, today: datetime.date | None = None
) -> Referral:
    """The receiving side acknowledges receipt. An incoming referral becomes a lead of the receiving
    procuratorate (source: referred by the discipline commission). The outcome period starts."""
    referral = lock(Referral, referral.pk)
    _require_receiver(user, referral)
    _status(referral, {S.SENT}, _("签收"))
    require_not_future(acknowledged_on, field="acknowledged_on", today=today)
    if referral.sent_on and acknowledged_on < referral.sent_on:
        raise DomainError(_("签收日期不能早于移送日期。"), field="acknowledged_on")
    referral.status = S.RECEIVED
    referral.acknowledged_by = user
    referral.acknowledged_on = acknowledged_on
    if not referral.is_outgoing:
        referral.lead = lead_register(
            user=user,
            today=today,
            title=referral.title[:200],
            summary=referral.facts,
            source=Lead.Source.DISCIPLINE,
            source_detail=f"{referral.sender.name} {referral.number}"[:200],
            received_on=acknowledged_on,
            domain=referral.domain,
            agency=referral.agency,
        )
    referral.save()
    _record(
        referral,
        user=user,
        kind=ReferralStep.Kind.ACKNOWLEDGED,
        msg=gettext_noop("线索移送 %(number)s 已由%(receiver)s签收（%(date)s）"),
        receiver=referral.receiver.name,
        date=acknowledged_on,
    )
    _close_deadline(referral, rule_code=RULE_ACKNOWLEDGE, on=acknowledged_on)
    sent_by = referral.sent_by if referral.sent_by_id else referral.created_by
    _open_deadline(referral, rule_code=RULE_OUTCOME, start=acknowledged_on, watcher=sent_by)
    notify(
        kind=Notification.Kind.REFERRAL_ACKNOWLEDGED,
        recipients=_sender_people(referral),
        key=f"referral:{referral.pk}:acknowledged",
        params={**_params(referral), "date": acknowledged_on.isoformat()},
        url=_url(referral),
    )
    return referral


@transaction.atomic
def referral_record_outcome(
    *,
    user: User,
    referral: Referral,
    outcome: str,
    outcome_text: str,
    outcome_on: datetime.date,
    today: datetime.date | None = None,
) -> Referral:
    """The receiving side feeds back how the referral was handled; the referral is settled."""
    referral = lock(Referral, referral.pk)
    _require_receiver(user, referral)
    _status(referral, {S.RECEIVED}, _("反馈处理结果"))
    if outcome not in Referral.Outcome.values:
        raise DomainError(_("请选择处理结果。"), field="outcome")
    if not outcome_text.strip():
        raise DomainError(_("请填写处理情况。"), field="outcome_text")
    require_not_future(outcome_on, field="outcome_on", today=today)
    if referral.acknowledged_on and outcome_on < referral.acknowledged_on:
        raise DomainError(_("反馈日期不能早于签收日期。"), field="outcome_on")
    referral.status = S.HANDLED
    referral.outcome = outcome
    referral.outcome_text = outcome_text
    referral.outcome_on = outcome_on
    referral.outcome_by = user
    referral.save()
    _record(
        referral,
        user=user,
        kind=ReferralStep.Kind.OUTCOME,
        msg=gettext_noop("线索移送 %(number)s 处理结果：%(outcome)s"),
        note=outcome_text,
        outcome=choice(Referral, "outcome", outcome),
    )
    _close_deadline(referral, rule_code=RULE_OUTCOME, on=outcome_on)
    notify(
        kind=Notification.Kind.REFERRAL_OUTCOME,
        recipients=_sender_people(referral),
        key=f"referral:{referral.pk}:outcome",
        params={
            **_params(referral),
            "outcome": msgid(Referral.Outcome(outcome).label),
            "text": outcome_text,
            "date": outcome_on.isoformat(),
        },
        url=_url(referral),
    )
    return referral
