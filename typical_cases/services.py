"""Writing, reviewing and publishing typical cases; recording and answering the congress's requests
(docs/domain.md, Typical cases and people's congress oversight).

Typical cases: a procurator may propose a closed case of their procuratorate; a supervisor of the
case's procuratorate (or a higher one) writes the summary, starting from the case's own texts with
the suggested anonymisation applied, and submits it; a second supervisor — never the writer —
publishes it or returns it. A published one may be withdrawn. States:
proposed → draft → submitted → published → withdrawn, submitted → returned → submitted.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from agencies.models import Organisation
from cases.models import Case, Domain, Event
from cases.selectors import cases_visible_to
from cases.services.history import event_record, message
from pil_tracker.errors import DomainError
from storage.services import files_atomic, store_file
from typical_cases.anonymisation import Replacement, anonymise, suggested_replacements
from typical_cases.models import CongressAnswerFile, CongressRequest, TypicalCase

TEXT_FIELDS = ("title", "summary", "outcome", "significance")


def _lock(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)


def _require_supervisor(user: User, procuratorate: Organisation) -> None:
    if not user.acts_as_supervisor_of(procuratorate):
        raise DomainError(_("只有本院或上级院的检察院负责人可以进行此操作。"), code="permission_denied")


def _require_status(typical: TypicalCase, allowed: tuple[str, ...], action: str) -> None:
    if typical.status not in allowed:
        raise DomainError(
            _("当前状态为“%(status)s”，不能%(action)s。") % {"status": typical.get_status_display(), "action": action},
            code="invalid_transition",
        )


def _require_closed_case(user: User, case: Case) -> None:
    if not cases_visible_to(user).filter(pk=case.pk).exists():
        raise DomainError(_("案件不存在或不在您的查看范围内。"), code="permission_denied")
    if case.status != Case.Status.CLOSED:
        raise DomainError(_("只有已终结的案件可以作为典型案例。"), field="case", code="case_not_closed")


def _live_entry(case: Case) -> TypicalCase | None:
    return (
        TypicalCase.objects.select_for_update().filter(case=case).exclude(status=TypicalCase.Status.WITHDRAWN).first()
    )


def _first_draft(case: Case) -> dict:
    replacements = suggested_replacements(case)
    outcome = case.closure_note or (case.get_closure_ground_display() if case.closure_ground else "")
    return {
        "title": anonymise(case.title, replacements)[:200],
        "summary": anonymise(case.summary, replacements),
        "outcome": anonymise(outcome, replacements),
        "domain_id": case.domain_id,
        "year": (case.closed_on or case.opened_on).year,
        "replacements": [list(pair) for pair in replacements],
    }


@transaction.atomic
def _history(typical: TypicalCase, *, user: User, msgid: str, note: str = "") -> None:
    """A step of the write-up on the case's timeline (the texts themselves stay on the typical case)."""
    event_record(
        kind=Event.Kind.TYPICAL_CASE_RECORDED,
        actor=user,
        case=typical.case,
        parts=[message(msgid, title=typical.title)],
        note=note,
    )


@transaction.atomic
def typical_case_propose(*, user: User, case: Case, note: str) -> TypicalCase:
    """A procurator (or supervisor) of the case's procuratorate proposes a closed case."""
    _require_closed_case(user, case)
    if not user.is_procuratorate_staff:
        raise DomainError(_("只有检察院工作人员可以推荐典型案例。"), code="permission_denied")
    if _live_entry(case) is not None:
        raise DomainError(_("该案件已被推荐或正在撰写典型案例。"), field="case", code="already_typical")
    typical = TypicalCase.objects.create(
        case=case,
        procuratorate_id=case.procuratorate_id,
        status=TypicalCase.Status.PROPOSED,
        domain_id=case.domain_id,
        year=(case.closed_on or case.opened_on).year,
        title=anonymise(case.title, suggested_replacements(case))[:200],
        proposal_note=note.strip(),
        proposed_by=user,
    )
    _history(typical, user=user, msgid=gettext_noop("推荐为典型案例“%(title)s”"), note=note.strip())
    return typical


@transaction.atomic
def typical_case_start(*, user: User, case: Case) -> TypicalCase:
    """A supervisor starts writing: a proposed entry becomes a draft, otherwise a new draft. The
    draft starts from the case's texts with the suggested anonymisation applied."""
    _require_closed_case(user, case)
    _require_supervisor(user, case.procuratorate)
    first = _first_draft(case)
    typical = _live_entry(case)
    if typical is None:
        typical = TypicalCase.objects.create(
            case=case, procuratorate_id=case.procuratorate_id, status=TypicalCase.Status.DRAFT, written_by=user, **first
        )
    else:
        _require_status(typical, (TypicalCase.Status.PROPOSED,), _("开始撰写"))
        for field, value in first.items():
            setattr(typical, field, value)
        typical.status = TypicalCase.Status.DRAFT
        typical.written_by = user
        typical.save()
    _history(typical, user=user, msgid=gettext_noop("撰写典型案例“%(title)s”"))
    return typical


@transaction.atomic
def typical_case_update(
    *,
    user: User,
    typical: TypicalCase,
    title: str,
    domain: Domain,
    year: int,
    summary: str,
    outcome: str,
    significance: str,
    replacements: list[Replacement],
) -> TypicalCase:
    """Save the write-up; the replacements are applied to the texts (the stored texts are the
    anonymised ones). The one who saves becomes the writer."""
    typical = _lock(TypicalCase, typical.pk)
    _require_supervisor(user, typical.procuratorate)
    _require_status(typical, (TypicalCase.Status.DRAFT, TypicalCase.Status.RETURNED), _("修改"))
    pairs = [(o.strip(), r.strip()) for o, r in replacements if o.strip()]
    if any(not r for _o, r in pairs):
        raise DomainError(_("每个被替换的名称都要有替换后的称谓。"), field="replacements")
    typical.title = anonymise(title.strip(), pairs)[:200]
    typical.summary = anonymise(summary.strip(), pairs)
    typical.outcome = anonymise(outcome.strip(), pairs)
    typical.significance = anonymise(significance.strip(), pairs)
    typical.domain = domain
    typical.year = year
    typical.replacements = [list(pair) for pair in pairs]
    typical.written_by = user
    typical.save()
    return typical


@transaction.atomic
def typical_case_submit(*, user: User, typical: TypicalCase) -> TypicalCase:
    typical = _lock(TypicalCase, typical.pk)
    _require_supervisor(user, typical.procuratorate)
    _require_status(typical, (TypicalCase.Status.DRAFT, TypicalCase.Status.RETURNED), _("提交审核"))
    missing = [field for field in TEXT_FIELDS if not getattr(typical, field).strip()]
    if missing:
        raise DomainError(_("标题、基本案情、办理结果和典型意义都要填写后才能提交审核。"), field=missing[0])
    typical.status = TypicalCase.Status.SUBMITTED
    typical.return_reason = ""
    typical.save()
    _history(typical, user=user, msgid=gettext_noop("典型案例“%(title)s”提请审核"))
    return typical


def _require_reviewer(user: User, typical: TypicalCase) -> None:
    _require_supervisor(user, typical.procuratorate)
    if typical.written_by_id == user.pk:
        raise DomainError(
            _("撰写人不能审核自己撰写的典型案例，请由另一位检察院负责人审核发布。"), code="permission_denied"
        )


def _reporter_left(typical: TypicalCase) -> bool:
    """Whether the lead's reporter (name or contact) still appears in a public text: never published."""
    lead = typical.case.lead
    if lead is None:
        return False
    secrets = [s for s in (lead.reporter_name.strip(), lead.reporter_contact.strip()) if len(s) >= 2]
    return any(secret in getattr(typical, field) for secret in secrets for field in TEXT_FIELDS)


@transaction.atomic
def typical_case_publish(*, user: User, typical: TypicalCase) -> TypicalCase:
    typical = _lock(TypicalCase, typical.pk)
    _require_reviewer(user, typical)
    _require_status(typical, (TypicalCase.Status.SUBMITTED,), _("发布"))
    if _reporter_left(typical):
        raise DomainError(_("摘要中仍有举报人的姓名或联系方式，请退回撰写人替换后再发布。"), code="reporter_named")
    typical.status = TypicalCase.Status.PUBLISHED
    typical.reviewed_by = user
    typical.published_at = timezone.now()
    typical.save()
    _history(typical, user=user, msgid=gettext_noop("发布典型案例“%(title)s”"))
    return typical


@transaction.atomic
def typical_case_return(*, user: User, typical: TypicalCase, reason: str) -> TypicalCase:
    typical = _lock(TypicalCase, typical.pk)
    _require_reviewer(user, typical)
    _require_status(typical, (TypicalCase.Status.SUBMITTED,), _("退回"))
    if not reason.strip():
        raise DomainError(_("请填写退回理由。"), field="reason")
    typical.status = TypicalCase.Status.RETURNED
    typical.reviewed_by = user
    typical.return_reason = reason.strip()
    typical.save()
    _history(typical, user=user, msgid=gettext_noop("典型案例“%(title)s”退回修改"), note=reason.strip())
    return typical


@transaction.atomic
def typical_case_withdraw(*, user: User, typical: TypicalCase, reason: str) -> TypicalCase:
    """Take a typical case off the public page, or set aside a proposal or a draft."""
    typical = _lock(TypicalCase, typical.pk)
    _require_supervisor(user, typical.procuratorate)
    _require_status(
        typical,
        tuple(s for s in TypicalCase.Status.values if s != TypicalCase.Status.WITHDRAWN),
        _("撤回"),
    )
    if not reason.strip():
        raise DomainError(_("请填写撤回理由。"), field="reason")
    typical.status = TypicalCase.Status.WITHDRAWN
    typical.withdraw_reason = reason.strip()
    typical.save()
    _history(typical, user=user, msgid=gettext_noop("撤回典型案例“%(title)s”"), note=reason.strip())
    return typical


# --- People's congress oversight -------------------------------------------------------------------


@transaction.atomic
def congress_request_record(
    *,
    user: User,
    procuratorate: Organisation,
    kind: str,
    requested_on: datetime.date,
    content: str,
    due_on: datetime.date,
    today: datetime.date | None = None,
) -> CongressRequest:
    _require_supervisor(user, procuratorate)
    if requested_on > (today or timezone.localdate()):
        raise DomainError(_("日期不能晚于今天。"), field="requested_on")
    if due_on < requested_on:
        raise DomainError(_("答复期限不能早于交办日期。"), field="due_on")
    if not content.strip():
        raise DomainError(_("请填写监督事项。"), field="content")
    return CongressRequest.objects.create(
        procuratorate=procuratorate,
        kind=kind,
        requested_on=requested_on,
        content=content.strip(),
        due_on=due_on,
        recorded_by=user,
    )


@files_atomic()
def congress_request_answer(
    *,
    user: User,
    request: CongressRequest,
    answered_on: datetime.date,
    answer_note: str,
    upload: UploadedFile,
    report_job_id: int | None = None,
    today: datetime.date | None = None,
) -> CongressRequest:
    """Record the answer with the report sent (an upload, or a generated report's file copied by
    the caller, `report_job_id` naming the job)."""
    request = _lock(CongressRequest, request.pk)
    _require_supervisor(user, request.procuratorate)
    if request.status != CongressRequest.Status.OPEN:
        raise DomainError(_("该事项已答复。"), code="invalid_transition")
    if answered_on > (today or timezone.localdate()):
        raise DomainError(_("日期不能晚于今天。"), field="answered_on")
    if answered_on < request.requested_on:
        raise DomainError(_("答复日期不能早于交办日期。"), field="answered_on")
    store_file(CongressAnswerFile(request=request, report_job_id=report_job_id), upload, user=user)
    request.status = CongressRequest.Status.ANSWERED
    request.answered_on = answered_on
    request.answer_note = answer_note.strip()
    request.answered_by = user
    request.save()
    return request
