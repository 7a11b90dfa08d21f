"""The litigation page of a case and the forms of its court events.

Every view fetches through the scoping selectors (out of scope → 404, like a missing id), lets
only the case's handlers act (403 for anyone else in scope), validates with a form and calls one
service through `call_service`; a refusal becomes a form error and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.forms import actions as case_forms
from cases.models import Case
from cases.selectors import can_approve, can_edit_case
from cases.views.actions import TAB_LITIGATION, _case, _editor_refusal, _form_action, _refusal, case_url
from deadlines.selectors import case_close_cancels, case_close_keeps
from litigation import forms, services
from litigation.models import Hearing, Lawsuit, PlaintiffSuit, Ruling
from litigation.selectors import (
    agency_court_duties,
    hearings_visible_to,
    is_agency_view,
    lawsuit_proposals_visible_to,
    lawsuits_visible_to,
    lawsuits_with_details,
    litigation_cases_visible_to,
    litigation_files_visible_to,
    plaintiff_suits_visible_to,
    rulings_visible_to,
    with_court_state,
)
from pil_tracker.files import private_file_response
from pil_tracker.views import form_service_view
from submissions.decorators import submit_once


def _page(case: Case) -> str:
    return reverse("litigation_case", args=[case.pk])


def _require_editor(request: HttpRequest, case: Case, *, also: bool = False) -> None:
    """The case's handlers act; `also` lets someone else in (the defendant's staff, for the defence)."""
    if not (also or can_edit_case(request.user, case)):
        raise PermissionDenied


def _form_view(
    request: HttpRequest,
    *,
    case: Case,
    form_class: type,
    service: Callable[..., Any],
    service_kwargs: dict[str, Any],
    title: str,
    success: str,
    form_kwargs: dict[str, Any] | None = None,
    subject: str = "",
    also_allowed: bool = False,
    lawsuit: Lawsuit | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    _require_editor(request, case, also=also_allowed)
    # The defendant agency's staff come from, and go back to, their portal's page of the lawsuit.
    back = (
        reverse("agency_lawsuit_detail", args=[lawsuit.pk])
        if lawsuit is not None and is_agency_view(request.user)
        else _page(case)
    )
    return form_service_view(
        request,
        form_class=form_class,
        form_kwargs=form_kwargs,
        service=service,
        service_kwargs=service_kwargs,
        success_message=success,
        success_url=back,
        template="litigation/action_form.html",
        context={"title": title, "case": case, "subject": subject, "cancel_url": back, **(context or {})},
    )


@login_required
def litigation_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(litigation_cases_visible_to(request.user), pk=pk)
    context = {
        "case": case,
        "can_edit": can_edit_case(request.user, case),
        "can_approve": can_approve(request.user, case),
        "today": timezone.localdate(),  # what the hearings and next steps are computed against
    }
    return render(request, "litigation/case_litigation.html", context)


@login_required
@submit_once
def lawsuit_file(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(litigation_cases_visible_to(request.user), pk=pk)
    return _form_view(
        request,
        case=case,
        form_class=forms.LawsuitFileForm,
        form_kwargs={"case": case},
        service=services.lawsuit_file,
        service_kwargs={"case": case},
        title=_("记录提起诉讼"),
        success=_("已记录提起诉讼。"),
    )


@login_required
def litigation_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(litigation_cases_visible_to(request.user), pk=pk)
    # As before litigation: the page lists what the closing cancels and what stays open, and asks.
    cancels = list(case_close_cancels(case))
    return _form_view(
        request,
        case=case,
        form_class=forms.LitigationCloseForm,
        form_kwargs={"cancels": len(cancels)},
        service=services.litigation_case_close,
        service_kwargs={"case": case},
        title=_("诉讼结束，终结案件"),
        success=_("案件已终结。"),
        context={
            "form_intro": "cases/actions/_close_deadlines.html",
            "close_cancels": cancels,
            "close_keeps": list(case_close_keeps(case)),
        },
    )


# action → (form, service, title, success message)
LAWSUIT_ACTIONS: dict[str, tuple[type, Callable[..., Any], str, str]] = {
    "complaint-copy": (
        forms.ComplaintCopyForm,
        services.complaint_copy_received,
        _("记录被告收到起诉状副本"),
        _("已记录，答辩期限开始计算。"),
    ),
    "defence": (forms.DefenceForm, services.defence_submitted, _("记录提交答辩状"), _("已记录答辩状。")),
    "schedule": (
        forms.HearingScheduleForm,
        services.hearing_schedule,
        _("安排开庭"),
        _("已记录开庭安排，被告行政机关已收到通知。"),
    ),
    "hearing": (forms.HearingForm, services.hearing_record, _("记录庭审"), _("已记录庭审。")),
    "ruling": (forms.RulingForm, services.ruling_record, _("记录裁判"), _("已记录裁判。")),
    "material": (forms.MaterialForm, services.lawsuit_material_add, _("上传起诉材料"), _("已上传。")),
}

RULING_ACTIONS: dict[str, tuple[type, Callable[..., Any], str, str]] = {
    "appeal": (forms.AppealForm, services.ruling_appeal, _("记录上诉"), _("已记录上诉，进入二审。")),
    "effect": (forms.EffectForm, services.ruling_take_effect, _("记录裁判生效"), _("已记录裁判生效。")),
    "compliance": (forms.ComplianceForm, services.compliance_record, _("记录履行"), _("已记录履行。")),
    "enforcement": (forms.EnforcementForm, services.enforcement_transfer, _("移送执行"), _("已记录移送执行。")),
    "document": (forms.RulingDocumentForm, services.ruling_document_add, _("上传裁判文书"), _("已上传。")),
}

HEARING_ACTIONS: dict[str, tuple[type, Callable[..., Any], str, str]] = {
    "reschedule": (
        forms.HearingRescheduleForm,
        services.hearing_reschedule,
        _("开庭改期"),
        _("已记录开庭改期，被告行政机关已收到通知。"),
    ),
    "cancel": (
        forms.HearingCancelForm,
        services.hearing_cancel,
        _("取消开庭"),
        _("已记录取消开庭，被告行政机关已收到通知。"),
    ),
    "outcome": (forms.HearingOutcomeForm, services.hearing_outcome_record, _("记录庭审情况"), _("已记录庭审。")),
    "register": (
        forms.AppearanceRegistrationForm,
        services.hearing_register_appearance,
        _("报备出庭人员"),
        _("已报备出庭人员。"),
    ),
}


@login_required
@submit_once
def lawsuit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    lawsuit: Lawsuit = get_object_or_404(lawsuits_visible_to(request.user).select_related("case"), pk=pk)
    form_class, service, title, success = LAWSUIT_ACTIONS[action]
    return _form_view(
        request,
        case=lawsuit.case,
        form_class=form_class,
        service=service,
        service_kwargs={"lawsuit": lawsuit},
        title=str(title),
        success=str(success),
        subject=str(lawsuit),
        also_allowed=action == "defence" and services.defendant_can_write(request.user, lawsuit),
        lawsuit=lawsuit,
    )


@login_required
def ruling_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    ruling: Ruling = get_object_or_404(rulings_visible_to(request.user).select_related("lawsuit__case"), pk=pk)
    form_class, service, title, success = RULING_ACTIONS[action]
    return _form_view(
        request,
        case=ruling.lawsuit.case,
        form_class=form_class,
        service=service,
        service_kwargs={"ruling": ruling},
        title=str(title),
        success=str(success),
        subject=f"{ruling.lawsuit} {ruling}",
    )


@login_required
def hearing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    hearing: Hearing = get_object_or_404(hearings_visible_to(request.user).select_related("lawsuit__case"), pk=pk)
    form_class, service, title, success = HEARING_ACTIONS[action]
    return _form_view(
        request,
        case=hearing.lawsuit.case,
        form_class=form_class,
        service=service,
        service_kwargs={"hearing": hearing},
        title=str(title),
        success=str(success),
        subject=f"{hearing.lawsuit} {hearing.held_on:%Y-%m-%d}",
        also_allowed=action == "register" and services.defendant_can_write(request.user, hearing.lawsuit),
        lawsuit=hearing.lawsuit,
    )


@login_required
@submit_once
def plaintiff_suit_record(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(litigation_cases_visible_to(request.user), pk=pk)
    return _form_view(
        request,
        case=case,
        form_class=forms.PlaintiffSuitForm,
        service=services.plaintiff_suit_record,
        service_kwargs={"case": case},
        title=_("记录其他适格主体起诉"),
        success=_("已记录。"),
    )


@login_required
def plaintiff_suit_support(request: HttpRequest, pk: int) -> HttpResponse:
    suit: PlaintiffSuit = get_object_or_404(plaintiff_suits_visible_to(request.user).select_related("case"), pk=pk)
    return _form_view(
        request,
        case=suit.case,
        form_class=forms.PlaintiffSupportForm,
        service=services.plaintiff_suit_support,
        service_kwargs={"suit": suit},
        title=_("记录支持起诉"),
        success=_("已记录支持起诉。"),
        subject=str(suit),
    )


@login_required
def litigation_file_download(request: HttpRequest, pk: int) -> FileResponse:
    """A lawsuit file for someone who may see it (the defendant agency: ruling documents only)."""
    record = get_object_or_404(litigation_files_visible_to(request.user), pk=pk)
    return private_file_response(record.file, filename=record.original_name, content_type=record.content_type)


# --- The proposal to sue (提请审批起诉) and its approval --------------------------------------
# They act from the case page (its litigation tab) with the case pages' form helpers.


@login_required
@submit_once
def case_decide_to_sue(request: HttpRequest, pk: int) -> HttpResponse:
    """The handler proposes to sue (提请审批起诉); a supervisor approves or returns it below."""
    case = _case(request, pk)
    if refusal := _editor_refusal(request, case):
        return refusal
    return _form_action(
        request,
        form_class=forms.DecideToSueForm,
        form_kwargs={"case": case},
        service=services.lawsuit_propose,
        service_kwargs={"case": case},
        success_message=_("已提请审批起诉。"),
        success_url=case_url(case, TAB_LITIGATION),
        title=_("提请审批起诉"),
        submit_label=_("提请审批"),
        cancel_url=case_url(case),
        context={"case": case},
    )


def _lawsuit_proposal_decision(
    request: HttpRequest, pk: int, *, form_class: type, service, success_message: str, title: str, **options
) -> HttpResponse:
    proposal = get_object_or_404(
        lawsuit_proposals_visible_to(request.user).select_related("case__procuratorate", "proposed_by"),
        pk=pk,
    )
    case = proposal.case
    back = case_url(case, TAB_LITIGATION)
    if refusal := _refusal(request, case, can_approve(request.user, case), back):
        return refusal
    return _form_action(
        request,
        form_class=form_class,
        service=service,
        service_kwargs={"proposal": proposal},
        success_message=success_message,
        success_url=back,
        title=title,
        cancel_url=back,
        context={"case": case, "proposal": proposal},
        template="litigation/proposal_decide.html",
        **options,
    )


@login_required
def lawsuit_proposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _lawsuit_proposal_decision(
        request,
        pk,
        form_class=case_forms.ApproveForm,
        service=services.lawsuit_proposal_approve,
        success_message=_("已批准提起诉讼。"),
        title=_("审批起诉"),
        submit_label=_("同意起诉"),
    )


@login_required
def lawsuit_proposal_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _lawsuit_proposal_decision(
        request,
        pk,
        form_class=case_forms.ReturnForm,
        service=services.lawsuit_proposal_return,
        success_message=_("已退回起诉审批。"),
        title=_("退回起诉审批"),
        submit_label=_("退回"),
        danger=True,
    )


# --- The agency portal's lawsuit page (mounted under /agency/ like the rest of the portal) --------


@login_required
def agency_lawsuits(request: HttpRequest) -> HttpResponse:
    """Every lawsuit against the user's agency with its duties, the most urgent first and the
    finished ones last (the agency home shows the first few of those still running)."""
    if not request.user.is_agency_staff:
        raise Http404
    duties = agency_court_duties(request.user, today=timezone.localdate())
    return render(request, "feedback/lawsuits.html", {"court_duties": duties})


@login_required
def agency_lawsuit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A lawsuit against the user's agency: its court duties (defence, hearings and who is registered
    to appear, rulings with their documents and compliance deadline) — agency-facing fields only,
    never the procuratorate's internal notes, materials or hearing notes."""
    if not request.user.is_agency_staff:
        raise Http404
    lawsuit = get_object_or_404(lawsuits_with_details(request.user), pk=pk)
    today = timezone.localdate()
    with_court_state([lawsuit], today=today)
    can_write = services.defendant_can_write(request.user, lawsuit) and not lawsuit.case.is_closed
    return render(
        request,
        "feedback/lawsuit_detail.html",
        {
            "lawsuit": lawsuit,
            "today": today,
            "can_write": can_write,
            "can_record_defence": can_write
            and lawsuit.complaint_copy_received_on is not None
            and lawsuit.defence_submitted_on is None
            and not lawsuit.defence_stage_over,
        },
    )
