"""Every write of the agency portal and of the procurator's review of feedback.

Each service runs in one transaction, re-reads the rows it changes under a lock, checks the user's
role and the current state, and raises DomainError with a translatable message when the action is
not allowed — changing nothing, files included.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from cases.models import Case, Event, Investigation, Recommendation
from cases.selectors import can_edit_case
from cases.services import attachment_add, investigation_record
from cases.services.guards import local_today, lock, require_not_before, require_not_future
from cases.services.history import choice, event_record
from cases.services.recommendations import recommendation_reply_record_from_agency
from deadlines.services import (
    deadline_rectification_agree,
    deadline_reply_restart,
    deadlines_close_for_rectification,
)
from feedback.models import (
    Acknowledgement,
    CompletionDateProposal,
    FeedbackAttachment,
    FeedbackReport,
    ItemAnswer,
    SupplementRequest,
)
from notifications.messages import msgid
from notifications.models import Notification
from notifications.services import notify
from pil_tracker.errors import DomainError
from storage.services import files_atomic, store_file, stored_files_delete, validate_uploads

Kind = FeedbackReport.Kind
AnswerStatus = ItemAnswer.Status

# Evidence limits per report: each file is also held to settings.UPLOAD_MAX_BYTES (storage.services).
DEFAULT_MAX_FILES = 20

# A proposed completion date further ahead than this is a typing error, not a plan.
MAX_PROPOSED_AHEAD = datetime.timedelta(days=3 * 366)

# Answers that say the work is not finished may carry a proposed completion date.
_DATED_STATUSES = {AnswerStatus.RECTIFYING, AnswerStatus.CANNOT_YET}


def max_files_per_report() -> int:
    return getattr(settings, "FEEDBACK_MAX_FILES", DEFAULT_MAX_FILES)


@dataclass(frozen=True)
class AnswerInput:
    """The agency's answer on one item, as the form collected it."""

    item_id: int
    status: str
    measures: str
    reason: str = ""
    proposed_completion_on: datetime.date | None = None


def answer_field(item_id: int, name: str) -> str:
    """The form field an answer's error belongs to (feedback.forms.ReportForm names its fields so)."""
    return f"item_{item_id}_{name}"


# --- Who may act --------------------------------------------------------------------------------


def is_agency_member(user: User, recommendation: Recommendation) -> bool:
    return bool(
        user.is_active
        and user.role == Role.AGENCY_STAFF
        and user.organisation_id
        and user.organisation_id == recommendation.agency_id
    )


def agency_can_write(user: User) -> bool:
    """An agency that was merged or abolished keeps read access but writes nothing new."""
    organisation = user.organisation
    return bool(organisation and organisation.is_active and organisation.merged_into_id is None)


def _require_agency_writer(user: User, recommendation: Recommendation) -> None:
    if not is_agency_member(user, recommendation):
        raise DomainError(_("只有被建议机关的工作人员可以进行此操作。"), code="permission_denied")
    if not agency_can_write(user):
        raise DomainError(
            _("本机关已被撤销或合并，不能再签收或提交新的整改反馈；已提交的材料仍可查看。"),
            code="agency_inactive",
        )


def _require_open_case(recommendation: Recommendation) -> None:
    if recommendation.case.is_closed:
        raise DomainError(_("案件已终结，不能再提交整改反馈。"), code="case_closed")


def _require_case_editor(user: User, case: Case) -> None:
    if case.is_closed:
        raise DomainError(_("案件已终结，不能再修改。"), code="case_closed")
    if not can_edit_case(user, case):
        raise DomainError(_("只有本案承办检察官或协办人可以进行此操作。"), code="permission_denied")


# --- Notifications and deadlines (the notifications and deadlines apps) -------------------------


def _agency_recipients(recommendation: Recommendation) -> list[int]:
    return list(
        User.objects.filter(
            organisation_id=recommendation.agency_id, role=Role.AGENCY_STAFF, is_active=True
        ).values_list("pk", flat=True)
    )


def _case_recipients(case: Case) -> list[int]:
    """The case handler and co-handlers: who acts on the feedback."""
    ids = {case.handler_id, *case.co_handlers.values_list("pk", flat=True)}
    return list(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))


# --- Acknowledgement (签收) and the reply clock -------------------------------------------------


def reply_clock_start(recommendation: Recommendation, acknowledgement: Acknowledgement | None) -> datetime.date | None:
    """The day the reply period runs from: the earlier of the procurator's recorded service date
    and the agency's own acknowledgement (docs/domain.md, Glossary: it runs from the agency's receipt)."""
    dates = [d for d in (recommendation.served_on, acknowledgement and acknowledgement.acknowledged_on) if d]
    return min(dates) if dates else None


@transaction.atomic
def acknowledgement_record(
    *, user: User, recommendation: Recommendation, acknowledged_on: datetime.date, today: datetime.date | None = None
) -> Acknowledgement:
    """The agency acknowledges receipt of a served recommendation, on the date it states.

    When that date is earlier than the service date the procurator recorded, both stay on the
    record and the reply period is recomputed from the earlier one.
    """
    recommendation = lock(Recommendation, recommendation.pk)
    _require_agency_writer(user, recommendation)
    _require_open_case(recommendation)
    if recommendation.status != Recommendation.Status.SERVED:
        raise DomainError(_("检察院登记送达后才能签收；已回复的检察建议无需签收。"), code="invalid_transition")
    if Acknowledgement.objects.filter(recommendation=recommendation).exists():
        raise DomainError(_("该检察建议已经签收。"), code="invalid_transition")
    require_not_future(acknowledged_on, field="acknowledged_on", today=today)
    require_not_before(
        acknowledged_on,
        recommendation.issued_on,
        field="acknowledged_on",
        message=_("签收日期不能早于签发日期。"),
    )
    acknowledgement = Acknowledgement.objects.create(
        recommendation=recommendation, acknowledged_on=acknowledged_on, acknowledged_by=user
    )
    if recommendation.served_on is not None and acknowledged_on < recommendation.served_on:
        deadline_reply_restart(user=user, recommendation=recommendation, start_date=acknowledged_on)
    event_record(
        kind=Event.Kind.RECOMMENDATION_ACKNOWLEDGED,
        actor=user,
        case=recommendation.case,
        recommendation=recommendation,
        note=f"{recommendation.agency.name} {acknowledged_on:%Y-%m-%d}",
    )
    notify(
        kind=Notification.Kind.RECOMMENDATION_ACKNOWLEDGED,
        recipients=_case_recipients(recommendation.case),
        params={
            "agency": recommendation.agency.name,
            "number": recommendation.document_number,
            "ack": f"{acknowledged_on:%Y-%m-%d}",
            "served": f"{recommendation.served_on:%Y-%m-%d}",
        },
        url=reverse("feedback_recommendation_review", args=[recommendation.pk]),
        key=f"feedback:ack:{acknowledgement.pk}",
    )
    return acknowledgement


# --- Reports: drafting ---------------------------------------------------------------------------


def _validate_uploads(uploads: Sequence[UploadedFile], *, existing: int) -> list[str]:
    """Check every file before anything is written; returns their content types, in order."""
    return validate_uploads(uploads, limit=max_files_per_report(), existing=existing)


def _store_files(*, user: User, report: FeedbackReport, uploads: Sequence[UploadedFile], types: list[str]) -> None:
    for upload, content_type in zip(uploads, types, strict=True):
        store_file(FeedbackAttachment(report=report), upload, user=user, content_type=content_type)


def _clean_answers(
    recommendation: Recommendation, answers: Sequence[AnswerInput], *, today: datetime.date
) -> list[AnswerInput]:
    """Exactly one complete answer per item of the recommendation, in item order."""
    items = list(recommendation.items.order_by("number"))
    by_item = {}
    answer: AnswerInput | None  # the given answer, then each item's (None: not answered)
    for answer in answers:
        if answer.item_id in by_item:
            raise DomainError(_("同一建议事项只能答复一次。"), field=answer_field(answer.item_id, "status"))
        by_item[answer.item_id] = answer
    unknown = set(by_item) - {item.pk for item in items}
    if unknown:
        raise DomainError(_("答复的建议事项不属于该检察建议。"))
    cleaned = []
    for item in items:
        answer = by_item.get(item.pk)
        if answer is None or answer.status not in AnswerStatus.values:
            raise DomainError(
                _("请逐项答复：第%(n)d项建议事项尚未选择整改情况。") % {"n": item.number},
                field=answer_field(item.pk, "status"),
            )
        if not answer.measures.strip():
            raise DomainError(
                _("第%(n)d项：请填写已采取的措施及成效（已依法履职的，请说明履职情况）。") % {"n": item.number},
                field=answer_field(item.pk, "measures"),
            )
        proposed = answer.proposed_completion_on
        reason = answer.reason.strip()
        if answer.status == AnswerStatus.CANNOT_YET:
            if not reason:
                raise DomainError(
                    _("第%(n)d项暂不能整改：请说明客观原因。") % {"n": item.number},
                    field=answer_field(item.pk, "reason"),
                )
            if proposed is None:
                raise DomainError(
                    _("第%(n)d项暂不能整改：请提出拟完成整改的日期。") % {"n": item.number},
                    field=answer_field(item.pk, "proposed_completion_on"),
                )
        if answer.status not in _DATED_STATUSES:
            proposed, reason = None, ""
        if proposed is not None and not today < proposed <= today + MAX_PROPOSED_AHEAD:
            raise DomainError(
                _("第%(n)d项：拟完成整改日期应晚于今天，且不超过三年。") % {"n": item.number},
                field=answer_field(item.pk, "proposed_completion_on"),
            )
        cleaned.append(
            AnswerInput(
                item_id=item.pk,
                status=answer.status,
                measures=answer.measures.strip(),
                reason=reason,
                proposed_completion_on=proposed,
            )
        )
    return cleaned


def _write_answers(report: FeedbackReport, answers: list[AnswerInput]) -> None:
    report.answers.all().delete()
    ItemAnswer.objects.bulk_create(
        [
            ItemAnswer(
                report=report,
                item_id=a.item_id,
                status=a.status,
                measures=a.measures,
                reason=a.reason,
                proposed_completion_on=a.proposed_completion_on,
            )
            for a in answers
        ]
    )


def _require_reportable(recommendation: Recommendation) -> None:
    if recommendation.status not in (Recommendation.Status.SERVED, Recommendation.Status.REPLIED):
        raise DomainError(_("检察院登记送达后才能报送整改反馈。"), code="invalid_transition")


def _check_kind(
    *,
    recommendation: Recommendation,
    kind: str,
    supplement_request: SupplementRequest | None,
    corrects: FeedbackReport | None,
) -> None:
    if kind not in Kind.values:
        raise DomainError(_("请选择报告类型。"), field="kind")
    if kind == Kind.SUPPLEMENTARY:
        if supplement_request is None or supplement_request.recommendation_id != recommendation.pk:
            raise DomainError(_("补充说明必须对应检察院提出的补充说明要求。"), field="kind")
        if supplement_request.is_answered:
            raise DomainError(_("该补充说明要求已经答复。"), field="kind")
    elif supplement_request is not None:
        raise DomainError(_("只有补充说明才对应补充说明要求。"), field="kind")
    if corrects is not None and (
        corrects.recommendation_id != recommendation.pk or not corrects.is_submitted or corrects.kind != kind
    ):
        raise DomainError(_("只能更正本检察建议下已提交的同类报告。"), field="corrects")


def _clean_text(summary: str, name: str, title: str) -> tuple[str, str, str]:
    if not summary.strip():
        raise DomainError(_("请填写总体情况。"), field="summary")
    return summary.strip(), name.strip(), title.strip()


@files_atomic()
def feedback_draft_create(
    *,
    user: User,
    recommendation: Recommendation,
    kind: str,
    summary: str,
    answers: Sequence[AnswerInput],
    responsible_person_name: str = "",
    responsible_person_title: str = "",
    uploads: Sequence[UploadedFile] = (),
    supplement_request: SupplementRequest | None = None,
    corrects: FeedbackReport | None = None,
    today: datetime.date | None = None,
) -> FeedbackReport:
    """Save a draft report inside the agency: every item answered, files checked by content."""
    recommendation = lock(Recommendation, recommendation.pk)
    _require_agency_writer(user, recommendation)
    _require_open_case(recommendation)
    _require_reportable(recommendation)
    if supplement_request is not None:
        supplement_request = lock(SupplementRequest, supplement_request.pk)
    if corrects is not None:
        corrects = FeedbackReport.objects.get(pk=corrects.pk)
    _check_kind(recommendation=recommendation, kind=kind, supplement_request=supplement_request, corrects=corrects)
    summary, name, title = _clean_text(summary, responsible_person_name, responsible_person_title)
    cleaned = _clean_answers(recommendation, answers, today=local_today(today))
    types = _validate_uploads(uploads, existing=0)
    report = FeedbackReport.objects.create(
        recommendation=recommendation,
        agency_id=recommendation.agency_id,
        kind=kind,
        supplement_request=supplement_request,
        corrects=corrects,
        summary=summary,
        responsible_person_name=name,
        responsible_person_title=title,
        drafted_by=user,
    )
    _write_answers(report, cleaned)
    _store_files(user=user, report=report, uploads=uploads, types=types)
    return report


def _lock_draft(user: User, report: FeedbackReport, *, refusal: str) -> FeedbackReport:
    """The report, locked, if it is still a draft of the user's agency; `refusal` if it was submitted."""
    report = lock(FeedbackReport, report.pk)
    _require_agency_writer(user, report.recommendation)
    if not report.is_draft:
        raise DomainError(refusal, code="immutable")
    return report


@files_atomic()
def feedback_draft_update(
    *,
    user: User,
    report: FeedbackReport,
    summary: str,
    answers: Sequence[AnswerInput],
    responsible_person_name: str = "",
    responsible_person_title: str = "",
    uploads: Sequence[UploadedFile] = (),
    remove_attachment_ids: Iterable[int] = (),
    today: datetime.date | None = None,
) -> FeedbackReport:
    """Change a draft; a submitted report is never changed."""
    report = _lock_draft(user, report, refusal=_("已提交的整改反馈不能修改；如需更正，请提交新的报告。"))
    recommendation = report.recommendation
    _require_open_case(recommendation)
    _require_reportable(recommendation)
    summary, name, title = _clean_text(summary, responsible_person_name, responsible_person_title)
    cleaned = _clean_answers(recommendation, answers, today=local_today(today))
    removed = list(report.attachments.filter(pk__in=list(remove_attachment_ids)))
    types = _validate_uploads(uploads, existing=report.attachments.count() - len(removed))
    report.summary, report.responsible_person_name, report.responsible_person_title = summary, name, title
    report.save()
    _write_answers(report, cleaned)
    _store_files(user=user, report=report, uploads=uploads, types=types)
    stored_files_delete(removed)  # the files go once the removal is committed
    return report


@transaction.atomic
def feedback_draft_delete(*, user: User, report: FeedbackReport) -> None:
    """Discard a draft with its files; a submitted report is never deleted."""
    report = _lock_draft(user, report, refusal=_("已提交的整改反馈不能删除；如需更正，请提交新的报告。"))
    stored_files_delete(report.attachments.all())  # the files go once the deletion is committed
    report.answers.all().delete()
    FeedbackReport.objects.filter(pk=report.pk, status=FeedbackReport.Status.DRAFT).delete()


# --- Reports: submission -------------------------------------------------------------------------


def _record_written_reply(*, user: User, report: FeedbackReport, received_on: datetime.date) -> None:
    """The final report is the agency's written reply: the recommendation is replied, the reply
    deadline closes (on time or late) and the case moves on to follow-up."""
    recommendation_reply_record_from_agency(
        user=user,
        recommendation=report.recommendation,
        received_on=received_on,
        summary=report.summary,
    )


@transaction.atomic
def feedback_submit(*, user: User, report: FeedbackReport, today: datetime.date | None = None) -> FeedbackReport:
    """The agency's responsible person submits a draft; from here on it is never changed.

    A final report records the written reply; a supplementary one answers its request; an answer
    proposing a completion date becomes a proposal for the procurator to accept or refuse.
    """
    report = _lock_draft(user, report, refusal=_("该报告已经提交，不能再次提交。"))
    recommendation = lock(Recommendation, report.recommendation_id)
    if not user.is_responsible_person:
        raise DomainError(_("只有本机关负责人可以正式提交整改反馈；其他工作人员可以起草。"), code="permission_denied")
    _require_open_case(recommendation)
    _require_reportable(recommendation)
    day = local_today(today)
    answers = list(report.answers.all())
    cleaned = _clean_answers(
        recommendation,
        [
            AnswerInput(
                item_id=a.item_id,
                status=a.status,
                measures=a.measures,
                reason=a.reason,
                proposed_completion_on=a.proposed_completion_on,
            )
            for a in answers
        ],
        today=day,
    )
    if not report.responsible_person_name:
        report.responsible_person_name = user.full_name or user.username
        report.responsible_person_title = report.responsible_person_title or user.title
    if not report.responsible_person_title:
        raise DomainError(_("请填写负责人职务。"), field="responsible_person_title")
    if report.kind == Kind.SUPPLEMENTARY:
        # A supplementary report always answers a request (check constraint on FeedbackReport).
        request = lock(SupplementRequest, cast(int, report.supplement_request_id))
        if request.is_answered:
            raise DomainError(_("该补充说明要求已经答复。"), code="invalid_transition")
    report.status = FeedbackReport.Status.SUBMITTED
    report.submitted_by, report.submitted_at = user, timezone.now()
    report.save()
    dated = {a.item_id: a.proposed_completion_on for a in cleaned if a.proposed_completion_on}
    CompletionDateProposal.objects.bulk_create(
        [
            CompletionDateProposal(
                answer=answer,
                recommendation=recommendation,
                item_id=answer.item_id,
                proposed_on=dated[answer.item_id],
            )
            for answer in answers
            if answer.item_id in dated
        ]
    )
    if report.kind == Kind.SUPPLEMENTARY:
        SupplementRequest.objects.filter(pk=request.pk).update(answered_at=report.submitted_at)
    if report.kind == Kind.FINAL and recommendation.status == Recommendation.Status.SERVED:
        _record_written_reply(user=user, report=report, received_on=day)
    agreed = set(
        CompletionDateProposal.objects.filter(
            recommendation=recommendation, status=CompletionDateProposal.Status.ACCEPTED
        ).values_list("item_id", flat=True)
    )
    done = {a.item_id for a in cleaned if a.status in (AnswerStatus.RECTIFIED, AnswerStatus.ALREADY_PERFORMED)}
    if agreed and agreed <= done:
        deadlines_close_for_rectification(recommendation=recommendation, fulfilled_on=day)
    event_record(
        kind=Event.Kind.FEEDBACK_SUBMITTED,
        actor=user,
        case=recommendation.case,
        recommendation=recommendation,
        parts=[choice(report, "kind", report.kind)],
        note=report.summary[:200],
    )
    notify(
        kind=Notification.Kind.FEEDBACK_SUBMITTED,
        recipients=_case_recipients(recommendation.case),
        params={
            "agency": recommendation.agency.name,
            # The label's msgid: the reader's language translates it (notifications/messages.py).
            "report_kind": msgid(Kind(report.kind).label),
            "number": recommendation.document_number,
            "summary": report.summary[:500],
        },
        url=reverse("feedback_report_detail", args=[report.pk]),
        key=f"feedback:report:{report.pk}",
    )
    return report


# --- The procurator's side ----------------------------------------------------------------------


@transaction.atomic
def supplement_request_create(
    *,
    user: User,
    recommendation: Recommendation,
    text: str,
    due_on: datetime.date,
    today: datetime.date | None = None,
) -> SupplementRequest:
    """The handler asks the agency for supplementary information (补充说明) by a date."""
    recommendation = lock(Recommendation, recommendation.pk)
    _require_case_editor(user, recommendation.case)
    if recommendation.status not in (Recommendation.Status.SERVED, Recommendation.Status.REPLIED):
        raise DomainError(_("检察建议送达后才能要求补充说明。"), code="invalid_transition")
    if not text.strip():
        raise DomainError(_("请写明需要补充说明的事项。"), field="text")
    if due_on <= local_today(today):
        raise DomainError(_("补充说明期限应晚于今天。"), field="due_on")
    request = SupplementRequest.objects.create(
        recommendation=recommendation, text=text.strip(), due_on=due_on, requested_by=user
    )
    event_record(
        kind=Event.Kind.SUPPLEMENT_REQUESTED,
        actor=user,
        case=recommendation.case,
        recommendation=recommendation,
        note=f"{due_on:%Y-%m-%d}：{request.text[:200]}",
    )
    notify(
        kind=Notification.Kind.SUPPLEMENT_REQUESTED,
        recipients=_agency_recipients(recommendation),
        params={
            "number": recommendation.document_number,
            "due": f"{due_on:%Y-%m-%d}",
            "text": request.text[:400],
        },
        url=reverse("agency_recommendation_detail", args=[recommendation.pk]),
        key=f"feedback:supplement:{request.pk}",
    )
    return request


@transaction.atomic
def completion_date_decide(
    *, user: User, proposal: CompletionDateProposal, accept: bool, note: str = "", today: datetime.date | None = None
) -> CompletionDateProposal:
    """Accept or refuse an agency's proposed completion date; an accepted date becomes a watched
    rectification deadline, separate from the reply deadline (docs/domain.md, Deadlines)."""
    proposal = lock(CompletionDateProposal, proposal.pk)
    recommendation = proposal.recommendation
    _require_case_editor(user, recommendation.case)
    if proposal.status != CompletionDateProposal.Status.PENDING:
        raise DomainError(_("该申请已经作出决定。"), code="invalid_transition")
    if not accept and not note.strip():
        raise DomainError(_("不同意的，请说明理由。"), field="note")
    if accept and proposal.proposed_on <= local_today(today):
        raise DomainError(_("拟完成日期已过，不能再同意；请要求行政机关重新提出。"), field="note")
    proposal.status = CompletionDateProposal.Status.ACCEPTED if accept else CompletionDateProposal.Status.REFUSED
    proposal.decided_by, proposal.decided_at, proposal.decision_note = user, timezone.now(), note.strip()
    proposal.save()
    if accept:
        proposal.deadline = deadline_rectification_agree(
            user=user, recommendation=recommendation, agreed_on=proposal.proposed_on, today=local_today(today)
        )
        proposal.save(update_fields=["deadline"])
    event_record(
        kind=Event.Kind.COMPLETION_DATE_DECIDED,
        actor=user,
        case=recommendation.case,
        recommendation=recommendation,
        parts=[
            f"{proposal.item.number}. ",
            choice(proposal, "status", proposal.status),
            f" {proposal.proposed_on:%Y-%m-%d}" + (f" {note}" if note else ""),
        ],
    )
    notify(
        kind=Notification.Kind.COMPLETION_DATE_DECIDED,
        recipients=_agency_recipients(recommendation),
        params={
            "accepted": accept,
            "n": proposal.item.number,
            "date": f"{proposal.proposed_on:%Y-%m-%d}",
            "note": proposal.decision_note,
        },
        url=reverse("agency_recommendation_detail", args=[recommendation.pk]),
        key=f"feedback:proposal:{proposal.pk}",
    )
    return proposal


@files_atomic()
def follow_up_record(
    *,
    user: User,
    recommendation: Recommendation,
    conducted_on: datetime.date,
    findings: str,
    location: str = "",
    participants: str = "",
    photos: Sequence[UploadedFile] = (),
    today: datetime.date | None = None,
) -> Investigation:
    """The follow-up investigation (跟进调查) that verifies rectification, with its site photos."""
    recommendation = lock(Recommendation, recommendation.pk)
    case = recommendation.case
    _require_case_editor(user, case)
    if recommendation.status not in (Recommendation.Status.SERVED, Recommendation.Status.REPLIED):
        raise DomainError(_("检察建议送达后才能跟进调查。"), code="invalid_transition")
    if not findings.strip():
        raise DomainError(_("请填写调查情况。"), field="findings")
    _validate_uploads(photos, existing=0)
    if recommendation.served_on:
        require_not_before(
            conducted_on, recommendation.served_on, field="conducted_on", message=_("跟进调查日期不能早于送达日期。")
        )
    record = investigation_record(
        user=user,
        case=case,
        kind=Investigation.Kind.FOLLOW_UP,
        conducted_on=conducted_on,
        findings=findings.strip(),
        location=location,
        participants=participants,
        today=today,
    )
    for photo in photos:
        attachment_add(
            user=user,
            case=case,
            upload=photo,
            description=_("跟进调查：%(number)s") % {"number": recommendation.document_number},
            investigation=record,
        )
    return record
