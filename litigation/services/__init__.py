"""Every write of the litigation app, one service per act (docs/domain.md, Litigation and rulings):

- decision.py — the decision to sue with its approval, and the civil path after the announcement;
- court.py — the lawsuit and its court events (defence, hearings, rulings, appeal, effect,
  compliance, enforcement), which the case's status follows, and closing the case after them;
- files.py — the lawsuit's materials and the ruling documents;
- notify.py — the defendant agency's notifications (used by court.py).

`from litigation import services; services.lawsuit_file(...)` keeps working for every service.
"""

from litigation.services.court import (
    CASE_STATUS_OF_LAWSUIT,
    complaint_copy_received,
    compliance_record,
    defence_submitted,
    defendant_can_write,
    enforcement_transfer,
    hearing_cancel,
    hearing_outcome_record,
    hearing_record,
    hearing_register_appearance,
    hearing_reschedule,
    hearing_schedule,
    is_defendant_staff,
    lawsuit_file,
    litigation_case_close,
    ruling_appeal,
    ruling_record,
    ruling_take_effect,
)
from litigation.services.decision import (
    announcement_deadline,
    lawsuit_grounds_check,
    lawsuit_proposal_approve,
    lawsuit_proposal_return,
    lawsuit_propose,
    plaintiff_suit_record,
    plaintiff_suit_support,
)
from litigation.services.files import lawsuit_material_add, ruling_document_add

__all__ = [
    "CASE_STATUS_OF_LAWSUIT",
    "announcement_deadline",
    "complaint_copy_received",
    "compliance_record",
    "defence_submitted",
    "defendant_can_write",
    "enforcement_transfer",
    "hearing_cancel",
    "hearing_outcome_record",
    "hearing_record",
    "hearing_register_appearance",
    "hearing_reschedule",
    "hearing_schedule",
    "is_defendant_staff",
    "lawsuit_file",
    "lawsuit_grounds_check",
    "lawsuit_material_add",
    "lawsuit_proposal_approve",
    "lawsuit_proposal_return",
    "lawsuit_propose",
    "litigation_case_close",
    "plaintiff_suit_record",
    "plaintiff_suit_support",
    "ruling_appeal",
    "ruling_document_add",
    "ruling_record",
    "ruling_take_effect",
]
