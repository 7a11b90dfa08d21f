"""The inspection pages: list, detail, plan, edit, hold, cancel, record a finding, make a lead.

Every page reads through inspections.selectors (out of scope = 404); writers are checked up-front
(in scope but not allowed = 403) and the services decide the rest."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from cases.selectors import leads_visible_to
from inspections import services
from inspections.forms import CancelForm, FindingForm, HoldForm, InspectionFilterForm, InspectionForm
from inspections.models import Inspection
from inspections.selectors import can_make_lead, can_record, findings_visible_to, inspections_visible_to
from pil_tracker.errors import DomainError
from pil_tracker.services import call_service
from pil_tracker.views import form_service_view
from submissions.decorators import submit_once


def _inspection_or_404(request: HttpRequest, pk: int) -> Inspection:
    return get_object_or_404(inspections_visible_to(request.user).select_related("procuratorate", "organiser"), pk=pk)


def _to_record(request: HttpRequest, pk: int) -> Inspection:
    inspection = _inspection_or_404(request, pk)
    if not can_record(request.user, inspection):
        raise PermissionDenied(_("只有本院或上级院负责人可以登记执法检查。"))
    return inspection


def can_plan(user: User) -> bool:
    return bool(user.is_active and user.is_supervisor and user.organisation_id)


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    form = InspectionFilterForm(request.GET or None)
    inspections = inspections_visible_to(request.user).select_related("procuratorate", "organiser")
    if form.is_valid():
        if form.cleaned_data["status"]:
            inspections = inspections.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["kind"]:
            inspections = inspections.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["q"]:
            inspections = inspections.filter(title__icontains=form.cleaned_data["q"])
    page = Paginator(inspections, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/inspection_list.html",
        {"page_obj": page, "form": form, "can_plan": can_plan(request.user)},
    )


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = _inspection_or_404(request, pk)
    findings = list(findings_visible_to(user).filter(inspection=inspection).select_related("agency", "domain", "lead"))
    visible_leads = set(
        leads_visible_to(user).filter(pk__in=[f.lead_id for f in findings if f.lead_id]).values_list("pk", flat=True)
    )
    for finding in findings:
        finding.lead_visible = finding.lead_id in visible_leads
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "participants": inspection.participants.order_by("kind", "name"),
            "findings": findings,
            "can_record": can_record(user, inspection),
            "can_make_lead": can_make_lead(user, inspection),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def inspection_create(request: HttpRequest) -> HttpResponse:
    if not can_plan(request.user):
        raise PermissionDenied(_("只有本院或上级院负责人可以登记执法检查。"))
    if request.method == "POST":
        form = InspectionForm(request.POST)
        if form.is_valid():
            inspection = call_service(form, services.inspection_plan, user=request.user, **form.cleaned_data)
            if inspection is not None:
                messages.success(request, _("已登记执法检查计划。"))
                return redirect("inspection_detail", inspection.pk)
    else:
        form = InspectionForm()
    return render(
        request,
        "inspections/form.html",
        {"form": form, "title": _("登记执法检查"), "cancel_url": reverse("inspection_list")},
    )


def _action(request: HttpRequest, pk: int, *, form_class, service, title: str, done: str, inspection_kwargs=None):
    inspection = _to_record(request, pk)
    url = reverse("inspection_detail", args=[inspection.pk])
    return form_service_view(
        request,
        form_class=form_class,
        service=service,
        success_message=done,
        success_url=url,
        template="inspections/form.html",
        service_kwargs={"inspection": inspection},
        form_kwargs=inspection_kwargs,
        context={"title": title, "inspection": inspection, "cancel_url": url},
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _to_record(request, pk)
    initial = {
        "kind": inspection.kind,
        "title": inspection.title,
        "subject": inspection.subject,
        "starts_on": inspection.starts_on,
        "ends_on": inspection.ends_on,
        "organiser": inspection.organiser_id,
        "participants": list(inspection.participants.values_list("pk", flat=True)),
    }
    return _action(
        request,
        pk,
        form_class=InspectionForm,
        service=services.inspection_update,
        title=_("修改检查计划"),
        done=_("已保存。"),
        inspection_kwargs={"initial": initial},
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_hold(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        form_class=HoldForm,
        service=services.inspection_hold,
        title=_("记录开展情况"),
        done=_("已记录检查开展情况。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        form_class=CancelForm,
        service=services.inspection_cancel,
        title=_("取消检查"),
        done=_("已取消检查。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        form_class=FindingForm,
        service=services.finding_add,
        title=_("记录发现的问题"),
        done=_("已记录发现的问题。"),
    )


@login_required
@require_POST
def finding_make_lead(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(findings_visible_to(request.user).select_related("inspection"), pk=pk)
    if not can_make_lead(request.user, finding.inspection):
        raise PermissionDenied(_("只有检查所在检察院的检察人员可以将问题转为线索。"))
    try:
        lead, created = services.finding_make_lead(user=request.user, finding=finding)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("inspection_detail", finding.inspection_id)
    messages.success(request, _("已转为线索。") if created else _("该问题已转为线索。"))
    return redirect("lead_detail", lead.pk)
