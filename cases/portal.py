"""Every part of a page of this layer that comes from an app above it (docs/architecture.md,
How a lower layer learns about a higher one): the higher app registers it from its
AppConfig.ready(), the page's view adds whatever is registered.

- The agency portal's parts: the portal's pages are the feedback app's (feedback/views.py); the
  lawsuits against the agency are the litigation app's (register_agency_parts).
- Blocks of the case and lead pages as templates reading through their own app's template tags
  (register_page_parts: referrals); parts computed for the reader (register_case_part,
  register_lead_origin: assistance, inspections); links (register_case_links: interference).
- What a case has, read with the case page's one case query so an empty part costs no query
  (register_case_flag: litigation, feedback, supervision, assistance, referrals, interference).


The portal's pages are the feedback app's (feedback/views.py); the lawsuits against the agency are
the litigation app's. The two are siblings on one layer (docs/architecture.md) and neither imports
the other, so the litigation app registers its parts here, on the layer both build on, from its
AppConfig.ready(); the portal's views add whatever is registered to their context.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, QuerySet

from accounts.models import User
from cases.models import Case, Recommendation

HomePart = Callable[[User, datetime.date], dict[str, Any]]
RecommendationPart = Callable[[User, Recommendation], dict[str, Any]]

_home_parts: list[HomePart] = []
_recommendation_parts: list[RecommendationPart] = []


def register_agency_parts(*, home: HomePart | None = None, recommendation: RecommendationPart | None = None) -> None:
    """`home(user, today)`: context for the portal's home page; `recommendation(user,
    recommendation)`: context for a recommendation's page."""
    if home is not None and home not in _home_parts:
        _home_parts.append(home)
    if recommendation is not None and recommendation not in _recommendation_parts:
        _recommendation_parts.append(recommendation)


def agency_home_parts(user: User, *, today: datetime.date) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in _home_parts:
        context.update(part(user, today))
    return context


def agency_recommendation_parts(user: User, recommendation: Recommendation) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in _recommendation_parts:
        context.update(part(user, recommendation))
    return context


# --- Parts of the lead and case pages that come from the cooperation modules ----------------------
# A lead found in a joint inspection (inspections), a case that asked an agency for assistance
# (assistance), …: those apps sit above cases and register here from their AppConfig.ready();
# the lead and case pages show whatever is registered (docs/architecture.md).

# `origin(user, lead)` → the records the lead came from, as dicts {"label", "title", "url"} (url
# empty when the reader may not open the record).
LeadOrigin = Callable[[User, Any], list[dict[str, Any]]]
# `part(user, case)` → None, or {"template": "<app>/_case_part.html", …its context}.
CasePart = Callable[[User, Any], dict[str, Any] | None]

_lead_origins: list[LeadOrigin] = []
_case_parts: list[CasePart] = []


def register_lead_origin(origin: LeadOrigin) -> None:
    if origin not in _lead_origins:
        _lead_origins.append(origin)


def lead_origins(user: User, lead) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for origin in _lead_origins:
        found.extend(origin(user, lead))
    return found


def register_case_part(part: CasePart) -> None:
    if part not in _case_parts:
        _case_parts.append(part)


def case_parts(user: User, case) -> list[dict[str, Any]]:
    return [found for part in _case_parts if (found := part(user, case))]


# --- Blocks of the case page and the lead page (templates) -------------------------------------

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


# --- Links on the case page ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseLink:
    label: str
    url: str


CaseLinks = Callable[[User, Case], list[CaseLink]]

_links: list[CaseLinks] = []


def register_case_links(links: CaseLinks) -> None:
    """`links(user, case)`: the links `user` may follow from `case`'s page (an empty list: none)."""
    if links not in _links:
        _links.append(links)


def case_links(user: User, case: Case) -> list[CaseLink]:
    return [link for links in _links for link in links(user, case)]


# --- What a case has (the case page skips the queries of its empty parts) ------------------------
# Most cases never reach a lawsuit, an assistance request or a referral, yet each part of the case
# page used to cost its queries (ORM time mostly: ~1–2 ms each at 1,000,000 cases) to find nothing.
# An app registers `flag`: a function giving an Exists(...) over its rows of the case
# (OuterRef("pk")); the case page reads all of them as columns of its one case query
# (with_case_flags). A flag is only a hint to skip work, never an access check: False means the
# case has no such row at all, so the part's scoped query could only return nothing; True, or a
# case read without flags (any other page), runs the scoped query as before.

CaseFlag = Callable[[], Exists]

_case_flags: dict[str, CaseFlag] = {}


def register_case_flag(name: str, flag: CaseFlag) -> None:
    """`name`: read back with case_may_have(case, name); `flag()`: an Exists over the case's rows."""
    _case_flags[name] = flag


def _flag_attribute(name: str) -> str:
    return f"flag_{name}"


def with_case_flags(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` with every registered flag as a column (one Exists subquery each, on an index)."""
    return cases.annotate(**{_flag_attribute(name): flag() for name, flag in _case_flags.items()})


def case_may_have(case: Case, name: str) -> bool:
    """False only when `case` was read with_case_flags and has no row behind the flag `name`."""
    return getattr(case, _flag_attribute(name), True)
