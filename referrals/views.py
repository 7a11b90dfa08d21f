"""The referral pages (docs/domain.md, Referrals): the list, a referral's page with its actions,
the two drafting forms and the materials' download. Reads through referrals_visible_to (out of
scope: 404); the services decide who may act (403) and from which state (a message on the form)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role, User
from cases.selectors import can_approve, cases_visible_to
from deadlines.selectors import subject_deadlines
from litigation.approvals import PendingApproval
from pil_tracker.files import private_file_response
from pil_tracker.services import call_service
from pil_tracker.views import form_service_view
from referrals import services
from referrals.filters import ReferralFilter
from referrals.forms import (
    AcknowledgeForm,
    EmptyForm,
    FileForm,
    IncomingForm,
    OutcomeForm,
    OutgoingForm,
    ReturnForm,
)
from referrals.models import SUBJECT_TYPE, Referral, ReferralFile
from referrals.selectors import referral_list as referral_list_selector
from referrals.selectors import referrals_pending_approval_for, referrals_visible_to
from submissions.decorators import submit_once

PAGE_SIZE = 50


def _may_read_referrals(user: User) -> bool:
    return user.is_superuser or user.role in (Role.PROCURATOR, Role.SUPERVISOR, Role.DISCIPLINE_LIAISON)


def inbox_part(user: User, limit: int) -> list[PendingApproval]:
    """The referrals waiting for the supervisor's approval, for the approvals inbox
    (litigation/approvals.py, registered in referrals/apps.py)."""
    rows = (
        referrals_pending_approval_for(user)
        .select_related("case__procuratorate", "case__handler", "receiver", "created_by")
        .order_by("submitted_at", "id")[:limit]
    )
    return [
        PendingApproval(
            kind="referral",
            label=_("线索移送（%(receiver)s）") % {"receiver": r.receiver.name},
            case=r.case,
            submitted_at=r.submitted_at,
            submitted_by=r.created_by,
            url=reverse("referral_detail", args=[r.pk]),
        )
        for r in rows
    ]


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _may_read_referrals(user):
        raise Http404
    rows = referral_list_selector(user)
    referral_filter = ReferralFilter(request.GET, queryset=rows, request=request)
    page = Paginator(referral_filter.qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    deadlines = subject_deadlines(SUBJECT_TYPE, [r.pk for r in page.object_list])
    for referral in page.object_list:
        referral.open_deadlines = [d for d in deadlines.get(referral.pk, []) if d.status == d.Status.OPEN]
    return render(
        request,
        "referrals/referral_list.html",
        {
            "filter": referral_filter,
            "page_obj": page,
            "can_create_incoming": user.role == Role.DISCIPLINE_LIAISON and user.organisation_id,
        },
    )


def _referral_or_404(request: HttpRequest, pk: int) -> Referral:
    return get_object_or_404(
        referrals_visible_to(request.user).select_related(
            "sender",
            "receiver",
            "case",
            "agency",
            "domain",
            "lead",
            "created_by",
            "decided_by",
            "sent_by",
            "acknowledged_by",
            "outcome_by",
        ),
        pk=pk,
    )


@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = _referral_or_404(request, pk)
    S = Referral.Status
    editor = services.can_edit_referral(user, referral)
    receiver = services.can_receive(user, referral)
    approver = referral.is_outgoing and can_approve(user, referral.case) and referral.status == S.PENDING
    send_from = S.APPROVED if referral.is_outgoing else S.DRAFT
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "steps": referral.steps.select_related("actor"),
            "files": referral.files.select_related("uploaded_by"),
            "deadlines": subject_deadlines(SUBJECT_TYPE, [referral.pk])[referral.pk],
            "can_submit": editor and referral.is_outgoing and referral.status == S.DRAFT,
            "can_send": editor and referral.status == send_from,
            "can_add_file": editor and referral.status in (S.DRAFT, S.PENDING, S.APPROVED),
            "can_decide": approver,
            "can_acknowledge": receiver and referral.status == S.SENT,
            "can_record_outcome": receiver and referral.status == S.RECEIVED,
            "case_visible": referral.case_id is not None
            and cases_visible_to(user).filter(pk=referral.case_id).exists(),
            "return_form": ReturnForm(),
            "acknowledge_form": AcknowledgeForm(),
            "outcome_form": OutcomeForm(),
            "file_form": FileForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def referral_create_outgoing(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_object_or_404(cases_visible_to(request.user), pk=case_pk)
    if request.method == "POST":
        form = OutgoingForm(request.POST)
        if form.is_valid():
            referral = call_service(
                form, services.referral_create_outgoing, user=request.user, case=case, **form.cleaned_data
            )
            if referral is not None:
                messages.success(request, _("线索移送已起草。"))
                return redirect("referral_detail", pk=referral.pk)
    else:
        form = OutgoingForm()
    return render(request, "referrals/referral_form.html", {"form": form, "case": case})


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def referral_create_incoming(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role != Role.DISCIPLINE_LIAISON or user.organisation is None:
        raise Http404
    form = IncomingForm(request.POST or None, commission=user.organisation)
    if request.method == "POST" and form.is_valid():
        referral = call_service(form, services.referral_create_incoming, user=user, **form.cleaned_data)
        if referral is not None:
            messages.success(request, _("线索移送已起草。"))
            return redirect("referral_detail", pk=referral.pk)
    return render(request, "referrals/referral_form.html", {"form": form})


_ACTIONS = {
    "submit": (EmptyForm, services.referral_submit, _("已提请审批。")),
    "approve": (EmptyForm, services.referral_approve, _("已审批同意。")),
    "return": (ReturnForm, services.referral_return, _("已退回。")),
    "send": (EmptyForm, services.referral_send, _("已移送。")),
    "acknowledge": (AcknowledgeForm, services.referral_acknowledge, _("已签收。")),
    "outcome": (OutcomeForm, services.referral_record_outcome, _("处理结果已反馈。")),
    "file": (FileForm, services.referral_file_add, _("材料已上传。")),
}


@login_required
@require_http_methods(["GET", "POST"])
def referral_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in _ACTIONS:
        raise Http404
    referral = _referral_or_404(request, pk)
    form_class, service, success = _ACTIONS[action]
    return form_service_view(
        request,
        form_class=form_class,
        service=service,
        success_message=str(success),
        success_url=reverse("referral_detail", args=[referral.pk]),
        template="referrals/referral_action.html",
        service_kwargs={"referral": referral},
        context={"referral": referral, "action": action},
    )


@login_required
def referral_file_download(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(ReferralFile.objects.filter(referral__in=referrals_visible_to(request.user)), pk=pk)
    return private_file_response(record.file, filename=record.original_name, content_type=record.content_type)
