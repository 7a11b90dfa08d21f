"""Reference data: procuratorates, agencies, domains, and the holiday calendar (read by everyone
logged in; written by administrators through the same services as the Django admin)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from agencies.models import Organisation
from api.serializers.reference import (
    DomainSerializer,
    HolidayYearInput,
    HolidayYearSerializer,
    OrganisationSerializer,
)
from api.views.base import ScopedViewSet
from cases.models import Domain
from cases.selectors import agencies_visible_to, procuratorates_visible_to
from deadlines import services as deadline_services
from deadlines.engine import DaySpec
from deadlines.models import HolidayYear
from pil_tracker.errors import DomainError


class ProcuratorateViewSet(ScopedViewSet):
    """Procuratorates the user reads: their own, and for a supervisor every subordinate one."""

    model = Organisation
    internal_serializer = OrganisationSerializer
    ordering_fields = ["name", "tree_path"]

    def scope(self, user: User) -> QuerySet:
        return procuratorates_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("region").order_by("tree_path", "name")


class AgencyViewSet(ScopedViewSet):
    """Administrative agencies: every active one for procuratorate staff; agency staff their own."""

    model = Organisation
    internal_serializer = OrganisationSerializer
    ordering_fields = ["name", "tree_path"]

    def scope(self, user: User) -> QuerySet:
        return agencies_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("region").order_by("tree_path", "name")


class DomainViewSet(ScopedViewSet):
    """PIL domains (领域): reference data every user reads."""

    model = Domain
    internal_serializer = DomainSerializer

    def scope(self, user: User) -> QuerySet:
        return Domain.objects.all()


class IsAdminOrReadOnly(permissions.BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_superuser)


class HolidayViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, ScopedViewSet):
    """The holiday arrangement of each year (节假日安排), by year.

    PUT /holidays/{year}/ (or POST /holidays/) sets a year's holidays and make-up working days;
    DELETE forgets the year. Either recomputes the open deadlines the year touches.
    """

    model = HolidayYear
    internal_serializer = HolidayYearSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminOrReadOnly]
    lookup_field = "year"
    lookup_value_regex = "[0-9]{4}"
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def scope(self, user: User) -> QuerySet:
        return HolidayYear.objects.all()

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related("days").order_by("-year")

    def _load(self, request: Request, year: int | None = None) -> HolidayYear:
        data = self.validated(HolidayYearInput)
        if year is not None and data["year"] != year:
            raise DomainError(_("年度与地址中的年度不一致。"), field="year")
        result = deadline_services.holiday_year_load(
            year=data["year"],
            days=[DaySpec(date=d["date"], is_rest_day=d["is_rest_day"], name=d["name"]) for d in data["days"]],
            source=data["source"],
            user=request.user,
        )
        return result.holiday_year

    @extend_schema(request=HolidayYearInput, responses={201: HolidayYearSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        holiday_year = self._load(request)
        return self.respond(self.get_queryset().get(pk=holiday_year.pk), created=True)

    @extend_schema(request=HolidayYearInput, responses=HolidayYearSerializer)
    def update(self, request: Request, *args, **kwargs) -> Response:
        holiday_year = self._load(request, int(kwargs["year"]))
        return self.respond(self.get_queryset().get(pk=holiday_year.pk))

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        holiday_year = get_object_or_404(HolidayYear, year=int(kwargs["year"]))
        deadline_services.holiday_year_delete(holiday_year=holiday_year, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
