"""The liaison's supervision pages (督办): the escalations addressed to them, one escalation with the
recommendation's items and the agency's reports, recording an action; file downloads.

Each view starts from a selector: anything out of the user's scope answers 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from deadlines.models import DeadlineAlert
from pil_tracker.files import private_file_response
from pil_tracker.views import form_service_view
from submissions.decorators import submit_once
from supervision import selectors, services
from supervision.forms import SupervisionActionForm


def _escalation_or_404(request: HttpRequest, pk: int) -> DeadlineAlert:
    return get_object_or_404(
        selectors.escalations_visible_to(request.user).select_related(
            "deadline__rule", "deadline__recommendation__agency", "deadline__case__procuratorate"
        ),
        pk=pk,
    )


@login_required
def escalation_list(request: HttpRequest) -> HttpResponse:
    if not selectors.is_liaison(request.user):
        raise PermissionDenied  # the page of the discipline liaisons
    escalations = selectors.with_days_overdue(selectors.escalation_list(request.user), timezone.localdate())
    return render(request, "supervision/escalation_list.html", {"escalations": escalations})


@login_required
def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation_or_404(request, pk)
    context = selectors.escalation_page(request.user, escalation, today=timezone.localdate())
    return render(request, "supervision/escalation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _escalation_or_404(request, pk)
    return form_service_view(
        request,
        form_class=SupervisionActionForm,
        service=services.supervision_action_record,
        service_kwargs={"escalation": escalation},
        success_message=_("督办措施已记录。"),
        success_url=reverse("supervision_escalation_detail", args=[escalation.pk]),
        template="supervision/action_form.html",
        context={
            "escalation": escalation,
            "recommendation": escalation.deadline.recommendation,
        },
    )


@login_required
def feedback_file_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(selectors.liaison_feedback_files(request.user), pk=pk)
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
def action_file_download(request: HttpRequest, pk: int) -> FileResponse:
    stored = get_object_or_404(selectors.supervision_action_files_visible_to(request.user), pk=pk)
    return private_file_response(stored.file, filename=stored.original_name, content_type=stored.content_type)
