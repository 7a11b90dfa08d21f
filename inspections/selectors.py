"""Every read of inspections and their findings starts here (docs/domain.md, Inspections).

Procurators read their own procuratorate's inspections, supervisors those of their procuratorate
and every subordinate one; agency staff the inspections their agency took part in, and of their
findings only those about their own agency; discipline liaisons the inspections their commission
took part in, with every finding. Anything else answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Lead
from cases.selectors import leads_visible_to
from inspections.models import Finding, Inspection


def _scope(user: User, prefix: str = "") -> Q | None:
    if not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    if not user.organisation_id or user.organisation is None:
        return None
    if user.role == Role.PROCURATOR:
        return Q(**{f"{prefix}procuratorate_id": user.organisation_id})
    if user.role == Role.SUPERVISOR:
        return Q(**{f"{prefix}procuratorate__tree_path__startswith": user.organisation.tree_path})
    if user.role in (Role.AGENCY_STAFF, Role.DISCIPLINE_LIAISON):
        return Q(**{f"{prefix}participants": user.organisation_id})
    return None


def inspections_visible_to(user: User) -> QuerySet[Inspection]:
    scope = _scope(user)
    if scope is None:
        return Inspection.objects.none()
    if user.role in (Role.AGENCY_STAFF, Role.DISCIPLINE_LIAISON) and not user.is_superuser:
        # Through the participants join: one row per inspection without DISTINCT.
        return Inspection.objects.filter(pk__in=Inspection.objects.filter(scope).values("pk"))
    return Inspection.objects.filter(scope)


def findings_visible_to(user: User) -> QuerySet[Finding]:
    findings = Finding.objects.filter(inspection__in=inspections_visible_to(user))
    if user.role == Role.AGENCY_STAFF and not user.is_superuser:
        # An agency reads what was found about itself, not about the other participants.
        findings = findings.filter(agency_id=user.organisation_id)
    return findings


def can_record(user: User, inspection: Inspection) -> bool:
    """Supervisors in scope plan, hold, cancel and record findings (the same rule the services apply)."""
    return user.is_active and user.acts_as_supervisor_of(inspection.procuratorate)


def can_make_lead(user: User, inspection: Inspection) -> bool:
    """A lead is registered in the inspecting procuratorate, by its own procurators and supervisors."""
    return user.is_active and user.is_procuratorate_staff and user.organisation_id == inspection.procuratorate_id


def lead_origins(user: User, lead: Lead) -> list[dict[str, Any]]:
    """The lead page's "来自联合检查 …" line (registered with cases.portal)."""
    finding = Finding.objects.filter(lead=lead).select_related("inspection").first()
    if finding is None:
        return []
    inspection = finding.inspection
    visible = inspections_visible_to(user).filter(pk=inspection.pk).exists()
    label = _("来自联合检查") if inspection.kind == Inspection.Kind.JOINT else _("来自执法检查")
    return [
        {
            "label": label,
            "title": inspection.title,
            "url": reverse("inspection_detail", args=[inspection.pk]) if visible else "",
        }
    ]


def finding_lead_visible(user: User, finding: Finding) -> bool:
    return finding.lead_id is not None and leads_visible_to(user).filter(pk=finding.lead_id).exists()


def inspection_organisations(user: User) -> QuerySet[Organisation]:
    """Organiser and participants an inspection may name: every active organisation, for the
    supervisors who plan inspections."""
    if not (user.is_active and user.is_supervisor and user.organisation_id):
        return Organisation.objects.none()
    return Organisation.objects.filter(is_active=True)


def inspection_agencies(user: User) -> QuerySet[Organisation]:
    """The agencies a finding may concern, for anyone who belongs to an organisation (who may
    record findings is decided per inspection by can_record)."""
    if not (user.is_superuser or user.organisation_id):
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)
