"""Inspections (执法检查 / 联合检查) and their findings: read by everyone in scope
(inspections.selectors), planned, held, cancelled and given findings by the supervisors in scope; a
finding becomes a lead of the inspecting procuratorate once (`make-lead`: the second call answers
the lead made the first time)."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from agencies.models import Organisation
from api.serializers import inspections as s
from api.views.base import ScopedViewSet
from cases.models import Domain
from inspections import selectors, services
from inspections.models import Finding, Inspection
from pil_tracker.errors import DomainError
from pil_tracker.filtering import DateFilter, IdFilter, SafeFilterSet


class InspectionFilter(SafeFilterSet):
    kind = django_filters.ChoiceFilter(choices=Inspection.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Inspection.Status.choices)
    procuratorate = IdFilter(field_name="procuratorate_id")
    starts_after = DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_before = DateFilter(field_name="starts_on", lookup_expr="lte")

    class Meta:
        model = Inspection
        fields: list[str] = []


class FindingFilter(SafeFilterSet):
    inspection = IdFilter(field_name="inspection_id")
    agency = IdFilter(field_name="agency_id")

    class Meta:
        model = Finding
        fields: list[str] = []


def _organisations(ids: list[int], field: str) -> list[Organisation]:
    """Active organisations by id; an unknown or dissolved one is a field error."""
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids, is_active=True)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise DomainError(_("所选单位不存在或已撤销。"), field=field)
    return [found[pk] for pk in dict.fromkeys(ids)]


class InspectionViewSet(ScopedViewSet):
    """Inspections in the user's scope. Supervisors of the procuratorate (or above) plan one
    (POST, in their own procuratorate), record it held (`hold`), cancel it (`cancel`) and add
    findings (`findings`); read the findings at `/inspection-findings/?inspection={id}`."""

    model = Inspection
    internal_serializer = s.InspectionSerializer
    filterset_class = InspectionFilter
    ordering_fields = ["starts_on", "created_at"]

    def scope(self, user: User) -> QuerySet:
        return selectors.inspections_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("procuratorate", "organiser").prefetch_related(
            Prefetch("participants", queryset=Organisation.objects.order_by("kind", "name"))
        )

    def _recorder(self, inspection: Inspection) -> Inspection:
        if not selectors.can_record(self.request.user, inspection):
            raise PermissionDenied(_("只有本院或上级院负责人可以登记执法检查。"))
        return inspection

    @extend_schema(request=s.InspectionInput, responses={201: s.InspectionSerializer})
    def create(self, request: Request) -> Response:
        """Plan an inspection of the user's own procuratorate (inspection_plan, supervisors)."""
        data = self.validated(s.InspectionInput)
        data["organiser"] = _organisations([data["organiser"]], "organiser")[0]
        data["participants"] = _organisations(data["participants"], "participants")
        inspection = services.inspection_plan(user=request.user, **data)
        return self.respond(self.fresh(inspection.pk), created=True)

    @extend_schema(request=s.InspectionHoldInput, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: str) -> Response:
        """The inspection took place: planned → held, with what was done (inspection_hold)."""
        inspection = self._recorder(self.get_object())
        services.inspection_hold(user=request.user, inspection=inspection, **self.validated(s.InspectionHoldInput))
        return self.respond(self.fresh(inspection.pk))

    @extend_schema(request=s.InspectionCancelInput, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel a planned inspection, with the reason (inspection_cancel)."""
        inspection = self._recorder(self.get_object())
        services.inspection_cancel(user=request.user, inspection=inspection, **self.validated(s.InspectionCancelInput))
        return self.respond(self.fresh(inspection.pk))

    @extend_schema(request=s.FindingInput, responses={201: s.FindingInternalSerializer})
    @action(detail=True, methods=["post"])
    def findings(self, request: Request, pk: str) -> Response:
        """Record a problem found in a held inspection (finding_add)."""
        inspection = self._recorder(self.get_object())
        data = self.validated(s.FindingInput)
        data["domain"] = self.in_scope(Domain.objects.all(), data["domain"])
        if data["agency"] is not None:
            data["agency"] = self.in_scope(Organisation.objects.filter(kind=Organisation.Kind.AGENCY), data["agency"])
        finding = services.finding_add(user=request.user, inspection=inspection, **data)
        return self.respond(finding, created=True, serializer_class=s.FindingInternalSerializer)


class FindingViewSet(ScopedViewSet):
    """Findings of the inspections in scope (an agency reads those about itself). Procuratorate
    staff of the inspecting procuratorate turn one into a lead with `make-lead`."""

    model = Finding
    filterset_class = FindingFilter
    ordering_fields = ["created_at"]

    def scope(self, user: User) -> QuerySet:
        return selectors.findings_visible_to(user)

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("agency", "recorded_by").order_by("inspection_id", "id")

    def get_serializer_class(self):
        # Which lead a finding became is procuratorate-internal.
        user = getattr(self.request, "user", None)
        if getattr(user, "is_superuser", False) or getattr(user, "is_procuratorate_staff", False):
            return s.FindingInternalSerializer
        return s.FindingSerializer

    @extend_schema(request=None, responses={200: s.MadeLeadSerializer, 201: s.MadeLeadSerializer})
    @action(detail=True, methods=["post"], url_path="make-lead")
    def make_lead(self, request: Request, pk: str) -> Response:
        """Register the finding as a lead of the inspecting procuratorate (finding_make_lead): 201
        with the new lead; 200 with the same lead when it already was one."""
        finding = self.get_object()
        if not selectors.can_make_lead(request.user, finding.inspection):
            raise PermissionDenied(_("只有检查所在检察院的检察人员可以将问题转为线索。"))
        lead, created = services.finding_make_lead(user=request.user, finding=finding)
        return Response({"lead": lead.pk, "created": created}, status=201 if created else 200)
