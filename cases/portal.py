"""The agency portal's parts that come from apps above cases.

The portal's pages are the feedback app's (feedback/views.py); the lawsuits against the agency are
the litigation app's. The two are siblings on one layer (docs/architecture.md) and neither imports
the other, so the litigation app registers its parts here, on the layer both build on, from its
AppConfig.ready(); the portal's views add whatever is registered to their context.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from accounts.models import User
from cases.models import Recommendation

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
