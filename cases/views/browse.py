"""The procurator's browse pages: home, leads (list, register, show, edit, decline, open a case),
cases (list, export, show, edit).

Each view starts from a selector (out of scope = 404), checks up-front whether the user may act
(in scope but not allowed = 403), validates with a form and calls one service through
`call_service`, which turns a refusal into a form error and changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role, User
from cases import services, timeline
from cases.exports import cases_csv_response, cases_xlsx_response
from cases.filters import CaseFilter, LeadFilter
from cases.forms.browse import CaseForm, LeadDeclineForm, LeadForm, LeadOpenCaseForm
from cases.models import Attachment, Case, Consultation, Event, Investigation, Lead, Recommendation
from cases.portal import (
    case_links,
    case_may_have,
    case_page_templates,
    case_parts,
    lead_origins,
    lead_page_templates,
    with_case_flags,
)
from cases.selectors import (
    CONFIDENTIAL_FIELDS,
    attachments_visible_to,
    can_approve,
    can_edit_case,
    can_file_with_superior,
    can_see_confidential,
    case_timeline,
    cases_visible_to,
    leads_visible_to,
    recommendations_visible_to,
    scope_split,
    with_confidential_flag,
)
from cases.selectors import case_list as case_list_selector
from deadlines.models import DeadlineChange
from deadlines.selectors import case_deadlines
from pil_tracker.filtering import active_filter_count
from pil_tracker.pagination import CappedPaginator
from pil_tracker.services import call_service
from submissions.decorators import submit_once


def _require_procuratorate_user(user: User) -> None:
    """The lead and case pages belong to procuratorate staff (and administrators)."""
    if not (user.is_superuser or user.is_procuratorate_staff):
        raise PermissionDenied


def can_act_on_lead(user: User, lead: Lead) -> bool:
    """Staff of the lead's own procuratorate evaluate it; a higher procuratorate only reads it.

    The same rule the lead services enforce; asked here to answer 403 before showing a form.
    """
    return (
        user.is_active
        and user.role in (Role.PROCURATOR, Role.SUPERVISOR)
        and lead.procuratorate_id == user.organisation_id
    )


def _paginate(request: HttpRequest, queryset):
    # A cheap count and id-first deep pages, merged per procuratorate of the scope
    # (pil_tracker/pagination.py): the lists reach a million rows.
    paginator = CappedPaginator(queryset, settings.PAGE_SIZE, split_by=scope_split(request.user))
    return paginator.get_page(request.GET.get("page"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_supervisor:
        return redirect("dashboard")  # the supervisor's home page (issue 7)
    if request.user.is_superuser or request.user.is_procuratorate_staff:
        return redirect("case_list")
    if request.user.is_agency_staff:
        return redirect("agency_home")
    return render(request, "home.html")


# Leads ------------------------------------------------------------------------------------------


@login_required
def lead_list(request: HttpRequest) -> HttpResponse:
    _require_procuratorate_user(request.user)
    leads = with_confidential_flag(leads_visible_to(request.user), request.user).select_related(
        "procuratorate", "domain"
    )
    lead_filter = LeadFilter(request.GET, queryset=leads, request=request)
    return render(
        request,
        "cases/lead_list.html",
        {
            "filter": lead_filter,
            "active_filters": active_filter_count(lead_filter),
            "page_obj": _paginate(request, lead_filter.qs),
            "can_register": bool(request.user.organisation_id and request.user.is_procuratorate_staff),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def lead_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_procuratorate_staff and user.organisation_id):
        raise PermissionDenied
    form = LeadForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        lead = call_service(form, services.lead_register, user=user, **form.cleaned_data)
        if lead is not None:
            messages.success(request, _("线索已登记。"))
            return redirect("lead_detail", pk=lead.pk)
    return render(request, "cases/lead_form.html", {"form": form, "lead": None})


def _lead_or_404(request: HttpRequest, pk: int) -> Lead:
    leads = leads_visible_to(request.user).select_related(
        "procuratorate", "domain", "agency", "registered_by", "evaluated_by", "case"
    )
    return get_object_or_404(leads, pk=pk)


def _lead_to_act_on(request: HttpRequest, pk: int) -> Lead:
    lead = _lead_or_404(request, pk)
    if not can_act_on_lead(request.user, lead):
        raise PermissionDenied(_("只有本院检察人员可以处理该线索。"))
    return lead


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_or_404(request, pk)
    case = getattr(lead, "case", None)
    confidential = can_see_confidential(request.user, case=case, lead=lead)
    events = list(lead.events.select_related("actor"))
    for event in events:
        if not confidential:
            event.changes = {k: v for k, v in (event.changes or {}).items() if k not in CONFIDENTIAL_FIELDS}
        event.text = timeline.event_text(event)
    return render(
        request,
        "cases/lead_detail.html",
        {
            "lead": lead,
            "case": case,
            "can_act": can_act_on_lead(request.user, lead) and lead.status == Lead.Status.PENDING,
            "can_see_confidential": confidential,
            "events": events,
            "page_parts": lead_page_templates(),
            # Where the lead came from (a joint inspection, …), registered with cases.portal.
            "origins": lead_origins(request.user, lead),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_to_act_on(request, pk)
    form = LeadForm(request.POST or None, user=request.user, lead=lead)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.lead_update, user=request.user, lead=lead, **form.cleaned_data)
    ):
        messages.success(request, _("线索已修改。"))
        return redirect("lead_detail", pk=lead.pk)
    return render(request, "cases/lead_form.html", {"form": form, "lead": lead})


@login_required
@require_http_methods(["GET", "POST"])
def lead_decline(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_to_act_on(request, pk)
    form = LeadDeclineForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.lead_decline, user=request.user, lead=lead, **form.cleaned_data)
    ):
        messages.success(request, _("已决定不予立案。"))
        return redirect("lead_detail", pk=lead.pk)
    return render(request, "cases/lead_decline.html", {"form": form, "lead": lead})


@login_required
@require_http_methods(["GET", "POST"])
def lead_open_case(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_to_act_on(request, pk)
    form = LeadOpenCaseForm(request.POST or None, user=request.user, lead=lead)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["agencies"] = list(data["agencies"])
        data["co_handlers"] = list(data["co_handlers"])
        case = call_service(form, services.lead_open_case, user=request.user, lead=lead, **data)
        if case is not None:
            messages.success(request, _("已立案，案号：%(number)s。") % {"number": case.number})
            return redirect("case_detail", pk=case.pk)
    return render(request, "cases/lead_open_case.html", {"form": form, "lead": lead})


# Cases ------------------------------------------------------------------------------------------


def _filtered_cases(request: HttpRequest) -> CaseFilter:
    _require_procuratorate_user(request.user)
    return CaseFilter(request.GET, queryset=case_list_selector(request.user), request=request)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    case_filter = _filtered_cases(request)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "filter": case_filter,
            "active_filters": active_filter_count(case_filter),
            "page_obj": _paginate(request, case_filter.qs),
            "ordering": request.GET.get("ordering", ""),
            "export_query": export_query.urlencode(),
            # A dashboard figure's list: its name, part and period in words, and the way back.
            "drill_down": case_filter.drill_down_banner(),
        },
    )


def _export_refused(case_filter: CaseFilter) -> HttpResponse | None:
    """An export with an invalid filter is a 400 naming the fields, not an empty (or a broken-off)
    file that looks like a result."""
    if case_filter.form.is_valid():
        return None
    errors = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in case_filter.form.errors.items())
    return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")


@login_required
def case_export_csv(request: HttpRequest) -> HttpResponse:
    case_filter = _filtered_cases(request)
    return _export_refused(case_filter) or cases_csv_response(case_filter.qs)


@login_required
def case_export_xlsx(request: HttpRequest) -> HttpResponse:
    case_filter = _filtered_cases(request)
    return _export_refused(case_filter) or cases_xlsx_response(case_filter.qs)


def _case_or_404(request: HttpRequest, pk: int, *, flags: bool = False) -> Case:
    """The case in the user's scope (else 404), with its agencies and co-handlers.

    With `flags` (the case page), read with what it has — cases.portal's flags, its own records
    below — so the page skips the queries of its empty parts (case_may_have)."""
    cases = cases_visible_to(request.user).select_related(
        "procuratorate", "domain", "handler", "lead", "lead__registered_by"
    )
    if not flags:
        return get_object_or_404(cases.prefetch_related("agencies", "co_handlers"), pk=pk)
    case = get_object_or_404(
        with_case_flags(cases).annotate(
            flag_recommendations=Exists(Recommendation.objects.filter(case=OuterRef("pk"))),
            flag_investigations=Exists(Investigation.objects.filter(case=OuterRef("pk"))),
            flag_consultations=Exists(Consultation.objects.filter(case=OuterRef("pk"))),
            flag_attachments=Exists(Attachment.objects.filter(case=OuterRef("pk"))),
            flag_co_handlers=Exists(Case.co_handlers.through.objects.filter(case_id=OuterRef("pk"))),
            flag_deadline_changes=Exists(DeadlineChange.objects.filter(deadline__case=OuterRef("pk"))),
        ),
        pk=pk,
    )
    # Most cases have no co-handler: an empty prefetch (no query) answers case.co_handlers.all().
    co_handlers = User.objects.all() if case_may_have(case, "co_handlers") else User.objects.none()
    prefetch_related_objects([case], "agencies", Prefetch("co_handlers", queryset=co_handlers))
    return case


# The case page shows the latest events; the rest are on the case's history page, paged. Rendering
# an event costs Python time (labels, before/after rows), so a long-lived case's page would
# otherwise grow with its history.
TIMELINE_LATEST = 50
HISTORY_PAGE_SIZE = 100


def timeline_entries(case: Case, *, confidential: bool, events: list[Event] | None = None) -> list[Event]:
    """The case's events (or `events` of it), each with its status labels, its note and its
    before/after rows rendered in the reader's language (cases/timeline.py).

    Without `confidential`, before/after values of the confidential fields are left out."""
    events = list(case_timeline(case)) if events is None else events
    for event in events:
        shown = event.changes or {}
        if not confidential:
            shown = {k: v for k, v in shown.items() if k not in CONFIDENTIAL_FIELDS}
        event.changes = shown
        event.from_label = timeline.status_label(event, event.from_status)
        event.to_label = timeline.status_label(event, event.to_status)
        event.text = timeline.event_text(event)
        event.change_rows = timeline.change_rows(event, shown)
    return events


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _case_or_404(request, pk, flags=True)
    confidential = can_see_confidential(user, case=case)
    deadlines = list(case_deadlines(case, changes=case_may_have(case, "deadline_changes")))
    # The latest events, newest first, and one more to know whether there are earlier ones: their
    # ids picked first, then only those joined with their actors (not every event of the case).
    newest = case_timeline(case).reverse()
    latest = list(newest.filter(pk__in=newest.values("pk")[: TIMELINE_LATEST + 1]))
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "can_see_confidential": confidential,
            "deadlines": deadlines,
            "next_deadline": min(
                (d for d in deadlines if d.status == d.Status.OPEN), key=lambda d: d.due_date, default=None
            ),
            "can_edit": can_edit_case(user, case),
            "can_approve": can_approve(user, case),
            "can_file": can_file_with_superior(user, case),
            # An empty list where the case has no such record at all (its flag): no query.
            "recommendations": recommendations_visible_to(user)
            .filter(case=case)
            .select_related("agency", "drafted_by", "decided_by", "issued_by")
            .prefetch_related("items")
            if case_may_have(case, "recommendations")
            else [],
            "investigations": case.investigations.select_related("recorded_by")
            if case_may_have(case, "investigations")
            else [],
            "consultations": case.consultations.select_related("agency", "recorded_by")
            if case_may_have(case, "consultations")
            else [],
            "attachments": attachments_visible_to(user).filter(case=case).select_related("uploaded_by")
            if case_may_have(case, "attachments")
            else [],
            "events": timeline_entries(case, confidential=confidential, events=latest[:TIMELINE_LATEST][::-1]),
            "earlier_events": len(latest) > TIMELINE_LATEST,
            "case_links": case_links(user, case),
            "page_parts": case_page_templates(),
            # Parts from the cooperation modules (assistance requests, …), registered with cases.portal.
            "case_parts": case_parts(user, case),
        },
    )


@login_required
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole timeline of a case, oldest first, a page at a time."""
    case = _case_or_404(request, pk)
    confidential = can_see_confidential(request.user, case=case)
    page = Paginator(case_timeline(case), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = timeline_entries(case, confidential=confidential, events=list(page.object_list))
    return render(request, "cases/case_history.html", {"case": case, "page_obj": page, "events": page.object_list})


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    if case.is_closed:
        # Not "no permission": nobody may change a closed case, and the reader should know why.
        messages.error(request, _("案件已终结，不能再修改。"))
        return redirect("case_detail", pk=case.pk)
    if not can_edit_case(request.user, case):
        raise PermissionDenied(_("只有本案承办检察官或协办人可以修改案件信息。"))
    form = CaseForm(request.POST or None, user=request.user, case=case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["agencies"] = list(data["agencies"])
        data["co_handlers"] = list(data["co_handlers"])
        if call_service(form, services.case_update, user=request.user, case=case, **data):
            messages.success(request, _("案件信息已保存。"))
            return redirect("case_detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "case": case})
