from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from agencies.models import Organisation
from cases.models import Case, CaseType, Domain, Event, Lead
from cases.models.reference import DocumentType
from cases.services.guards import lock, require_not_future, require_procuratorate_staff, require_status
from cases.services.history import changes, event_record, snapshot
from cases.services.numbering import number_allocate
from pil_tracker.errors import DomainError

LEAD_EDITABLE_FIELDS = [
    "title",
    "summary",
    "source",
    "source_detail",
    "reporter_name",
    "reporter_contact",
    "received_on",
    "domain",
    "agency",
]

CASE_NUMBER_TYPES = {
    CaseType.ADMINISTRATIVE: DocumentType.ADMIN_CASE,
    CaseType.CIVIL: DocumentType.CIVIL_CASE,
    CaseType.CRIMINAL_CIVIL: DocumentType.CRIMINAL_CIVIL_CASE,
}


def _check_agency(agency: Organisation | None, field: str = "agency") -> None:
    if agency is not None and (agency.kind != Organisation.Kind.AGENCY or not agency.is_active):
        raise DomainError(_("所选机关不是有效的行政机关。"), field=field)


def _check_lead_fields(data: dict, today: datetime.date | None) -> None:
    require_not_future(data["received_on"], field="received_on", today=today)
    _check_agency(data.get("agency"))
    if not data["domain"].is_active:
        raise DomainError(_("该领域已停用。"), field="domain")


@transaction.atomic
def lead_register(*, user: User, today: datetime.date | None = None, **data) -> Lead:
    """Register a lead at the user's own procuratorate."""
    require_procuratorate_staff(user)
    _check_lead_fields(data, today)
    assert user.organisation is not None  # procuratorate staff always belong to one (user_role_needs_organisation)
    lead = Lead.objects.create(procuratorate=user.organisation, registered_by=user, **data)
    event_record(kind=Event.Kind.LEAD_REGISTERED, actor=user, lead=lead, to_status=lead.status)
    return lead


def _require_lead_owner(user: User, lead: Lead) -> None:
    if user.role not in (Role.PROCURATOR, Role.SUPERVISOR) or lead.procuratorate_id != user.organisation_id:
        raise DomainError(_("只有本院检察人员可以处理该线索。"), code="permission_denied")


@transaction.atomic
def lead_update(*, user: User, lead: Lead, today: datetime.date | None = None, **data) -> Lead:
    lead = lock(Lead, lead.pk)
    _require_lead_owner(user, lead)
    require_status(lead.status, {Lead.Status.PENDING}, label=lead.get_status_display(), action=_("修改线索"))
    _check_lead_fields(data, today)
    before = snapshot(lead, LEAD_EDITABLE_FIELDS)
    for name, value in data.items():
        setattr(lead, name, value)
    lead.save()
    changed = changes(before, snapshot(lead, LEAD_EDITABLE_FIELDS))
    if changed:
        event_record(kind=Event.Kind.LEAD_EDITED, actor=user, lead=lead, changed=changed)
    return lead


@transaction.atomic
def lead_decline(*, user: User, lead: Lead, reason: str) -> Lead:
    lead = lock(Lead, lead.pk)
    _require_lead_owner(user, lead)
    require_status(lead.status, {Lead.Status.PENDING}, label=lead.get_status_display(), action=_("不予立案"))
    if not reason.strip():
        raise DomainError(_("请填写不予立案的理由。"), field="reason")
    lead.status = Lead.Status.DECLINED
    lead.decline_reason = reason
    lead.evaluated_by = user
    lead.evaluated_at = timezone.now()
    lead.save()
    event_record(
        kind=Event.Kind.LEAD_DECLINED,
        actor=user,
        lead=lead,
        from_status=Lead.Status.PENDING,
        to_status=lead.status,
        note=reason,
    )
    return lead


@transaction.atomic
def lead_open_case(
    *,
    user: User,
    lead: Lead,
    case_type: str,
    title: str,
    summary: str,
    domain: Domain,
    agencies: list[Organisation],
    handler: User,
    opened_on: datetime.date,
    co_handlers: list[User] | tuple = (),
    today: datetime.date | None = None,
) -> Case:
    """Open a case (立案) from a pending lead; the case number is assigned here."""
    lead = lock(Lead, lead.pk)
    _require_lead_owner(user, lead)
    require_status(lead.status, {Lead.Status.PENDING}, label=lead.get_status_display(), action=_("立案"))
    require_not_future(opened_on, field="opened_on", today=today)
    if opened_on < lead.received_on:
        raise DomainError(_("立案日期不能早于线索受理日期。"), field="opened_on")
    for agency in agencies:
        _check_agency(agency, field="agencies")
    if case_type == CaseType.ADMINISTRATIVE and not agencies:
        raise DomainError(_("行政公益诉讼案件至少要有一个涉及的行政机关。"), field="agencies")
    for person in [handler, *co_handlers]:
        # Only active procurators: can_edit_case lets nobody else work on the case (docs/domain.md, Who sees what).
        if person.organisation_id != lead.procuratorate_id or person.role != Role.PROCURATOR or not person.is_active:
            raise DomainError(_("承办人和协办人必须是本院检察官。"), field="handler")
    number = number_allocate(
        procuratorate=lead.procuratorate, document_type=CASE_NUMBER_TYPES[CaseType(case_type)], year=opened_on.year
    )
    case = Case.objects.create(
        procuratorate=lead.procuratorate,
        number=number,
        case_type=case_type,
        title=title,
        summary=summary,
        domain=domain,
        lead=lead,
        handler=handler,
        opened_on=opened_on,
        status=Case.Status.INVESTIGATION,
    )
    case.agencies.set(agencies)
    case.co_handlers.set([p for p in co_handlers if p.pk != handler.pk])
    lead.status = Lead.Status.OPENED
    lead.evaluated_by = user
    lead.evaluated_at = timezone.now()
    lead.save()
    event_record(kind=Event.Kind.CASE_OPENED, actor=user, case=case, lead=lead, to_status=case.status, note=number)
    return case
