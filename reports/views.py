"""The reports page (a request form per kind and the user's jobs), a job's page with its progress,
the progress as JSON for the page's polling script, and the download.

Supervisors request every kind of report, the discipline liaison the quarterly interference
report (403 for everyone else); a job is its requester's alone, so any
other user gets 404 for its page, status and file, exactly like a job that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pil_tracker.files import private_file_response
from pil_tracker.services import call_service
from reports import services
from reports.forms import FORMS
from reports.models import ReportJob
from reports.selectors import recent_report_jobs, report_jobs_visible_to


def _require_requester(request: HttpRequest) -> None:
    if not services.can_request_reports(request.user):
        raise PermissionDenied


def _index(request: HttpRequest, *, bound=None, status: int = 200) -> HttpResponse:
    kinds = services.kinds_for(request.user)
    forms = {kind: form_class(user=request.user) for kind, form_class in FORMS.items() if kind in kinds}
    if bound is None and request.GET.get("kind") in forms:
        # A link from another page (a joint meeting's) fills the form in: ?kind=briefing&agency=…&meeting=….
        kind = request.GET["kind"]
        initial = {key: request.GET[key] for key in ("agency", "meeting") if request.GET.get(key, "").isdigit()}
        forms[kind] = FORMS[kind](user=request.user, initial=initial)
        bound = forms[kind]
    elif bound is not None:
        forms[bound.kind] = bound
    context = {
        "forms": [(ReportJob.Kind(kind).label, form) for kind, form in forms.items()],
        "active_kind": bound.kind if bound is not None else kinds[0],
        "jobs": recent_report_jobs(request.user),
    }
    return render(request, "reports/index.html", context, status=status)


@login_required
@require_GET
def reports_index(request: HttpRequest) -> HttpResponse:
    _require_requester(request)
    return _index(request)


@login_required
@require_POST
def report_request(request: HttpRequest, kind: str) -> HttpResponse:
    if not services.can_request_reports(request.user, kind):
        raise PermissionDenied
    form = FORMS[kind](request.POST, user=request.user)
    if form.is_valid():
        job = call_service(
            form,
            services.report_request,
            user=request.user,
            kind=kind,
            params=form.params(),
            today=timezone.localdate(),
        )
        if job is not None:
            # No "started" message: it would outlive the job on the page it lands on. The job page
            # says what is happening (generating, ready, failed) and follows it.
            return redirect("report_job", pk=job.pk)
    return _index(request, bound=form, status=400)


@login_required
@require_GET
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(report_jobs_visible_to(request.user), pk=pk)
    return render(request, "reports/job.html", {"job": job})


def job_status(job: ReportJob) -> dict:
    """What the job page shows, for its polling script (static/js/reports.js)."""
    done = job.status == ReportJob.Status.DONE
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": 100 if done else job.progress,
        "finished": job.is_finished,
        "error": job.error,
        "download_url": reverse("report_job_download", args=[job.pk]) if done else "",
        "filename": job.filename,
    }


@login_required
@require_GET
def report_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = get_object_or_404(report_jobs_visible_to(request.user), pk=pk)
    response = JsonResponse(job_status(job))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report_job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(report_jobs_visible_to(request.user), pk=pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404(_("报表尚未生成。"))
    return private_file_response(job.file, filename=job.filename, content_type=job.content_type)
