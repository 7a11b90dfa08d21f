"""Every write to leads, cases, recommendations and files: one service per action.

Each service runs in one transaction, checks the current state and the user's role, records an
Event (who, when, why, before/after) and raises DomainError with a translatable message when the
action is not allowed, changing nothing. The decision to sue, with its approval, is in
litigation/services/decision.py.
"""

from cases.services.cases import (
    case_announce,
    case_close,
    case_end_consultation,
    case_start_consultation,
    case_update,
    consultation_record,
    investigation_record,
)
from cases.services.files import attachment_add, attachment_remove
from cases.services.leads import lead_decline, lead_open_case, lead_register, lead_update
from cases.services.numbering import number_allocate
from cases.services.recommendations import (
    item_evaluate,
    recommendation_approve,
    recommendation_create,
    recommendation_file_with_superior,
    recommendation_issue,
    recommendation_record_reply,
    recommendation_return,
    recommendation_serve,
    recommendation_submit,
    recommendation_update,
    recommendation_withdraw,
)

__all__ = [
    "attachment_add",
    "attachment_remove",
    "case_announce",
    "case_close",
    "case_end_consultation",
    "case_start_consultation",
    "case_update",
    "consultation_record",
    "investigation_record",
    "item_evaluate",
    "lead_decline",
    "lead_open_case",
    "lead_register",
    "lead_update",
    "number_allocate",
    "recommendation_approve",
    "recommendation_create",
    "recommendation_file_with_superior",
    "recommendation_issue",
    "recommendation_record_reply",
    "recommendation_return",
    "recommendation_serve",
    "recommendation_submit",
    "recommendation_update",
    "recommendation_withdraw",
]
