"""Joint meetings (/api/v1/meetings/) and their decisions (/api/v1/meeting-decisions/): the same
scope and services as the pages (meetings/selectors.py, meetings/services.py)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.serializers import meetings as s
from api.views.base import ScopedViewSet
from cases.selectors import cases_visible_to, recommendations_visible_to
from meetings import selectors, services
from meetings.forms import MeetingFilter
from meetings.models import Decision, Meeting


class MeetingViewSet(ScopedViewSet):
    """Joint meetings (联席会议): procuratorate staff those of their scope, agencies and the
    commission those they attended. Supervisors schedule, postpone, cancel, hold and record
    decisions."""

    model = Meeting
    internal_serializer = s.MeetingInternalSerializer
    agency_serializer = s.MeetingAgencySerializer
    filterset_class = MeetingFilter
    ordering_fields = ["date", "created_at"]
    http_method_names = ["get", "post", "head", "options"]

    @property
    def for_agency(self) -> bool:
        user = getattr(self.request, "user", None)
        return not (getattr(user, "is_procuratorate_staff", False) or getattr(user, "is_superuser", False))

    def scope(self, user: User) -> QuerySet:
        return selectors.meetings_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return (
            queryset.select_related("host", "procuratorate", "recorder")
            .prefetch_related("participants__organisation", "cases", "recommendations")
            .order_by("-date", "-id")
        )

    def _respond(self, meeting: Meeting, *, created: bool = False) -> Response:
        return self.respond(self.fresh(meeting.pk), created=created)

    @extend_schema(request=s.MeetingScheduleInput, responses={201: s.MeetingInternalSerializer})
    def create(self, request: Request) -> Response:
        """Schedule a meeting (supervisors); cases and recommendations by id, within the scope."""
        data = self.validated(s.MeetingScheduleInput)
        data["cases"] = [self.in_scope(cases_visible_to(request.user), pk) for pk in data["cases"]]
        data["recommendations"] = [
            self.in_scope(recommendations_visible_to(request.user), pk) for pk in data["recommendations"]
        ]
        meeting = services.meeting_schedule(user=request.user, **data)
        return self._respond(meeting, created=True)

    @extend_schema(request=s.PostponeInput, responses=s.MeetingInternalSerializer)
    @action(detail=True, methods=["post"])
    def postpone(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        services.meeting_postpone(user=request.user, meeting=meeting, **self.validated(s.PostponeInput))
        return self._respond(meeting)

    @extend_schema(request=s.CancelInput, responses=s.MeetingInternalSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        services.meeting_cancel(user=request.user, meeting=meeting, **self.validated(s.CancelInput))
        return self._respond(meeting)

    @extend_schema(request=s.HoldInput, responses=s.MeetingInternalSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: str) -> Response:
        """The meeting took place: its date and minutes."""
        meeting = self.get_object()
        services.meeting_hold(
            user=request.user, meeting=meeting, today=timezone.localdate(), **self.validated(s.HoldInput)
        )
        return self._respond(meeting)

    @extend_schema(request=s.DecisionInput, responses={201: s.DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decisions(self, request: Request, pk: str) -> Response:
        """Record a decision of the held meeting; its due date is watched (rule meeting_decision)."""
        meeting = self.get_object()
        decision = services.decision_record(
            user=request.user, meeting=meeting, today=timezone.localdate(), **self.validated(s.DecisionInput)
        )
        return self.respond(decision, created=True, serializer_class=s.DecisionSerializer)


class DecisionViewSet(ScopedViewSet):
    """Decisions of joint meetings: an agency or commission reads only those it owns."""

    model = Decision
    serializer_class = s.DecisionSerializer
    ordering_fields = ["due_date"]
    http_method_names = ["get", "post", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return selectors.decisions_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("owner", "meeting__procuratorate").order_by("due_date", "id")

    @extend_schema(request=s.DecisionDoneInput, responses=s.DecisionSerializer)
    @action(detail=True, methods=["post"], url_path="mark-done")
    def mark_done(self, request: Request, pk: str) -> Response:
        """The decision was carried out (the owner organisation's staff, or the procuratorate)."""
        decision = self.get_object()
        services.decision_done(
            user=request.user, decision=decision, today=timezone.localdate(), **self.validated(s.DecisionDoneInput)
        )
        return self.respond(self.fresh(decision.pk))
