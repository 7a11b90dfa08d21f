"""Planning, holding and cancelling inspections, recording their findings, and turning a finding
into a lead (docs/domain.md, Inspections). Supervisors in scope record; a lead is registered in the
inspecting procuratorate by its own staff."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Organisation
from cases.models import Domain, Lead
from cases.services import lead_register
from cases.services.guards import local_today, lock, require_status
from inspections.models import Finding, Inspection
from inspections.selectors import can_make_lead
from pil_tracker.errors import DomainError


def _require_recorder(user: User, procuratorate: Organisation) -> None:
    if not (user.is_active and user.acts_as_supervisor_of(procuratorate)):
        raise DomainError(_("只有本院或上级院负责人可以登记执法检查。"), code="permission_denied")


def _check_fields(*, starts_on: datetime.date, ends_on: datetime.date, organiser: Organisation) -> None:
    if ends_on < starts_on:
        raise DomainError(_("结束日期不能早于开始日期。"), field="ends_on")
    if not organiser.is_active:
        raise DomainError(_("组织单位已撤销。"), field="organiser")


@transaction.atomic
def inspection_plan(
    *,
    user: User,
    kind: str,
    title: str,
    subject: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    organiser: Organisation,
    participants: list[Organisation] | None = None,
) -> Inspection:
    """Plan an inspection of the user's own procuratorate (a supervisor's)."""
    if user.organisation is None:
        raise DomainError(_("只有本院或上级院负责人可以登记执法检查。"), code="permission_denied")
    _require_recorder(user, user.organisation)
    _check_fields(starts_on=starts_on, ends_on=ends_on, organiser=organiser)
    inspection = Inspection.objects.create(
        procuratorate=user.organisation,
        kind=kind,
        title=title,
        subject=subject,
        starts_on=starts_on,
        ends_on=ends_on,
        organiser=organiser,
        created_by=user,
    )
    inspection.participants.set(participants or [])
    return inspection


@transaction.atomic
def inspection_update(
    *,
    user: User,
    inspection: Inspection,
    kind: str,
    title: str,
    subject: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    organiser: Organisation,
    participants: list[Organisation] | None = None,
) -> Inspection:
    inspection = lock(Inspection, inspection.pk)
    _require_recorder(user, inspection.procuratorate)
    require_status(
        inspection.status, {Inspection.Status.PLANNED}, label=inspection.get_status_display(), action=_("修改检查计划")
    )
    _check_fields(starts_on=starts_on, ends_on=ends_on, organiser=organiser)
    inspection.kind, inspection.title, inspection.subject = kind, title, subject
    inspection.starts_on, inspection.ends_on, inspection.organiser = starts_on, ends_on, organiser
    inspection.save()
    inspection.participants.set(participants or [])
    return inspection


@transaction.atomic
def inspection_hold(
    *, user: User, inspection: Inspection, summary: str, today: datetime.date | None = None
) -> Inspection:
    """The inspection took place: planned → held, with what was done."""
    inspection = lock(Inspection, inspection.pk)
    _require_recorder(user, inspection.procuratorate)
    require_status(
        inspection.status, {Inspection.Status.PLANNED}, label=inspection.get_status_display(), action=_("记录开展情况")
    )
    if inspection.starts_on > local_today(today):
        raise DomainError(_("检查尚未开始，不能记录开展情况。"), code="invalid_transition")
    if not summary.strip():
        raise DomainError(_("请填写检查情况。"), field="summary")
    inspection.status = Inspection.Status.HELD
    inspection.summary = summary
    inspection.save(update_fields=["status", "summary"])
    return inspection


@transaction.atomic
def inspection_cancel(*, user: User, inspection: Inspection, reason: str) -> Inspection:
    inspection = lock(Inspection, inspection.pk)
    _require_recorder(user, inspection.procuratorate)
    require_status(
        inspection.status, {Inspection.Status.PLANNED}, label=inspection.get_status_display(), action=_("取消检查")
    )
    if not reason.strip():
        raise DomainError(_("请填写取消理由。"), field="reason")
    inspection.status = Inspection.Status.CANCELLED
    inspection.cancel_reason = reason
    inspection.save(update_fields=["status", "cancel_reason"])
    return inspection


@transaction.atomic
def finding_add(
    *,
    user: User,
    inspection: Inspection,
    description: str,
    domain: Domain,
    location: str = "",
    agency: Organisation | None = None,
) -> Finding:
    """Record a problem found in a held inspection."""
    inspection = lock(Inspection, inspection.pk)
    _require_recorder(user, inspection.procuratorate)
    require_status(
        inspection.status, {Inspection.Status.HELD}, label=inspection.get_status_display(), action=_("记录发现的问题")
    )
    if not description.strip():
        raise DomainError(_("请填写发现的问题。"), field="description")
    if agency is not None and agency.kind != Organisation.Kind.AGENCY:
        raise DomainError(_("所选机关不是有效的行政机关。"), field="agency")
    if not domain.is_active:
        raise DomainError(_("该领域已停用。"), field="domain")
    return Finding.objects.create(
        inspection=inspection,
        description=description,
        location=location,
        agency=agency,
        domain=domain,
        recorded_by=user,
    )


@transaction.atomic
def finding_make_lead(*, user: User, finding: Finding, today: datetime.date | None = None) -> tuple[Lead, bool]:
    """Register the finding as a lead of the inspecting procuratorate (source: found by the
    procuratorate in its own work, the inspection named in the source detail); (lead, created).

    A second call returns the lead made the first time: one finding, one lead."""
    finding = lock(Finding, finding.pk)
    inspection = finding.inspection
    if not can_make_lead(user, inspection):
        raise DomainError(_("只有检查所在检察院的检察人员可以将问题转为线索。"), code="permission_denied")
    if finding.lead_id is not None:
        return Lead.objects.get(pk=finding.lead_id), False
    location = f"（{finding.location}）" if finding.location else ""
    lead = lead_register(
        user=user,
        today=today,
        title=f"{inspection.title}：{finding.description[:60]}"[:200],
        summary=finding.description + location,
        # The procuratorate found it in its own work (an inspection it took part in), not through
        # the enforcement-information platform: Lead.Source.OWN_WORK, with the inspection named.
        source=Lead.Source.OWN_WORK,
        source_detail=(_("执法检查：%(title)s") % {"title": inspection.title})[:200],
        received_on=local_today(today),
        domain=finding.domain,
        agency=finding.agency,
    )
    finding.lead = lead
    finding.save(update_fields=["lead"])
    return lead, True
