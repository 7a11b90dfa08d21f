"""Blocks of the case page and the lead page that come from apps above cases.

A cooperation module (the referrals with the discipline commission, …) sits above cases
(docs/architecture.md) and shows its records on a case's or a lead's page. It registers a template
from its AppConfig.ready(); the page includes every registered template with the page's context
(`case` or `lead`, `user`). The template reads its data through its own app's template tags, which
start from that app's scoping selector.
"""

from __future__ import annotations

_case_templates: list[str] = []
_lead_templates: list[str] = []


def register_page_parts(*, case: str | None = None, lead: str | None = None) -> None:
    """`case`: a template included on the case page; `lead`: on the lead page."""
    if case is not None and case not in _case_templates:
        _case_templates.append(case)
    if lead is not None and lead not in _lead_templates:
        _lead_templates.append(lead)


def case_page_templates() -> list[str]:
    return list(_case_templates)


def lead_page_templates() -> list[str]:
    return list(_lead_templates)
