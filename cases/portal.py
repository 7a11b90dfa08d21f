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
