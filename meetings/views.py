"""The joint-meeting pages: the list, a meeting's page (agenda, minutes, decisions, history) and
the forms of each step. Reads go through meetings/selectors.py (out of scope: 404); the services
decide who may act (403 on refusal of the permission, the form again on any other refusal)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agencies.models import Organisation
from deadlines.selectors import subject_deadlines
from meetings import forms, services
from meetings.models import DECISION_SUBJECT, Meeting
from meetings.selectors import (
    can_mark_done,
    can_record,
    can_schedule,
    decisions_visible_to,
    meetings_visible_to,
)
from pil_tracker.services import call_service
from pil_tracker.views import form_service_view
from submissions.decorators import submit_once

PAGE_SIZE = 50


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    filters = forms.MeetingFilter(
        request.GET,
        queryset=meetings_visible_to(request.user).select_related("host", "procuratorate").order_by("-date", "-id"),
    )
    meetings = list(filters.qs[:PAGE_SIZE]) if filters.is_valid() else []
    return render(
        request,
        "meetings/meeting_list.html",
        {"filters": filters, "meetings": meetings, "can_schedule": can_schedule(request.user)},
    )


@login_required
@submit_once
def meeting_schedule(request: HttpRequest) -> HttpResponse:
    if not can_schedule(request.user):
        raise PermissionDenied
    form = forms.MeetingScheduleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        meeting = call_service(form, services.meeting_schedule, user=request.user, **form.cleaned_data)
        if meeting is not None:
            messages.success(request, _("已安排联席会议。"))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "heading": _("安排联席会议")})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(meetings_visible_to(request.user).select_related("host", "procuratorate"), pk=pk)
    decisions = list(decisions_visible_to(request.user).filter(meeting=meeting).select_related("owner", "done_by"))
    deadlines = subject_deadlines(DECISION_SUBJECT, [d.pk for d in decisions])
    for decision in decisions:
        decision.deadline = (deadlines.get(decision.pk) or [None])[-1]
        decision.can_mark_done = decision.status == decision.Status.OPEN and can_mark_done(request.user, decision)
    participants = list(meeting.participants.select_related("organisation"))
    recordable = can_record(request.user, meeting)
    internal = request.user.is_procuratorate_staff or request.user.is_superuser
    briefings = []
    if recordable:
        for participant in participants:
            if participant.organisation.kind == Organisation.Kind.AGENCY:
                query = urlencode({"kind": "briefing", "meeting": meeting.pk, "agency": participant.organisation_id})
                briefings.append((participant.organisation, f"{reverse('reports_index')}?{query}"))
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "participants": participants,
            "decisions": decisions,
            "events": _events(request, meeting),
            "today": timezone.localdate(),
            # What was discussed is internal: agencies and the commission see the meeting, not the cases.
            "internal": internal,
            "cases": meeting.cases.all() if internal else [],
            "recommendations": meeting.recommendations.all() if internal else [],
            "can_record": recordable,
            "is_open": meeting.status in services.OPEN_STATES,
            "briefings": briefings,
            "done_form": forms.DecisionDoneForm(),
        },
    )


def _events(request: HttpRequest, meeting: Meeting):
    """The meeting's history; another participant's decisions stay out of an agency's view."""
    events = meeting.events.select_related("actor")
    if request.user.is_procuratorate_staff or request.user.is_superuser:
        return events
    return events.filter(Q(decision__isnull=True) | Q(decision__owner_id=request.user.organisation_id))


def _recorded(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(meetings_visible_to(request.user), pk=pk)
    if not can_record(request.user, meeting):
        raise PermissionDenied
    return meeting


def _step(request: HttpRequest, meeting: Meeting, *, form_class, service, message: str, heading: str, **kwargs):
    return form_service_view(
        request,
        form_class=form_class,
        service=service,
        success_message=message,
        success_url=reverse("meeting_detail", args=[meeting.pk]),
        template="meetings/form.html",
        service_kwargs={"meeting": meeting, **kwargs},
        context={"heading": heading, "meeting": meeting},
    )


@login_required
def meeting_postpone(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _recorded(request, pk)
    return _step(
        request,
        meeting,
        form_class=forms.PostponeForm,
        service=services.meeting_postpone,
        message=_("会议已延期。"),
        heading=_("会议延期"),
    )


@login_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _recorded(request, pk)
    return _step(
        request,
        meeting,
        form_class=forms.CancelForm,
        service=services.meeting_cancel,
        message=_("会议已取消。"),
        heading=_("取消会议"),
    )


@login_required
def meeting_hold(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _recorded(request, pk)
    return _step(
        request,
        meeting,
        form_class=forms.HoldForm,
        service=services.meeting_hold,
        message=_("已记录会议召开情况。"),
        heading=_("记录会议召开"),
        today=timezone.localdate(),
    )


@login_required
@submit_once
def decision_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _recorded(request, pk)
    return form_service_view(
        request,
        form_class=forms.DecisionForm,
        service=services.decision_record,
        success_message=_("已记录议定事项。"),
        success_url=reverse("meeting_detail", args=[meeting.pk]),
        template="meetings/form.html",
        service_kwargs={"meeting": meeting, "today": timezone.localdate()},
        form_kwargs={"meeting": meeting},
        context={"heading": _("记录议定事项"), "meeting": meeting},
    )


@login_required
def decision_done(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(decisions_visible_to(request.user).select_related("meeting", "owner"), pk=pk)
    if not can_mark_done(request.user, decision):
        raise PermissionDenied
    return form_service_view(
        request,
        form_class=forms.DecisionDoneForm,
        service=services.decision_done,
        success_message=_("已记录议定事项落实情况。"),
        success_url=reverse("meeting_detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}",
        template="meetings/form.html",
        service_kwargs={"decision": decision, "today": timezone.localdate()},
        context={"heading": _("议定事项已落实"), "meeting": decision.meeting, "decision": decision},
    )
