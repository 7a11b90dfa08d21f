"""Before the court: the decision to sue and its approval, and the civil path after the
announcement (docs/domain.md: Roles, Lifecycles, Litigation and rulings).

Administrative PIL: when the evaluation found items not (fully) rectified, the handler proposes to
sue, with the reasons and the checklist of the materials to file; a supervisor of the case's
procuratorate or of a higher one approves (the case goes to 提起诉讼) or returns it with a reason,
like a recommendation (cases/services/recommendations.py).

Civil and criminal-incidental civil PIL: after the 30-day announcement (cases.services.case_announce)
either a qualified organ or organisation sued — recorded here, and the procuratorate supports its
suit (支持起诉) or closes the case — or none did, and the procuratorate sues: the same proposal and
approval. The announcement's deadline is closed when its outcome is recorded.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases.models import Case, CaseType, Event, Recommendation, RecommendationItem
from cases.services.guards import (
    local_today,
    lock,
    require_approver,
    require_editor,
    require_not_before,
    require_not_future,
    require_status,
)
from cases.services.history import event_record, message
from cases.services.recommendations import (
    active_user_ids,
    approval_settled,
    approver_ids,
)
from deadlines.models import Deadline, RuleCode
from deadlines.services import deadline_close
from litigation.models import LawsuitProposal, Material, PlaintiffSuit
from notifications.models import Notification
from notifications.services import notify
from pil_tracker.errors import DomainError

Proposal = LawsuitProposal.Status


def announcement_deadline(case: Case) -> Deadline | None:
    """The case's (latest) announcement period."""
    return (
        Deadline.objects.filter(case=case, rule__code=RuleCode.CIVIL_ANNOUNCEMENT)
        .order_by("-start_date", "-id")
        .first()
    )


def _end_announcement(case: Case, day: datetime.date) -> None:
    """The announcement has its outcome: its period is watched no more (it ran, so it is met)."""
    deadline = announcement_deadline(case)
    if deadline is not None and deadline.is_open:
        deadline_close(deadline=deadline, fulfilled_on=min(day, deadline.due_date))


def lawsuit_grounds_check(*, case: Case, today: datetime.date | None = None) -> None:
    """Refuse (DomainError) when the case may not go to court now; checked when the procurator
    proposes and again when the supervisor approves (the case may have moved in between)."""
    action = _("决定提起诉讼")
    if case.case_type == CaseType.ADMINISTRATIVE:
        require_status(case.status, {Case.Status.FOLLOW_UP}, label=case.get_status_display(), action=action)
        items = RecommendationItem.objects.filter(
            recommendation__case=case, recommendation__status=Recommendation.Status.REPLIED
        )
        if items.filter(evaluation="").exists():
            raise DomainError(_("还有建议事项未评估整改情况，不能决定起诉。"), code="invalid_transition")
        if not items.filter(
            evaluation__in=[RecommendationItem.Evaluation.NOT_RECTIFIED, RecommendationItem.Evaluation.PARTLY]
        ).exists():
            raise DomainError(_("所有建议事项均已整改，无需提起诉讼。"), code="invalid_transition")
        return
    require_status(case.status, {Case.Status.ANNOUNCEMENT}, label=case.get_status_display(), action=action)
    deadline = announcement_deadline(case)
    if deadline is not None and local_today(today) <= deadline.due_date:
        raise DomainError(
            _("公告期尚未届满（%(due)s 届满），不能决定起诉。") % {"due": deadline.due_date},
            code="invalid_transition",
        )
    if PlaintiffSuit.objects.filter(case=case).exists():
        raise DomainError(_("已有法律规定的机关或组织提起诉讼：请支持起诉或终结案件。"), code="invalid_transition")


def _proposal_key(proposal: LawsuitProposal, event: str) -> str:
    # A proposal is decided once; proposing again after a return is a new proposal (a new key).
    return f"approval:lawsuit_proposal:{proposal.pk}:{event}"


def _notify_proposed(proposal: LawsuitProposal, case: Case, *, user: User) -> None:
    """Every supervisor who may approve is asked (cases/services/recommendations.py, 'Approval
    notifications')."""
    notify(
        kind=Notification.Kind.APPROVAL_REQUESTED,
        recipients=approver_ids(case),
        key=_proposal_key(proposal, "submitted"),
        params={
            "subject": "lawsuit_proposal",
            "case": f"{case.number} {case.title}",
            "handler": case.handler.display_name,
            "submitter": user.display_name,
            "reasons": proposal.reasons[:500],
        },
        url=reverse("litigation_case", args=[case.pk]),
    )


def _notify_decided(proposal: LawsuitProposal, case: Case, *, user: User) -> None:
    """The handler and the proposer learn the decision."""
    notify(
        kind=Notification.Kind.APPROVAL_DECIDED,
        recipients=active_user_ids([case.handler_id, proposal.proposed_by_id]),
        key=_proposal_key(proposal, "decided"),
        params={
            "subject": "lawsuit_proposal",
            "case": f"{case.number} {case.title}",
            "approved": proposal.status == Proposal.APPROVED,
            "approver": user.display_name,
            "comment": proposal.decision_comment,
        },
        url=reverse("litigation_case", args=[case.pk]),
    )
    approval_settled(key=_proposal_key(proposal, "submitted"))


def _clean_materials(materials: list[str]) -> list[str]:
    if set(materials) - set(Material.values):
        raise DomainError(_("起诉材料清单中有无效的项目。"), field="materials")
    if not materials:
        raise DomainError(_("请勾选起诉材料清单。"), field="materials")
    return [m for m in Material.values if m in materials]


@transaction.atomic
def lawsuit_propose(
    *, user: User, case: Case, reasons: str, materials: list[str], today: datetime.date | None = None
) -> LawsuitProposal:
    """The handler proposes to sue (提请审批起诉) with the reasons and the materials checklist."""
    case = lock(Case, case.pk)
    require_editor(user, case)
    if LawsuitProposal.objects.filter(case=case, status=Proposal.PENDING).exists():
        raise DomainError(_("已提请审批起诉，请等待审批决定。"), code="invalid_transition")
    lawsuit_grounds_check(case=case, today=today)
    if not reasons.strip():
        raise DomainError(_("请说明起诉理由。"), field="reasons")
    proposal = LawsuitProposal.objects.create(
        case=case,
        reasons=reasons.strip(),
        materials=_clean_materials(materials),
        proposed_by=user,
        # Stamped here like decided_at, not by the field's default: the default holds the function
        # django.utils.timezone.now as it was when the model loaded, so a clock set for the demo
        # history (demo/data.py) dated the proposal today and its approval in the past.
        proposed_at=timezone.now(),
    )
    event_record(kind=Event.Kind.LAWSUIT_PROPOSED, actor=user, case=case, note=proposal.reasons)
    _notify_proposed(proposal, case, user=user)
    return proposal


def _lock_pending(proposal: LawsuitProposal, user: User, action: str) -> tuple[Case, LawsuitProposal]:
    case = lock(Case, proposal.case_id)
    require_approver(user, case)
    proposal = lock(LawsuitProposal, proposal.pk)
    require_status(proposal.status, {Proposal.PENDING}, label=proposal.get_status_display(), action=action)
    return case, proposal


@transaction.atomic
def lawsuit_proposal_approve(
    *, user: User, proposal: LawsuitProposal, comment: str = "", today: datetime.date | None = None
) -> LawsuitProposal:
    """A supervisor approves: the case goes to 提起诉讼 (决定提起诉讼), and the lawsuit can be filed."""
    case, proposal = _lock_pending(proposal, user, _("审批"))
    lawsuit_grounds_check(case=case, today=today)
    proposal.status, proposal.decided_by, proposal.decided_at = Proposal.APPROVED, user, timezone.now()
    proposal.decision_comment = comment.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    if case.case_type != CaseType.ADMINISTRATIVE:
        _end_announcement(case, local_today(today))
    from_status = case.status
    case.status = Case.Status.LITIGATION
    case.save(update_fields=["status", "updated_at"])
    parts: list[str | dict[str, Any]] = [proposal.reasons]
    if proposal.decision_comment:
        parts += ["\n", message(gettext_noop("审批意见")), message(gettext_noop("：")), proposal.decision_comment]
    event_record(
        kind=Event.Kind.LAWSUIT_DECIDED,
        actor=user,
        case=case,
        from_status=from_status,
        to_status=case.status,
        parts=parts,
    )
    _notify_decided(proposal, case, user=user)
    return proposal


@transaction.atomic
def lawsuit_proposal_return(*, user: User, proposal: LawsuitProposal, comment: str) -> LawsuitProposal:
    """A supervisor returns the proposal with a reason; the handler may propose again."""
    case, proposal = _lock_pending(proposal, user, _("退回"))
    if not comment.strip():
        raise DomainError(_("退回时请填写审批意见。"), field="comment")
    proposal.status, proposal.decided_by, proposal.decided_at = Proposal.RETURNED, user, timezone.now()
    proposal.decision_comment = comment.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    event_record(kind=Event.Kind.LAWSUIT_RETURNED, actor=user, case=case, note=proposal.decision_comment)
    _notify_decided(proposal, case, user=user)
    return proposal


# --- Civil: another qualified plaintiff ----------------------------------------------------------


@transaction.atomic
def plaintiff_suit_record(
    *,
    user: User,
    case: Case,
    plaintiff: str,
    court: str,
    filed_on: datetime.date,
    court_case_number: str = "",
    today: datetime.date | None = None,
) -> PlaintiffSuit:
    """A qualified organ or organisation sued after the announcement (docs/domain.md, Lifecycles)."""
    case = lock(Case, case.pk)
    require_editor(user, case)
    if case.case_type == CaseType.ADMINISTRATIVE:
        raise DomainError(_("只有民事公益诉讼和刑事附带民事公益诉讼案件适用公告程序。"), code="invalid_transition")
    require_status(
        case.status, {Case.Status.ANNOUNCEMENT}, label=case.get_status_display(), action=_("记录其他适格主体起诉")
    )
    if LawsuitProposal.objects.filter(case=case, status=Proposal.PENDING).exists():
        raise DomainError(_("已提请审批起诉，请先等待审批决定。"), code="invalid_transition")
    plaintiff, court = plaintiff.strip(), court.strip()
    if not plaintiff:
        raise DomainError(_("请填写起诉的机关或组织。"), field="plaintiff")
    if not court:
        raise DomainError(_("请填写受理法院。"), field="court")
    require_not_future(filed_on, field="filed_on", today=today)
    deadline = announcement_deadline(case)
    published_on = deadline.start_date if deadline else case.opened_on
    require_not_before(filed_on, published_on, field="filed_on", message=_("起诉日期不能早于公告日期。"))
    suit = PlaintiffSuit.objects.create(
        case=case,
        plaintiff=plaintiff,
        court=court,
        court_case_number=court_case_number.strip(),
        filed_on=filed_on,
        recorded_by=user,
    )
    _end_announcement(case, filed_on)
    event_record(
        kind=Event.Kind.PLAINTIFF_SUIT_RECORDED,
        actor=user,
        case=case,
        parts=[
            message(
                gettext_noop("%(plaintiff)s于 %(day)s 向%(court)s提起诉讼"),
                plaintiff=plaintiff,
                day=filed_on,
                court=court,
            )
        ],
    )
    return suit


@transaction.atomic
def plaintiff_suit_support(
    *, user: User, suit: PlaintiffSuit, supported_on: datetime.date, note: str = "", today: datetime.date | None = None
) -> PlaintiffSuit:
    """The procuratorate supports the other plaintiff's suit (支持起诉)."""
    case = lock(Case, suit.case_id)
    require_editor(user, case)
    suit = lock(PlaintiffSuit, suit.pk)
    if suit.is_supported:
        raise DomainError(_("已记录支持起诉。"), code="invalid_transition")
    require_not_future(supported_on, field="supported_on", today=today)
    require_not_before(supported_on, suit.filed_on, field="supported_on", message=_("支持起诉日期不能早于起诉日期。"))
    suit.supported_on, suit.support_note = supported_on, note.strip()
    suit.save(update_fields=["supported_on", "support_note"])
    event_record(
        kind=Event.Kind.PLAINTIFF_SUIT_RECORDED,
        actor=user,
        case=case,
        parts=[message(gettext_noop("于 %(day)s 支持%(plaintiff)s起诉"), day=supported_on, plaintiff=suit.plaintiff)],
        note=suit.support_note,
    )
    return suit


__all__ = [
    "announcement_deadline",
    "lawsuit_grounds_check",
    "lawsuit_proposal_approve",
    "lawsuit_proposal_return",
    "lawsuit_propose",
    "plaintiff_suit_record",
    "plaintiff_suit_support",
]
