"""Every write of lawsuits, hearings and rulings (docs/domain.md, Litigation and rulings): one service per court event.

Each service runs in one transaction, locks the case and the row it changes, lets only the case's
handlers act (the defendant agency's staff also record their defence and register who appears),
records an Event on the case (记录诉讼进程, with a note) and raises DomainError with a message,
changing nothing, when the action is not allowed. The court-side periods are deadlines of the case
(deadlines/services.py).

The case's status follows its lawsuits (`_case_court_status`): 提起诉讼 while a lawsuit is before
the court (filed, or appealed: an appeal puts the matter before the court again, so the case goes
back from 已裁判 to 提起诉讼), 已裁判 once the first instance decided, 裁判已生效, then 已履行 or
已移送执行; with several lawsuits the least advanced one decides. Closing stays a separate act
(`litigation_case_close`). The event of a court event that moves the case carries the change.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Case, CaseType, Event, Recommendation
from cases.selectors import can_edit_case
from cases.services import case_close
from cases.services.guards import (
    local_today,
    lock,
    require_editor,
    require_not_before,
    require_not_future,
    require_open,
)
from cases.services.history import changes, choice, event_record, message, snapshot
from deadlines.models import Deadline, RuleCode
from deadlines.services import deadline_cancel, deadline_close, deadline_open, deadline_open_until
from litigation.models import Hearing, Lawsuit, Material, Ruling
from litigation.services.notify import defendant_staff_ids, lawsuit_params, lawsuit_url
from notifications.messages import msgid
from notifications.models import Notification
from notifications.services import notify
from pil_tracker.errors import DomainError

Status = Lawsuit.Status
CaseStatus = Case.Status

# The case status a lawsuit's status puts the case in, and their order (least advanced first).
CASE_STATUS_OF_LAWSUIT: dict[str, CaseStatus] = {
    Status.FILED: CaseStatus.LITIGATION,
    Status.APPEALED: CaseStatus.LITIGATION,
    Status.RULED: CaseStatus.RULED,
    Status.EFFECTIVE: CaseStatus.EFFECTIVE,
    Status.ENFORCEMENT: CaseStatus.ENFORCED,
    Status.COMPLIED: CaseStatus.COMPLIED,
}
COURT_ORDER = [CaseStatus.LITIGATION, CaseStatus.RULED, CaseStatus.EFFECTIVE, CaseStatus.ENFORCED, CaseStatus.COMPLIED]


def _case_court_status(case: Case) -> str:
    """The case's status from its lawsuits: the least advanced one decides (one query)."""
    statuses = {CASE_STATUS_OF_LAWSUIT[s] for s in Lawsuit.objects.filter(case=case).values_list("status", flat=True)}
    return min(statuses, key=COURT_ORDER.index) if statuses else CaseStatus.LITIGATION


def _record(
    *, user: User, case: Case, lawsuit: Lawsuit, parts: list, note: str = "", changed: dict | None = None
) -> Event:
    """The court event on the case's history; moves the case when its lawsuits moved it. `parts`
    is the generated text and `note` what the user typed (cases.services.history.event_record);
    `changed` carries the values before and after of an edited record (history.changes)."""
    from_status, to_status = case.status, _case_court_status(case)
    if to_status != from_status:
        case.status = to_status
        case.save(update_fields=["status", "updated_at"])
    else:
        from_status = to_status = ""
    return event_record(
        kind=Event.Kind.COURT_RECORDED,
        actor=user,
        case=case,
        from_status=from_status,
        to_status=to_status,
        parts=[lawsuit.court_case_number, message(gettext_noop("：")), *parts],
        note=note,
        changed=changed,
    )


def _agency_recommendation(lawsuit: Lawsuit, rule_code: str) -> Recommendation | None:
    """The recommendation to link a deadline the defendant agency must meet to, so that it is listed
    on the agency's page of that recommendation and the scan's notifications to the agency link
    there. Who is reminded does not depend on it (Deadline.agency: the defendant). None when there
    is none, or when that recommendation already has a deadline of this rule (one per
    recommendation and rule: a second lawsuit on the same recommendation)."""
    if lawsuit.recommendation_id is None:
        return None
    if Deadline.objects.filter(recommendation_id=lawsuit.recommendation_id, rule__code=rule_code).exists():
        return None
    return lawsuit.recommendation


def _defendant_recommendation(case: Case, agency: Organisation) -> Recommendation | None:
    """The latest recommendation served on the defendant: the one the claims follow."""
    return (
        Recommendation.objects.filter(
            case=case,
            agency=agency,
            status__in=[Recommendation.Status.SERVED, Recommendation.Status.REPLIED],
        )
        .order_by("-served_on", "-id")
        .first()
    )


def _lock_lawsuit(lawsuit: Lawsuit, user: User) -> tuple[Case, Lawsuit]:
    # Case first, then lawsuit: every service takes the locks in the same order.
    case = lock(Case, lawsuit.case_id)
    require_editor(user, case)
    return case, lock(Lawsuit, lawsuit.pk)


def _lock_ruling(ruling: Ruling, user: User) -> tuple[Case, Lawsuit, Ruling]:
    case, lawsuit = _lock_lawsuit(ruling.lawsuit, user)
    return case, lawsuit, lock(Ruling, ruling.pk)


def is_defendant_staff(user: User, lawsuit: Lawsuit) -> bool:
    """Active staff of the agency the lawsuit is against."""
    return (
        user.is_active
        and user.role == Role.AGENCY_STAFF
        and lawsuit.defendant_agency_id is not None
        and user.organisation_id == lawsuit.defendant_agency_id
    )


def defendant_can_write(user: User, lawsuit: Lawsuit) -> bool:
    """Defendant staff whose agency still exists: a merged or abolished agency reads, writes nothing."""
    organisation = user.organisation if is_defendant_staff(user, lawsuit) else None
    return bool(organisation and organisation.is_active and organisation.merged_into_id is None)


def _require_handler_or_defendant(user: User, case: Case, lawsuit: Lawsuit, message: str) -> None:
    require_open(case)
    if can_edit_case(user, case) or defendant_can_write(user, lawsuit):
        return
    raise DomainError(message, code="permission_denied")


def _require_lawsuit_status(lawsuit: Lawsuit, allowed: set[str], action: str) -> None:
    if lawsuit.status not in allowed:
        raise DomainError(
            _("诉讼当前为“%(status)s”，不能%(action)s。") % {"status": lawsuit.get_status_display(), "action": action},
            code="invalid_transition",
        )


def _end_defence_period(lawsuit: Lawsuit) -> None:
    """The court heard or decided the case: the defence period (答辩期) is over, and its deadline is
    watched no more. Cancelled rather than met or late: the court moved on, and whether a defence
    came is the lawsuit's `defence_submitted_on`, shown beside it (a defence recorded later closes
    nothing). Without this the pages and the scan kept counting down a period the court is past."""
    if lawsuit.defence_deadline_id is not None:
        deadline_cancel(deadlines=Deadline.objects.filter(pk=lawsuit.defence_deadline_id))


def _require_amount(value: Decimal | None, field: str) -> None:
    if value is not None and value < 0:
        raise DomainError(_("金额不能为负数。"), field=field)


# --- Filing and the defence ---------------------------------------------------------------------


@transaction.atomic
def lawsuit_file(
    *,
    user: User,
    case: Case,
    court: str,
    court_case_number: str,
    filed_on: datetime.date,
    claims: str,
    materials: list[str],
    defendant_agency: Organisation | None = None,
    defendant_name: str = "",
    internal_notes: str = "",
    criminal_case_number: str = "",
    today: datetime.date | None = None,
) -> Lawsuit:
    """Record the lawsuit filed with the court (提起诉讼), once the decision to sue is approved.

    Also later in the court phase (a second defendant). A criminal-incidental civil lawsuit is
    filed together with the prosecution and names the criminal case."""
    case = lock(Case, case.pk)
    require_editor(user, case)
    if case.status not in Case.LITIGATION_STATUSES:
        raise DomainError(
            _("案件当前为“%(status)s”，须先经审批决定提起诉讼。") % {"status": case.get_status_display()},
            code="invalid_transition",
        )
    court, court_case_number = court.strip(), court_case_number.strip()
    if not court:
        raise DomainError(_("请填写受理法院。"), field="court")
    if not court_case_number:
        raise DomainError(_("请填写法院案号。"), field="court_case_number")
    if not claims.strip():
        raise DomainError(_("请填写诉讼请求。"), field="claims")
    require_not_future(filed_on, field="filed_on", today=today)
    require_not_before(filed_on, case.opened_on, field="filed_on", message=_("起诉日期不能早于立案日期。"))
    unknown = set(materials) - set(Material.values)
    if unknown:
        raise DomainError(_("起诉材料清单中有无效的项目。"), field="materials")
    recommendation = None
    criminal_case_number = criminal_case_number.strip()
    if case.case_type == CaseType.ADMINISTRATIVE:
        if defendant_agency is None:
            raise DomainError(_("行政公益诉讼须选择被告行政机关。"), field="defendant_agency")
        if not case.agencies.filter(pk=defendant_agency.pk).exists():
            raise DomainError(_("被告必须是本案涉及的行政机关。"), field="defendant_agency")
        defendant_name = ""
        recommendation = _defendant_recommendation(case, defendant_agency)
    else:
        if not defendant_name.strip():
            raise DomainError(_("请填写被告。"), field="defendant_name")
        defendant_agency = None
    if case.case_type == CaseType.CRIMINAL_CIVIL:
        if not criminal_case_number:
            raise DomainError(_("刑事附带民事公益诉讼须填写一并提起的刑事案件案号。"), field="criminal_case_number")
    else:
        criminal_case_number = ""
    if Lawsuit.objects.filter(court=court, court_case_number=court_case_number).exists():
        raise DomainError(_("该法院已有相同案号的诉讼。"), field="court_case_number")
    lawsuit = Lawsuit.objects.create(
        case=case,
        court=court,
        court_case_number=court_case_number,
        filed_on=filed_on,
        claims=claims,
        materials=[m for m in Material.values if m in materials],
        defendant_agency=defendant_agency,
        defendant_name=defendant_name.strip(),
        recommendation=recommendation,
        criminal_case_number=criminal_case_number,
        internal_notes=internal_notes,
        filed_by=user,
    )
    parts = [message(gettext_noop("向%(court)s提起诉讼"), court=court)]
    if criminal_case_number:
        parts.append(message(gettext_noop("（与刑事案件 %(number)s 一并提起）"), number=criminal_case_number))
    _record(user=user, case=case, lawsuit=lawsuit, parts=parts)
    return lawsuit


@transaction.atomic
def complaint_copy_received(
    *, user: User, lawsuit: Lawsuit, received_on: datetime.date, today: datetime.date | None = None
) -> Lawsuit:
    """The defendant received the complaint copy: its 15-day defence period starts (答辩期限)."""
    case, lawsuit = _lock_lawsuit(lawsuit, user)
    if lawsuit.complaint_copy_received_on is not None:
        raise DomainError(_("已记录被告收到起诉状副本的日期。"), code="invalid_transition")
    require_not_future(received_on, field="received_on", today=today)
    require_not_before(received_on, lawsuit.filed_on, field="received_on", message=_("收到日期不能早于起诉日期。"))
    lawsuit.complaint_copy_received_on = received_on
    if not lawsuit.defence_stage_over:
        # Recorded after the court heard or decided the case: there is no period left to watch.
        lawsuit.defence_deadline = deadline_open(
            case=case,
            rule_code=RuleCode.DEFENCE,
            start_date=received_on,
            recommendation=_agency_recommendation(lawsuit, RuleCode.DEFENCE),
            agency=lawsuit.defendant_agency,
        )
    lawsuit.save(update_fields=["complaint_copy_received_on", "defence_deadline"])
    _record(
        user=user,
        case=case,
        lawsuit=lawsuit,
        parts=[message(gettext_noop("被告于 %(day)s 收到起诉状副本"), day=received_on)],
    )
    deadline = lawsuit.defence_deadline
    notify(
        kind=Notification.Kind.COURT_DEFENCE,
        recipients=defendant_staff_ids(lawsuit),
        key=f"litigation:lawsuit:{lawsuit.pk}:defence",
        params=lawsuit_params(lawsuit)
        | {"due": deadline.due_date.isoformat() if deadline else None, "received": received_on.isoformat()},
        url=lawsuit_url(lawsuit),
    )
    return lawsuit


@transaction.atomic
def defence_submitted(
    *, user: User, lawsuit: Lawsuit, submitted_on: datetime.date, today: datetime.date | None = None
) -> Lawsuit:
    """The defendant submitted its defence and evidence: the defence deadline is met (or late).

    Recorded by the case's handlers, or by the defendant agency's own staff (docs/domain.md, Roles: agency
    staff answer court deadlines)."""
    case = lock(Case, lawsuit.case_id)
    _require_handler_or_defendant(user, case, lawsuit, _("只有本案承办检察官或被告行政机关工作人员可以记录答辩。"))
    lawsuit = lock(Lawsuit, lawsuit.pk)
    if lawsuit.complaint_copy_received_on is None:
        raise DomainError(_("请先记录被告收到起诉状副本的日期。"), code="invalid_transition")
    if lawsuit.defence_submitted_on is not None:
        raise DomainError(_("已记录答辩状提交日期。"), code="invalid_transition")
    require_not_future(submitted_on, field="submitted_on", today=today)
    require_not_before(
        submitted_on,
        lawsuit.complaint_copy_received_on,
        field="submitted_on",
        message=_("提交日期不能早于收到起诉状副本的日期。"),
    )
    lawsuit.defence_submitted_on = submitted_on
    lawsuit.save(update_fields=["defence_submitted_on"])
    deadline = lawsuit.defence_deadline
    if deadline is not None and deadline.is_open:
        deadline_close(deadline=deadline, fulfilled_on=submitted_on)
    _record(
        user=user,
        case=case,
        lawsuit=lawsuit,
        parts=[message(gettext_noop("被告于 %(day)s 提交答辩状"), day=submitted_on)],
    )
    return lawsuit


# --- Hearings -----------------------------------------------------------------------------------


def _require_appearance(appearance: str, allowed, field: str = "appearance") -> None:
    if appearance not in allowed:
        raise DomainError(_("请选择行政机关出庭情况。"), field=field)


def _hearing_parts(hearing: Hearing) -> list:
    parts = [
        message(
            gettext_noop("%(day)s 开庭，%(appearance)s"),
            day=hearing.held_on,
            appearance=choice(hearing, "appearance", hearing.appearance),
        )
    ]
    if hearing.is_violation:
        parts.append(message(gettext_noop("（违反行政机关负责人出庭应诉规定）")))
    return parts


def _room(hearing: Hearing) -> dict | str:
    return message(gettext_noop("（%(room)s）"), room=hearing.court_room) if hearing.court_room else ""


def _notify_hearing(lawsuit: Lawsuit, hearing: Hearing, event: str, *, reason: str = "") -> None:
    """`event`: scheduled, rescheduled (one key per postponement), cancelled, held."""
    key = f"litigation:hearing:{hearing.pk}:{event}"
    if event == "rescheduled":
        key += f":{hearing.reschedule_count}"
    notify(
        kind=Notification.Kind.COURT_HEARING,
        recipients=defendant_staff_ids(lawsuit),
        key=key,
        params=lawsuit_params(lawsuit)
        | {
            "event": event,
            "day": _iso(hearing.held_on),
            "before": _iso(hearing.rescheduled_from),
            "room": hearing.court_room,
            "reason": reason,
            "registered": bool(hearing.registered_appearance),
            "appearance": msgid(Hearing.Appearance(hearing.appearance).label) if hearing.appearance else "",
            "violation": bool(hearing.is_violation),
        },
        url=lawsuit_url(lawsuit),
    )


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


@transaction.atomic
def hearing_schedule(
    *,
    user: User,
    lawsuit: Lawsuit,
    held_on: datetime.date,
    court_room: str = "",
    today: datetime.date | None = None,
) -> Hearing:
    """The court set a hearing date (开庭通知): the defendant agency sees it and registers who will
    appear; its outcome is recorded afterwards (`hearing_outcome_record`)."""
    case, lawsuit = _lock_lawsuit(lawsuit, user)
    _require_lawsuit_status(lawsuit, {Status.FILED, Status.APPEALED}, _("安排开庭"))
    require_not_before(held_on, lawsuit.filed_on, field="held_on", message=_("开庭日期不能早于起诉日期。"))
    if held_on < local_today(today):
        raise DomainError(_("已经过去的庭审请直接记录庭审情况。"), field="held_on")
    hearing = Hearing.objects.create(
        lawsuit=lawsuit, held_on=held_on, court_room=court_room.strip(), is_held=False, recorded_by=user
    )
    _record(
        user=user,
        case=case,
        lawsuit=lawsuit,
        parts=[message(gettext_noop("定于 %(day)s 开庭%(room)s"), day=held_on, room=_room(hearing))],
    )
    _notify_hearing(lawsuit, hearing, "scheduled")
    return hearing


@transaction.atomic
def hearing_register_appearance(
    *, user: User, hearing: Hearing, appearance: str, names: str, today: datetime.date | None = None
) -> Hearing:
    """The defendant agency registers who will appear at a scheduled hearing (出庭应诉人员报备);
    the case's handler may record it on the agency's behalf. It may be changed until the hearing.
    Registering only a lawyer is recorded as it is, and shown as a violation in advance."""
    case = lock(Case, hearing.lawsuit.case_id)
    lawsuit = hearing.lawsuit
    _require_handler_or_defendant(user, case, lawsuit, _("只有本案承办检察官或被告行政机关工作人员可以报备出庭人员。"))
    hearing = lock(Hearing, hearing.pk)
    if hearing.is_cancelled:
        raise DomainError(_("该次开庭已取消，不能报备。"), code="invalid_transition")
    if hearing.is_held:
        raise DomainError(_("庭审已经结束，不能再报备。"), code="invalid_transition")
    if hearing.held_on < local_today(today):
        raise DomainError(_("开庭日期已过，不能再报备。"), code="invalid_transition")
    _require_appearance(appearance, Hearing.REGISTRABLE)
    if not names.strip():
        raise DomainError(_("请填写出庭人员的姓名和职务。"), field="names")
    hearing.registered_appearance, hearing.registered_names = appearance, names.strip()[:200]
    hearing.registered_by, hearing.registered_at = user, timezone.now()
    hearing.save(update_fields=["registered_appearance", "registered_names", "registered_by", "registered_at"])
    _record(
        user=user,
        case=case,
        lawsuit=lawsuit,
        parts=[
            message(
                gettext_noop("%(day)s 庭审报备出庭：%(appearance)s %(names)s"),
                day=hearing.held_on,
                appearance=choice(hearing, "registered_appearance", hearing.registered_appearance),
                names=names.strip(),
            )
        ],
    )
    return hearing


def _lock_scheduled_hearing(hearing: Hearing, user: User) -> tuple[Case, Lawsuit, Hearing]:
    """The case's editor, on an open case, and a hearing neither held nor cancelled (locks in the
    order case, lawsuit, hearing)."""
    case, lawsuit = _lock_lawsuit(hearing.lawsuit, user)
    hearing = lock(Hearing, hearing.pk)
    if hearing.is_cancelled:
        raise DomainError(_("该次开庭已取消。"), code="invalid_transition")
    if hearing.is_held:
        raise DomainError(_("该次庭审已经举行。"), code="invalid_transition")
    return case, lawsuit, hearing


def _require_reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DomainError(message, field="reason")
    return reason


@transaction.atomic
def hearing_reschedule(
    *,
    user: User,
    hearing: Hearing,
    held_on: datetime.date,
    reason: str,
    court_room: str = "",
    today: datetime.date | None = None,
) -> Hearing:
    """The court postponed (or brought forward) a scheduled hearing (改期). The previous date stays
    on the record (`rescheduled_from` and the event's before/after); a blank court room keeps the
    previous one. The agency's registration of who appears stays valid; it is notified again."""
    case, lawsuit, hearing = _lock_scheduled_hearing(hearing, user)
    _require_lawsuit_status(lawsuit, {Status.FILED, Status.APPEALED}, _("开庭改期"))
    require_not_before(held_on, lawsuit.filed_on, field="held_on", message=_("开庭日期不能早于起诉日期。"))
    if held_on < local_today(today):
        raise DomainError(_("新的开庭日期不能早于今天。"), field="held_on")
    if held_on == hearing.held_on:
        raise DomainError(_("新的开庭日期与原定日期相同。"), field="held_on")
    reason = _require_reason(reason, _("请填写改期原因。"))
    before = snapshot(hearing, ["held_on", "court_room"])
    hearing.rescheduled_from, hearing.held_on = hearing.held_on, held_on
    hearing.court_room = court_room.strip() or hearing.court_room
    hearing.reschedule_count += 1
    hearing.save(update_fields=["held_on", "court_room", "rescheduled_from", "reschedule_count"])
    _record(
        user=user,
        case=case,
        lawsuit=lawsuit,
        parts=[
            message(
                gettext_noop("原定 %(before)s 的庭审改于 %(day)s 开庭%(room)s，原因：%(reason)s"),
                before=hearing.rescheduled_from,
                day=held_on,
                room=_room(hearing),
                reason=reason,
            )
        ],
        changed=changes(before, snapshot(hearing, ["held_on", "court_room"])),
    )
    _notify_hearing(lawsuit, hearing, "rescheduled", reason=reason)
    return hearing


@transaction.atomic
def hearing_cancel(*, user: User, hearing: Hearing, reason: str, today: datetime.date | None = None) -> Hearing:
    """The court cancelled a scheduled hearing (取消开庭), e.g. the case is withdrawn or decided
    without it. It stays on the record, marked cancelled: no longer upcoming for the agency, not
    counted in the appearance figures, and it can be neither registered for nor recorded as held."""
    case, lawsuit, hearing = _lock_scheduled_hearing(hearing, user)
    reason = _require_reason(reason, _("请填写取消原因。"))
    hearing.cancelled_on, hearing.cancel_reason = local_today(today), reason
    hearing.save(update_fields=["cancelled_on", "cancel_reason"])
    _record(
        user=user,
        case=case,
        lawsuit=lawsuit,
        parts=[message(gettext_noop("原定 %(day)s 的庭审取消，原因：%(reason)s"), day=hearing.held_on, reason=reason)],
    )
    _notify_hearing(lawsuit, hearing, "cancelled", reason=reason)
    return hearing


@transaction.atomic
def hearing_outcome_record(
    *,
    user: User,
    hearing: Hearing,
    appearance: str,
    appeared_names: str = "",
    note: str = "",
    today: datetime.date | None = None,
) -> Hearing:
    """A scheduled hearing was held: who actually appeared for the defendant."""
    case = lock(Case, hearing.lawsuit.case_id)
    require_editor(user, case)
    lawsuit = lock(Lawsuit, hearing.lawsuit_id)
    hearing = lock(Hearing, hearing.pk)
    if hearing.is_cancelled:
        raise DomainError(_("该次开庭已取消，不能记录庭审情况。"), code="invalid_transition")
    if hearing.is_held:
        raise DomainError(_("已记录该次庭审情况。"), code="invalid_transition")
    _require_appearance(appearance, Hearing.Appearance.values)
    require_not_future(hearing.held_on, field="held_on", today=today)
    hearing.is_held, hearing.appearance = True, appearance
    hearing.appeared_names, hearing.note = appeared_names.strip()[:200], note
    hearing.save(update_fields=["is_held", "appearance", "appeared_names", "note"])
    _end_defence_period(lawsuit)
    _record(user=user, case=case, lawsuit=lawsuit, parts=_hearing_parts(hearing))
    _notify_hearing(lawsuit, hearing, "held")
    return hearing


@transaction.atomic
def hearing_record(
    *,
    user: User,
    lawsuit: Lawsuit,
    held_on: datetime.date,
    appearance: str,
    court_room: str = "",
    appeared_names: str = "",
    note: str = "",
    today: datetime.date | None = None,
) -> Hearing:
    """A hearing held (not scheduled beforehand here) and who appeared for the defendant;
    lawyer-only or nobody is a violation."""
    case, lawsuit = _lock_lawsuit(lawsuit, user)
    _require_lawsuit_status(lawsuit, {Status.FILED, Status.APPEALED}, _("记录庭审"))
    _require_appearance(appearance, Hearing.Appearance.values)
    require_not_future(held_on, field="held_on", today=today)
    require_not_before(held_on, lawsuit.filed_on, field="held_on", message=_("开庭日期不能早于起诉日期。"))
    hearing = Hearing.objects.create(
        lawsuit=lawsuit,
        held_on=held_on,
        appearance=appearance,
        court_room=court_room,
        appeared_names=appeared_names,
        note=note,
        recorded_by=user,
    )
    _end_defence_period(lawsuit)
    _record(user=user, case=case, lawsuit=lawsuit, parts=_hearing_parts(hearing))
    _notify_hearing(lawsuit, hearing, "held")
    return hearing


# --- Rulings ------------------------------------------------------------------------------------


def _take_effect(*, case: Case, lawsuit: Lawsuit, ruling: Ruling, effective_on: datetime.date) -> None:
    """The ruling is final: the lawsuit is decided, and an ordered action starts its compliance period."""
    ruling.effective_on = effective_on
    if ruling.orders_action:
        if ruling.compliance_due_on is None:
            raise DomainError(_("判令履行事项须有履行期限。"), field="compliance_due_on")
        if ruling.compliance_due_on <= effective_on:
            raise DomainError(_("履行期限必须晚于生效日期。"), field="compliance_due_on")
        ruling.compliance_deadline = deadline_open_until(
            case=case,
            rule_code=RuleCode.COMPLIANCE,
            start_date=effective_on,
            due_date=ruling.compliance_due_on,
            recommendation=_agency_recommendation(lawsuit, RuleCode.COMPLIANCE),
            agency=lawsuit.defendant_agency,
        )
    ruling.save(update_fields=["effective_on", "compliance_deadline"])
    lawsuit.status = Status.EFFECTIVE
    lawsuit.save(update_fields=["status"])


def _notify_ruling(lawsuit: Lawsuit, ruling: Ruling, event: str) -> None:
    """The defendant agency learns of a ruling against it, and when it takes effect with an ordered
    action, of its compliance deadline."""
    ordered = bool(ruling.effective_on and ruling.orders_action)
    notify(
        kind=Notification.Kind.COURT_RULING,
        recipients=defendant_staff_ids(lawsuit),
        key=f"litigation:ruling:{ruling.pk}:{event}",
        params=lawsuit_params(lawsuit)
        | {
            "event": event,
            # The labels' msgids: the reader's language translates them (notifications/messages.py).
            "instance": msgid(Ruling.Instance(ruling.instance).label),
            "ruling_kind": msgid(Ruling.Kind(ruling.kind).label),
            "outcome": msgid(Ruling.Outcome(ruling.outcome).label),
            "decided": _iso(ruling.decided_on),
            "served": _iso(ruling.served_on),
            "effective": _iso(ruling.effective_on),
            "due": _iso(ruling.compliance_due_on) if ordered else None,
            "action": ruling.ordered_action if ordered else "",
        },
        url=lawsuit_url(lawsuit),
    )


@transaction.atomic
def ruling_record(
    *,
    user: User,
    lawsuit: Lawsuit,
    instance: str,
    kind: str,
    outcome: str,
    decided_on: datetime.date,
    served_on: datetime.date,
    remedial_order: bool = False,
    ordered_action: str = "",
    compliance_due_on: datetime.date | None = None,
    compensation_amount: Decimal | None = None,
    restoration_cost: Decimal | None = None,
    summary: str = "",
    today: datetime.date | None = None,
) -> Ruling:
    """A court decision served on the parties.

    First-instance judgments and rulings open the appeal window (15 / 10 days from service). A
    mediation statement and a second-instance decision are final on service (二审终审).
    """
    case, lawsuit = _lock_lawsuit(lawsuit, user)
    if instance not in Ruling.Instance.values:
        raise DomainError(_("请选择审级。"), field="instance")
    if kind not in Ruling.Kind.values:
        raise DomainError(_("请选择裁判类型。"), field="kind")
    allowed: tuple[str, ...]
    if instance == Ruling.Instance.FIRST:
        if lawsuit.rulings.filter(instance=Ruling.Instance.FIRST).exists():
            raise DomainError(_("本诉讼已有一审裁判，不能重复记录。"), field="instance")
        _require_lawsuit_status(lawsuit, {Status.FILED}, _("记录一审裁判"))
        allowed = Ruling.ADMINISTRATIVE_OUTCOMES if case.case_type == CaseType.ADMINISTRATIVE else Ruling.CIVIL_OUTCOMES
    else:
        if lawsuit.rulings.filter(instance=Ruling.Instance.SECOND).exists():
            raise DomainError(_("本诉讼已有二审裁判，不能重复记录。"), field="instance")
        _require_lawsuit_status(lawsuit, {Status.APPEALED}, _("记录二审裁判"))
        allowed = (*Ruling.SECOND_INSTANCE_OUTCOMES, Ruling.Outcome.MEDIATED)
    if outcome not in allowed:
        raise DomainError(_("该裁判结果不适用于本案。"), field="outcome")
    if (kind == Ruling.Kind.MEDIATION) != (outcome == Ruling.Outcome.MEDIATED):
        raise DomainError(_("调解结案须选择裁判类型“调解”。"), field="outcome")
    require_not_future(decided_on, field="decided_on", today=today)
    require_not_before(decided_on, lawsuit.filed_on, field="decided_on", message=_("裁判日期不能早于起诉日期。"))
    if instance == Ruling.Instance.SECOND:
        first = lawsuit.rulings.get(instance=Ruling.Instance.FIRST)
        require_not_before(
            decided_on, first.appealed_on, field="decided_on", message=_("二审裁判日期不能早于上诉日期。")
        )
    require_not_future(served_on, field="served_on", today=today)
    require_not_before(served_on, decided_on, field="served_on", message=_("送达日期不能早于裁判日期。"))
    if ordered_action.strip() and compliance_due_on is None:
        raise DomainError(_("判令履行事项须有履行期限。"), field="compliance_due_on")
    if compliance_due_on is not None and compliance_due_on <= served_on:
        raise DomainError(_("履行期限必须晚于送达日期。"), field="compliance_due_on")
    _require_amount(compensation_amount, "compensation_amount")
    _require_amount(restoration_cost, "restoration_cost")
    ruling = Ruling.objects.create(
        lawsuit=lawsuit,
        instance=instance,
        kind=kind,
        outcome=outcome,
        decided_on=decided_on,
        served_on=served_on,
        remedial_order=remedial_order,
        ordered_action=ordered_action.strip(),
        compliance_due_on=compliance_due_on if ordered_action.strip() else None,
        compensation_amount=compensation_amount,
        restoration_cost=restoration_cost,
        summary=summary,
        recorded_by=user,
    )
    _end_defence_period(lawsuit)
    if instance == Ruling.Instance.FIRST and kind != Ruling.Kind.MEDIATION:
        rule = RuleCode.APPEAL_JUDGMENT if kind == Ruling.Kind.JUDGMENT else RuleCode.APPEAL_RULING
        # The defendant agency is one of the parties whose right to appeal runs out.
        ruling.appeal_deadline = deadline_open(
            case=case, rule_code=rule, start_date=served_on, agency=lawsuit.defendant_agency
        )
        ruling.save(update_fields=["appeal_deadline"])
        lawsuit.status = Status.RULED
        lawsuit.save(update_fields=["status"])
    else:
        _take_effect(case=case, lawsuit=lawsuit, ruling=ruling, effective_on=served_on)
    _record(
        user=user,
        case=case,
        lawsuit=lawsuit,
        parts=[
            message(
                gettext_noop("%(ruling)s，%(day)s 送达"),
                ruling=message(
                    gettext_noop("%(instance)s%(kind)s（%(outcome)s）"),
                    instance=choice(ruling, "instance", ruling.instance),
                    kind=choice(ruling, "kind", ruling.kind),
                    outcome=choice(ruling, "outcome", ruling.outcome),
                ),
                day=served_on,
            )
        ],
    )
    _notify_ruling(lawsuit, ruling, "recorded")
    return ruling


@transaction.atomic
def ruling_appeal(
    *,
    user: User,
    ruling: Ruling,
    appealed_on: datetime.date,
    appealed_by: str,
    late_reason: str = "",
    today: datetime.date | None = None,
) -> Ruling:
    """An appeal by either side opens the second instance. After the window only with a reason
    (e.g. the court allowed a late appeal, 顺延期限)."""
    case, lawsuit, ruling = _lock_ruling(ruling, user)
    if ruling.instance != Ruling.Instance.FIRST or ruling.kind == Ruling.Kind.MEDIATION:
        raise DomainError(_("只有一审判决或裁定可以上诉。"), code="invalid_transition")
    if ruling.appealed_on is not None:
        raise DomainError(_("已记录上诉。"), code="invalid_transition")
    if ruling.is_effective:
        raise DomainError(_("裁判已生效，不能再上诉。"), code="invalid_transition")
    if appealed_by not in Ruling.AppealedBy.values:
        raise DomainError(_("请选择上诉人。"), field="appealed_by")
    require_not_future(appealed_on, field="appealed_on", today=today)
    require_not_before(appealed_on, ruling.served_on, field="appealed_on", message=_("上诉日期不能早于送达日期。"))
    deadline = ruling.appeal_deadline
    if deadline is not None and appealed_on > deadline.due_date and not late_reason.strip():
        raise DomainError(
            _("上诉期已于 %(due)s 届满，逾期上诉须说明理由。") % {"due": deadline.due_date},
            field="appealed_on",
        )
    ruling.appealed_on, ruling.appealed_by, ruling.late_appeal_reason = appealed_on, appealed_by, late_reason.strip()
    ruling.save(update_fields=["appealed_on", "appealed_by", "late_appeal_reason"])
    if deadline is not None and deadline.is_open:
        deadline_close(deadline=deadline, fulfilled_on=appealed_on)
    lawsuit.status = Status.APPEALED
    lawsuit.save(update_fields=["status"])
    _record(
        user=user,
        case=case,
        lawsuit=lawsuit,
        parts=[
            message(
                gettext_noop("%(who)s于 %(day)s 提起上诉"),
                who=choice(ruling, "appealed_by", ruling.appealed_by),
                day=appealed_on,
            )
        ],
    )
    return ruling


@transaction.atomic
def ruling_take_effect(
    *, user: User, ruling: Ruling, effective_on: datetime.date, today: datetime.date | None = None
) -> Ruling:
    """No appeal: the first-instance decision takes effect the day after the window closes."""
    case, lawsuit, ruling = _lock_ruling(ruling, user)
    if ruling.is_effective:
        raise DomainError(_("裁判已经生效。"), code="invalid_transition")
    if ruling.appealed_on is not None:
        raise DomainError(_("已提起上诉，一审裁判不生效。"), code="invalid_transition")
    deadline = ruling.appeal_deadline
    earliest = deadline.due_date + datetime.timedelta(days=1) if deadline is not None else ruling.served_on
    if effective_on < earliest:
        raise DomainError(_("生效日期不能早于上诉期届满的次日（%(day)s）。") % {"day": earliest}, field="effective_on")
    require_not_future(effective_on, field="effective_on", today=today)
    if deadline is not None:
        # Nobody appealed: the window is over, not missed; it is watched no more.
        deadline_cancel(deadlines=Deadline.objects.filter(pk=deadline.pk))
    _take_effect(case=case, lawsuit=lawsuit, ruling=ruling, effective_on=effective_on)
    _record(
        user=user, case=case, lawsuit=lawsuit, parts=[message(gettext_noop("裁判于 %(day)s 生效"), day=effective_on)]
    )
    _notify_ruling(lawsuit, ruling, "effective")
    return ruling


def _require_compliance_open(ruling: Ruling) -> None:
    if not ruling.is_effective:
        raise DomainError(_("裁判尚未生效。"), code="invalid_transition")
    if not ruling.orders_action:
        raise DomainError(_("该裁判没有判令履行的事项。"), code="invalid_transition")
    if ruling.complied_on is not None or ruling.transferred_for_enforcement_on is not None:
        raise DomainError(_("已记录履行或移送执行。"), code="invalid_transition")


@transaction.atomic
def compliance_record(
    *, user: User, ruling: Ruling, complied_on: datetime.date, note: str = "", today: datetime.date | None = None
) -> Ruling:
    case, lawsuit, ruling = _lock_ruling(ruling, user)
    _require_compliance_open(ruling)
    require_not_future(complied_on, field="complied_on", today=today)
    require_not_before(complied_on, ruling.effective_on, field="complied_on", message=_("履行日期不能早于生效日期。"))
    ruling.complied_on = complied_on
    ruling.save(update_fields=["complied_on"])
    deadline = ruling.compliance_deadline
    if deadline is not None and deadline.is_open:
        deadline_close(deadline=deadline, fulfilled_on=complied_on)
    lawsuit.status = Status.COMPLIED
    lawsuit.save(update_fields=["status"])
    _record(
        user=user,
        case=case,
        lawsuit=lawsuit,
        parts=[message(gettext_noop("被告于 %(day)s 履行生效裁判"), day=complied_on)],
        note=note,
    )
    return ruling


@transaction.atomic
def enforcement_transfer(
    *, user: User, ruling: Ruling, transferred_on: datetime.date, note: str = "", today: datetime.date | None = None
) -> Ruling:
    """The defendant did not comply: the ruling is transferred for enforcement (移送执行)."""
    case, lawsuit, ruling = _lock_ruling(ruling, user)
    _require_compliance_open(ruling)
    require_not_future(transferred_on, field="transferred_on", today=today)
    require_not_before(
        transferred_on, ruling.effective_on, field="transferred_on", message=_("移送执行日期不能早于生效日期。")
    )
    ruling.transferred_for_enforcement_on = transferred_on
    ruling.save(update_fields=["transferred_for_enforcement_on"])
    if ruling.compliance_deadline_id:
        # Compliance is now the court's enforcement matter; the deadline is watched no more.
        deadline_cancel(deadlines=Deadline.objects.filter(pk=ruling.compliance_deadline_id))
    lawsuit.status = Status.ENFORCEMENT
    lawsuit.save(update_fields=["status"])
    _record(
        user=user,
        case=case,
        lawsuit=lawsuit,
        parts=[message(gettext_noop("于 %(day)s 移送执行"), day=transferred_on)],
        note=note,
    )
    return ruling


@transaction.atomic
def litigation_case_close(
    *,
    user: User,
    case: Case,
    closed_on: datetime.date,
    note: str,
    ground: str = Case.ClosureGround.PUBLIC_INTEREST_RESTORED,
    today: datetime.date | None = None,
    confirmed: bool = True,
) -> Case:
    """Close the case once every lawsuit is finished; the closing itself is cases.services.case_close,
    told that the lawsuits were checked here (under this lock, with this message) so it does not
    check them again. `confirmed` as there: the person's answer to the list of deadlines the
    closing cancels."""
    case = lock(Case, case.pk)
    require_editor(user, case)
    lawsuits = list(Lawsuit.objects.select_for_update().filter(case=case).prefetch_related("rulings"))
    if not lawsuits:
        raise DomainError(_("本案尚未记录诉讼。"), code="invalid_transition")
    if not all(lawsuit.is_finished for lawsuit in lawsuits):
        raise DomainError(_("还有诉讼的裁判未生效或未履行完毕，不能终结。"), code="invalid_transition")
    latest = max((r.effective_on or r.served_on) for s in lawsuits for r in s.rulings.all())
    require_not_before(closed_on, latest, field="closed_on", message=_("终结日期不能早于裁判生效日期。"))
    return case_close(
        user=user,
        case=case,
        ground=ground,
        note=note,
        closed_on=closed_on,
        today=today,
        lawsuits_checked=True,
        confirmed=confirmed,
    )


__all__ = [
    "complaint_copy_received",
    "compliance_record",
    "defence_submitted",
    "defendant_can_write",
    "enforcement_transfer",
    "hearing_cancel",
    "hearing_outcome_record",
    "hearing_record",
    "hearing_register_appearance",
    "hearing_reschedule",
    "hearing_schedule",
    "is_defendant_staff",
    "lawsuit_file",
    "litigation_case_close",
    "ruling_appeal",
    "ruling_record",
    "ruling_take_effect",
]
