"""The interference pages: the list (with filters), a record, the record form and the correction
form, and the download of a material. Every read goes through interference.selectors (out of scope:
404); the services decide who may record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from interference import services
from interference.filters import InterferenceRecordFilter
from interference.forms import InterferenceCorrectionForm, InterferenceRecordForm
from interference.selectors import (
    cases_for_recording,
    interference_attachments_visible_to,
    interference_record_list,
    may_read_any,
)
from pil_tracker.files import private_file_response
from pil_tracker.views import form_service_view
from submissions.decorators import submit_once

PAGE_SIZE = 50


def _require_reader(request: HttpRequest) -> None:
    if not may_read_any(request.user):
        raise PermissionDenied


@login_required
@require_GET
def interference_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    filterset = InterferenceRecordFilter(request.GET, queryset=interference_record_list(request.user))
    records = filterset.qs if filterset.is_valid() else interference_record_list(request.user).none()
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "interference/list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "can_record": cases_for_recording(request.user).exists(),
        },
        status=200 if filterset.is_valid() else 400,
    )


@login_required
@require_GET
def interference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(interference_record_list(request.user), pk=pk)
    corrections = interference_record_list(request.user).filter(corrects=record)
    return render(
        request,
        "interference/detail.html",
        {
            "record": record,
            "attachments": record.attachments.select_related("uploaded_by"),
            "correction": corrections.first(),
            "can_correct": services.can_record_on(request.user, record.case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def interference_create(request: HttpRequest) -> HttpResponse:
    if not cases_for_recording(request.user).exists():
        raise PermissionDenied
    initial = {}
    # ?case= from the case page's link preselects the case (the form's choices still decide).
    if (case_id := request.GET.get("case", "").strip()).isdigit() and len(case_id) < 19:
        initial["case"] = case_id
    return form_service_view(
        request,
        form_class=InterferenceRecordForm,
        service=_record,
        success_message=_("干预司法记录已登记。"),
        success_url=reverse("interference_list"),
        template="interference/form.html",
        form_kwargs={"user": request.user, "initial": initial} if request.method == "GET" else {"user": request.user},
    )


def _record(**kwargs):
    return services.interference_record(today=timezone.localdate(), **kwargs)


def _correct(**kwargs):
    return services.interference_correct(today=timezone.localdate(), **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def interference_correct(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(interference_record_list(request.user), pk=pk)
    if not services.can_record_on(request.user, record.case):
        raise PermissionDenied
    form_kwargs = {"initial": InterferenceCorrectionForm.initial_from(record)} if request.method == "GET" else {}
    return form_service_view(
        request,
        form_class=InterferenceCorrectionForm,
        service=_correct,
        service_kwargs={"record": record},
        success_message=_("更正记录已登记。"),
        success_url=reverse("interference_list"),
        template="interference/correct.html",
        form_kwargs=form_kwargs,
        context={"record": record},
    )


@login_required
@require_GET
def interference_file(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(interference_attachments_visible_to(request.user), pk=pk)
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
