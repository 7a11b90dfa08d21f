from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Case, CaseType, Event, Recommendation, RecommendationItem
from cases.models.reference import DocumentType
from cases.selectors import can_file_with_superior
from cases.services.guards import (
    lock,
    require_approver,
    require_editor,
    require_not_before,
    require_not_future,
    require_status,
    require_version,
)
from cases.services.history import changes, choice, event_record, snapshot, text_value
from cases.services.numbering import number_allocate
from deadlines.services import deadlines_close_for_filing, deadlines_close_for_reply, deadlines_open_for_service
from notifications.models import Notification
from notifications.services import notifications_withdraw_email, notify
from pil_tracker.errors import DomainError

Status = Recommendation.Status
CONTENT_FIELDS = list(Recommendation.CONTENT_FIELDS)


def _clean_items(items: list[str]) -> list[str]:
    cleaned = [text.strip() for text in items if text and text.strip()]
    if not cleaned:
        raise DomainError(_("检察建议至少要有一项建议事项。"), field="items")
    return cleaned


def _check_agency(case: Case, agency: Organisation) -> None:
    if agency.kind != Organisation.Kind.AGENCY or not agency.is_active:
        raise DomainError(_("所选机关不是有效的行政机关。"), field="agency")
    if not case.agencies.filter(pk=agency.pk).exists():
        raise DomainError(_("被建议机关必须是本案涉及的行政机关。"), field="agency")


def _items_text(recommendation: Recommendation) -> str:
    return "\n".join(f"{i.number}. {i.text}" for i in recommendation.items.order_by("number"))


def _transition(recommendation: Recommendation, *, user: User, to_status: str, kind: str, note: str = "") -> None:
    from_status = recommendation.status
    recommendation.status = to_status
    recommendation.save()
    event_record(
        kind=kind,
        actor=user,
        case=recommendation.case,
        recommendation=recommendation,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _move_case(case: Case, *, user: User, to_status: str, allowed_from: set[str]) -> None:
    if case.status in allowed_from and case.status != to_status:
        from_status = case.status
        case.status = to_status
        case.save(update_fields=["status", "updated_at"])
        event_record(
            kind=Event.Kind.STATUS_CHANGED, actor=user, case=case, from_status=from_status, to_status=to_status
        )


# --- Approval notifications ------------------------------------------------------------------------
#
# Submitting for approval (提请审批) asks every supervisor who may decide (can_approve); the decision
# is told to the handler and to whoever submitted. Created in the service's transaction, one row per
# recipient and key (notifications.services.notify), so the same event never notifies anyone twice, while a
# resubmission after a return is a new event with its own key. Also used by the lawsuit proposals
# (litigation/services/decision.py).


def approver_ids(case: Case) -> list[int]:
    """The active supervisors who may approve for `case` (cases.selectors.can_approve): those of its
    procuratorate and of every procuratorate above it. One query: the case's procuratorate's
    tree_path ("/1/4/") starts with the tree_path of the supervisor's organisation."""
    in_line = Organisation.objects.filter(
        pk=case.procuratorate_id, tree_path__startswith=OuterRef("organisation__tree_path")
    )
    return list(
        User.objects.filter(is_active=True, role=Role.SUPERVISOR, organisation__isnull=False)
        .filter(Exists(in_line))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def active_user_ids(ids: Iterable[int | None]) -> list[int]:
    """Of these users (the handler, the submitter, …), the active ones, once each."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return []
    return list(User.objects.filter(pk__in=wanted, is_active=True).order_by("pk").values_list("pk", flat=True))


def approval_settled(*, key: str) -> None:
    """The item announced under `key` is decided (or withdrawn): the other supervisors' emails that
    have not gone out yet are not sent (their in-app notifications stay)."""
    notifications_withdraw_email(keys=[key])


def _case_label(case: Case) -> str:
    return f"{case.number} {case.title}"


def _submissions(recommendation: Recommendation) -> list[int]:
    """The actors of the recommendation's submissions for approval, oldest first: the n-th
    submission is the n-th RECOMMENDATION_SUBMITTED event (a returned draft may be submitted again)."""
    return list(
        recommendation.events.filter(kind=Event.Kind.RECOMMENDATION_SUBMITTED)
        .order_by("at", "id")
        .values_list("actor_id", flat=True)
    )


def _submission_key(recommendation: Recommendation, n: int) -> str:
    return f"approval:recommendation:{recommendation.pk}:submitted:{n}"


def _notify_submitted(recommendation: Recommendation, *, user: User) -> None:
    case = recommendation.case
    n = len(_submissions(recommendation))
    notify(
        kind=Notification.Kind.APPROVAL_REQUESTED,
        recipients=approver_ids(case),
        key=_submission_key(recommendation, n),
        params={
            "subject": "recommendation",
            "case": _case_label(case),
            "handler": case.handler.display_name,
            "submitter": user.display_name,
            "agency": recommendation.agency.name,
        },
        url=reverse("recommendation_detail", args=[recommendation.pk]),
    )


def _notify_decided(recommendation: Recommendation, *, user: User, approved: bool) -> None:
    case = recommendation.case
    submissions = _submissions(recommendation)
    n = len(submissions)
    notify(
        kind=Notification.Kind.APPROVAL_DECIDED,
        recipients=active_user_ids([case.handler_id, submissions[-1] if submissions else None]),
        key=f"approval:recommendation:{recommendation.pk}:decided:{n}",
        params={
            "subject": "recommendation",
            "case": _case_label(case),
            "approved": approved,
            "approver": user.display_name,
            "comment": recommendation.decision_comment.strip(),
        },
        url=reverse("recommendation_detail", args=[recommendation.pk]),
    )
    approval_settled(key=_submission_key(recommendation, n))


@transaction.atomic
def recommendation_create(*, user: User, case: Case, items: list[str], **content) -> Recommendation:
    """Draft a recommendation; the case enters the pre-litigation (recommendation) stage."""
    case = lock(Case, case.pk)
    require_editor(user, case)
    if case.case_type != CaseType.ADMINISTRATIVE:
        raise DomainError(_("只有行政公益诉讼案件可以制发检察建议。"), code="invalid_transition")
    require_status(
        case.status,
        {Case.Status.INVESTIGATION, Case.Status.CONSULTATION, Case.Status.RECOMMENDATION},
        label=case.get_status_display(),
        action=_("起草检察建议"),
    )
    _check_agency(case, content["agency"])
    texts = _clean_items(items)
    recommendation = Recommendation.objects.create(case=case, drafted_by=user, **content)
    RecommendationItem.objects.bulk_create(
        [RecommendationItem(recommendation=recommendation, number=n, text=t) for n, t in enumerate(texts, 1)]
    )
    event_record(
        kind=Event.Kind.RECOMMENDATION_DRAFTED,
        actor=user,
        case=case,
        recommendation=recommendation,
        to_status=recommendation.status,
        note=str(content["agency"]),
    )
    _move_case(
        case,
        user=user,
        to_status=Case.Status.RECOMMENDATION,
        allowed_from={Case.Status.INVESTIGATION, Case.Status.CONSULTATION},
    )
    return recommendation


@transaction.atomic
def recommendation_update(
    *, user: User, recommendation: Recommendation, items: list[str], version: int | None = None, **content
) -> Recommendation:
    """Edit a draft. Once submitted or issued the text is frozen (a returned draft is editable again).
    `version`: the draft's version the editor loaded (optimistic locking): refused, changing
    nothing, when someone saved the draft in between."""
    recommendation = lock(Recommendation, recommendation.pk)
    require_editor(user, recommendation.case)
    require_status(recommendation.status, {Status.DRAFT}, label=recommendation.get_status_display(), action=_("修改"))
    require_version(recommendation, version)
    _check_agency(recommendation.case, content["agency"])
    texts = _clean_items(items)
    before = snapshot(recommendation, CONTENT_FIELDS) | {
        "items": text_value(recommendation, _items_text(recommendation))
    }
    for name, value in content.items():
        if name not in CONTENT_FIELDS:
            raise TypeError(name)
        setattr(recommendation, name, value)
    recommendation.version += 1  # under the row lock taken above
    recommendation.save()
    recommendation.items.all().delete()
    RecommendationItem.objects.bulk_create(
        [RecommendationItem(recommendation=recommendation, number=n, text=t) for n, t in enumerate(texts, 1)]
    )
    after = snapshot(recommendation, CONTENT_FIELDS) | {
        "items": text_value(recommendation, _items_text(recommendation))
    }
    changed = changes(before, after)
    if changed:
        event_record(
            kind=Event.Kind.RECOMMENDATION_EDITED,
            actor=user,
            case=recommendation.case,
            recommendation=recommendation,
            changed=changed,
        )
    return recommendation


@transaction.atomic
def recommendation_submit(*, user: User, recommendation: Recommendation) -> Recommendation:
    recommendation = lock(Recommendation, recommendation.pk)
    require_editor(user, recommendation.case)
    require_status(
        recommendation.status, {Status.DRAFT}, label=recommendation.get_status_display(), action=_("提请审批")
    )
    recommendation.submitted_at = timezone.now()
    _transition(recommendation, user=user, to_status=Status.PENDING_APPROVAL, kind=Event.Kind.RECOMMENDATION_SUBMITTED)
    _notify_submitted(recommendation, user=user)
    return recommendation


@transaction.atomic
def recommendation_approve(*, user: User, recommendation: Recommendation, comment: str = "") -> Recommendation:
    recommendation = lock(Recommendation, recommendation.pk)
    require_approver(user, recommendation.case)
    require_status(
        recommendation.status, {Status.PENDING_APPROVAL}, label=recommendation.get_status_display(), action=_("审批")
    )
    recommendation.decided_by, recommendation.decided_at = user, timezone.now()
    recommendation.decision_comment = comment
    _transition(
        recommendation, user=user, to_status=Status.APPROVED, kind=Event.Kind.RECOMMENDATION_APPROVED, note=comment
    )
    _notify_decided(recommendation, user=user, approved=True)
    return recommendation


@transaction.atomic
def recommendation_return(*, user: User, recommendation: Recommendation, comment: str) -> Recommendation:
    recommendation = lock(Recommendation, recommendation.pk)
    require_approver(user, recommendation.case)
    require_status(
        recommendation.status, {Status.PENDING_APPROVAL}, label=recommendation.get_status_display(), action=_("退回")
    )
    if not comment.strip():
        raise DomainError(_("退回时请填写审批意见。"), field="comment")
    recommendation.decided_by, recommendation.decided_at = user, timezone.now()
    recommendation.decision_comment = comment
    _transition(
        recommendation, user=user, to_status=Status.DRAFT, kind=Event.Kind.RECOMMENDATION_RETURNED, note=comment
    )
    _notify_decided(recommendation, user=user, approved=False)
    return recommendation


@transaction.atomic
def recommendation_withdraw(*, user: User, recommendation: Recommendation, reason: str) -> Recommendation:
    """Withdraw a recommendation that has not been issued; issued ones stand on the record."""
    recommendation = lock(Recommendation, recommendation.pk)
    require_editor(user, recommendation.case)
    require_status(
        recommendation.status,
        {Status.DRAFT, Status.PENDING_APPROVAL, Status.APPROVED},
        label=recommendation.get_status_display(),
        action=_("撤回"),
    )
    if not reason.strip():
        raise DomainError(_("请填写撤回理由。"), field="reason")
    was_pending = recommendation.status == Status.PENDING_APPROVAL
    _transition(recommendation, user=user, to_status=Status.WITHDRAWN, kind=Event.Kind.STATUS_CHANGED, note=reason)
    if was_pending:  # no longer waits for a supervisor
        approval_settled(key=_submission_key(recommendation, len(_submissions(recommendation))))
    return recommendation


@transaction.atomic
def recommendation_issue(
    *, user: User, recommendation: Recommendation, issued_on: datetime.date, today: datetime.date | None = None
) -> Recommendation:
    """Issue (签发): the document number is assigned and the text is frozen from here on."""
    recommendation = lock(Recommendation, recommendation.pk)
    case = recommendation.case
    require_editor(user, case)
    require_status(
        recommendation.status, {Status.APPROVED}, label=recommendation.get_status_display(), action=_("签发")
    )
    require_not_future(issued_on, field="issued_on", today=today)
    approved_on = timezone.localtime(recommendation.decided_at).date()
    require_not_before(issued_on, approved_on, field="issued_on", message=_("签发日期不能早于审批日期。"))
    recommendation.document_number = number_allocate(
        procuratorate=case.procuratorate, document_type=DocumentType.ADMIN_RECOMMENDATION, year=issued_on.year
    )
    recommendation.issued_on, recommendation.issued_by = issued_on, user
    _transition(
        recommendation,
        user=user,
        to_status=Status.ISSUED,
        kind=Event.Kind.RECOMMENDATION_ISSUED,
        note=recommendation.document_number,
    )
    return recommendation


@transaction.atomic
def recommendation_serve(
    *,
    user: User,
    recommendation: Recommendation,
    served_on: datetime.date,
    service_method: str,
    received_by: str,
    today: datetime.date | None = None,
) -> Recommendation:
    """Record service (送达): the agency's reply period runs from the day after this date."""
    recommendation = lock(Recommendation, recommendation.pk)
    case = recommendation.case
    require_editor(user, case)
    require_status(recommendation.status, {Status.ISSUED}, label=recommendation.get_status_display(), action=_("送达"))
    require_not_future(served_on, field="served_on", today=today)
    require_not_before(served_on, recommendation.issued_on, field="served_on", message=_("送达日期不能早于签发日期。"))
    if service_method not in Recommendation.ServiceMethod.values:
        raise DomainError(_("请选择送达方式。"), field="service_method")
    if not received_by.strip():
        raise DomainError(_("请填写签收人。"), field="received_by")
    recommendation.served_on, recommendation.service_method = served_on, service_method
    recommendation.received_by = received_by
    _transition(
        recommendation,
        user=user,
        to_status=Status.SERVED,
        kind=Event.Kind.RECOMMENDATION_SERVED,
        note=f"{served_on:%Y-%m-%d} {recommendation.get_service_method_display()} {received_by}",
    )
    # From follow-up too: a second recommendation served after the first reply reopens the wait,
    # so the case is not closed or taken to court while this agency's reply period runs.
    _move_case(
        case,
        user=user,
        to_status=Case.Status.AWAITING_REPLY,
        allowed_from={Case.Status.RECOMMENDATION, Case.Status.FOLLOW_UP},
    )

    deadlines_open_for_service(recommendation=recommendation)
    return recommendation


@transaction.atomic
def recommendation_file_with_superior(
    *, user: User, recommendation: Recommendation, filed_on: datetime.date, today: datetime.date | None = None
) -> Recommendation:
    """Record the filing (备案) with the next-higher procuratorate, due within 5 days of service.

    Also once the case is closed: the filing is the procuratorate's own duty, which survives the
    closing (deadlines.models.SURVIVE_CASE_CLOSE), so its deadline must remain fulfillable."""
    recommendation = lock(Recommendation, recommendation.pk)
    if not can_file_with_superior(user, recommendation.case):
        raise DomainError(_("只有本案承办检察官或协办人可以进行此操作。"), code="permission_denied")
    require_status(
        recommendation.status,
        {Status.SERVED, Status.REPLIED},
        label=recommendation.get_status_display(),
        action=_("备案"),
    )
    if recommendation.filed_with_superior_on:
        raise DomainError(_("已经报上级检察院备案。"), code="invalid_transition")
    require_not_future(filed_on, field="filed_on", today=today)
    require_not_before(filed_on, recommendation.served_on, field="filed_on", message=_("备案日期不能早于送达日期。"))
    recommendation.filed_with_superior_on = filed_on
    recommendation.save()
    event_record(
        kind=Event.Kind.RECOMMENDATION_FILED,
        actor=user,
        case=recommendation.case,
        recommendation=recommendation,
        note=f"{filed_on:%Y-%m-%d}",
    )

    deadlines_close_for_filing(recommendation=recommendation, filed_on=filed_on)
    return recommendation


@transaction.atomic
def recommendation_record_reply(
    *,
    user: User,
    recommendation: Recommendation,
    received_on: datetime.date,
    summary: str,
    posted_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Recommendation:
    """Record the agency's written reply (书面回复) as received by the procuratorate."""
    recommendation = lock(Recommendation, recommendation.pk)
    case = recommendation.case
    require_editor(user, case)
    require_status(
        recommendation.status, {Status.SERVED}, label=recommendation.get_status_display(), action=_("记录书面回复")
    )
    require_not_future(received_on, field="received_on", today=today)
    require_not_before(
        received_on, recommendation.served_on, field="received_on", message=_("回复日期不能早于送达日期。")
    )
    if posted_on is not None:
        require_not_before(
            posted_on, recommendation.served_on, field="posted_on", message=_("交邮日期不能早于送达日期。")
        )
        if posted_on > received_on:
            raise DomainError(_("交邮日期不能晚于收到日期。"), field="posted_on")
    if not summary.strip():
        raise DomainError(_("请填写回复内容摘要。"), field="summary")
    _reply_recorded(recommendation, user=user, received_on=received_on, posted_on=posted_on, summary=summary)
    return recommendation


def _reply_recorded(
    recommendation: Recommendation,
    *,
    user: User,
    received_on: datetime.date,
    posted_on: datetime.date | None,
    summary: str,
) -> None:
    """The written reply is on record: the recommendation is replied, the reply deadline closes (on
    time or late) and, when no other reply is awaited, the case moves on to follow-up."""
    case = recommendation.case
    recommendation.reply_received_on, recommendation.reply_posted_on = received_on, posted_on
    recommendation.reply_summary = summary
    _transition(recommendation, user=user, to_status=Status.REPLIED, kind=Event.Kind.REPLY_RECORDED, note=summary)

    deadlines_close_for_reply(recommendation=recommendation, received_on=received_on, posted_on=posted_on)
    waiting = case.recommendations.filter(status__in=[Status.ISSUED, Status.SERVED]).exists()
    if not waiting:
        _move_case(case, user=user, to_status=Case.Status.FOLLOW_UP, allowed_from={Case.Status.AWAITING_REPLY})


@transaction.atomic
def recommendation_reply_record_from_agency(
    *, user: User, recommendation: Recommendation, received_on: datetime.date, summary: str
) -> Recommendation:
    """The agency's final report submitted through the agency portal is its written reply, received
    the day it is submitted. Who may submit is decided by feedback.services.feedback_submit (the
    agency's responsible person); this only records the reply like recommendation_record_reply."""
    recommendation = lock(Recommendation, recommendation.pk)
    if recommendation.case.is_closed:
        raise DomainError(_("案件已终结，不能再修改。"), code="case_closed")
    require_status(
        recommendation.status, {Status.SERVED}, label=recommendation.get_status_display(), action=_("记录书面回复")
    )
    _reply_recorded(recommendation, user=user, received_on=received_on, posted_on=None, summary=summary)
    return recommendation


@transaction.atomic
def item_evaluate(*, user: User, item: RecommendationItem, evaluation: str, note: str = "") -> RecommendationItem:
    """Evaluate one item after the follow-up investigation; a re-evaluation keeps the old value in history."""
    item = lock(RecommendationItem, item.pk)
    recommendation = item.recommendation
    require_editor(user, recommendation.case)
    require_status(
        recommendation.status, {Status.REPLIED}, label=recommendation.get_status_display(), action=_("评估整改情况")
    )
    if evaluation not in RecommendationItem.Evaluation.values:
        raise DomainError(_("请选择评估结论。"), field="evaluation")
    if (
        evaluation != RecommendationItem.Evaluation.RECTIFIED
        and evaluation != RecommendationItem.Evaluation.ALREADY_PERFORMED
        and not note.strip()
    ):
        raise DomainError(_("未整改或部分整改的，请说明情况。"), field="note")
    before = snapshot(item, ["evaluation", "evaluation_note"])
    item.evaluation, item.evaluation_note = evaluation, note
    item.evaluated_by, item.evaluated_at = user, timezone.now()
    item.save()
    event_record(
        kind=Event.Kind.ITEM_EVALUATED,
        actor=user,
        case=recommendation.case,
        recommendation=recommendation,
        parts=[f"{item.number}. ", choice(item, "evaluation", item.evaluation), f" {note}" if note else ""],
        changed=changes(before, snapshot(item, ["evaluation", "evaluation_note"])),
    )
    return item
