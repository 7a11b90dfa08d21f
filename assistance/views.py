"""The assistance pages: the procurator's list, request form, detail, close and withdraw; the
agency's answer. Every page reads through assistance.selectors (out of scope = 404); who may act is
checked up-front (403) and the services decide the rest. The agency's pages show the request's own
text only, nothing else of the case."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import User
from assistance import services
from assistance.forms import AnswerForm, CloseForm, RequestFilterForm, RequestForm, WithdrawForm
from assistance.models import SUBJECT_TYPE, AssistanceRequest
from assistance.selectors import assistance_files_visible_to, assistance_visible_to, can_request
from cases.selectors import can_edit_case, cases_visible_to
from deadlines.selectors import subject_deadlines
from pil_tracker.files import private_file_response
from pil_tracker.views import form_service_view
from submissions.decorators import submit_once


def _request_or_404(request: HttpRequest, pk: int) -> AssistanceRequest:
    return get_object_or_404(
        assistance_visible_to(request.user).select_related("case", "agency", "requested_by", "answered_by"), pk=pk
    )


def _detail_url(user, pk: int) -> str:
    return reverse("agency_assistance_detail" if user.is_agency_staff else "assistance_detail", args=[pk])


@login_required
def assistance_list(request: HttpRequest) -> HttpResponse:
    form = RequestFilterForm(request.GET or None)
    requests = assistance_visible_to(request.user).select_related("agency", "case")
    if form.is_valid():
        if form.cleaned_data["status"]:
            requests = requests.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["kind"]:
            requests = requests.filter(kind=form.cleaned_data["kind"])
    page = Paginator(requests, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/request_list.html",
        {"page_obj": page, "form": form, "agency_view": request.user.is_agency_staff, "today": timezone.localdate()},
    )


@login_required
def assistance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assistance = _request_or_404(request, pk)
    deadlines = subject_deadlines(SUBJECT_TYPE, [assistance.pk])[assistance.pk]
    agency_view = user.is_agency_staff
    editor = not agency_view and can_edit_case(user, assistance.case)
    return render(
        request,
        "assistance/request_detail.html",
        {
            "assistance": assistance,
            "files": assistance_files_visible_to(user).filter(request=assistance).select_related("uploaded_by"),
            "deadline": deadlines[-1] if deadlines else None,
            "agency_view": agency_view,
            "can_answer": agency_view
            and user.acts_for_agency
            and user.organisation_id == assistance.agency_id
            and assistance.status == AssistanceRequest.Status.SENT,
            "can_close": editor and assistance.status == AssistanceRequest.Status.ANSWERED,
            "can_withdraw": editor and assistance.status == AssistanceRequest.Status.SENT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def assistance_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_object_or_404(cases_visible_to(request.user), pk=case_pk)
    if not can_request(request.user, case):
        raise PermissionDenied(_("只有本案承办检察官或协办人可以进行此操作。"))
    return form_service_view(
        request,
        form_class=RequestForm,
        service=services.assistance_request_send,
        success_message=_("已发出协助调查请求。"),
        success_url=reverse("case_detail", args=[case.pk]),
        template="inspections/form.html",
        service_kwargs={"case": case},
        form_kwargs={"case": case},
        context={
            "title": _("请求行政机关协助调查"),
            "subject": f"{case.number} {case.title}",
            "cancel_url": reverse("case_detail", args=[case.pk]),
        },
    )


def _step(
    request: HttpRequest,
    pk: int,
    *,
    allowed: Callable[[User, AssistanceRequest], bool],
    form_class,
    service,
    title: str,
    done: str,
) -> HttpResponse:
    assistance = _request_or_404(request, pk)
    if not allowed(request.user, assistance):
        raise PermissionDenied
    url = _detail_url(request.user, assistance.pk)
    return form_service_view(
        request,
        form_class=form_class,
        service=service,
        success_message=done,
        success_url=url,
        template="inspections/form.html",
        service_kwargs={"request": assistance},
        context={"title": title, "subject": assistance.subject, "cancel_url": url},
    )


def _is_agency(user: User, assistance: AssistanceRequest) -> bool:
    return user.acts_for_agency and user.organisation_id == assistance.agency_id


def _is_editor(user: User, assistance: AssistanceRequest) -> bool:
    return not user.is_agency_staff and can_edit_case(user, assistance.case)


@login_required
@require_http_methods(["GET", "POST"])
def assistance_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        allowed=_is_agency,
        form_class=AnswerForm,
        service=services.assistance_answer,
        title=_("答复协助请求"),
        done=_("已答复。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assistance_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        allowed=_is_editor,
        form_class=CloseForm,
        service=services.assistance_close,
        title=_("办结协助请求"),
        done=_("已办结。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assistance_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        allowed=_is_editor,
        form_class=WithdrawForm,
        service=services.assistance_withdraw,
        title=_("撤回协助请求"),
        done=_("已撤回。"),
    )


@login_required
def assistance_file_download(request: HttpRequest, pk: int) -> FileResponse:
    record = get_object_or_404(assistance_files_visible_to(request.user), pk=pk)
    return private_file_response(record.file, filename=record.original_name, content_type=record.content_type)
