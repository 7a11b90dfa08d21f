"""Deadlines (read) and the user's own notifications (read, mark read)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.filters import DeadlineFilter, NotificationFilter
from api.serializers.misc import (
    DeadlineAgencySerializer,
    DeadlineInternalSerializer,
    MarkedSerializer,
    NotificationSerializer,
)
from api.views.base import ScopedViewSet
from cases.selectors import deadlines_visible_to
from deadlines.models import Deadline
from notifications import selectors as notification_selectors
from notifications import services as notification_services
from notifications.models import Notification


class DeadlineViewSet(ScopedViewSet):
    """Statutory deadlines: procuratorate staff every deadline of the cases they read; agency staff
    the ones their agency must meet (reply, agreed rectification, defence, compliance)."""

    model = Deadline
    internal_serializer = DeadlineInternalSerializer
    agency_serializer = DeadlineAgencySerializer
    filterset_class = DeadlineFilter
    ordering_fields = ["due_date", "start_date", "created_at"]

    def scope(self, user: User) -> QuerySet:
        return deadlines_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("rule").order_by("due_date", "id")


class NotificationViewSet(ScopedViewSet):
    """The user's own notifications, newest first (another user's id answers 404)."""

    model = Notification
    internal_serializer = NotificationSerializer
    filterset_class = NotificationFilter
    http_method_names = ["get", "post", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return notification_selectors.notification_list(user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        """Mark the notification read."""
        notification = self.get_object()
        notification_services.notification_mark_read(user=request.user, notification=notification)
        return self.respond(self.fresh(notification.pk))

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification read; answers how many were marked."""
        return Response({"marked": notification_services.notifications_mark_all_read(user=request.user)})
