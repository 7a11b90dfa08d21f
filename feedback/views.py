"""Agency portal and feedback review pages: each view scopes, validates, calls one service.

Every lookup starts from a scoping selector (feedback/selectors.py, cases/selectors.py): an object
outside the user's scope answers 404 exactly like one that does not exist; a user who may read an
object but not act on it gets 403.
"""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.documents import DOCX_CONTENT_TYPE
from cases.models import Recommendation
from cases.portal import agency_home_parts, agency_recommendation_parts
from cases.selectors import can_edit_case
from feedback import selectors, services
from feedback.documents import report_docx
from feedback.forms import (
    AcknowledgeForm,
    FollowUpForm,
    ProposalDecisionForm,
    ReportForm,
    SupplementRequestForm,
)
from feedback.models import FeedbackReport
from pil_tracker.files import private_file_response
from pil_tracker.services import call_service
from pil_tracker.views import form_service_view
from submissions.decorators import submit_once


def _flash_errors(request: HttpRequest, form: forms.Form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _agency_recommendation(request: HttpRequest, pk: int) -> Recommendation:
    return get_object_or_404(selectors.agency_recommendations(request.user).select_related("case"), pk=pk)


def _review_recommendation(request: HttpRequest, pk: int) -> Recommendation:
    return get_object_or_404(selectors.review_recommendations(request.user).select_related("case", "agency"), pk=pk)


def _require_case_editor(request: HttpRequest, recommendation: Recommendation) -> None:
    if not can_edit_case(request.user, recommendation.case):
        raise PermissionDenied(_("只有本案承办检察官或协办人可以进行此操作。"))


# --- Agency portal ------------------------------------------------------------------------------


def _home_group_labels() -> list[tuple[str, str]]:
    return [
        (selectors.Group.OVERDUE, _("已逾期")),
        (selectors.Group.TO_ACKNOWLEDGE, _("待签收")),
        (selectors.Group.REPLY_DUE, _("待回复")),
        (selectors.Group.RECTIFYING, _("整改中")),
        (selectors.Group.EVALUATED, _("已评估")),
    ]


@login_required
def agency_home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_agency_staff:
        raise Http404
    today = timezone.localdate()
    home = selectors.agency_home(request.user, today=today)
    groups = [(name, label, home.group(name), home.totals[name]) for name, label in _home_group_labels()]
    return render(
        request,
        "feedback/home.html",
        {
            "groups": groups,
            "can_write": services.agency_can_write(request.user),
            # The court duties (litigation app), registered with cases.portal.
            **agency_home_parts(request.user, today=today),
        },
    )


@login_required
def agency_home_group(request: HttpRequest, group: str) -> HttpResponse:
    """Every recommendation of one group of the agency home, paged (the home shows the first few)."""
    labels = dict(_home_group_labels())
    if not request.user.is_agency_staff or group not in labels:
        raise Http404
    today = timezone.localdate()
    page_obj, rows = selectors.agency_home_page(
        request.user, group, request.GET.get("page"), per_page=settings.PAGE_SIZE, today=today
    )
    return render(
        request,
        "feedback/home_group.html",
        {
            "group": group,
            "label": labels[group],
            "page_obj": page_obj,
            "rows": rows,
        },
    )


@login_required
def agency_recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _agency_recommendation_page(request, _agency_recommendation(request, pk), AcknowledgeForm())


def _agency_recommendation_page(
    request: HttpRequest, recommendation: Recommendation, acknowledge_form: AcknowledgeForm
) -> HttpResponse:
    context = selectors.agency_recommendation_page(request.user, recommendation)
    can_write = services.agency_can_write(request.user) and not recommendation.case.is_closed
    context.update(
        recommendation=recommendation,
        # The lawsuits on it (litigation app), registered with cases.portal.
        **agency_recommendation_parts(request.user, recommendation),
        can_write=can_write,
        can_acknowledge=can_write
        and context["acknowledgement"] is None
        and recommendation.status == Recommendation.Status.SERVED,
        can_report=can_write and recommendation.status in (Recommendation.Status.SERVED, Recommendation.Status.REPLIED),
        acknowledge_form=acknowledge_form,
    )
    return render(request, "feedback/recommendation_detail.html", context)


@login_required
@require_POST
def agency_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _agency_recommendation(request, pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid() and call_service(
        form,
        services.acknowledgement_record,
        user=request.user,
        recommendation=recommendation,
        acknowledged_on=form.cleaned_data["acknowledged_on"],
    ):
        messages.success(request, _("已签收。"))
        return redirect("agency_recommendation_detail", pk=recommendation.pk)
    # The page again with the bound form: the errors beside the date, the date as typed.
    return _agency_recommendation_page(request, recommendation, form)


def _report_form_kwargs(recommendation: Recommendation, request: HttpRequest) -> dict:
    return {
        "items": list(recommendation.items.order_by("number")),
        "requests": recommendation.supplement_requests.filter(answered_at__isnull=True),
        "corrigible": selectors.feedback_visible_to(request.user).filter(
            recommendation=recommendation, status=FeedbackReport.Status.SUBMITTED
        ),
    }


@login_required
@submit_once
def feedback_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _agency_recommendation(request, pk)
    kwargs = _report_form_kwargs(recommendation, request)
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            report = call_service(
                form,
                services.feedback_draft_create,
                user=request.user,
                recommendation=recommendation,
                kind=data["kind"],
                summary=data["summary"],
                answers=form.answers(),
                responsible_person_name=data["responsible_person_name"],
                responsible_person_title=data["responsible_person_title"],
                uploads=data["files"],
                supplement_request=data["supplement_request"],
                corrects=data["corrects"],
            )
            if report:
                messages.success(request, _("草稿已保存。负责人核对后即可正式提交。"))
                return redirect("feedback_report_detail", pk=report.pk)
    else:
        initial = {"kind": request.GET.get("kind", FeedbackReport.Kind.INTERIM)}
        for name in ("supplement_request", "corrects"):
            if request.GET.get(name, "").isdigit():
                initial[name] = int(request.GET[name])
        if request.user.is_responsible_person:
            initial.update(responsible_person_name=request.user.full_name, responsible_person_title=request.user.title)
        form = ReportForm(initial=initial, **kwargs)
    return render(
        request,
        "feedback/report_form.html",
        {"form": form, "recommendation": recommendation, "title": _("起草整改反馈")},
    )


def _agency_report(request: HttpRequest, pk: int) -> FeedbackReport:
    """A report to act on as the agency: in scope (404 otherwise), and the user's agency's (403)."""
    report = get_object_or_404(selectors.feedback_visible_to(request.user).select_related("recommendation"), pk=pk)
    if not services.is_agency_member(request.user, report.recommendation):
        raise PermissionDenied(_("只有被建议机关的工作人员可以进行此操作。"))
    return report


@login_required
def feedback_report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _agency_report(request, pk)
    if not report.is_draft:
        raise PermissionDenied(_("已提交的整改反馈不能修改；如需更正，请提交新的报告。"))
    recommendation = report.recommendation
    items = list(recommendation.items.order_by("number"))
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, items=items, report=report)
        if form.is_valid():
            data = form.cleaned_data
            if call_service(
                form,
                services.feedback_draft_update,
                user=request.user,
                report=report,
                summary=data["summary"],
                answers=form.answers(),
                responsible_person_name=data["responsible_person_name"],
                responsible_person_title=data["responsible_person_title"],
                uploads=data["files"],
                remove_attachment_ids=[a.pk for a in data["remove_attachments"]],
            ):
                messages.success(request, _("草稿已保存。"))
                return redirect("feedback_report_detail", pk=report.pk)
    else:
        form = ReportForm(initial=ReportForm.initial_from(report), items=items, report=report)
    return render(
        request,
        "feedback/report_form.html",
        {"form": form, "recommendation": recommendation, "report": report, "title": _("修改整改反馈草稿")},
    )


@login_required
@require_POST
def feedback_report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _agency_report(request, pk)
    form = forms.Form(request.POST)
    form.is_valid()
    if call_service(form, services.feedback_submit, user=request.user, report=report):
        messages.success(request, _("已正式提交。提交后的报告不能修改或删除。"))
    else:
        _flash_errors(request, form)
    return redirect("feedback_report_detail", pk=report.pk)


@login_required
@require_POST
def feedback_report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = _agency_report(request, pk)
    recommendation_id = report.recommendation_id
    form = forms.Form(request.POST)
    form.is_valid()
    call_service(form, services.feedback_draft_delete, user=request.user, report=report)
    if form.errors:
        _flash_errors(request, form)
        return redirect("feedback_report_detail", pk=report.pk)
    messages.success(request, _("草稿已删除。"))
    return redirect("agency_recommendation_detail", pk=recommendation_id)


# --- Shared by both sides ---------------------------------------------------------------------


@login_required
def feedback_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        selectors.feedback_visible_to(request.user).select_related(
            "recommendation__case",
            "recommendation__agency",
            "drafted_by",
            "submitted_by",
            "supplement_request",
            "corrects",
        ),
        pk=pk,
    )
    recommendation = report.recommendation
    is_agency = services.is_agency_member(request.user, recommendation)
    context = selectors.report_detail(report)
    can_write = is_agency and report.is_draft and services.agency_can_write(request.user)
    context.update(
        report=report,
        recommendation=recommendation,
        is_agency=is_agency,
        can_edit=can_write,
        can_submit=can_write and request.user.is_responsible_person,
        can_review=not is_agency and can_edit_case(request.user, recommendation.case),
    )
    return render(request, "feedback/report_detail.html", context)


@login_required
def feedback_attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(selectors.feedback_attachments_visible_to(request.user), pk=pk)
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
def feedback_report_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a Word document (书面回复 to print, sign and seal, or to file with the case)."""
    report = get_object_or_404(
        selectors.feedback_visible_to(request.user).select_related(
            "recommendation__case__procuratorate", "recommendation__agency", "submitted_by"
        ),
        pk=pk,
    )
    buffer = io.BytesIO()
    report_docx(report, selectors.report_detail(report)).save(buffer)
    buffer.seek(0)
    response = FileResponse(
        buffer,
        as_attachment=True,
        filename=f"{report.get_kind_display()}-{report.recommendation.document_number or report.pk}-{report.pk}.docx",
        content_type=DOCX_CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Procuratorate side -----------------------------------------------------------------------


@login_required
def feedback_recommendation_review(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _review_recommendation(request, pk)
    context = selectors.review_page(request.user, recommendation)
    can_act = can_edit_case(request.user, recommendation.case)
    context.update(
        recommendation=recommendation,
        can_act=can_act,
        decision_form=ProposalDecisionForm(),
    )
    return render(request, "feedback/review.html", context)


@login_required
def feedback_supplement_request(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _review_recommendation(request, pk)
    _require_case_editor(request, recommendation)
    return form_service_view(
        request,
        form_class=SupplementRequestForm,
        service=services.supplement_request_create,
        service_kwargs={"recommendation": recommendation},
        success_message=_("已要求行政机关补充说明。"),
        success_url=reverse("feedback_recommendation_review", args=[recommendation.pk]),
        template="feedback/action_form.html",
        context={"recommendation": recommendation, "title": _("要求补充说明"), "submit_label": _("发出要求")},
    )


@login_required
@require_POST
def feedback_proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        selectors.proposals_visible_to(request.user).select_related("recommendation__case"), pk=pk
    )
    if request.user.is_agency_staff:
        raise PermissionDenied(_("只有本案承办检察官或协办人可以进行此操作。"))
    form = ProposalDecisionForm(request.POST)
    if form.is_valid() and call_service(
        form,
        services.completion_date_decide,
        user=request.user,
        proposal=proposal,
        accept=form.cleaned_data["decision"] == "accept",
        note=form.cleaned_data["note"],
    ):
        messages.success(request, _("已作出决定。"))
    else:
        _flash_errors(request, form)
    return redirect("feedback_recommendation_review", pk=proposal.recommendation_id)


@login_required
def feedback_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _review_recommendation(request, pk)
    _require_case_editor(request, recommendation)
    if request.method == "POST":
        form = FollowUpForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if call_service(
                form,
                services.follow_up_record,
                user=request.user,
                recommendation=recommendation,
                conducted_on=data["conducted_on"],
                findings=data["findings"],
                location=data["location"],
                participants=data["participants"],
                photos=data["photos"],
            ):
                messages.success(request, _("已记录跟进调查。"))
                return redirect("feedback_recommendation_review", pk=recommendation.pk)
    else:
        form = FollowUpForm()
    return render(
        request,
        "feedback/action_form.html",
        {
            "form": form,
            "recommendation": recommendation,
            "title": _("记录跟进调查"),
            "submit_label": _("保存"),
            "cancel_url": reverse("feedback_recommendation_review", args=[recommendation.pk]),
        },
    )
