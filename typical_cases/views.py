"""Typical-case pages (internal), the public page (no login), and congress requests. Thin: each
reads through typical_cases.selectors (out of scope: 404) and writes through one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from cases.models import Domain
from pil_tracker.errors import DomainError
from pil_tracker.files import private_file_response
from pil_tracker.services import call_service
from pil_tracker.views import form_service_view
from submissions.decorators import submit_once
from typical_cases import selectors, services
from typical_cases.anonymisation import suggested_replacements
from typical_cases.answers import report_choices, report_upload
from typical_cases.forms import (
    CaseNumberForm,
    CongressAnswerForm,
    CongressRequestForm,
    PeriodForm,
    ReasonForm,
    TypicalCaseForm,
)
from typical_cases.models import CongressAnswerFile, CongressRequest, TypicalCase

# --- Internal ----------------------------------------------------------------------------------


def _staff_only(request: HttpRequest) -> None:
    if not (request.user.is_procuratorate_staff or request.user.is_superuser):
        raise Http404


@login_required
def typical_case_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    entries = (
        selectors.typical_cases_visible_to(request.user)
        .select_related("case", "domain", "procuratorate", "written_by")
        .order_by("-updated_at", "-id")
    )
    status = request.GET.get("status", "")
    if status in TypicalCase.Status.values:
        entries = entries.filter(status=status)
    page = Paginator(entries, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "typical_cases/list.html",
        {"page": page, "status": status, "statuses": TypicalCase.Status.choices},
    )


@login_required
@submit_once
def typical_case_new(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = CaseNumberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        case = form.cleaned_data["number"]
        if request.user.is_supervisor:
            typical = call_service(form, services.typical_case_start, user=request.user, case=case)
        else:
            typical = call_service(
                form, services.typical_case_propose, user=request.user, case=case, note=form.cleaned_data["note"]
            )
        if typical is not None:
            messages.success(request, _("已保存。"))
            return redirect("typical_case_detail", typical.pk)
    return render(request, "typical_cases/form.html", {"form": form, "title": _("推荐或撰写典型案例")})


def _entry(request: HttpRequest, pk: int) -> TypicalCase:
    return get_object_or_404(
        selectors.typical_cases_visible_to(request.user).select_related(
            "case", "domain", "procuratorate", "written_by", "reviewed_by", "proposed_by"
        ),
        pk=pk,
    )


@login_required
def typical_case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    typical = _entry(request, pk)
    user = request.user
    supervisor = user.acts_as_supervisor_of(typical.procuratorate)
    return render(
        request,
        "typical_cases/detail.html",
        {
            "typical": typical,
            "can_write": supervisor and typical.status in ("proposed", "draft", "returned"),
            "can_review": supervisor and typical.status == "submitted" and typical.written_by_id != user.pk,
            "is_writer": typical.written_by_id == user.pk,
            "can_withdraw": supervisor and typical.status != "withdrawn",
        },
    )


@login_required
def typical_case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    typical = _entry(request, pk)
    return form_service_view(
        request,
        form_class=TypicalCaseForm,
        service=services.typical_case_update,
        success_message=_("已保存。"),
        success_url=reverse("typical_case_detail", args=[typical.pk]),
        template="typical_cases/edit.html",
        service_kwargs={"typical": typical},
        form_kwargs={} if request.method == "POST" else {"initial": TypicalCaseForm.initial_for(typical)},
        context={"typical": typical, "suggestion": suggested_replacements(typical.case)},
    )


def _transition(request: HttpRequest, pk: int, service, success: str) -> HttpResponse:
    typical = _entry(request, pk)
    try:
        result = service(user=request.user, typical=typical)
    except DomainError as error:
        if error.code == "permission_denied":
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
        return redirect("typical_case_detail", typical.pk)
    messages.success(request, success)
    return redirect("typical_case_detail", result.pk)


@login_required
@require_POST
def typical_case_start(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor turns a proposal into a draft (prefilled and anonymised)."""
    return _transition(
        request,
        pk,
        lambda *, user, typical: services.typical_case_start(user=user, case=typical.case),
        _("已开始撰写，请修改并核对化名替换。"),
    )


@login_required
@require_POST
def typical_case_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.typical_case_submit, _("已提交审核。"))


@login_required
@require_POST
def typical_case_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.typical_case_publish, _("已发布。"))


def _with_reason(request: HttpRequest, pk: int, service, success: str, title: str) -> HttpResponse:
    typical = _entry(request, pk)
    return form_service_view(
        request,
        form_class=ReasonForm,
        service=service,
        success_message=success,
        success_url=reverse("typical_case_detail", args=[typical.pk]),
        template="typical_cases/form.html",
        service_kwargs={"typical": typical},
        context={"title": title, "typical": typical},
    )


@login_required
def typical_case_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(request, pk, services.typical_case_return, _("已退回。"), _("退回典型案例"))


@login_required
def typical_case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(request, pk, services.typical_case_withdraw, _("已撤回。"), _("撤回典型案例"))


# --- The public page (no login) -------------------------------------------------------------------

# Cache-friendly: the same for every visitor (Vary on cookie and language is set by the middleware).
PUBLIC_CACHE = {"max_age": 300}


def _public_filtered(request: HttpRequest):
    entries = selectors.published_typical_cases()
    domain = request.GET.get("domain", "")
    year = request.GET.get("year", "")
    q = request.GET.get("q", "").strip()[:100]
    if domain:
        entries = entries.filter(domain__code=domain)
    if year.isdigit() and len(year) == 4:
        entries = entries.filter(year=int(year))
    if q:
        entries = entries.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return entries, {"domain": domain, "year": year, "q": q}


@cache_control(**PUBLIC_CACHE)
def public_list(request: HttpRequest) -> HttpResponse:
    entries, filters = _public_filtered(request)
    page = Paginator(entries, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "typical_cases/public_list.html",
        {
            "page": page,
            "filters": filters,
            "domains": Domain.objects.filter(is_active=True).order_by("sort_order", "id"),
            "years": selectors.published_years(),
        },
    )


@cache_control(**PUBLIC_CACHE)
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.published_typical_cases().filter(pk=pk).first()
    if entry is None:
        raise Http404
    return render(request, "typical_cases/public_detail.html", {"entry": entry})


# --- People's congress oversight ------------------------------------------------------------------


@login_required
def congress_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    today = timezone.localdate()
    requests = selectors.congress_requests_visible_to(request.user).select_related("procuratorate")
    figure = request.GET.get("figure", "")
    form = PeriodForm(request.GET)
    if figure in selectors.FIGURE_LABELS and form.is_valid():
        data = form.cleaned_data
        requests = requests.filter(
            selectors.congress_figure_q(figure, start=data["start"], end=data["end"], today=today)
        )
        procuratorates = data.get("procuratorates")
        if procuratorates:
            requests = requests.filter(procuratorate_id__in=procuratorates)
    status = request.GET.get("status", "")
    if status == "overdue":
        requests = requests.filter(status=CongressRequest.Status.OPEN, due_on__lt=today)
    elif status in CongressRequest.Status.values:
        requests = requests.filter(status=status)
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    for item in page:
        item.overdue = item.is_overdue(today)
    return render(
        request,
        "typical_cases/congress_list.html",
        {
            "page": page,
            "status": status,
            "figure_label": selectors.FIGURE_LABELS.get(figure),
            "can_record": request.user.is_active_supervisor,
        },
    )


@login_required
@submit_once
def congress_new(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    if not request.user.is_active_supervisor:
        raise PermissionDenied(_("只有检察院负责人可以登记人大监督事项。"))
    return form_service_view(
        request,
        form_class=CongressRequestForm,
        service=services.congress_request_record,
        success_message=_("已登记。"),
        success_url=reverse("congress_list"),
        template="typical_cases/form.html",
        form_kwargs={"user": request.user},
        context={"title": _("登记人大监督事项")},
    )


def _congress(request: HttpRequest, pk: int) -> CongressRequest:
    return get_object_or_404(
        selectors.congress_requests_visible_to(request.user).select_related(
            "procuratorate", "recorded_by", "answered_by"
        ),
        pk=pk,
    )


@login_required
def congress_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _congress(request, pk)
    return render(
        request,
        "typical_cases/congress_detail.html",
        {
            "item": item,
            "overdue": item.is_overdue(timezone.localdate()),
            "files": item.files.all(),
            "can_answer": item.status == "open" and request.user.acts_as_supervisor_of(item.procuratorate),
        },
    )


@login_required
def congress_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = _congress(request, pk)
    if not request.user.acts_as_supervisor_of(item.procuratorate):
        raise PermissionDenied(_("只有本院或上级院的检察院负责人可以进行此操作。"))
    form = CongressAnswerForm(request.POST or None, request.FILES or None, report_choices=report_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload, job_id = data.get("upload"), None
        if data.get("report"):
            upload, job_id = report_upload(request.user, data["report"]), data["report"]
        if upload is None:
            form.add_error("report", _("该报表不存在或尚未生成完成。"))
        elif call_service(
            form,
            services.congress_request_answer,
            user=request.user,
            request=item,
            answered_on=data["answered_on"],
            answer_note=data["answer_note"],
            upload=upload,
            report_job_id=job_id,
        ):
            messages.success(request, _("已记录答复。"))
            return redirect("congress_detail", item.pk)
    return render(request, "typical_cases/form.html", {"form": form, "title": _("记录答复"), "item": item})


@login_required
def congress_file(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        CongressAnswerFile.objects.filter(request__in=selectors.congress_requests_visible_to(request.user)), pk=pk
    )
    return private_file_response(record.file, filename=record.original_name, content_type=record.content_type)
